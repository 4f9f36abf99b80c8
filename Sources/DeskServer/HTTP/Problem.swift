import DeskCore
import Vapor

/// An RFC 9457 problem document with DeskPilot's stable machine `code`.
struct Problem: Content {
    struct Interval: Content {
        let start: Date
        let end: Date
    }

    var type: String
    var title: String
    var status: Int
    var detail: String
    var code: String
    var instance: String?
    var requestId: String?
    var errors: [FieldError]?
    var conflicts: [Interval]?
    /// For a refused atomic bulk request: what became of each interval.
    var intervals: [BulkIntervalDTO]?

    init(status: HTTPResponseStatus, code: String, detail: String) {
        self.type = "urn:deskpilot:problem:\(code)"
        self.title = status.reasonPhrase
        self.status = Int(status.code)
        self.detail = detail
        self.code = code
    }
}

extension FieldError: Content {}
extension Policy: Content {}

extension DomainError.Kind {
    var status: HTTPResponseStatus {
        switch self {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .locked: .locked
        case .unprocessable: .unprocessableEntity
        case .unsupportedMediaType: .unsupportedMediaType
        case .tooManyRequests: .tooManyRequests
        }
    }
}

/// Turns every error into problem+json; nothing reaches the client as a bare 500 page.
struct ProblemMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return Self.response(for: error, request: request)
        }
    }

    static func response(for error: any Error, request: Request) -> Response {
        // No route for this method: when the path has routes for others, the method is what is wrong.
        let error = error is RouteNotFound ? AllowedMethods.refusal(for: request) ?? error : error
        var headers = HTTPHeaders()
        var problem: Problem
        switch error {
        case let domain as DomainError:
            problem = Self.problem(domain, headers: &headers)
        case let bulk as BulkRejection:
            problem = Self.problem(bulk.refusal, headers: &headers)
            problem.conflicts = bulk.intervals.flatMap(\.conflicts).map { Problem.Interval(start: $0.start, end: $0.end) }
            problem.intervals = bulk.intervals
        case let decoding as DecodingError:
            problem = Problem(status: .badRequest, code: "invalid_body", detail: Self.describe(decoding))
        case let abort as any AbortError:
            problem = Problem(status: abort.status, code: Self.code(for: abort.status), detail: abort.reason)
            headers.add(contentsOf: abort.headers)
        default:
            request.logger.report(error: error)
            problem = Problem(status: .internalServerError, code: "internal_error", detail: "Something went wrong on our side.")
        }
        problem.instance = request.url.path
        problem.requestId = request.headers.first(name: "X-Request-ID") ?? request.id
        let status = HTTPResponseStatus(statusCode: problem.status)
        let response = Response(status: status, headers: headers)
        do {
            try response.content.encode(problem, using: JSONCoding.encoder)
        } catch {
            response.body = .init(string: #"{"code":"internal_error","status":500}"#)
        }
        response.headers.replaceOrAdd(name: .contentType, value: "application/problem+json")
        return response
    }

    private static func problem(_ domain: DomainError, headers: inout HTTPHeaders) -> Problem {
        var problem = Problem(status: domain.kind.status, code: domain.code, detail: domain.detail)
        if !domain.fieldErrors.isEmpty { problem.errors = domain.fieldErrors }
        if domain.code == "desk_taken" { problem.conflicts = domain.conflicts.map { .init(start: $0.start, end: $0.end) } }
        if let retry = domain.retryAfter { headers.replaceOrAdd(name: .retryAfter, value: String(retry)) }
        return problem
    }

    private static func code(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthenticated"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 413: "payload_too_large"
        case 415: "unsupported_media_type"
        case 422: "validation_failed"
        case 429: "too_many_requests"
        default: status.code >= 500 ? "internal_error" : "bad_request"
        }
    }

    /// Coding paths hold Swift property names; clients know the JSON keys.
    static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { result, character in
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? snakeCase($0.stringValue) }
            return keys.isEmpty ? "body" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            let name = snakeCase(key.stringValue)
            return "Missing field \(parent == "body" ? name : parent + "." + name)."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "Field \(path(context)) has the wrong type: \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "The body is not valid JSON." : "Field \(path(context)) is invalid: \(context.debugDescription)"
        @unknown default:
            return "The body could not be read."
        }
    }
}
