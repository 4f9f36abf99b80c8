import DeskCore
import Foundation

/// A person's inbox and their channel choices. Notifications are written by the changes that cause them
/// (`NotificationStore.append`, in their transaction); the outbox delivers them to the other channels.
struct NotificationService: Sendable {
    /// One page of the inbox, with how many are unread in all.
    struct Page: Sendable {
        let items: [NotificationRecord]
        let nextCursor: Cursor?
        let unreadCount: Int
    }

    /// The channels a person can be offered, and their choices per kind.
    struct Settings: Sendable {
        let emailAvailable: Bool
        let choices: NotificationChoices
    }

    let transactor: Transactor
    let clock: WallClock
    /// Whether the server can send e-mail (SMTP is configured).
    let mailConfigured: Bool

    func page(for viewer: Viewer, unread: Bool?, limit: Int, after cursor: Cursor?) async throws -> Page {
        let store = NotificationStore(sql: transactor.sql)
        let items = try await store.page(of: viewer.userId, unread: unread, limit: limit + 1, after: cursor)
        let shown = Array(items.prefix(limit))
        let next = items.count > limit ? shown.last.map { Cursor(instant: $0.createdAt, id: $0.id) } : nil
        return Page(items: shown, nextCursor: next, unreadCount: try await store.unreadCount(of: viewer.userId))
    }

    /// Marks the viewer's notifications read: those among `ids`, or all; returns how many stay unread.
    func markRead(_ ids: [UUID]?, for viewer: Viewer) async throws -> Int {
        let now = clock.now()
        return try await transactor.write { sql in
            let store = NotificationStore(sql: sql)
            try await store.markRead(of: viewer.userId, ids: ids, at: now)
            return .unannounced(try await store.unreadCount(of: viewer.userId))
        }
    }

    func settings(for viewer: Viewer) async throws -> Settings {
        let choices = try await NotificationStore(sql: transactor.sql).choices(of: [viewer.userId])[viewer.userId]
        return Settings(emailAvailable: try await emailAvailable(to: viewer.userId), choices: choices ?? NotificationChoices())
    }

    /// Applies changes per kind and channel; unknown kinds, switching the inbox off and e-mail where it cannot reach the
    /// person are refused, naming the field.
    func change(_ changes: [(kind: String, channels: [NotificationChannel: Bool])], for viewer: Viewer) async throws -> Settings {
        var current = try await settings(for: viewer)
        var choices = current.choices
        for (index, change) in changes.enumerated() {
            guard let kind = NotificationKind(rawValue: change.kind) else {
                throw DomainError.validation(field: "kinds[\(index)].kind", "unknown kind \(change.kind)")
            }
            for (channel, enabled) in change.channels.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                if channel == .email, enabled, !current.emailAvailable {
                    throw DomainError.validation(field: "kinds[\(index)].channels.email", "e-mail is not available")
                }
                do {
                    try choices.set(kind, channel, to: enabled)
                } catch {
                    throw DomainError.validation(field: "kinds[\(index)].channels.\(channel.rawValue)", "the inbox always receives notifications")
                }
            }
        }
        let final = choices
        try await transactor.write { sql in
            try await NotificationStore(sql: sql).setChoices(final, of: viewer.userId)
            return .unannounced
        }
        current = Settings(emailAvailable: current.emailAvailable, choices: final)
        return current
    }

    /// E-mail reaches a person when the server has SMTP and the person an address.
    private func emailAvailable(to userId: UUID) async throws -> Bool {
        guard mailConfigured else { return false }
        return !(try await UserStore(sql: transactor.sql).user(id: userId)?.email ?? "").isEmpty
    }
}
