import DeskCore
import Foundation
import SQLKit

/// The booking-dialog locks on desks: one row per desk, kept after expiry until its cap and cool-down are over.
struct HoldStore {
    let sql: any SQLDatabase

    /// The desk's hold row, expired or not (the cap counts from its first acquisition).
    func hold(on deskId: UUID) async throws -> Hold? {
        try await sql.first(HoldRecord.self, "SELECT * FROM holds WHERE desk_id = \(bind: deskId)")?.hold
    }

    /// The holds of these desks that have not expired at `now`.
    func active(on deskIds: [UUID], at now: Date) async throws -> [Hold] {
        guard !deskIds.isEmpty else { return [] }
        return try await sql.all(HoldRecord.self, """
            SELECT * FROM holds WHERE desk_id IN (\(binds: deskIds)) AND expires_at > \(bind: now)
            """).map(\.hold)
    }

    /// Writes the desk's hold, replacing whatever the desk had.
    func store(_ hold: Hold) async throws {
        try await sql.raw("""
            INSERT INTO holds (desk_id, user_id, first_acquired_at, expires_at)
            VALUES (\(bind: hold.deskId), \(bind: hold.userId), \(bind: hold.firstAcquiredAt), \(bind: hold.expiresAt))
            ON CONFLICT (desk_id) DO UPDATE SET user_id = excluded.user_id, first_acquired_at = excluded.first_acquired_at,
                expires_at = excluded.expires_at
            """).run()
    }

    /// Drops a person's hold on a desk (their booking consumed it).
    func remove(desk deskId: UUID, user userId: UUID) async throws {
        try await sql.raw("DELETE FROM holds WHERE desk_id = \(bind: deskId) AND user_id = \(bind: userId)").run()
    }
}
