import DeskCore
import Foundation
import SQLKit

/// Reads of bookings for calendars, statistics, notices and the timeline; the write path's reads are in `BookingStore`.
extension BookingStore {
    /// A person's bookings that end after `since`, by start: their calendar feed.
    func placedBookings(of userId: UUID, endingAfter since: Date, limit: Int) async throws -> [PlacedBooking] {
        try await placed("b.user_id = \(bind: userId) AND b.end_at > \(bind: since) ORDER BY b.start_at LIMIT \(bind: limit)")
    }

    func placedBooking(_ id: UUID) async throws -> PlacedBooking? {
        try await placed("b.id = \(bind: id)").first
    }

    /// A person's confirmed bookings that end after `since`.
    func confirmedPlacedBookings(of userId: UUID, endingAfter since: Date) async throws -> [PlacedBooking] {
        try await placed("b.user_id = \(bind: userId) AND b.status = 'confirmed' AND b.end_at > \(bind: since)")
    }

    private func placed(_ condition: SQLQueryString) async throws -> [PlacedBooking] {
        let query: SQLQueryString = """
            SELECT b.*, d.name AS desk_name, d.room_id AS room_id, d.location_id AS location_id, r.name AS room_name,
                   l.name AS location_name, l.timezone AS location_timezone
            FROM bookings b JOIN desks d ON d.id = b.desk_id JOIN rooms r ON r.id = d.room_id JOIN locations l ON l.id = d.location_id
            WHERE
            """
        return try await sql.raw(query + " " + condition).all().map { row in
            PlacedBooking(
                booking: try row.decode(model: BookingRecord.self, keyDecodingStrategy: .convertFromSnakeCase),
                roomId: try row.decode(column: "room_id", as: UUID.self),
                locationId: try row.decode(column: "location_id", as: UUID.self),
                deskName: try row.decode(column: "desk_name", as: String.self),
                roomName: try row.decode(column: "room_name", as: String.self),
                locationName: try row.decode(column: "location_name", as: String.self),
                locationTimeZone: TimeZone(identifier: try row.decode(column: "location_timezone", as: String.self))
                    ?? TimeZone(identifier: "UTC")!
            )
        }
    }

    /// Confirmed bookings of the desk that have not ended, of everyone but `userId`: those a new permanent assignee
    /// affects.
    func unfinishedBookings(onDesk deskId: UUID, notOwnedBy userId: UUID, now: Date) async throws -> [BookingRecord] {
        try await sql.all(BookingRecord.self, """
            SELECT * FROM bookings WHERE desk_id = \(bind: deskId) AND status = 'confirmed' AND end_at > \(bind: now)
              AND user_id <> \(bind: userId)
            """)
    }

    /// The desks where a confirmed booking started or ended in `(since, now]`: their status changed by the clock.
    func desksWithTransitions(after since: Date, upTo now: Date) async throws -> [UUID] {
        try await sql.raw("""
            SELECT DISTINCT desk_id FROM bookings WHERE status = 'confirmed'
              AND ((start_at > \(bind: since) AND start_at <= \(bind: now)) OR (end_at > \(bind: since) AND end_at <= \(bind: now)))
            """).all().map { try $0.decode(column: "desk_id", as: UUID.self) }
    }
}
