import Foundation

/// One invalid input field and why.
public struct FieldError: Hashable, Sendable, Codable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// A refusal decided by the domain, with a stable machine code. The HTTP layer maps `kind` to a status.
public struct DomainError: Error, Hashable, Sendable {
    public enum Kind: Sendable, Hashable {
        case badRequest, unauthorized, forbidden, notFound, conflict, locked, unprocessable, unsupportedMediaType, tooManyRequests
    }

    public let kind: Kind
    public let code: String
    public let detail: String
    public var fieldErrors: [FieldError] = []
    /// For `desk_taken` and friends: the intervals that collide with the request.
    public var conflicts: [TimeRange] = []
    /// For `too_many_requests`: seconds until a retry may succeed.
    public var retryAfter: Int?

    public init(_ kind: Kind, code: String, detail: String) {
        self.kind = kind
        self.code = code
        self.detail = detail
    }
}

extension DomainError {
    public static func validation(_ errors: [FieldError]) -> DomainError {
        var error = DomainError(.unprocessable, code: "validation_failed", detail: "The request has invalid fields.")
        error.fieldErrors = errors
        return error
    }

    public static func validation(field: String, _ message: String) -> DomainError {
        .validation([FieldError(field: field, message: message)])
    }

    public static func notFound(_ what: String) -> DomainError {
        DomainError(.notFound, code: "not_found", detail: "\(what) not found.")
    }

    public static let forbidden = DomainError(.forbidden, code: "forbidden", detail: "You are not allowed to do this.")
    public static let unauthenticated = DomainError(.unauthorized, code: "unauthenticated", detail: "Sign in first.")

    public static func deskTaken(_ conflicts: [TimeRange]) -> DomainError {
        var error = DomainError(.conflict, code: "desk_taken", detail: "The desk is already booked at that time.")
        error.conflicts = conflicts
        return error
    }

    public static func notBookable(_ detail: String) -> DomainError {
        DomainError(.conflict, code: "not_bookable", detail: detail)
    }

    public static func conflict(code: String, _ detail: String) -> DomainError {
        DomainError(.conflict, code: code, detail: detail)
    }

    public static func rule(code: String, _ detail: String) -> DomainError {
        DomainError(.unprocessable, code: code, detail: detail)
    }
}

extension DomainError: CustomStringConvertible {
    /// One line for logs and the command line, e.g. `validation_failed: … (password: must be at least 8 characters)`.
    public var description: String {
        let fields = fieldErrors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        return fields.isEmpty ? "\(code): \(detail)" : "\(code): \(detail) (\(fields))"
    }
}
