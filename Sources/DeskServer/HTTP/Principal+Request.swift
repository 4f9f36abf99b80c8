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

    /// A path parameter that must be a UUID; a malformed one cannot name anything, so it is a 404.
    func id(_ name: String = "id") throws -> UUID {
        guard let id = parameters.get(name, as: UUID.self) else { throw DomainError.notFound("Resource") }
        return id
    }

    /// Decodes the JSON body; another media type is a 415, malformed JSON a 400.
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
        return try JSONCoding.decoder.decode(T.self, from: buffer)
    }

    var services: AppServices { application.services }

    static let maximumJSONBytes = 64 * 1024
}
