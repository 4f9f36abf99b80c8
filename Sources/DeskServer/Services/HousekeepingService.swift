import DeskCore
import Foundation
import SQLKit

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
            try await sql.raw("DELETE FROM refresh_tokens WHERE expires_at < \(bind: now)").run()
            try await sql.raw("""
                DELETE FROM access_tokens WHERE revoked_at IS NOT NULL AND revoked_at < \(bind: now.addingTimeInterval(-Self.revokedTokenRetention))
                """).run()
            // A hold row matters until its cap and the cool-down after it are over.
            try await sql.raw("""
                DELETE FROM holds WHERE expires_at <= \(bind: now)
                  AND first_acquired_at < \(bind: now.addingTimeInterval(-(HoldRules.cap + HoldRules.coolDown)))
                """).run()
            return .unannounced
        }
    }
}
