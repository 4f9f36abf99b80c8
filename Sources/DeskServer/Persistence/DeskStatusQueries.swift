import DeskCore
import Foundation
import SQLKit

/// What desks show on the room plan at one instant, read in one statement.
enum DeskStatusQueries {
    /// The status now of the given desks and of every desk in the given rooms.
    static func current(desks deskIds: [UUID], rooms roomIds: [UUID], now: Date, on sql: any SQLDatabase) async throws -> [DeskStatusEvent] {
        guard !deskIds.isEmpty || !roomIds.isEmpty else { return [] }
        // Placeholder ids keep both IN lists non-empty.
        let desks = deskIds.isEmpty ? [UUID()] : deskIds, rooms = roomIds.isEmpty ? [UUID()] : roomIds
        let rows = try await sql.raw("""
            SELECT d.id, d.room_id, d.location_id, d.is_active, d.permanent_user_id, r.maintenance_reason, r.maintenance_from, r.maintenance_until,
              (SELECT b.user_id FROM bookings b WHERE b.desk_id = d.id AND b.status = 'confirmed'
                 AND b.start_at <= \(bind: now) AND b.end_at > \(bind: now)
                 AND b.start_at > \(bind: now.addingTimeInterval(-BookingRules.longestBooking)) LIMIT 1) AS booked_by,
              (SELECT h.user_id FROM holds h WHERE h.desk_id = d.id AND h.expires_at > \(bind: now)) AS held_by
            FROM desks d JOIN rooms r ON r.id = d.room_id
            WHERE d.id IN (\(binds: desks)) OR d.room_id IN (\(binds: rooms))
            """).all()
        return try rows.map { row in
            let bookedBy = try row.decode(column: "booked_by", as: UUID?.self)
            let heldBy = try row.decode(column: "held_by", as: UUID?.self)
            let permanent = try row.decode(column: "permanent_user_id", as: UUID?.self)
            let maintenance = try MaintenanceColumns(row: row, prefix: "")
            let state = DeskState(deskId: try row.decode(column: "id", as: UUID.self), isActive: try row.decode(column: "is_active", as: Bool.self),
                                  maintenance: maintenance.range, permanentAssigneeId: permanent)
            let status = Availability.status(desk: state, bookedNow: bookedBy != nil, holdActive: heldBy != nil, now: now)
            let occupant: UUID? = switch status {
            case .booked: bookedBy
            case .held: heldBy
            case .permanent: permanent
            case .free, .maintenance, .inactive: nil
            }
            return DeskStatusEvent(deskId: state.deskId, roomId: try row.decode(column: "room_id", as: UUID.self),
                                   locationId: try row.decode(column: "location_id", as: UUID.self), status: status, occupantId: occupant, at: now)
        }
    }
}
