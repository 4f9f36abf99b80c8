import DeskCore
import Foundation
import SQLKit

/// The `allocation_requests` table: requests for a desk on a day, waiting for the day's round or on its waitlist, and
/// what became of them.
struct RequestStore: Sendable {
    let sql: any SQLDatabase

    func insert(_ request: AllocationRequestRecord) async throws {
        try await sql.insert(request, into: "allocation_requests")
    }

    /// Many requests in a few statements.
    func insert(_ requests: [AllocationRequestRecord]) async throws {
        try await sql.insertAll(requests, into: "allocation_requests")
    }

    /// One of a person's own requests.
    func request(_ id: UUID, of userId: UUID) async throws -> AllocationRequestRecord? {
        try await sql.first(AllocationRequestRecord.self, """
            SELECT * FROM allocation_requests WHERE id = \(bind: id) AND user_id = \(bind: userId)
            """)
    }

    /// A person's requests, newest day first, optionally from a day on and in one status.
    func requests(of userId: UUID, from: LocalDate?, status: RequestStatus?, limit: Int) async throws -> [AllocationRequestRecord] {
        var query: SQLQueryString = "SELECT * FROM allocation_requests WHERE user_id = \(bind: userId)"
        if let from { query = query + " AND day >= \(bind: from.description)" }
        if let status { query = query + " AND status = \(bind: status)" }
        return try await sql.all(AllocationRequestRecord.self, query + " ORDER BY day DESC, created_at DESC LIMIT \(bind: limit)")
    }

    /// A location's requests for a day in `status`, in waitlist order (a round orders them itself).
    func requests(_ status: RequestStatus, at locationId: UUID, on day: LocalDate) async throws -> [AllocationRequestRecord] {
        try await sql.raw("""
            SELECT * FROM allocation_requests WHERE status = \(bind: status) AND location_id = \(bind: locationId)
            AND day = \(bind: day.description) ORDER BY waitlist_rank, created_at, id
            """).all().map(AllocationRequestRecord.init(row:))
    }

    /// How many requests are in `status`, everywhere.
    func count(_ status: RequestStatus) async throws -> Int {
        try await sql.count("SELECT COUNT(*) AS n FROM allocation_requests WHERE status = \(bind: status)")
    }

    /// Whether requests still wait for the location's round of the day.
    func roundPending(at locationId: UUID, on day: LocalDate) async throws -> Bool {
        try await sql.count("""
            SELECT COUNT(*) AS n FROM allocation_requests WHERE status = 'pending' AND location_id = \(bind: locationId)
            AND day = \(bind: day.description)
            """) > 0
    }

    /// The rank a request joining the end of the day's waitlist gets.
    func nextWaitlistRank(at locationId: UUID, on day: LocalDate) async throws -> Int {
        try await sql.count("""
            SELECT COALESCE(MAX(waitlist_rank), -1) + 1 AS n FROM allocation_requests
            WHERE location_id = \(bind: locationId) AND day = \(bind: day.description)
            """)
    }

    /// The locations and days with requests waiting for their round.
    func pendingDays() async throws -> [(locationId: UUID, day: LocalDate)] {
        try await days(sql.raw("SELECT DISTINCT location_id, day FROM allocation_requests WHERE status = 'pending'").all())
    }

    /// The days with a waitlist at these locations.
    func waitlistedDays(at locationIds: [UUID]) async throws -> [(locationId: UUID, day: LocalDate)] {
        try await days(sql.raw("""
            SELECT DISTINCT location_id, day FROM allocation_requests WHERE status = 'waitlisted'
            AND location_id IN (\(binds: locationIds))
            """).all())
    }

    private func days(_ rows: [any SQLRow]) throws -> [(locationId: UUID, day: LocalDate)] {
        try rows.compactMap { row in
            guard let day = LocalDate(parsing: try row.decode(column: "day", as: String.self)) else { return nil }
            return (try row.decode(column: "location_id", as: UUID.self), day)
        }
    }

    func cancel(_ id: UUID, at now: Date) async throws {
        try await sql.raw("""
            UPDATE allocation_requests SET status = 'cancelled', updated_at = \(bind: now) WHERE id = \(bind: id)
            """).run()
    }

    /// Ends a request without a desk, with the reason its owner sees.
    func close(_ id: UUID, as status: RequestStatus, reason: String, at now: Date) async throws {
        try await sql.raw("""
            UPDATE allocation_requests SET status = \(bind: status), reason = \(bind: reason), updated_at = \(bind: now)
            WHERE id = \(bind: id)
            """).run()
    }

    /// A waiting request got a desk.
    func award(_ id: UUID, desk deskId: UUID, booking bookingId: UUID, at now: Date) async throws {
        try await sql.raw("""
            UPDATE allocation_requests SET status = 'won', desk_id = \(bind: deskId), booking_id = \(bind: bookingId),
            updated_at = \(bind: now) WHERE id = \(bind: id)
            """).run()
    }

    /// Ends the waitlists of the days before `day`.
    func expireWaitlists(before day: LocalDate, reason: String, at now: Date) async throws {
        try await sql.raw("""
            UPDATE allocation_requests SET status = 'expired', reason = \(bind: reason),
            updated_at = \(bind: now) WHERE status = 'waitlisted' AND day < \(bind: day.description)
            """).run()
    }

    /// Gives every request of a stored round the outcome its entry records: won with the entry's desk and booking,
    /// waitlisted in the entry's place, or failed with the entry's reason.
    func settle(round roundId: UUID, at now: Date) async throws {
        try await sql.raw("""
            UPDATE allocation_requests SET
                status = CASE WHEN e.booking_id IS NOT NULL THEN 'won' WHEN e.outcome = 'waitlisted' THEN 'waitlisted' ELSE 'failed' END,
                desk_id = e.desk_id, booking_id = e.booking_id, waitlist_rank = e.waitlist_position, reason = e.reason,
                updated_at = \(bind: now)
            FROM allocation_entries e WHERE e.round_id = \(bind: roundId) AND e.request_id = allocation_requests.id
            """).run()
    }

    // The places a request names, checked against its location.

    /// The rooms of those of the desks that belong to the location.
    func roomIds(ofDesks deskIds: [UUID], at locationId: UUID) async throws -> [UUID] {
        try await sql.raw("""
            SELECT room_id FROM desks WHERE location_id = \(bind: locationId) AND id IN (\(binds: deskIds))
            """).all().map { try $0.decode(column: "room_id", as: UUID.self) }
    }

    /// Those of the rooms that belong to the location.
    func roomIds(among roomIds: [UUID], at locationId: UUID) async throws -> [UUID] {
        try await sql.raw("""
            SELECT id AS room_id FROM rooms WHERE location_id = \(bind: locationId) AND id IN (\(binds: roomIds))
            """).all().map { try $0.decode(column: "room_id", as: UUID.self) }
    }

    /// How many of the floors belong to the location.
    func floorCount(among floorIds: [UUID], at locationId: UUID) async throws -> Int {
        try await sql.count("""
            SELECT COUNT(*) AS n FROM floors WHERE location_id = \(bind: locationId) AND id IN (\(binds: floorIds))
            """)
    }
}
