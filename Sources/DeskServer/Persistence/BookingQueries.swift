import DeskCore
import Foundation
import SQLKit

/// The reads a booking write decides on; run inside the write transaction.
enum BookingQueries {
    /// A confirmed booking reduced to what the invariants look at.
    struct Occupancy: Sendable {
        let deskId: UUID
        let userId: UUID
        let range: TimeRange
    }

    static func deskStates(_ deskIds: [UUID], on sql: any SQLDatabase) async throws -> [UUID: DeskState] {
        guard !deskIds.isEmpty else { return [:] }
        let rows = try await sql.raw("""
            SELECT d.id AS id, d.is_active AS is_active, d.permanent_user_id AS permanent_user_id,
                   r.maintenance_reason AS maintenance_reason
            FROM desks d JOIN rooms r ON r.id = d.room_id WHERE d.id IN (\(binds: deskIds))
            """).all()
        var states: [UUID: DeskState] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            states[id] = DeskState(
                deskId: id,
                isActive: try row.decode(column: "is_active", as: Bool.self),
                underMaintenance: try row.decode(column: "maintenance_reason", as: String?.self) != nil,
                permanentAssigneeId: try row.decode(column: "permanent_user_id", as: UUID?.self)
            )
        }
        return states
    }

    /// Confirmed bookings of these desks or these people that overlap `span`.
    static func confirmed(
        desks deskIds: [UUID], users userIds: [UUID], overlapping span: TimeRange, excluding bookingId: UUID?, on sql: any SQLDatabase
    ) async throws -> [Occupancy] {
        // The lower bound on start_at keeps the index range scan short: nothing lasts longer than a day.
        let earliestStart = span.start.addingTimeInterval(-BookingRules.longestBooking)
        let rows = try await sql.raw("""
            SELECT desk_id, user_id, start_at, end_at FROM bookings
            WHERE status = 'confirmed' AND id <> \(bind: bookingId ?? UUID())
              AND start_at < \(bind: span.end) AND end_at > \(bind: span.start) AND start_at > \(bind: earliestStart)
              AND (desk_id IN (\(binds: deskIds)) OR user_id IN (\(binds: userIds)))
            """).all()
        return try rows.map { row in
            Occupancy(
                deskId: try row.decode(column: "desk_id", as: UUID.self),
                userId: try row.decode(column: "user_id", as: UUID.self),
                range: TimeRange(uncheckedStart: try row.decode(column: "start_at", as: Date.self),
                                 end: try row.decode(column: "end_at", as: Date.self))
            )
        }
    }

    /// How many confirmed bookings each person has that have not ended (answered from an index alone).
    static func upcomingCounts(users userIds: [UUID], now: Date, on sql: any SQLDatabase) async throws -> [UUID: Int] {
        let rows = try await sql.raw("""
            SELECT user_id, COUNT(*) AS n FROM bookings
            WHERE user_id IN (\(binds: userIds)) AND status = 'confirmed' AND end_at > \(bind: now)
            GROUP BY user_id
            """).all()
        var counts: [UUID: Int] = [:]
        for row in rows { counts[try row.decode(column: "user_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self) }
        return counts
    }

    /// The neighbours of one confirmed, unfinished booking being changed.
    static func neighbours(of booking: BookingRecord, moving range: TimeRange, now: Date, on sql: any SQLDatabase) async throws -> BookingNeighbours {
        let found = try await confirmed(desks: [booking.deskId], users: [booking.userId], overlapping: range, excluding: booking.id, on: sql)
        let upcoming = try await upcomingCounts(users: [booking.userId], now: now, on: sql)
        return BookingNeighbours(
            deskBookings: found.filter { $0.deskId == booking.deskId }.map(\.range),
            ownerBookings: found.filter { $0.userId == booking.userId }.map(\.range),
            // The booking itself is confirmed and not over, so it is among them.
            ownerUpcomingCount: max(0, upcoming[booking.userId, default: 0] - 1)
        )
    }
}
