import DeskCore
import Foundation
import SQLKit

/// The `users` table: accounts and their credentials.
struct UserStore: Sendable {
    let sql: any SQLDatabase

    func user(id: UUID) async throws -> UserRecord? {
        try await sql.first(UserRecord.self, "SELECT * FROM users WHERE id = \(bind: id)")
    }

    /// Usernames are stored lowercased, so any spelling finds the account.
    func user(named username: String) async throws -> UserRecord? {
        try await sql.first(UserRecord.self, "SELECT * FROM users WHERE username = \(bind: username.lowercased())")
    }

    func exists(id: UUID) async throws -> Bool {
        try await sql.count("SELECT COUNT(*) AS n FROM users WHERE id = \(bind: id)") == 1
    }

    func hasSuperuser() async throws -> Bool {
        try await sql.count("SELECT COUNT(*) AS n FROM users WHERE is_superuser = \(bind: true)") > 0
    }

    /// The oldest superuser account: the one created at first start.
    func firstSuperuser() async throws -> UserRecord? {
        try await sql.first(UserRecord.self, "SELECT * FROM users WHERE is_superuser = \(bind: true) ORDER BY created_at LIMIT 1")
    }

    /// Whether any account exists at all.
    func hasUsers() async throws -> Bool {
        try await sql.count("SELECT COUNT(*) AS n FROM users") > 0
    }

    /// The directory, by username after `cursor`: `text` is matched anywhere in usernames and display names, and in
    /// e-mail addresses only when `matchingEmail` (for those who may see them, so the search cannot reveal them).
    func search(_ text: String?, matchingEmail: Bool, limit: Int, after cursor: String?) async throws -> [UserRecord] {
        let pattern = "%" + (text ?? "").lowercased()
            .replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        return try await sql.all(UserRecord.self, """
            SELECT * FROM users
            WHERE (LOWER(username) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(display_name) LIKE \(bind: pattern) ESCAPE '\\'
                   OR (\(bind: matchingEmail) AND LOWER(email) LIKE \(bind: pattern) ESCAPE '\\'))
              AND username > \(bind: cursor ?? "")
            ORDER BY username LIMIT \(bind: limit)
            """)
    }

    func insert(_ user: UserRecord) async throws {
        try await sql.insert(user, into: "users")
    }

    /// Many accounts in a few statements.
    func insert(_ users: [UserRecord]) async throws {
        try await sql.insertAll(users, into: "users")
    }

    /// Everything an administrator may change; the username and creation time stay.
    func update(_ user: UserRecord) async throws {
        try await sql.raw("""
            UPDATE users SET email = \(bind: user.email), display_name = \(bind: user.displayName),
            password_hash = \(bind: user.passwordHash), is_superuser = \(bind: user.isSuperuser),
            is_active = \(bind: user.isActive) WHERE id = \(bind: user.id)
            """).run()
    }

    func setPasswordHash(_ hash: String, of userId: UUID) async throws {
        try await sql.raw("UPDATE users SET password_hash = \(bind: hash) WHERE id = \(bind: userId)").run()
    }

    /// Makes the account an active superuser with a new password (the `create-admin` command on an existing name).
    func restoreAdmin(_ userId: UUID, passwordHash hash: String) async throws {
        try await sql.raw("""
            UPDATE users SET password_hash = \(bind: hash), is_superuser = \(bind: true), is_active = \(bind: true)
            WHERE id = \(bind: userId)
            """).run()
    }
}
