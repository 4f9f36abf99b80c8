import DeskCore
import Foundation

extension AllocationService {
    enum RoundTrigger: String, Sendable, CaseIterable {
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
        let ended = utc.adding(days: -1, to: utc.date(of: now))
        try await transactor.write { sql in
            try await RequestStore(sql: sql).expireWaitlists(before: ended, reason: WaitlistOffer.dayEndedReason, at: now)
            return .unannounced
        }
    }

    /// Runs every round that is due: days that have opened at their location while requests still wait for them.
    func runDueRounds() async throws {
        let due = try await RequestStore(sql: sql).pendingDays()
        guard !due.isEmpty else { return }
        let now = clock.now()
        var locations: [UUID: LocationRecord] = [:]
        for (locationId, day) in due {
            if locations[locationId] == nil { locations[locationId] = try await PlaceStore(sql: sql).location(locationId) }
            guard let location = locations[locationId] else { continue }
            let calendar = ZonedCalendar(timeZone: location.timeZone)
            guard day <= BookingRules.lastOpenDay(policy: location.effectivePolicy, calendar: calendar, now: now) else { continue }
            _ = try await runRound(AllocationDay(locationId: locationId, day: day), trigger: .schedule)
        }
    }

    /// An operator runs a location's round for a day now, before its release time if need be. Idempotent: a round that
    /// ran already is reported, not run again.
    /// Nothing waiting for a round is refused with 409 `nothing_to_allocate`.
    func runRound(_ target: AllocationDay, by viewer: Viewer, actor: Actor) async throws -> (outcome: RoundOutcome, report: RoundReport) {
        let (location, gate) = try await placeService.visibleLocation(target.locationId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        try BookingRules.checkOpen(on: target.day, policy: location.effectivePolicy)
        let outcome = try await runRound(target, trigger: .admin, actor: actor)
        guard outcome != .nothingPending else {
            throw DomainError.conflict(code: "nothing_to_allocate", "No requests wait for a round at this location on \(target.day).")
        }
        return (outcome, try await report(target, for: viewer))
    }

    /// The round of one location and day, exactly once: the round's unique key is inserted in the same transaction
    /// that creates the bookings, so a second run (another instance, a retry after a crash) finds it and stops.
    func runRound(_ target: AllocationDay, trigger: RoundTrigger, actor: Actor = Actor(userId: nil, ip: nil)) async throws -> RoundOutcome {
        let now = clock.now()
        let seed = UInt64.random(in: .min ... .max)
        let weights = weights
        guard let location = try await PlaceStore(sql: sql).location(target.locationId) else { throw DomainError.notFound("Location") }
        guard location.effectivePolicy.isOpen(on: target.day) else {
            try await failRequests(ofClosedDay: target, at: location, now: now)
            return .nothingPending
        }
        let isPostgres = transactor.isPostgres
        do {
            return try await transactor.write { sql -> Written<RoundOutcome> in
                let facts = AllocationFactsStore(sql: sql, locationId: target.locationId, day: target.day, status: .pending)
                try await facts.lockRows(isPostgres: isPostgres)
                // Looked at under the locks: a round committed meanwhile on PostgreSQL is visible now.
                if let existing = try await RoundStore(sql: sql).roundId(at: target.locationId, on: target.day) {
                    return .unannounced(.alreadyRan(existing))
                }
                let requests = try await RequestStore(sql: sql).requests(.pending, at: target.locationId, on: target.day)
                guard !requests.isEmpty else { return .unannounced(.nothingPending) }
                let setting = try await Self.setting(at: location, from: facts, now: now)
                let draft = AllocationDraft(setting: setting, requests: AllocationRequestRecord.allocationRequests(requests), seed: seed,
                                            weights: weights)
                let round = RoundWrite(id: UUID(), location: location, setting: setting, draft: draft, requests: requests)
                return Written(.ran(round.id), events: try await round.store(seed: seed, weights: weights, trigger: trigger, actor: actor, on: sql))
            }
        } catch where error.isConstraintFailure {
            // Another instance inserted the same round key first.
            guard let existing = try await RoundStore(sql: sql).roundId(at: target.locationId, on: target.day) else { throw error }
            return .alreadyRan(existing)
        }
    }

    /// Runs a stored round again from its seed and stored inputs; the result equals the stored one.
    func replay(_ target: AllocationDay) async throws -> AllocationResult {
        let rounds = RoundStore(sql: sql)
        guard let round = try await rounds.round(at: target.locationId, on: target.day), let seed = UInt64(round.seed) else {
            throw DomainError.notFound("Round")
        }
        let desks = try JSONDecoder.snakeCase.decode([RoundDesk].self, from: Data(round.desks.utf8))
        let weights = try JSONDecoder.snakeCase.decode(FairnessWeights.self, from: Data(round.weights.utf8))
        var builder = ParticipantBuilder(desks: desks)
        let participants = try await rounds.drawnEntries(of: round.id).map { drawn in
            let entry = drawn.entry
            let criteria = try JSONDecoder.snakeCase.decode(DeskCriteria.self, from: Data(drawn.criteria.utf8))
            let window = drawn.wholeDay ? nil : entry.windowStart.flatMap { start in entry.windowEnd.map { TimeRange(uncheckedStart: start, end: $0) } }
            let denied = try JSONDecoder().decode(Set<UUID>.self, from: Data(entry.deniedRooms.utf8))
            return builder.participant(requestId: entry.requestId, userId: entry.userId, criteria: criteria, window: window,
                                       losses: entry.losses, deniedRooms: denied)
        }
        return AllocationRound.run(participants: participants, desks: desks.map(\.allocationDesk), seed: seed, weights: weights)
    }
}
