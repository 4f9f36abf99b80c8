import DeskCore
import Foundation

/// A person's notifications: written by the changes that cause them (`NotificationStore`, in their transaction), read
/// here.
struct NotificationService: Sendable {
    let transactor: Transactor

    /// The viewer's latest notifications, newest first.
    func latest(for viewer: Viewer, limit: Int = 100) async throws -> [NotificationRecord] {
        try await NotificationStore(sql: transactor.sql).latest(for: viewer.userId, limit: limit)
    }
}
