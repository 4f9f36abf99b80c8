import DeskCore
import Foundation
import SQLKit

/// Accounts: the directory, administration, registration and the first admin.
struct UserService: Sendable {
    let transactor: Transactor
    let clock: WallClock
    let hasher: PasswordHasher
    let registration: RegistrationMode

    struct NewUser: Sendable {
        var username: String
        var email: String
        var password: String
        var displayName: String
        var isSuperuser: Bool = false
    }

    struct UserPatch: Sendable {
        var email: String?
        var displayName: String?
        var password: String?
        var isSuperuser: Bool?
        var isActive: Bool?
    }

    private var users: UserStore { UserStore(sql: transactor.sql) }

    /// An account as last read; from the fact cache when it has it (never use it for read-modify-write).
    func user(id: UUID) async throws -> UserRecord? {
        if let cached = transactor.facts.caller(id) { return cached.user }
        return try await users.user(id: id)
    }

    /// Superusers create accounts.
    func create(_ input: NewUser, by viewer: Viewer, actor: Actor) async throws -> UserRecord {
        try AccessRules.requireSuperuser(viewer)
        return try await insert(input, actor: actor, action: "user.created")
    }

    /// Self-service sign-up, allowed by `DESKPILOT_REGISTRATION`.
    func register(_ input: NewUser, actor: Actor) async throws -> UserRecord {
        switch registration {
        case .closed:
            throw DomainError(.forbidden, code: "registration_closed", detail: "Registration is disabled; ask an administrator.")
        case .open:
            break
        case .domains(let allowed):
            let domain = input.email.split(separator: "@").last.map { $0.lowercased() } ?? ""
            guard allowed.contains(domain) else {
                throw DomainError.validation(field: "email", "registration is limited to: \(allowed.sorted().joined(separator: ", "))")
            }
        }
        var input = input
        input.isSuperuser = false
        return try await insert(input, actor: actor, action: "user.registered")
    }

    /// Creates the administrator on first run; returns nil when any superuser exists already.
    func ensureAdmin(username: String?, password: String?) async throws -> (user: UserRecord, generatedPassword: String?)? {
        guard try await !users.hasSuperuser() else { return nil }
        let generated = password == nil ? Secrets.randomToken(bytes: 12) : nil
        let user = try await insert(
            NewUser(
                username: username ?? "admin", email: "\(username ?? "admin")@localhost.invalid",
                password: password ?? generated!, displayName: "Administrator", isSuperuser: true
            ),
            actor: Actor(userId: nil, ip: nil), action: "user.admin_bootstrapped"
        )
        return (user, generated)
    }

    /// Creates or resets a superuser (the `create-admin` command).
    func upsertAdmin(username: String, password: String) async throws -> UserRecord {
        let problems = PasswordHasher.problems(with: password)
        guard problems.isEmpty else { throw DomainError.validation(problems) }
        if let existing = try await users.user(named: username) {
            let hash = try await hasher.hash(password)
            try await transactor.write { sql in
                try await UserStore(sql: sql).restoreAdmin(existing.id, passwordHash: hash)
                return .changingAccess
            }
            return try await user(id: existing.id)!
        }
        return try await insert(
            NewUser(username: username, email: "\(username.lowercased())@localhost.invalid", password: password,
                    displayName: "Administrator", isSuperuser: true),
            actor: Actor(userId: nil, ip: nil), action: "user.created"
        )
    }

    func update(id: UUID, _ patch: UserPatch, by viewer: Viewer, actor: Actor) async throws -> UserRecord {
        try AccessRules.requireSuperuser(viewer)
        var errors: [FieldError] = []
        if let email = patch.email { errors += Self.emailProblems(email) }
        if let name = patch.displayName { errors += Self.displayNameProblems(name) }
        if let password = patch.password { errors += PasswordHasher.problems(with: password) }
        if id == viewer.userId, patch.isSuperuser == false || patch.isActive == false {
            errors.append(FieldError(field: "is_superuser", message: "you cannot demote or deactivate yourself"))
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        var newHash: String?
        if let password = patch.password { newHash = try await hasher.hash(password) }
        let replacementHash = newHash
        let now = clock.now()
        return try await mappingConstraintFailure(to: .conflict(code: "already_exists", "That e-mail address is taken.")) {
            try await transactor.write { sql in
                // Read inside the write, never from the cache: a concurrent change must not be overwritten.
                try await transactor.lockRows("users", ids: [id], in: sql)
                let users = UserStore(sql: sql)
                guard var user = try await users.user(id: id) else {
                    throw DomainError.notFound("User")
                }
                if let email = patch.email { user.email = email.lowercased() }
                if let name = patch.displayName { user.displayName = name.trimmingCharacters(in: .whitespaces) }
                if let replacementHash { user.passwordHash = replacementHash }
                if let value = patch.isSuperuser { user.isSuperuser = value }
                if let value = patch.isActive { user.isActive = value }
                try await users.update(user)
                var changed: [String: String] = [:]
                if let value = patch.isSuperuser { changed["is_superuser"] = String(value) }
                if let value = patch.isActive { changed["is_active"] = String(value) }
                if patch.password != nil { changed["password"] = "changed" }
                if patch.email != nil { changed["email"] = "changed" }
                try await AuditLog(sql: sql).record("user.updated", target: "user", id: id, by: actor, at: now, details: changed)
                if patch.isActive == false || patch.password != nil {
                    // A deactivated account or a reset password ends every session of that user.
                    try await SessionStore(sql: sql).revokeRefreshTokens(of: id, at: now)
                }
                return .changingAccess(user)
            }
        }
    }

    /// The directory: any signed-in user may search it. E-mail addresses are matched only for those who may see them
    /// (the HTTP layer hides them from the others), so the search cannot reveal them either.
    func search(_ query: String?, by viewer: Viewer, limit: Int, after cursor: String?) async throws -> [UserRecord] {
        try await users.search(query, matchingEmail: AccessRules.maySearchByEmail(viewer), limit: limit, after: cursor)
    }

    private func insert(_ input: NewUser, actor: Actor, action: String) async throws -> UserRecord {
        let username = input.username.trimmingCharacters(in: .whitespaces).lowercased()
        let errors = Self.usernameProblems(username) + Self.emailProblems(input.email)
            + Self.displayNameProblems(input.displayName) + PasswordHasher.problems(with: input.password)
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        let record = UserRecord(
            id: UUID(), username: username, email: input.email.lowercased(),
            displayName: input.displayName.trimmingCharacters(in: .whitespaces),
            passwordHash: try await hasher.hash(input.password), isSuperuser: input.isSuperuser, isActive: true,
            createdAt: clock.now()
        )
        try await mappingConstraintFailure(to: .conflict(code: "already_exists", "That username or e-mail address is taken.")) {
            try await transactor.write { sql in
                try await UserStore(sql: sql).insert(record)
                try await AuditLog(sql: sql).record(
                    action, target: "user", id: record.id, by: actor, at: record.createdAt,
                    details: ["username": record.username, "is_superuser": String(record.isSuperuser)]
                )
                return .changingAccess
            }
        }
        return record
    }

    static func usernameProblems(_ username: String) -> [FieldError] {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (3...64).contains(username.count), username.allSatisfy(allowed.contains) else {
            return [FieldError(field: "username", message: "3-64 characters: letters, digits, '.', '_' or '-'")]
        }
        return []
    }

    static func emailProblems(_ email: String) -> [FieldError] {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !email.contains(where: { $0.isWhitespace }), !FieldChecks.hasControlCharacters(email, multiline: false)
        else { return [FieldError(field: "email", message: "must be an e-mail address")] }
        return []
    }

    static func displayNameProblems(_ name: String) -> [FieldError] {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(trimmed.count) else {
            return [FieldError(field: "display_name", message: "1-100 characters")]
        }
        return FieldChecks.textProblems(trimmed, field: "display_name")
    }
}
