import DeskCore
import Foundation
import SQLKit

/// iCalendar feeds: one secret, rotatable URL per person, and one `.ics` per booking.
struct CalendarService: Sendable {
    let transactor: Transactor
    let clock: WallClock
    let bookings: BookingService
    let baseURL: URL

    /// How far back a feed reaches; older bookings no longer matter to a calendar.
    static let history: TimeInterval = 30 * 86_400
    static let maximumEvents = 1_000

    /// Issues a new secret feed URL; the previous one stops working.
    func rotateFeed(for viewer: Viewer, actor: Actor) async throws -> URL {
        let token = Secrets.randomToken()
        let now = clock.now()
        try await transactor.write { sql in
            try await sql.raw("DELETE FROM calendar_feeds WHERE user_id = \(bind: viewer.userId)").run()
            try await sql.raw("""
                INSERT INTO calendar_feeds (user_id, token_hash, created_at)
                VALUES (\(bind: viewer.userId), \(bind: Secrets.hash(token)), \(bind: now))
                """).run()
            try await Audit.record("calendar_feed.rotated", target: "user", id: viewer.userId, by: actor, at: now, on: sql)
            return .unannounced
        }
        return baseURL.appendingPathComponent("calendar").appendingPathComponent("\(token).ics")
    }

    /// The feed behind a secret token, or nil when the token is unknown or its owner is deactivated.
    func feed(token: String) async throws -> String? {
        let sql = transactor.sql
        guard let owner = try await sql.first(UserRecord.self, """
            SELECT u.* FROM calendar_feeds f JOIN users u ON u.id = f.user_id
            WHERE f.token_hash = \(bind: Secrets.hash(token)) AND u.is_active = \(bind: true)
            """) else { return nil }
        let since = clock.now().addingTimeInterval(-Self.history)
        let condition: SQLQueryString = """
            b.user_id = \(bind: owner.id) AND b.end_at > \(bind: since) ORDER BY b.start_at LIMIT \(bind: Self.maximumEvents)
            """
        // A feed reads as its owner, without any manager rights: it lists their own bookings only.
        let events = try await events(condition, reader: Viewer(userId: owner.id, isSuperuser: false))
        return ICalendar.document(name: "DeskPilot – \(owner.displayName)", events: events)
    }

    /// One booking the viewer may see, as a calendar file.
    func booking(_ id: UUID, _ viewer: Viewer) async throws -> String {
        _ = try await bookings.get(id, viewer)  // 404 unless the viewer may see the booking
        let events = try await events("b.id = \(bind: id)" as SQLQueryString, reader: viewer)
        return ICalendar.document(name: "DeskPilot", events: events)
    }

    /// The bookings matching `condition` as events; a note is the description only for a reader who may read it.
    private func events(_ condition: SQLQueryString, reader: Viewer) async throws -> [CalendarEvent] {
        let query: SQLQueryString = """
            SELECT b.*, d.name AS desk_name, d.room_id AS room_id, r.name AS room_name, l.name AS location_name
            FROM bookings b JOIN desks d ON d.id = b.desk_id JOIN rooms r ON r.id = d.room_id JOIN locations l ON l.id = d.location_id
            WHERE
            """
        var gates: [UUID: RoomGate] = [:]
        var events: [CalendarEvent] = []
        for row in try await transactor.sql.raw(query + " " + condition).all() {
            let booking = try row.decode(model: BookingRecord.self, keyDecodingStrategy: .convertFromSnakeCase)
            let desk = try row.decode(column: "desk_name", as: String.self)
            let room = try row.decode(column: "room_name", as: String.self)
            let location = try row.decode(column: "location_name", as: String.self)
            let roomId = try row.decode(column: "room_id", as: UUID.self)
            if gates[roomId] == nil { gates[roomId] = try await bookings.placeService.roomContext(roomId)?.gate }
            let readsNote = gates[roomId].map { AccessRules.mayReadNote(ofBookingOwnedBy: booking.userId, in: $0, reader) } ?? false
            events.append(CalendarEvent(
                uid: "\(booking.id.uuidString.lowercased())@deskpilot", start: booking.startAt, end: booking.endAt,
                stamp: booking.updatedAt, sequence: Self.sequence(of: booking), summary: "Desk \(desk) · \(room)",
                location: "\(location), \(room)", description: readsNote ? booking.note : "", cancelled: booking.status != .confirmed
            ))
        }
        return events
    }

    /// Calendar clients take the highest SEQUENCE as the current version; a changed booking must count higher.
    private static func sequence(of booking: BookingRecord) -> Int {
        max(0, Int(booking.updatedAt.timeIntervalSince(booking.createdAt).rounded(.down)))
    }
}
