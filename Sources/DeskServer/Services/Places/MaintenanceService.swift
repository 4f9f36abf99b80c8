import DeskCore
import Foundation
import SQLKit

/// Rooms under maintenance: new bookings are refused by the booking rules; the bookings it affects are listed to
/// the manager and their owners notified.
struct MaintenanceService: Sendable {
    let transactor: Transactor
    let clock: WallClock
    let placeService: PlaceService

    static let maximumReasonLength = 500

    struct Outcome: Sendable {
        let room: RoomRecord
        /// Confirmed bookings in the room that have not ended, by start.
        let affected: [BookingView]
    }

    /// Puts a room under maintenance, or changes the reason; owners are notified when maintenance begins.
    func start(room roomId: UUID, reason: String, by viewer: Viewer, actor: Actor) async throws -> Outcome {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= Self.maximumReasonLength else {
            throw DomainError.validation(field: "reason", "between 1 and \(Self.maximumReasonLength) characters")
        }
        try FieldChecks.checkText(reason, field: "reason", multiline: true)
        let (room, gate) = try await placeService.visibleRoom(roomId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        let now = clock.now()
        let affected = try await transactor.write { sql in
            try await transactor.lockRows("rooms", ids: [roomId], in: sql)
            let places = PlaceStore(sql: sql)
            let wasOn = try await places.room(roomId)?.maintenanceReason != nil
            try await places.setMaintenance(reason, ofRoom: roomId)
            let affected = try await Self.affectedBookings(room: room, gate: gate, viewer: viewer, now: now, sql)
            try await AuditLog(sql: sql).record("room.maintenance_on", target: "room", id: roomId, location: room.locationId, by: actor,
                                                at: now, details: ["reason": reason, "affected_bookings": String(affected.count)])
            if !wasOn {
                let notifications = NotificationStore(sql: sql)
                for view in affected {
                    try await notifications.record(
                        "room_maintenance", to: view.booking.userId,
                        "\(room.name) is under maintenance (\(reason)); your booking of \(view.deskName) from \(view.booking.startAt.iso8601) is affected.",
                        booking: view.booking.id, at: now)
                }
            }
            return Written(affected, events: [.accessChanged, .maintenance(MaintenanceEvent(roomId: roomId, locationId: room.locationId, reason: reason))])
        }
        var updated = room
        updated.maintenanceReason = reason
        return Outcome(room: updated, affected: affected)
    }

    /// Ends maintenance; bookings are possible again.
    func end(room roomId: UUID, by viewer: Viewer, actor: Actor) async throws -> RoomRecord {
        let (room, gate) = try await placeService.visibleRoom(roomId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        let now = clock.now()
        try await transactor.write { sql in
            try await PlaceStore(sql: sql).setMaintenance(nil, ofRoom: roomId)
            try await AuditLog(sql: sql).record("room.maintenance_off", target: "room", id: roomId, location: room.locationId, by: actor,
                                                at: now)
            return Written(events: [.accessChanged, .maintenance(MaintenanceEvent(roomId: roomId, locationId: room.locationId, reason: nil))])
        }
        var updated = room
        updated.maintenanceReason = nil
        return updated
    }

    /// The room's confirmed bookings that have not ended, with who booked them (the caller manages the room).
    private static func affectedBookings(
        room: RoomRecord, gate: RoomGate, viewer: Viewer, now: Date, _ sql: any SQLDatabase
    ) async throws -> [BookingView] {
        let rows = try await BookingStore(sql: sql).list(.rooms([room.id]), from: now, to: nil, status: .confirmed, limit: Int.max, after: nil)
        return rows.map { row in
            let booking = row.booking
            return BookingView(booking: booking, roomId: room.id, locationId: room.locationId, deskName: row.deskName,
                               booker: (row.username, row.displayName),
                               readsNote: AccessRules.mayReadNote(ofBookingOwnedBy: booking.userId, in: gate, viewer),
                               isMine: booking.userId == viewer.userId)
        }
    }
}
