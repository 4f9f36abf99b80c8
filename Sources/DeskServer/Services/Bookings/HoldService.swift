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
        let now = clock.now()
        try BookingRules.checkHoldable(context.state, for: viewer.userId, now: now)
        let acquisition = try await transactor.write { sql in
            try await transactor.lockRows("desks", ids: [deskId], in: sql)
            let existing = try await HoldStore(sql: sql).hold(on: deskId)
            let acquisition = try HoldRules.acquire(desk: deskId, by: viewer.userId, existing: existing, now: now)
            try await HoldStore(sql: sql).store(acquisition.hold)
            if case .acquired(_, let previous?) = acquisition {
                try await AuditLog(sql: sql).record("hold.taken_over", target: "desk", id: deskId, location: context.location.id, by: actor, at: now,
                                       details: ["previous_user_id": previous.uuidString])
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
            guard let released = HoldRules.release(existing: try await HoldStore(sql: sql).hold(on: deskId), by: viewer.userId, now: now) else {
                return .unannounced
            }
            try await HoldStore(sql: sql).store(released)
            return Written(events: [.hold(HoldEvent(.released, released, roomId: context.room.id, locationId: context.location.id))])
        }
    }

    /// The active holds of some desks.
    func activeHolds(desks deskIds: [UUID], now: Date) async throws -> [UUID: Hold] {
        let holds = try await HoldStore(sql: transactor.sql).active(on: deskIds, at: now)
        return Dictionary(holds.map { ($0.deskId, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
