import DeskCore
import Vapor

extension Request {
    private struct PrincipalKey: StorageKey {
        typealias Value = Principal
    }

    private struct CSRFFailureKey: StorageKey {
        typealias Value = Bool
    }

    /// Set when session cookies came without the CSRF echo on an unsafe request: the session does not count.
    var csrfFailed: Bool {
        get { storage[CSRFFailureKey.self] ?? false }
        set { storage[CSRFFailureKey.self] = newValue }
    }

    /// The signed-in caller, set by `AuthenticationMiddleware`.
    var principal: Principal? {
        get { storage[PrincipalKey.self] }
        set { storage[PrincipalKey.self] = newValue }
    }

    func requirePrincipal() throws -> Principal {
        guard let principal else {
            if csrfFailed { throw AuthenticationMiddleware.csrfError }
            throw DomainError.unauthenticated
        }
        return principal
    }

    func requireViewer() throws -> Viewer { try requirePrincipal().viewer }

    /// Who is acting, for the audit log.
    var actor: Actor { Actor(userId: principal?.user.id, ip: clientAddress) }

    /// A path parameter that must be a UUID; a malformed one cannot name anything, so it is a 404. Unless the segment
    /// is a fixed part of another route's path (`GET /bookings/bulk` reaching `GET /bookings/:id`): then the method is
    /// what is wrong, a 405.
    func id(_ name: String = "id") throws -> UUID {
        guard let id = parameters.get(name, as: UUID.self) else {
            throw AllowedMethods.refusal(for: self) ?? DomainError.notFound("Resource")
        }
        return id
    }

    /// Decodes the JSON body; another media type is a 415, malformed JSON a 400, a field that is missing or `null`
    /// where the body type does not allow it a 422.
    func body<T: Decodable>(_ type: T.Type) throws -> T {
        guard let contentType = headers.contentType, contentType == .json || contentType.subType.hasSuffix("+json") else {
            throw DomainError(.unsupportedMediaType, code: "unsupported_media_type", detail: "Send the body as application/json.")
        }
        guard let buffer = body.data, buffer.readableBytes > 0 else {
            throw DomainError(.badRequest, code: "invalid_body", detail: "The request needs a JSON body.")
        }
        // The server already refuses larger streamed bodies; this holds for bodies that arrive collected, too.
        guard buffer.readableBytes <= Self.maximumJSONBytes else {
            throw Abort(.payloadTooLarge, reason: "JSON bodies are limited to \(Self.maximumJSONBytes / 1024) KB.")
        }
        // `null` and missing fields are told apart from absent ones: see `NullRefusingDecoder`.
        return try JSONCoding.decoder.decode(StrictBody<T>.self, from: buffer).value
    }

    /// Decodes the query string. One that carries a control character (`%00` to `%1F`, `%7F`) is a 400 before any
    /// parameter is read: no filter needs one, and PostgreSQL cannot even compare text holding NUL.
    func decodeQuery<T: Decodable>(_ type: T.Type) throws -> T {
        if let raw = url.query, raw.contains("%"), Self.hasEncodedControl(raw) {
            throw DomainError(.badRequest, code: "invalid_body", detail: "A query parameter holds a control character.")
        }
        return try query.decode(T.self)
    }

    private static func hasEncodedControl(_ raw: String) -> Bool {
        let bytes = Array(raw.utf8)
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        for index in bytes.indices where bytes[index] == UInt8(ascii: "%") && index + 2 < bytes.count {
            guard let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) else { continue }
            let value = high << 4 | low
            if value < 0x20 || value == 0x7F { return true }
        }
        return false
    }

    var services: AppServices { application.services }

    static let maximumJSONBytes = 64 * 1024
}
