import DeskCore
import Foundation

/// Deletes what no rule needs any more: expired refresh tokens, long-revoked personal tokens, and hold rows past
/// their cap and cool-down.
struct HousekeepingService: Sendable {
    let transactor: Transactor
    let clock: WallClock

    /// Revoked personal access tokens stay this long (their list entry is gone at once; the audit log keeps the rest).
    static let revokedTokenRetention: TimeInterval = 30 * 86_400

    func purge() async throws {
        let now = clock.now()
        try await transactor.write { sql in
            let sessions = SessionStore(sql: sql)
            try await sessions.deleteRefreshTokens(expiredBefore: now)
            try await sessions.deleteAccessTokens(revokedBefore: now.addingTimeInterval(-Self.revokedTokenRetention))
            try await HoldStore(sql: sql).deleteSpent(at: now)
            return .unannounced
        }
    }
}
