import DeskCore
import Foundation
import SQLKit

/// What a rule's owner holds and asked for at its location, as the engine and the rule's outlook weigh them, and the
/// decisions the engine noted once.
extension RuleStore {
    /// The person's requests at the location for days in `first…last`, other than those a rule withdrew (it may ask
    /// again for those).
    func requests(of userId: UUID, at locationId: UUID, from first: LocalDate, through last: LocalDate) async throws
        -> [AllocationRequestRecord] {
        try await sql.raw("""
            SELECT * FROM allocation_requests WHERE user_id = \(bind: userId) AND location_id = \(bind: locationId)
            AND day >= \(bind: first.description) AND day <= \(bind: last.description) AND status <> 'withdrawn'
            ORDER BY day, created_at, id
            """).all().map(AllocationRequestRecord.init(row:))
    }

    /// Each waitlisted request's place in its day's queue, 1 being the next to be offered a desk.
    func waitlistPositions(of requestIds: [UUID]) async throws -> [UUID: Int] {
        guard !requestIds.isEmpty else { return [:] }
        var positions: [UUID: Int] = [:]
        for row in try await sql.raw("""
            SELECT r.id, (SELECT COUNT(*) FROM allocation_requests o WHERE o.location_id = r.location_id AND o.day = r.day
                AND o.status = 'waitlisted' AND o.waitlist_rank < r.waitlist_rank) AS ahead
            FROM allocation_requests r WHERE r.id IN (\(binds: requestIds)) AND r.status = 'waitlisted'
            """).all() {
            positions[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "ahead", as: Int.self) + 1
        }
        return positions
    }

    /// A person's confirmed booking at a location, with its desk's name.
    struct OwnBooking: Sendable {
        let id: UUID
        let deskId: UUID
        let deskName: String
        let range: TimeRange
    }

    /// The person's confirmed bookings at the location that overlap `span`, by start.
    func ownBookings(of userId: UUID, at locationId: UUID, overlapping span: TimeRange) async throws -> [OwnBooking] {
        try await sql.raw("""
            SELECT b.id, b.desk_id, d.name AS desk_name, b.start_at, b.end_at FROM bookings b JOIN desks d ON d.id = b.desk_id
            WHERE b.user_id = \(bind: userId) AND d.location_id = \(bind: locationId) AND b.status = 'confirmed'
            AND b.end_at > \(bind: span.start) AND b.start_at < \(bind: span.end) ORDER BY b.start_at, b.id
            """).all().map { row in
            OwnBooking(
                id: try row.decode(column: "id", as: UUID.self), deskId: try row.decode(column: "desk_id", as: UUID.self),
                deskName: try row.decode(column: "desk_name", as: String.self),
                range: TimeRange(uncheckedStart: try row.decode(column: "start_at", as: Date.self),
                                 end: try row.decode(column: "end_at", as: Date.self)))
        }
    }

    /// The active desk at the location permanently assigned to the person, if any (the first by name).
    func permanentDesk(of userId: UUID, at locationId: UUID) async throws -> AutopilotOutlook.NamedDesk? {
        guard let row = try await sql.raw("""
            SELECT id, name FROM desks WHERE permanent_user_id = \(bind: userId) AND location_id = \(bind: locationId)
            AND is_active = \(bind: true) ORDER BY name, id LIMIT 1
            """).first() else { return nil }
        return AutopilotOutlook.NamedDesk(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self))
    }

    /// The days in `first…last` on which the rule's log already notes a decision of one of these kinds.
    func notedDays(of ruleId: UUID, kinds: [AutopilotLogEntry.Kind], from first: LocalDate, through last: LocalDate) async throws
        -> Set<LocalDate> {
        var days = Set<LocalDate>()
        for row in try await sql.raw("""
            SELECT day FROM autopilot_log WHERE rule_id = \(bind: ruleId) AND kind IN (\(binds: kinds.map(\.rawValue)))
            AND day >= \(bind: first.description) AND day <= \(bind: last.description)
            """).all() {
            if let day = LocalDate(parsing: try row.decode(column: "day", as: String.self)) { days.insert(day) }
        }
        return days
    }

    /// Whether the rule's log notes a decision of this kind at all (for those about no particular day).
    func hasNote(of ruleId: UUID, kind: AutopilotLogEntry.Kind) async throws -> Bool {
        try await sql.count("""
            SELECT COUNT(*) AS n FROM autopilot_log WHERE rule_id = \(bind: ruleId) AND kind = \(bind: kind.rawValue)
            """) > 0
    }
}
