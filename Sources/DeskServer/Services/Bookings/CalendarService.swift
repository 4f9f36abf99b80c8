import DeskCore
import Foundation

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
            try await CalendarFeedStore(sql: sql).replaceFeed(of: viewer.userId, tokenHash: Secrets.hash(token), at: now)
            try await AuditLog(sql: sql).record("calendar_feed.rotated", target: "user", id: viewer.userId, by: actor, at: now)
            return .unannounced
        }
        return baseURL.appendingPathComponent("calendar").appendingPathComponent("\(token).ics")
    }

    /// The feed behind a secret token, or nil when the token is unknown or its owner is deactivated.
    func feed(token: String) async throws -> String? {
        guard let owner = try await CalendarFeedStore(sql: transactor.sql).activeOwner(ofFeed: Secrets.hash(token)) else { return nil }
        let since = clock.now().addingTimeInterval(-Self.history)
        let bookings = try await BookingStore(sql: transactor.sql).placedBookings(of: owner.id, endingAfter: since, limit: Self.maximumEvents)
        // A feed reads as its owner, without any manager rights: it lists their own bookings only.
        let events = try await events(bookings, reader: Viewer(userId: owner.id, isSuperuser: false))
        return ICalendar.document(name: "DeskPilot – \(owner.displayName)", events: events)
    }

    /// One booking the viewer may see, as a calendar file.
    func booking(_ id: UUID, _ viewer: Viewer) async throws -> String {
        _ = try await bookings.get(id, viewer)  // 404 unless the viewer may see the booking
        let booking = try await BookingStore(sql: transactor.sql).placedBooking(id)
        let events = try await events(booking.map { [$0] } ?? [], reader: viewer)
        return ICalendar.document(name: "DeskPilot", events: events)
    }

    /// One booking as its owner's calendar shows it (for the mails about it), or nil when it is gone.
    func ownersDocument(of bookingId: UUID) async throws -> String? {
        guard let booking = try await BookingStore(sql: transactor.sql).placedBooking(bookingId) else { return nil }
        let events = try await events([booking], reader: Viewer(userId: booking.booking.userId, isSuperuser: false))
        return ICalendar.document(name: "DeskPilot", events: events)
    }

    /// Bookings as events; a note is the description only for a reader who may read it.
    private func events(_ placed: [PlacedBooking], reader: Viewer) async throws -> [CalendarEvent] {
        var gates: [UUID: RoomGate] = [:]
        var events: [CalendarEvent] = []
        for row in placed {
            let booking = row.booking, desk = row.deskName, room = row.roomName, location = row.locationName, roomId = row.roomId
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
