import Foundation
import SQLKit

/// The `refresh_tokens` and `access_tokens` tables: browser sessions and personal access tokens, stored as hashes.
struct SessionStore: Sendable {
    let sql: any SQLDatabase

    // MARK: Refresh tokens

    func insert(_ token: RefreshTokenRecord) async throws {
        try await sql.insert(token, into: "refresh_tokens")
    }

    func refreshToken(hash: String) async throws -> RefreshTokenRecord? {
        try await sql.first(RefreshTokenRecord.self, "SELECT * FROM refresh_tokens WHERE token_hash = \(bind: hash)")
    }

    /// Marks the token used, once: false when it was used, revoked or expired already (another request won).
    func claim(refreshToken id: UUID, at now: Date) async throws -> Bool {
        try await sql.raw("""
            UPDATE refresh_tokens SET used_at = \(bind: now)
            WHERE id = \(bind: id) AND used_at IS NULL AND revoked_at IS NULL AND expires_at > \(bind: now)
            RETURNING id
            """).first() != nil
    }

    /// Ends every session descended from one sign-in.
    func revokeFamily(_ familyId: UUID, at now: Date) async throws {
        try await sql.raw("UPDATE refresh_tokens SET revoked_at = \(bind: now) WHERE family_id = \(bind: familyId) AND revoked_at IS NULL").run()
    }

    /// Ends every session of a person.
    func revokeRefreshTokens(of userId: UUID, at now: Date) async throws {
        try await sql.raw("UPDATE refresh_tokens SET revoked_at = \(bind: now) WHERE user_id = \(bind: userId) AND revoked_at IS NULL").run()
    }

    func deleteRefreshTokens(expiredBefore now: Date) async throws {
        try await sql.raw("DELETE FROM refresh_tokens WHERE expires_at < \(bind: now)").run()
    }

    // MARK: Personal access tokens

    /// An unrevoked token of an active user, with that user.
    struct PersonalToken: Sendable {
        let user: UserRecord
        let tokenId: UUID
        let scopes: Set<String>
        let lastUsedAt: Date?
    }

    func insert(_ token: AccessTokenRecord) async throws {
        try await sql.insert(token, into: "access_tokens")
    }

    func personalToken(hash: String) async throws -> PersonalToken? {
        guard let row = try await sql.raw("""
                SELECT u.*, t.id AS token_id, t.scopes AS token_scopes, t.last_used_at AS token_last_used_at
                FROM access_tokens t JOIN users u ON u.id = t.user_id
                WHERE t.token_hash = \(bind: hash) AND t.revoked_at IS NULL AND u.is_active = \(bind: true)
                """).first()
        else { return nil }
        return PersonalToken(
            user: try row.decode(model: UserRecord.self, keyDecodingStrategy: .convertFromSnakeCase),
            tokenId: try row.decode(column: "token_id", as: UUID.self),
            scopes: Set(try row.decode(column: "token_scopes", as: String.self).split(separator: " ").map(String.init)),
            lastUsedAt: try row.decode(column: "token_last_used_at", as: Date?.self)
        )
    }

    func markUsed(accessToken id: UUID, at now: Date) async throws {
        try await sql.raw("UPDATE access_tokens SET last_used_at = \(bind: now) WHERE id = \(bind: id)").run()
    }

    /// A person's unrevoked tokens, oldest first.
    func accessTokens(of userId: UUID) async throws -> [AccessTokenRecord] {
        try await sql.all(AccessTokenRecord.self, """
            SELECT * FROM access_tokens WHERE user_id = \(bind: userId) AND revoked_at IS NULL ORDER BY created_at
            """)
    }

    /// Revokes one of a person's tokens; false when they have no such unrevoked token.
    func revoke(accessToken id: UUID, of userId: UUID, at now: Date) async throws -> Bool {
        try await sql.raw("""
            UPDATE access_tokens SET revoked_at = \(bind: now)
            WHERE id = \(bind: id) AND user_id = \(bind: userId) AND revoked_at IS NULL RETURNING id
            """).first() != nil
    }

    func deleteAccessTokens(revokedBefore date: Date) async throws {
        try await sql.raw("""
            DELETE FROM access_tokens WHERE revoked_at IS NOT NULL AND revoked_at < \(bind: date)
            """).run()
    }
}
