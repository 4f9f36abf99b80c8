import DeskCore
import Foundation
import SQLKit

/// What the clock does to holds: they lapse, and once their cap and cool-down are over their rows go.
extension HoldStore {
    /// A hold that lapsed, with where its desk is.
    struct Lapsed: Sendable {
        let hold: Hold
        let roomId: UUID
        let locationId: UUID
    }

    /// The holds that expired in `(since, now]`.
    func lapsed(after since: Date, upTo now: Date) async throws -> [Lapsed] {
        try await sql.raw("""
            SELECT h.desk_id, h.user_id, h.first_acquired_at, h.expires_at, d.room_id, d.location_id
            FROM holds h JOIN desks d ON d.id = h.desk_id
            WHERE h.expires_at > \(bind: since) AND h.expires_at <= \(bind: now)
            """).all().map { row in
            Lapsed(hold: try row.decode(model: HoldRecord.self, keyDecodingStrategy: .convertFromSnakeCase).hold,
                   roomId: try row.decode(column: "room_id", as: UUID.self), locationId: try row.decode(column: "location_id", as: UUID.self))
        }
    }

    /// Deletes the rows no rule needs any more: a hold row matters until its cap and the cool-down after it are over.
    func deleteSpent(at now: Date) async throws {
        try await sql.raw("""
            DELETE FROM holds WHERE expires_at <= \(bind: now)
              AND first_acquired_at < \(bind: now.addingTimeInterval(-(HoldRules.cap + HoldRules.coolDown)))
            """).run()
    }
}
