import Foundation
import SQLKit

/// The `notifications` table: messages for a person, written inside the transaction that caused them; the delivery
/// channels (live updates, chat, mail) read them from here.
struct NotificationStore: Sendable {
    let sql: any SQLDatabase

    func record(_ kind: String, to userId: UUID, _ message: String, booking bookingId: UUID? = nil, at now: Date) async throws {
        try await sql.insert(NotificationRecord(id: UUID(), userId: userId, kind: kind, message: message, bookingId: bookingId,
                                                createdAt: now, readAt: nil), into: "notifications")
    }

    /// Many notifications in one statement, for writers that notify many people at once.
    func append(_ notifications: [NotificationRecord]) async throws {
        try await NotificationRecord.rows(notifications).insert(on: sql)
    }

    /// A person's latest notifications, newest first.
    func latest(for userId: UUID, limit: Int) async throws -> [NotificationRecord] {
        try await sql.all(NotificationRecord.self, """
            SELECT * FROM notifications WHERE user_id = \(bind: userId) ORDER BY created_at DESC, id LIMIT \(bind: limit)
            """)
    }
}
