import DeskCore
import Foundation

/// Deletes what no rule needs any more: expired refresh tokens, long-revoked personal tokens, hold rows past their
/// cap and cool-down, and notifications and finished deliveries past their retention.
struct HousekeepingService: Sendable {
    let transactor: Transactor
    let clock: WallClock
    /// How long notifications stay in the inbox (`DESKPILOT_NOTIFICATION_RETENTION_DAYS`).
    var notificationRetention: TimeInterval = 90 * 86_400
    /// Delivered and failed deliveries stay this long for their logs.
    static let deliveryRetention: TimeInterval = 30 * 86_400

    /// Revoked personal access tokens stay this long (their list entry is gone at once; the audit log keeps the rest).
    static let revokedTokenRetention: TimeInterval = 30 * 86_400

    func purge() async throws {
        let now = clock.now()
        try await transactor.write { sql in
            let sessions = SessionStore(sql: sql)
            try await sessions.deleteRefreshTokens(expiredBefore: now)
            try await sessions.deleteAccessTokens(revokedBefore: now.addingTimeInterval(-Self.revokedTokenRetention))
            try await HoldStore(sql: sql).deleteSpent(at: now)
            try await DeliveryStore(sql: sql).purge(finishedBefore: now.addingTimeInterval(-Self.deliveryRetention))
            try await NotificationStore(sql: sql).purge(before: now.addingTimeInterval(-notificationRetention))
            return .unannounced
        }
    }
}
