import DeskCore
import Foundation
import JWT
import SQLKit

/// What a successful sign-in or refresh hands to the browser (as cookies).
struct IssuedSession: Sendable {
    let user: UserRecord
    let accessToken: String
    let refreshToken: String
    let csrfToken: String
}

/// The signed-in caller of a request and how they proved it.
struct Principal: Sendable {
    enum Credential: Sendable, Equatable {
        case session
        case personalToken(scopes: Set<String>)
    }

    let user: UserRecord
    let viewer: Viewer
    let credential: Credential
}

/// Browser sessions (access JWT + rotating refresh token) and personal access tokens.
struct SessionService: Sendable {
    static let accessLifetime: TimeInterval = 5 * 60
    static let refreshLifetime: TimeInterval = 30 * 24 * 3600
    static let tokenScopes: Set<String> = ["read", "write"]
    static let tokenPrefix = "dp_"
    static let refreshGrace: TimeInterval = 30

    let transactor: Transactor
    let clock: WallClock
    let hasher: PasswordHasher
    let keys: JWTKeyCollection
    let throttle: LoginThrottle

    private var users: UserStore { UserStore(sql: transactor.sql) }
    private var sessions: SessionStore { SessionStore(sql: transactor.sql) }

    func login(username: String, password: String, actor: Actor) async throws -> IssuedSession {
        // No account's name holds a control character, and PostgreSQL cannot even compare text holding NUL.
        guard username.count <= 256, password.utf8.count <= 1024, !FieldChecks.hasControlCharacters(username, multiline: false) else {
            throw Self.invalidCredentials
        }
        let now = clock.now()
        try await throttle.check(username: username, ip: actor.ip, now: now)
        await throttle.recordFailure(username: username, ip: actor.ip, now: now)
        let user = try await users.user(named: username)
        let valid: Bool
        if let user {
            valid = try await hasher.verify(password, against: user.passwordHash) && user.isActive
        } else {
            await hasher.burnVerification()
            valid = false
        }
        guard let user, valid else {
            try await transactor.write { sql in
                try await AuditLog(sql: sql).record("auth.login_failed", target: "user", id: user?.id, by: actor, at: now,
                                                    details: ["username": String(username.prefix(64))])
                return .unannounced
            }
            throw Self.invalidCredentials
        }
        await throttle.recordSuccess(username: username, ip: actor.ip)
        let refresh = Secrets.randomToken()
        let family = UUID()
        try await transactor.write { sql in
            try await SessionStore(sql: sql).insert(
                RefreshTokenRecord(id: UUID(), userId: user.id, familyId: family, tokenHash: Secrets.hash(refresh),
                                   createdAt: now, expiresAt: now.addingTimeInterval(Self.refreshLifetime))
            )
            try await AuditLog(sql: sql).record("auth.login", target: "user", id: user.id, by: Actor(userId: user.id, ip: actor.ip),
                                                at: now)
            return .unannounced
        }
        return try await issue(for: user, refresh: refresh, now: now)
    }

    /// A person changes their own password. The current one is checked like a sign-in (so guessing it is throttled
    /// the same way); every other session ends, and the browser that asked gets a fresh one. Only a signed-in browser
    /// may do it: a script's token must not be able to lock its owner out.
    func changePassword(of principal: Principal, current: String, new: String, actor: Actor) async throws -> IssuedSession {
        guard principal.credential == .session else {
            throw DomainError(.forbidden, code: "session_required", detail: "Change your password from a signed-in browser.")
        }
        let now = clock.now()
        guard let user = try await users.user(id: principal.user.id) else {
            throw Self.sessionExpired
        }
        try await throttle.check(username: user.username, ip: actor.ip, now: now)
        guard try await hasher.verify(current, against: user.passwordHash) else {
            await throttle.recordFailure(username: user.username, ip: actor.ip, now: now)
            throw DomainError.validation(field: "current_password", "is not your current password")
        }
        let problems = PasswordHasher.problems(with: new).map { FieldError(field: "new_password", message: $0.message) }
        guard problems.isEmpty else { throw DomainError.validation(problems) }
        let hash = try await hasher.hash(new)
        let refresh = Secrets.randomToken()
        try await transactor.write { sql in
            try await UserStore(sql: sql).setPasswordHash(hash, of: user.id)
            let sessions = SessionStore(sql: sql)
            try await sessions.revokeRefreshTokens(of: user.id, at: now)
            try await sessions.insert(
                RefreshTokenRecord(id: UUID(), userId: user.id, familyId: UUID(), tokenHash: Secrets.hash(refresh),
                                   createdAt: now, expiresAt: now.addingTimeInterval(Self.refreshLifetime))
            )
            try await AuditLog(sql: sql).record("user.password_changed", target: "user", id: user.id, by: actor, at: now)
            return .unannounced
        }
        return try await issue(for: user, refresh: refresh, now: now)
    }

    /// Rotates a refresh token. A token that was already used revokes its whole family: someone copied it.
    func refresh(token: String, actor: Actor) async throws -> IssuedSession {
        let now = clock.now()
        let hash = Secrets.hash(token)
        let next = Secrets.randomToken()
        let outcome: Result<RefreshTokenRecord, DomainError> = try await transactor.write { sql in
            Written(try await rotate(hash, next: next, now: now, actor: actor, on: sql), events: [])
        }
        let stored = try outcome.get()
        guard let user = try await users.user(id: stored.userId), user.isActive else {
            throw Self.sessionExpired
        }
        return try await issue(for: user, refresh: next, now: now)
    }

    /// Claims a refresh token once and stores its successor; a token presented again revokes its family.
    private func rotate(
        _ hash: String, next: String, now: Date, actor: Actor, on sql: any SQLDatabase
    ) async throws -> Result<RefreshTokenRecord, DomainError> {
        let sessions = SessionStore(sql: sql)
        guard let stored = try await sessions.refreshToken(hash: hash) else {
            return .failure(Self.sessionExpired)
        }
        guard try await sessions.claim(refreshToken: stored.id, at: now) else {
            // Two tabs refreshing at once present the same token within moments: refuse the late one, revoke
            // nothing. A token presented again later was copied: revoke its whole family.
            if let used = stored.usedAt, now.timeIntervalSince(used) > Self.refreshGrace {
                try await sessions.revokeFamily(stored.familyId, at: now)
                try await AuditLog(sql: sql).record("auth.refresh_reused", target: "user", id: stored.userId, by: actor, at: now)
            }
            return .failure(Self.sessionExpired)
        }
        try await sessions.insert(
            RefreshTokenRecord(id: UUID(), userId: stored.userId, familyId: stored.familyId, tokenHash: Secrets.hash(next),
                               createdAt: now, expiresAt: now.addingTimeInterval(Self.refreshLifetime))
        )
        return .success(stored)
    }

    /// Ends the session the refresh token belongs to.
    func logout(refreshToken: String?, actor: Actor) async throws {
        guard let refreshToken else { return }
        let now = clock.now()
        try await transactor.write { sql in
            let sessions = SessionStore(sql: sql)
            guard let stored = try await sessions.refreshToken(hash: Secrets.hash(refreshToken)) else { return .unannounced }
            try await sessions.revokeFamily(stored.familyId, at: now)
            try await AuditLog(sql: sql).record("auth.logout", target: "user", id: stored.userId, by: actor, at: now)
            return .unannounced
        }
    }

    /// The caller behind an access JWT, or nil when the token is invalid, expired or its user inactive.
    func principal(accessToken: String) async throws -> Principal? {
        guard let claims = try? await keys.verify(accessToken, as: AccessClaims.self),
              claims.exp.value > clock.now(),
              let id = UUID(uuidString: claims.sub.value),
              let caller = try await caller(id)
        else { return nil }
        return Principal(user: caller.user, viewer: caller.viewer, credential: .session)
    }

    /// An active user with their access facts, from the cache when it has them.
    private func caller(_ userId: UUID) async throws -> FactCache.Caller? {
        if let cached = transactor.facts.caller(userId) { return cached }
        let generation = transactor.facts.generation
        guard let user = try await users.user(id: userId), user.isActive else {
            return nil
        }
        let caller = FactCache.Caller(user: user, viewer: try await viewer(for: user))
        transactor.facts.remember(caller, from: generation)
        return caller
    }

    /// The caller behind a personal access token, or nil.
    func principal(personalToken: String) async throws -> Principal? {
        guard personalToken.hasPrefix(Self.tokenPrefix) else { return nil }
        let hash = Secrets.hash(personalToken)
        if let token = transactor.facts.token(hash) {
            return Principal(user: token.caller.user, viewer: token.caller.viewer, credential: .personalToken(scopes: token.scopes))
        }
        let generation = transactor.facts.generation
        guard let stored = try await sessions.personalToken(hash: hash) else { return nil }
        let user = stored.user, scopes = stored.scopes
        let now = clock.now()
        if stored.lastUsedAt.map({ now.timeIntervalSince($0) > 3600 }) ?? true {
            // Kept coarse (hourly) so that using a token does not cost a write on every request.
            try await transactor.write { sql in
                try await SessionStore(sql: sql).markUsed(accessToken: stored.tokenId, at: now)
                return .unannounced
            }
        }
        let token = FactCache.Token(caller: .init(user: user, viewer: try await viewer(for: user)), scopes: scopes)
        transactor.facts.remember(token, hash: hash, from: generation)
        return Principal(user: user, viewer: token.caller.viewer, credential: .personalToken(scopes: scopes))
    }

    /// Loads group memberships and managed places: the facts every access decision uses.
    func viewer(for user: UserRecord) async throws -> Viewer {
        try await AccessStore(sql: transactor.sql).viewer(for: user)
    }

    // MARK: Personal access tokens

    func createToken(name: String, scopes: [String], for principal: Principal, actor: Actor) async throws -> (AccessTokenRecord, String) {
        var errors: [FieldError] = []
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if !(1...100).contains(trimmed.count) { errors.append(FieldError(field: "name", message: "1-100 characters")) }
        errors += FieldChecks.textProblems(trimmed, field: "name")
        let unknown = Set(scopes).subtracting(Self.tokenScopes)
        if scopes.isEmpty || !unknown.isEmpty {
            errors.append(FieldError(field: "scopes", message: "one or more of: read, write"))
        }
        if case .personalToken(let held) = principal.credential, !Set(scopes).isSubset(of: held) {
            errors.append(FieldError(field: "scopes", message: "a token cannot grant more than it holds"))
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        let secret = Self.tokenPrefix + Secrets.randomToken()
        let record = AccessTokenRecord(
            id: UUID(), userId: principal.user.id, name: trimmed, tokenHash: Secrets.hash(secret),
            scopes: Set(scopes).sorted().joined(separator: " "), createdAt: clock.now()
        )
        try await transactor.write { sql in
            try await SessionStore(sql: sql).insert(record)
            try await AuditLog(sql: sql).record("token.created", target: "access_token", id: record.id, by: actor, at: record.createdAt,
                                                details: ["name": record.name, "scopes": record.scopes])
            return .unannounced
        }
        return (record, secret)
    }

    func tokens(of userId: UUID) async throws -> [AccessTokenRecord] {
        try await sessions.accessTokens(of: userId)
    }

    func revokeToken(id: UUID, of userId: UUID, actor: Actor) async throws {
        let now = clock.now()
        let revoked = try await transactor.write { sql in
            let revoked = try await SessionStore(sql: sql).revoke(accessToken: id, of: userId, at: now)
            if revoked {
                try await AuditLog(sql: sql).record("token.revoked", target: "access_token", id: id, by: actor, at: now)
            }
            // The revoked token may be in the fact cache.
            return .changingAccess(revoked)
        }
        guard revoked else { throw DomainError.notFound("Token") }
    }

    private func issue(for user: UserRecord, refresh: String, now: Date) async throws -> IssuedSession {
        let claims = AccessClaims(
            sub: .init(value: user.id.uuidString), exp: .init(value: now.addingTimeInterval(Self.accessLifetime)),
            iat: .init(value: now)
        )
        return IssuedSession(user: user, accessToken: try await keys.sign(claims), refreshToken: refresh,
                             csrfToken: Secrets.randomToken(bytes: 24))
    }

    static let invalidCredentials = DomainError(.unauthorized, code: "invalid_credentials", detail: "Wrong username or password.")
    static let sessionExpired = DomainError(.unauthorized, code: "session_expired", detail: "Your session has ended; sign in again.")
}
