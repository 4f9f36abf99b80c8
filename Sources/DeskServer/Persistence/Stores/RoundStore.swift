import DeskCore
import Foundation
import SQLKit

/// The `allocation_rounds`, `allocation_entries` and `allocation_debts` tables: each location's round of a day with
/// every request's part in it, and the fairness debt people carry from round to round.
struct RoundStore: Sendable {
    let sql: any SQLDatabase

    /// A drawn request's entry with what replaying its turn needs from the request.
    struct DrawnEntry: Sendable {
        let entry: AllocationEntryRecord
        /// JSON of `DeskCriteria`.
        let criteria: String
        /// Whether the request asked for the whole day rather than a window.
        let wholeDay: Bool
    }

    /// An entry with the names a report shows.
    struct NamedEntry: Sendable {
        let entry: AllocationEntryRecord
        let username: String
        let displayName: String
        let deskName: String?
    }

    /// The round's key (location and day) is unique: a second insert of the same round fails.
    func insert(_ round: AllocationRoundRecord) async throws {
        try await sql.insert(round, into: "allocation_rounds")
    }

    func insert(_ entries: [AllocationEntryRecord]) async throws {
        try await AllocationEntryRecord.rows(entries).insert(on: sql)
    }

    func roundId(at locationId: UUID, on day: LocalDate) async throws -> UUID? {
        try await sql.raw("""
            SELECT id FROM allocation_rounds WHERE location_id = \(bind: locationId) AND day = \(bind: day.description)
            """).first()?.decode(column: "id", as: UUID.self)
    }

    func round(at locationId: UUID, on day: LocalDate) async throws -> AllocationRoundRecord? {
        try await sql.first(AllocationRoundRecord.self, """
            SELECT * FROM allocation_rounds WHERE location_id = \(bind: locationId) AND day = \(bind: day.description)
            """)
    }

    /// The entries of the requests that were drawn.
    func drawnEntries(of roundId: UUID) async throws -> [DrawnEntry] {
        try await sql.raw("""
            SELECT e.*, q.criteria, q.window_from FROM allocation_entries e JOIN allocation_requests q ON q.id = e.request_id
            WHERE e.round_id = \(bind: roundId) AND e.position IS NOT NULL
            """).all().map { row in
            DrawnEntry(entry: try row.decode(model: AllocationEntryRecord.self, keyDecodingStrategy: .convertFromSnakeCase),
                       criteria: try row.decode(column: "criteria", as: String.self),
                       wholeDay: try row.decode(column: "window_from", as: Int?.self) == nil)
        }
    }

    /// The round's entries in draw order (those left out last), only `userId`'s when given.
    func namedEntries(of roundId: UUID, onlyOf userId: UUID?) async throws -> [NamedEntry] {
        var query: SQLQueryString = """
            SELECT e.*, u.username, u.display_name, d.name AS desk_name FROM allocation_entries e
            JOIN users u ON u.id = e.user_id LEFT JOIN desks d ON d.id = e.desk_id WHERE e.round_id = \(bind: roundId)
            """
        if let userId { query = query + " AND e.user_id = \(bind: userId)" }
        return try await sql.raw(query + " ORDER BY e.position IS NULL, e.position").all().map { row in
            NamedEntry(entry: try row.decode(model: AllocationEntryRecord.self, keyDecodingStrategy: .convertFromSnakeCase),
                       username: try row.decode(column: "username", as: String.self),
                       displayName: try row.decode(column: "display_name", as: String.self),
                       deskName: try row.decode(column: "desk_name", as: String?.self))
        }
    }

    /// Fairness debt after a stored round: a round without a desk adds one, a desk clears it.
    func settleDebts(of roundId: UUID, at now: Date) async throws {
        try await sql.raw("""
            INSERT INTO allocation_debts (user_id, losses, updated_at)
            SELECT user_id, 0, \(bind: now) FROM allocation_entries WHERE round_id = \(bind: roundId) AND outcome = 'waitlisted'
            ON CONFLICT (user_id) DO NOTHING
            """).run()
        try await sql.raw("""
            UPDATE allocation_debts SET losses = losses + 1, updated_at = \(bind: now)
            WHERE user_id IN (SELECT user_id FROM allocation_entries WHERE round_id = \(bind: roundId) AND outcome = 'waitlisted')
            """).run()
        try await sql.raw("""
            UPDATE allocation_debts SET losses = 0, updated_at = \(bind: now)
            WHERE user_id IN (SELECT user_id FROM allocation_entries WHERE round_id = \(bind: roundId) AND booking_id IS NOT NULL)
            """).run()
    }

    /// A desk from the waitlist after all: the lost round no longer counts against them.
    func forgiveLoss(of userIds: [UUID], at now: Date) async throws {
        try await sql.raw("""
            UPDATE allocation_debts SET losses = losses - 1, updated_at = \(bind: now)
            WHERE losses > 0 AND user_id IN (\(binds: userIds))
            """).run()
    }
}
