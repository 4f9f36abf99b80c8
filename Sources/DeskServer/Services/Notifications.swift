import DeskCore
import Foundation
import SQLKit

/// Messages for a person, stored inside the transaction that caused them (`NotificationStore`); delivery channels
/// (live updates, chat, mail) read them from there.
enum Notifications {
    /// The same as `NotificationStore(sql: sql).record(…)`.
    static func record(
        _ kind: String, to userId: UUID, _ message: String, booking bookingId: UUID? = nil, at now: Date, on sql: any SQLDatabase
    ) async throws {
        try await NotificationStore(sql: sql).record(kind, to: userId, message, booking: bookingId, at: now)
    }

    /// A person's latest notifications, newest first.
    static func latest(for userId: UUID, limit: Int, on sql: any SQLDatabase) async throws -> [NotificationRecord] {
        try await NotificationStore(sql: sql).latest(for: userId, limit: limit)
    }
}
