import DeskCore
import Vapor

/// Sign-in, sign-out, session refresh, registration and the caller's own account and tokens.
enum AuthController {
    struct LoginInput: Decodable {
        let username: String
        let password: String
    }

    struct RegisterInput: Decodable {
        let username: String
        let email: String
        let password: String
        let displayName: String
    }

    struct PasswordInput: Decodable {
        let currentPassword: String
        let newPassword: String
    }

    struct TokenInput: Decodable {
        let name: String
        let scopes: [String]
    }

    @Sendable static func login(_ req: Request) async throws -> Response {
        let input = try req.body(LoginInput.self)
        let session = try await req.services.sessions.login(username: input.username, password: input.password, actor: req.actor)
        return try sessionResponse(session, req)
    }

    @Sendable static func refresh(_ req: Request) async throws -> Response {
        guard let token = req.cookies[SessionCookie.refresh]?.string else { throw SessionService.sessionExpired }
        // The refresh cookie alone authenticates this request, so it needs the CSRF echo like any cookie write.
        try AuthenticationMiddleware.checkCSRF(req)
        let session = try await req.services.sessions.refresh(token: token, actor: req.actor)
        return try sessionResponse(session, req)
    }

    @Sendable static func logout(_ req: Request) async throws -> Response {
        if req.cookies[SessionCookie.refresh] != nil {
            try AuthenticationMiddleware.checkCSRF(req)
        }
        try await req.services.sessions.logout(refreshToken: req.cookies[SessionCookie.refresh]?.string, actor: req.actor)
        let response = Response(status: .noContent)
        for name in [SessionCookie.access, SessionCookie.refresh, SessionCookie.csrf] {
            response.cookies[name] = cookie("", name: name, req, maxAge: 0)
        }
        return response
    }

    @Sendable static func register(_ req: Request) async throws -> Response {
        let input = try req.body(RegisterInput.self)
        let user = try await req.services.users.register(
            .init(username: input.username, email: input.email, password: input.password, displayName: input.displayName),
            actor: req.actor
        )
        return try .created(UserDTO(ownAccount: user))
    }

    @Sendable static func me(_ req: Request) async throws -> MeDTO {
        MeDTO(try req.requirePrincipal())
    }

    @Sendable static func changePassword(_ req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let input = try req.body(PasswordInput.self)
        let session = try await req.services.sessions.changePassword(
            of: principal, current: input.currentPassword, new: input.newPassword, actor: req.actor)
        return try sessionResponse(session, req)
    }

    @Sendable static func createToken(_ req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let input = try req.body(TokenInput.self)
        let (record, secret) = try await req.services.sessions.createToken(
            name: input.name, scopes: input.scopes, for: principal, actor: req.actor)
        return try .created(TokenDTO(record, secret: secret))
    }

    @Sendable static func tokens(_ req: Request) async throws -> [TokenDTO] {
        try await req.services.sessions.tokens(of: try req.requirePrincipal().user.id).map { TokenDTO($0) }
    }

    @Sendable static func revokeToken(_ req: Request) async throws -> HTTPStatus {
        let principal = try req.requirePrincipal()
        try await req.services.sessions.revokeToken(id: try req.id(), of: principal.user.id, actor: req.actor)
        return .noContent
    }

    private static func sessionResponse(_ session: IssuedSession, _ req: Request) throws -> Response {
        let response = Response(status: .ok)
        try response.content.encode(
            SessionDTO(user: UserDTO(ownAccount: session.user), csrfToken: session.csrfToken,
                       accessExpiresIn: Int(SessionService.accessLifetime)),
            using: JSONCoding.encoder
        )
        response.cookies[SessionCookie.access] = cookie(session.accessToken, name: SessionCookie.access, req,
                                                        maxAge: Int(SessionService.accessLifetime))
        response.cookies[SessionCookie.refresh] = cookie(session.refreshToken, name: SessionCookie.refresh, req,
                                                         maxAge: Int(SessionService.refreshLifetime))
        response.cookies[SessionCookie.csrf] = cookie(session.csrfToken, name: SessionCookie.csrf, req,
                                                      maxAge: Int(SessionService.refreshLifetime))
        return response
    }

    /// HttpOnly except the CSRF cookie (pages read it); the refresh cookie travels only to the auth routes.
    private static func cookie(_ value: String, name: String, _ req: Request, maxAge: Int) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value, expires: maxAge == 0 ? Date(timeIntervalSince1970: 0) : nil, maxAge: maxAge,
            path: name == SessionCookie.refresh ? "/api/v1/auth" : "/",
            isSecure: req.services.config.secureCookies, isHTTPOnly: name != SessionCookie.csrf, sameSite: .lax
        )
    }
}
