import DeskCore
import Foundation
import SQLKit

extension AllocationService {
    enum RoundTrigger: String, Sendable {
        /// The leader's job at the release time.
        case schedule
        /// An operator ran it ahead of time.
        case admin
    }

    enum RoundOutcome: Sendable, Equatable {
        case ran(UUID)
        /// The round had run already (here or on another instance): nothing was done again.
        case alreadyRan(UUID)
        case nothingPending
    }

    /// Closes waitlists of days that have ended everywhere (the day before yesterday in UTC has ended in every zone).
    func expireEndedWaitlists() async throws {
        let now = clock.now()
        let utc = ZonedCalendar(timeZone: TimeZone(identifier: "UTC")!)
        let ended = utc.adding(days: -1, to: utc.date(of: now)).description
        try await transactor.write { sql in
            try await sql.raw("""
                UPDATE allocation_requests SET status = 'expired', reason = 'The day ended before a desk you asked for came free.',
                updated_at = \(bind: now) WHERE status = 'waitlisted' AND day < \(bind: ended)
                """).run()
            return .unannounced
        }
    }

    /// Runs every round that is due: days that have opened at their location while requests still wait for them.
    func runDueRounds() async throws {
        let rows = try await sql.raw("SELECT DISTINCT location_id, day FROM allocation_requests WHERE status = 'pending'").all()
        guard !rows.isEmpty else { return }
        let now = clock.now()
        var locations: [UUID: LocationRecord] = [:]
        for row in rows {
            let locationId = try row.decode(column: "location_id", as: UUID.self)
            guard let day = LocalDate(parsing: try row.decode(column: "day", as: String.self)) else { continue }
            if locations[locationId] == nil { locations[locationId] = try await PlaceRepository(sql: sql).location(locationId) }
            guard let location = locations[locationId] else { continue }
            let calendar = ZonedCalendar(timeZone: location.timeZone)
            guard day <= BookingRules.lastOpenDay(policy: location.effectivePolicy, calendar: calendar, now: now) else { continue }
            _ = try await runRound(AllocationDay(locationId: locationId, day: day), trigger: .schedule)
        }
    }

    /// An operator runs a location's round for a day now, before its release time if need be. Idempotent: a round that
    /// ran already is reported, not run again.
    func runRound(_ target: AllocationDay, by viewer: Viewer, actor: Actor) async throws -> (outcome: RoundOutcome, report: RoundReport?) {
        let (_, gate) = try await placeService.visibleLocation(target.locationId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        let outcome = try await runRound(target, trigger: .admin, actor: actor)
        guard outcome != .nothingPending else { return (outcome, nil) }
        return (outcome, try await report(target, for: viewer))
    }

    /// The round of one location and day, exactly once: the round's unique key is inserted in the same transaction
    /// that creates the bookings, so a second run (another instance, a retry after a crash) finds it and stops.
    func runRound(_ target: AllocationDay, trigger: RoundTrigger, actor: Actor = Actor(userId: nil, ip: nil)) async throws -> RoundOutcome {
        let now = clock.now()
        let seed = UInt64.random(in: .min ... .max)
        let weights = weights
        guard let location = try await PlaceRepository(sql: sql).location(target.locationId) else { throw DomainError.notFound("Location") }
        let isPostgres = transactor.isPostgres
        do {
            return try await transactor.write { sql -> Written<RoundOutcome> in
                let queries = AllocationQueries(sql: sql, locationId: target.locationId, day: target.day, status: .pending)
                try await queries.lockRows(isPostgres: isPostgres)
                // Looked at under the locks: a round committed meanwhile on PostgreSQL is visible now.
                if let existing = try await Self.roundId(of: target, on: sql) { return .unannounced(.alreadyRan(existing)) }
                let requests = try await queries.requests()
                guard !requests.isEmpty else { return .unannounced(.nothingPending) }
                let setting = try await AllocationSetting(location: location, day: target.day, queries: queries, now: now)
                var round = RoundDraft(setting: setting, requests: requests)
                round.decide(seed: seed, weights: weights)
                return Written(.ran(round.id), events: try await round.store(seed: seed, weights: weights, trigger: trigger, actor: actor, on: sql))
            }
        } catch where error.isConstraintFailure {
            // Another instance inserted the same round key first.
            guard let existing = try await Self.roundId(of: target, on: sql) else { throw error }
            return .alreadyRan(existing)
        }
    }

    static func roundId(of target: AllocationDay, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.raw("""
            SELECT id FROM allocation_rounds WHERE location_id = \(bind: target.locationId) AND day = \(bind: target.day.description)
            """).first()?.decode(column: "id", as: UUID.self)
    }

    /// Runs a stored round again from its seed and stored inputs; the result equals the stored one.
    func replay(_ target: AllocationDay) async throws -> AllocationResult {
        guard let round = try await sql.first(AllocationRoundRecord.self, """
            SELECT * FROM allocation_rounds WHERE location_id = \(bind: target.locationId) AND day = \(bind: target.day.description)
            """), let seed = UInt64(round.seed) else { throw DomainError.notFound("Round") }
        let desks = try JSONDecoder.snakeCase.decode([RoundDesk].self, from: Data(round.desks.utf8))
        let weights = try JSONDecoder.snakeCase.decode(FairnessWeights.self, from: Data(round.weights.utf8))
        let rows = try await sql.raw("""
            SELECT e.*, q.criteria, q.window_from FROM allocation_entries e JOIN allocation_requests q ON q.id = e.request_id
            WHERE e.round_id = \(bind: round.id) AND e.position IS NOT NULL
            """).all()
        var builder = ParticipantBuilder(desks: desks)
        let participants = try rows.map { row in
            let entry = try row.decode(model: AllocationEntryRecord.self, keyDecodingStrategy: .convertFromSnakeCase)
            let criteria = try JSONDecoder.snakeCase.decode(DeskCriteria.self, from: Data(try row.decode(column: "criteria", as: String.self).utf8))
            let wholeDay = try row.decode(column: "window_from", as: Int?.self) == nil
            let window = wholeDay ? nil : entry.windowStart.flatMap { start in entry.windowEnd.map { TimeRange(uncheckedStart: start, end: $0) } }
            let denied = try JSONDecoder().decode(Set<UUID>.self, from: Data(entry.deniedRooms.utf8))
            return builder.participant(requestId: entry.requestId, userId: entry.userId, criteria: criteria, window: window,
                                       losses: entry.losses, deniedRooms: denied)
        }
        return AllocationRound.run(participants: participants, desks: desks.map(\.allocationDesk), seed: seed, weights: weights)
    }
}

/// Turns requests into round participants the same way when a round runs and when it is replayed.
struct ParticipantBuilder {
    private struct ScopeKey: Hashable {
        let rooms: Set<UUID>
        let floors: Set<UUID>
        let preferred: [UUID]
        let denied: Set<UUID>
    }

    let desks: [RoundDesk]
    /// Many people ask for the same rooms: each distinct scope is worked out once.
    private var scopes: [ScopeKey: Set<UUID>] = [:]

    init(desks: [RoundDesk]) {
        self.desks = desks
    }

    mutating func participant(
        requestId: UUID, userId: UUID, criteria: DeskCriteria, window: TimeRange?, losses: Int, deniedRooms: Set<UUID>
    ) -> AllocationParticipant {
        var scope: Set<UUID>?
        if !criteria.roomIds.isEmpty || !criteria.floorIds.isEmpty || !deniedRooms.isEmpty {
            let key = ScopeKey(rooms: criteria.roomIds, floors: criteria.floorIds, preferred: criteria.preferredDesks, denied: deniedRooms)
            if let known = scopes[key] {
                scope = known
            } else {
                var place = criteria
                place.requiredTags = []  // tags are the round's to check
                place.acceptsOtherDesks = true
                let ids = Set(desks.filter { !deniedRooms.contains($0.roomId) && place.accepts($0.candidate) }.map(\.id))
                scopes[key] = ids
                scope = ids
            }
        }
        return AllocationParticipant(
            requestId: requestId, userId: userId, preferredDesks: criteria.preferredDesks, requiredTags: criteria.requiredTags,
            scope: scope, acceptsOtherDesks: criteria.acceptsOtherDesks, recentLosses: losses, window: window)
    }
}
