import DeskCore
import Foundation
import SQLKit

/// Messages for a person, stored inside the transaction that caused them; delivery channels (live updates, chat,
/// mail) read them from here.
enum Notifications {
    static func record(
        _ kind: String, to userId: UUID, _ message: String, booking bookingId: UUID? = nil, at now: Date, on sql: any SQLDatabase
    ) async throws {
        try await sql.insert(NotificationRecord(id: UUID(), userId: userId, kind: kind, message: message, bookingId: bookingId,
                                                createdAt: now, readAt: nil), into: "notifications")
    }

    /// A person's latest notifications, newest first.
    static func latest(for userId: UUID, limit: Int, on sql: any SQLDatabase) async throws -> [NotificationRecord] {
        try await sql.all(NotificationRecord.self, """
            SELECT * FROM notifications WHERE user_id = \(bind: userId) ORDER BY created_at DESC, id LIMIT \(bind: limit)
            """)
    }
}
