import DeskCore
import Foundation
import SQLKit

/// The `notifications` table (each person's inbox) and their channel choices. A notification is written inside the
/// transaction that caused it; the events `append` returns make the outbox add its deliveries in that same transaction
/// (`Outbox`) and put it live on its owner's `me` topic.
struct NotificationStore: Sendable {
    let sql: any SQLDatabase

    /// Stores notifications in one statement; the caller returns the events with its write.
    func append(_ notifications: [NotificationRecord]) async throws -> [DomainEvent] {
        try await NotificationRecord.rows(notifications).insert(on: sql)
        return notifications.map(DomainEvent.notification)
    }

    /// A page of a person's notifications, newest first; `unread` filters by state.
    func page(of userId: UUID, unread: Bool?, limit: Int, after cursor: Cursor?) async throws -> [NotificationRecord] {
        var query = SQLQueryString("SELECT * FROM notifications WHERE user_id = \(bind: userId)")
        if let unread { query = query + (unread ? " AND read_at IS NULL" : " AND read_at IS NOT NULL") }
        if let cursor {
            query = query + " AND " + Keyset.olderThan(cursor.instant, id: cursor.id, column: "created_at")
        }
        return try await sql.all(NotificationRecord.self, query + " ORDER BY created_at DESC, id LIMIT \(bind: limit)")
    }

    func unreadCount(of userId: UUID) async throws -> Int {
        try await sql.count("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userId) AND read_at IS NULL")
    }

    /// Marks the person's own notifications among `ids` (all when nil) read; others' ids are ignored.
    func markRead(of userId: UUID, ids: [UUID]?, at now: Date) async throws {
        var query = SQLQueryString("UPDATE notifications SET read_at = \(bind: now) WHERE user_id = \(bind: userId) AND read_at IS NULL")
        if let ids {
            guard !ids.isEmpty else { return }
            query = query + " AND id IN (\(binds: ids))"
        }
        try await sql.raw(query).run()
    }

    /// Each person's channel choices that differ from the defaults.
    func choices(of userIds: [UUID]) async throws -> [UUID: NotificationChoices] {
        guard !userIds.isEmpty else { return [:] }
        struct Row: Decodable { let userId: UUID; let kind: String; let channel: String; let enabled: Bool }
        var result: [UUID: NotificationChoices] = [:]
        for chunk in stride(from: 0, to: userIds.count, by: 10_000).map({ Array(userIds[$0..<min($0 + 10_000, userIds.count)]) }) {
            for row in try await sql.all(Row.self, "SELECT * FROM notification_settings WHERE user_id IN (\(binds: chunk))") {
                guard let kind = NotificationKind(rawValue: row.kind), let channel = NotificationChannel(rawValue: row.channel) else { continue }
                try? result[row.userId, default: NotificationChoices()].set(kind, channel, to: row.enabled)
            }
        }
        return result
    }

    /// Stores a person's choices (only those that differ from the defaults are kept).
    func setChoices(_ choices: NotificationChoices, of userId: UUID) async throws {
        try await sql.raw("DELETE FROM notification_settings WHERE user_id = \(bind: userId)").run()
        for (kind, channels) in choices.overrides {
            for (channel, enabled) in channels where enabled != kind.sentByDefault {
                try await sql.raw("""
                    INSERT INTO notification_settings (user_id, kind, channel, enabled)
                    VALUES (\(bind: userId), \(bind: kind.rawValue), \(bind: channel.rawValue), \(bind: enabled))
                    """).run()
            }
        }
    }

    /// Drops notifications older than `cutoff` (the retention), with their deliveries.
    func purge(before cutoff: Date) async throws {
        try await sql.raw("DELETE FROM notifications WHERE created_at < \(bind: cutoff)").run()
    }
}

extension NotificationStore {
    func notification(_ id: UUID) async throws -> NotificationRecord? {
        try await sql.first(NotificationRecord.self, "SELECT * FROM notifications WHERE id = \(bind: id)")
    }
}
