import DeskCore
import Vapor

/// Cookie names of a browser session.
enum SessionCookie {
    static let access = "deskpilot_access"
    static let refresh = "deskpilot_refresh"
    static let csrf = "deskpilot_csrf"
    static let csrfHeader = "X-CSRF-Token"
}

/// Finds out who is calling: a personal access token (`Authorization: Bearer`) or the session cookies.
/// Unsafe requests authenticated by cookie must echo the CSRF cookie in `X-CSRF-Token`; without it the session does
/// not count (public routes such as sign-in still work, protected ones answer 403 `csrf_failed`).
struct AuthenticationMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let sessions = request.services.sessions
        let safe = [.GET, .HEAD, .OPTIONS].contains(request.method)
        if let bearer = request.headers.bearerAuthorization?.token {
            guard let principal = try await sessions.principal(personalToken: bearer) else {
                throw DomainError(.unauthorized, code: "invalid_token", detail: "The access token is invalid or revoked.")
            }
            if case .personalToken(let scopes) = principal.credential, !scopes.contains(safe ? "read" : "write") && !scopes.contains("write") {
                throw DomainError(.forbidden, code: "insufficient_scope", detail: "This token lacks the '\(safe ? "read" : "write")' scope.")
            }
            request.principal = principal
        } else if let access = request.cookies[SessionCookie.access]?.string,
                  let principal = try await sessions.principal(accessToken: access) {
            if safe || Self.hasValidCSRF(request) {
                request.principal = principal
            } else {
                request.csrfFailed = true
            }
        }
        if let principal = request.principal {
            request.logger[metadataKey: "user-id"] = .string(principal.user.id.uuidString)
        }
        return try await next.respond(to: request)
    }

    /// Double-submit check: the header must equal the cookie that only our own pages can read.
    /// Routes marked `HoldController.csrfInQuery` (beacons cannot send headers) may carry it as `csrf_token` instead.
    static func hasValidCSRF(_ request: Request) -> Bool {
        guard let cookie = request.cookies[SessionCookie.csrf]?.string,
              let echo = request.headers.first(name: SessionCookie.csrfHeader)
                ?? (request.route?.userInfo[HoldController.csrfInQuery] != nil ? request.query[String.self, at: "csrf_token"] : nil)
        else { return false }
        return Secrets.constantTimeEquals(cookie, echo)
    }

    static func checkCSRF(_ request: Request) throws {
        guard hasValidCSRF(request) else { throw csrfError }
    }

    static let csrfError = DomainError(.forbidden, code: "csrf_failed", detail: "Missing or wrong X-CSRF-Token header.")
}
