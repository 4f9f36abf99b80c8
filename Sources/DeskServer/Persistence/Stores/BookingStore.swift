import DeskCore
import Foundation
import SQLKit

/// Every SQL statement about bookings: the ledger a write decides on, and the bookings' rows.
struct BookingStore {
    let sql: any SQLDatabase

    func booking(_ id: UUID) async throws -> BookingRecord? {
        try await sql.first(BookingRecord.self, "SELECT * FROM bookings WHERE id = \(bind: id)")
    }

    /// Inserts new bookings in one statement per batch.
    func insert(_ bookings: [BookingRecord]) async throws {
        try await BookingRecord.rows(bookings).insert(on: sql)
    }

    /// Stores a booking's times, note and `updatedAt`.
    func saveTimesAndNote(of booking: BookingRecord) async throws {
        try await sql.raw("""
            UPDATE bookings SET start_at = \(bind: booking.startAt), end_at = \(bind: booking.endAt),
            note = \(bind: booking.note), updated_at = \(bind: booking.updatedAt) WHERE id = \(bind: booking.id)
            """).run()
    }

    func setStatus(of ids: [UUID], to status: BookingStatus, at now: Date) async throws {
        guard !ids.isEmpty else { return }
        try await sql.raw("UPDATE bookings SET status = \(bind: status), updated_at = \(bind: now) WHERE id IN (\(binds: ids))").run()
    }

    /// How many bookings are in `status`, everywhere.
    func count(_ status: BookingStatus) async throws -> Int {
        try await sql.count("SELECT COUNT(*) AS n FROM bookings WHERE status = \(bind: status)")
    }

    func markCheckedIn(_ id: UUID, at now: Date) async throws {
        try await sql.raw("UPDATE bookings SET checked_in_at = \(bind: now), updated_at = \(bind: now) WHERE id = \(bind: id)").run()
    }

    /// Confirmed bookings nobody checked in to that started in `span` (start excluded, end included) at these
    /// locations, with their room and location.
    func unattended(
        startedBetween span: TimeRange, inLocations locationIds: [UUID]
    ) async throws -> [(booking: BookingRecord, roomId: UUID, locationId: UUID)] {
        try await sql.raw("""
            SELECT b.*, d.location_id AS location_id, d.room_id AS room_id FROM bookings b JOIN desks d ON d.id = b.desk_id
            WHERE b.status = 'confirmed' AND b.checked_in_at IS NULL
              AND b.start_at <= \(bind: span.end) AND b.start_at > \(bind: span.start)
              AND d.location_id IN (\(binds: locationIds))
            """).all().map { row in
            (try row.decode(model: BookingRecord.self, keyDecodingStrategy: .convertFromSnakeCase),
             try row.decode(column: "room_id", as: UUID.self), try row.decode(column: "location_id", as: UUID.self))
        }
    }

    /// Bookings starting in `span`, not checked in, at the locations, whose owner has not been reminded to check in.
    func awaitingReminder(
        startingIn span: TimeRange, inLocations locationIds: [UUID]
    ) async throws -> [(booking: BookingRecord, deskName: String, locationId: UUID)] {
        try await sql.raw("""
            SELECT b.*, d.location_id AS location_id, d.name AS desk_name FROM bookings b JOIN desks d ON d.id = b.desk_id
            WHERE b.status = 'confirmed' AND b.checked_in_at IS NULL
              AND b.start_at > \(bind: span.start) AND b.start_at <= \(bind: span.end)
              AND d.location_id IN (\(binds: locationIds))
              AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.booking_id = b.id AND n.kind = \(bind: NotificationKind.checkInReminder.rawValue))
            """).all().map { row in
            (try row.decode(model: BookingRecord.self, keyDecodingStrategy: .convertFromSnakeCase),
             try row.decode(column: "desk_name", as: String.self), try row.decode(column: "location_id", as: UUID.self))
        }
    }

    /// Releases a booking still confirmed and not checked in; false when it no longer is. The condition makes a second
    /// run (or another instance) a no-op for this booking.
    func releaseUnattended(_ id: UUID, at now: Date) async throws -> Bool {
        try await !sql.raw("""
            UPDATE bookings SET status = 'released', updated_at = \(bind: now)
            WHERE id = \(bind: id) AND status = 'confirmed' AND checked_in_at IS NULL RETURNING id
            """).all().isEmpty
    }

    /// The owner's other confirmed bookings on the desk that overlap `span`.
    func ownBookings(onDesk deskId: UUID, of userId: UUID, overlapping span: TimeRange, excluding id: UUID) async throws -> [BookingRecord] {
        try await sql.all(BookingRecord.self, """
            SELECT * FROM bookings WHERE desk_id = \(bind: deskId) AND user_id = \(bind: userId)
              AND status = 'confirmed' AND id <> \(bind: id) AND start_at < \(bind: span.end) AND end_at > \(bind: span.start)
            """)
    }

    /// A confirmed booking on a room plan, with its owner's names.
    struct Occupying: Sendable {
        let id: UUID
        let deskId: UUID
        let userId: UUID
        let range: TimeRange
        let username: String
        let displayName: String
    }

    /// The confirmed bookings of these desks in `range`, and any going on at `now` (for each desk's status), by start.
    func occupying(desks deskIds: [UUID], during range: TimeRange, orAt now: Date) async throws -> [Occupying] {
        // The lower bounds on start_at keep the index range scans short: nothing lasts longer than a day.
        try await sql.raw("""
            SELECT b.id, b.desk_id, b.user_id, b.start_at, b.end_at, u.username, u.display_name
            FROM bookings b JOIN users u ON u.id = b.user_id
            WHERE b.desk_id IN (\(binds: deskIds)) AND b.status = 'confirmed'
              AND ((b.start_at < \(bind: range.end) AND b.end_at > \(bind: range.start)
                    AND b.start_at > \(bind: range.start.addingTimeInterval(-BookingRules.longestBooking)))
                OR (b.start_at <= \(bind: now) AND b.end_at > \(bind: now)
                    AND b.start_at > \(bind: now.addingTimeInterval(-BookingRules.longestBooking))))
            ORDER BY b.start_at
            """).all().map { row in
            Occupying(id: try row.decode(column: "id", as: UUID.self), deskId: try row.decode(column: "desk_id", as: UUID.self),
                      userId: try row.decode(column: "user_id", as: UUID.self),
                      range: TimeRange(uncheckedStart: try row.decode(column: "start_at", as: Date.self),
                                       end: try row.decode(column: "end_at", as: Date.self)),
                      username: try row.decode(column: "username", as: String.self),
                      displayName: try row.decode(column: "display_name", as: String.self))
        }
    }

    /// The confirmed bookings' times per desk of a location, within `span`.
    func busy(inLocation locationId: UUID, during span: TimeRange) async throws -> [UUID: [TimeRange]] {
        try Self.byDesk(try await sql.raw("""
            SELECT b.desk_id, b.start_at, b.end_at FROM bookings b JOIN desks d ON d.id = b.desk_id
            WHERE d.location_id = \(bind: locationId) AND b.status = 'confirmed'
              AND b.start_at < \(bind: span.end) AND b.end_at > \(bind: span.start)
              AND b.start_at > \(bind: span.start.addingTimeInterval(-BookingRules.longestBooking))
            """).all())
    }

    /// The confirmed bookings' times per desk, within `span`.
    func busy(desks deskIds: [UUID], during span: TimeRange) async throws -> [UUID: [TimeRange]] {
        try Self.byDesk(try await sql.raw("""
            SELECT desk_id, start_at, end_at FROM bookings
            WHERE desk_id IN (\(binds: deskIds)) AND status = 'confirmed'
              AND start_at < \(bind: span.end) AND end_at > \(bind: span.start)
              AND start_at > \(bind: span.start.addingTimeInterval(-BookingRules.longestBooking))
            """).all())
    }

    /// Rows of `desk_id, start_at, end_at`, by desk.
    private static func byDesk(_ rows: [any SQLRow]) throws -> [UUID: [TimeRange]] {
        var busy: [UUID: [TimeRange]] = [:]
        for row in rows {
            busy[try row.decode(column: "desk_id", as: UUID.self), default: []].append(TimeRange(
                uncheckedStart: try row.decode(column: "start_at", as: Date.self), end: try row.decode(column: "end_at", as: Date.self)))
        }
        return busy
    }

    /// Whose or where bookings are listed.
    enum Scope: Sendable {
        case user(UUID), desk(UUID), rooms([UUID])
    }

    /// A listed booking with its desk's place and its owner's names.
    struct Listed: Sendable {
        var booking: BookingRecord
        let roomId: UUID
        let locationId: UUID
        let deskName: String
        let username: String
        let displayName: String
        /// The room's maintenance period (any, even one that does not touch this booking).
        var roomMaintenance: MaintenancePeriod? = nil
    }

    /// Bookings in a scope, by start then id; `after` continues a page. nil `status` lists every status.
    func list(
        _ scope: Scope, from: Date?, to: Date?, status: BookingStatus?, limit: Int, after: (start: Date, id: UUID)?
    ) async throws -> [Listed] {
        var conditions: [SQLQueryString] = []
        switch scope {
        case .user(let userId): conditions.append("b.user_id = \(bind: userId)")
        case .desk(let deskId): conditions.append("b.desk_id = \(bind: deskId)")
        case .rooms(let roomIds): conditions.append("d.room_id IN (\(binds: roomIds))")
        }
        if let from { conditions.append("b.end_at > \(bind: from)") }
        if let to { conditions.append("b.start_at < \(bind: to)") }
        if let status { conditions.append("b.status = \(bind: status)") }
        if let after {
            conditions.append("(b.start_at > \(bind: after.start) OR (b.start_at = \(bind: after.start) AND b.id > \(bind: after.id)))")
        }
        var query: SQLQueryString = """
            SELECT b.*, d.room_id AS room_id, d.location_id AS location_id, d.name AS desk_name,
                   u.username AS username, u.display_name AS display_name,
                   r.maintenance_reason AS r_maintenance_reason, r.maintenance_from AS r_maintenance_from,
                   r.maintenance_until AS r_maintenance_until
            FROM bookings b JOIN desks d ON d.id = b.desk_id JOIN users u ON u.id = b.user_id JOIN rooms r ON r.id = d.room_id WHERE
            """
        query = query + " " + conditions.joined(separator: " AND ")
        query = query + " ORDER BY b.start_at, b.id LIMIT \(bind: limit)"
        return try await sql.raw(query).all().map { row in
            Listed(booking: try row.decode(model: BookingRecord.self, keyDecodingStrategy: .convertFromSnakeCase),
                   roomId: try row.decode(column: "room_id", as: UUID.self), locationId: try row.decode(column: "location_id", as: UUID.self),
                   deskName: try row.decode(column: "desk_name", as: String.self), username: try row.decode(column: "username", as: String.self),
                   displayName: try row.decode(column: "display_name", as: String.self),
                   roomMaintenance: try MaintenanceColumns(row: row, prefix: "r_").period)
        }
    }

    /// Cancels confirmed bookings for a reason their owners did not give (maintenance); returns the ids it cancelled.
    func cancel(_ ids: [UUID], reason: String, at now: Date) async throws -> [UUID] {
        guard !ids.isEmpty else { return [] }
        return try await sql.raw("""
            UPDATE bookings SET status = 'cancelled', cancel_reason = \(bind: reason), updated_at = \(bind: now)
            WHERE id IN (\(binds: ids)) AND status = 'confirmed' RETURNING id
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    /// - Parameter excluded: bookings being replaced by this write; they count neither as occupancy nor toward quotas.
    func ledger(
        desks deskIds: [UUID], users userIds: [UUID], overlapping span: TimeRange, excluding excluded: [UUID] = [], now: Date
    ) async throws -> BookingLedger {
        // The lower bound on start_at keeps the index range scan short: nothing lasts longer than a day.
        let earliestStart = span.start.addingTimeInterval(-BookingRules.longestBooking)
        let excluded = excluded.isEmpty ? [UUID()] : excluded
        let rows = try await sql.raw("""
            SELECT 'state' AS kind, d.id AS desk_id, d.permanent_user_id AS user_id,
                   r.maintenance_from AS start_at, r.maintenance_until AS end_at,
                   (CASE WHEN d.is_active THEN 1 ELSE 0 END) + (CASE WHEN r.maintenance_reason IS NULL THEN 0 ELSE 2 END) AS n,
                   NULL AS day
            FROM desks d JOIN rooms r ON r.id = d.room_id WHERE d.id IN (\(binds: deskIds))
            UNION ALL
            SELECT 'booking', desk_id, user_id, start_at, end_at, 0, NULL FROM bookings
            WHERE status = 'confirmed' AND id NOT IN (\(binds: excluded))
              AND start_at < \(bind: span.end) AND end_at > \(bind: span.start) AND start_at > \(bind: earliestStart)
              AND (desk_id IN (\(binds: deskIds)) OR user_id IN (\(binds: userIds)))
            UNION ALL
            SELECT 'upcoming', NULL, user_id, NULL, NULL, COUNT(*), NULL FROM bookings
            WHERE user_id IN (\(binds: userIds)) AND status = 'confirmed' AND end_at > \(bind: now) AND id NOT IN (\(binds: excluded))
            GROUP BY user_id
            UNION ALL
            SELECT 'hold', desk_id, user_id, first_acquired_at, expires_at, 0, NULL FROM holds
            WHERE desk_id IN (\(binds: deskIds)) AND expires_at > \(bind: now)
            UNION ALL
            -- Last: PostgreSQL types a column from the first branches that give it one, left to right.
            SELECT 'pending', d.id, NULL, NULL, NULL, 0, q.day
            FROM allocation_requests q JOIN desks d ON d.location_id = q.location_id
            WHERE d.id IN (\(binds: deskIds)) AND q.status = 'pending'
            """).all()
        var holds: [Hold] = []
        var facts = BookingLedger()
        for row in rows {
            switch try row.decode(column: "kind", as: String.self) {
            case "state":
                let id = try row.decode(column: "desk_id", as: UUID.self)
                let flags = try row.decode(column: "n", as: Int.self)
                // The room's maintenance period rides in start_at/end_at (an open-ended one has no end).
                let maintenance = try row.decode(column: "start_at", as: Date?.self).flatMap { from in
                    flags & 2 != 0 ? MaintenancePeriod(reason: "", from: from, until: try row.decode(column: "end_at", as: Date?.self)).range : nil
                }
                facts.states[id] = DeskState(deskId: id, isActive: flags & 1 != 0, maintenance: maintenance,
                                             permanentAssigneeId: try row.decode(column: "user_id", as: UUID?.self))
            case "pending":
                if let day = LocalDate(parsing: try row.decode(column: "day", as: String.self)) {
                    facts.pendingDays[try row.decode(column: "desk_id", as: UUID.self), default: []].insert(day)
                }
            case "booking":
                facts.occupancy.append(BookingLedger.Occupancy(
                    deskId: try row.decode(column: "desk_id", as: UUID.self),
                    userId: try row.decode(column: "user_id", as: UUID.self),
                    range: TimeRange(uncheckedStart: try row.decode(column: "start_at", as: Date.self),
                                     end: try row.decode(column: "end_at", as: Date.self))
                ))
            case "hold":
                holds.append(Hold(deskId: try row.decode(column: "desk_id", as: UUID.self),
                                  userId: try row.decode(column: "user_id", as: UUID.self),
                                  firstAcquiredAt: try row.decode(column: "start_at", as: Date.self),
                                  expiresAt: try row.decode(column: "end_at", as: Date.self)))
            default:
                facts.upcoming[try row.decode(column: "user_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
            }
        }
        for hold in holds { facts.states[hold.deskId]?.hold = hold }
        return facts
    }
}
