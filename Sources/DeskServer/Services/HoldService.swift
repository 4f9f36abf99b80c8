import DeskCore
import Foundation
import SQLKit

/// Desk locks while a booking dialog is open. Stored in the database so every instance sees them; acquisition runs
/// in a write transaction that locks the desk, so of two people at once exactly one gets it.
struct HoldService: Sendable {
    let transactor: Transactor
    let clock: WallClock
    let placeService: PlaceService

    /// Takes or refreshes the viewer's hold on a desk they could book.
    func acquire(desk deskId: UUID, by viewer: Viewer, actor: Actor) async throws -> Hold {
        let context = try await placeService.visibleDeskContext(deskId, viewer)
        try BookingRules.checkDesk(context.state, for: viewer.userId)
        let now = clock.now()
        let acquisition = try await transactor.write { sql in
            try await transactor.lockRows("desks", ids: [deskId], in: sql)
            let existing = try await Self.hold(on: deskId, sql)
            let acquisition = try HoldRules.acquire(desk: deskId, by: viewer.userId, existing: existing, now: now)
            try await Self.store(acquisition.hold, sql)
            if case .acquired(_, let previous?) = acquisition {
                try await Audit.record("hold.taken_over", target: "desk", id: deskId, location: context.location.id, by: actor, at: now,
                                       details: ["previous_user_id": previous.uuidString], on: sql)
            }
            let change: HoldEvent.Change = if case .refreshed = acquisition { .refreshed } else { .acquired }
            return Written(acquisition, events: [.hold(HoldEvent(change, acquisition.hold, roomId: context.room.id, locationId: context.location.id))])
        }
        return acquisition.hold
    }

    /// Lets go of the viewer's hold; nothing happens when they hold nothing (a beacon may arrive after expiry).
    func release(desk deskId: UUID, by viewer: Viewer) async throws {
        let context = try await placeService.visibleDeskContext(deskId, viewer)
        let now = clock.now()
        try await transactor.write { sql in
            try await transactor.lockRows("desks", ids: [deskId], in: sql)
            guard let released = HoldRules.release(existing: try await Self.hold(on: deskId, sql), by: viewer.userId, now: now) else {
                return .unannounced
            }
            try await Self.store(released, sql)
            return Written(events: [.hold(HoldEvent(.released, released, roomId: context.room.id, locationId: context.location.id))])
        }
    }

    /// The active holds of some desks.
    func activeHolds(desks deskIds: [UUID], now: Date) async throws -> [UUID: Hold] {
        guard !deskIds.isEmpty else { return [:] }
        let records = try await transactor.sql.all(HoldRecord.self, """
            SELECT * FROM holds WHERE desk_id IN (\(binds: deskIds)) AND expires_at > \(bind: now)
            """)
        return Dictionary(records.map { ($0.deskId, $0.hold) }, uniquingKeysWith: { first, _ in first })
    }

    private static func hold(on deskId: UUID, _ sql: any SQLDatabase) async throws -> Hold? {
        try await sql.first(HoldRecord.self, "SELECT * FROM holds WHERE desk_id = \(bind: deskId)")?.hold
    }

    private static func store(_ hold: Hold, _ sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO holds (desk_id, user_id, first_acquired_at, expires_at)
            VALUES (\(bind: hold.deskId), \(bind: hold.userId), \(bind: hold.firstAcquiredAt), \(bind: hold.expiresAt))
            ON CONFLICT (desk_id) DO UPDATE SET user_id = excluded.user_id, first_acquired_at = excluded.first_acquired_at,
                expires_at = excluded.expires_at
            """).run()
    }
}
