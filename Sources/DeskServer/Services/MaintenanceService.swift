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
            let wasOn = try await sql.first(RoomRecord.self, "SELECT * FROM rooms WHERE id = \(bind: roomId)")?.maintenanceReason != nil
            try await sql.raw("UPDATE rooms SET maintenance_reason = \(bind: reason) WHERE id = \(bind: roomId)").run()
            let affected = try await Self.affectedBookings(room: room, gate: gate, viewer: viewer, now: now, sql)
            try await Audit.record("room.maintenance_on", target: "room", id: roomId, location: room.locationId, by: actor, at: now,
                                   details: ["reason": reason, "affected_bookings": String(affected.count)], on: sql)
            if !wasOn {
                for view in affected {
                    try await Notifications.record(
                        "room_maintenance", to: view.booking.userId,
                        "\(room.name) is under maintenance (\(reason)); your booking of \(view.deskName) from \(view.booking.startAt.iso8601) is affected.",
                        booking: view.booking.id, at: now, on: sql)
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
            try await sql.raw("UPDATE rooms SET maintenance_reason = NULL WHERE id = \(bind: roomId)").run()
            try await Audit.record("room.maintenance_off", target: "room", id: roomId, location: room.locationId, by: actor, at: now,
                                   on: sql)
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
        let rows = try await sql.raw("""
            SELECT b.*, d.name AS desk_name, u.username AS username, u.display_name AS display_name
            FROM bookings b JOIN desks d ON d.id = b.desk_id JOIN users u ON u.id = b.user_id
            WHERE d.room_id = \(bind: room.id) AND b.status = 'confirmed' AND b.end_at > \(bind: now)
            ORDER BY b.start_at, b.id
            """).all()
        return try rows.map { row in
            let booking = try row.decode(model: BookingRecord.self, keyDecodingStrategy: .convertFromSnakeCase)
            return BookingView(booking: booking, roomId: room.id, locationId: room.locationId,
                               deskName: try row.decode(column: "desk_name", as: String.self),
                               booker: (try row.decode(column: "username", as: String.self), try row.decode(column: "display_name", as: String.self)),
                               readsNote: AccessRules.mayReadNote(ofBookingOwnedBy: booking.userId, in: gate, viewer),
                               isMine: booking.userId == viewer.userId)
        }
    }
}
