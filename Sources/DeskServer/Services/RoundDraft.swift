import DeskCore
import Foundation
import SQLKit

/// One allocation round being decided and stored inside its transaction: the facts it loaded, who takes part, the
/// draw, and the bookings that pass every booking rule.
struct RoundDraft {
    let id = UUID()
    let setting: AllocationSetting
    private let requests: [AllocationRequestRecord]
    /// Per request: the booking it would get and the rooms its owner may not book in.
    private var ranges: [UUID: TimeRange] = [:]
    private var deniedRooms: [UUID: Set<UUID>] = [:]
    /// Requests left out of the draw, with the reason their owner sees.
    private var excluded: [UUID: String] = [:]
    /// Each request's criteria, decoded once (a round may be drawn more than once).
    private let criteria: [UUID: DeskCriteria]
    private var result = AllocationResult(order: [], assignments: [:], waitlist: [], explanations: [:])

    private var location: LocationRecord { setting.location }
    private var day: LocalDate { setting.day }
    private var now: Date { setting.now }

    init(setting: AllocationSetting, requests: [AllocationRequestRecord]) {
        self.setting = setting
        self.requests = requests
        criteria = AllocationRequestRecord.criteria(of: requests)
        for request in requests {
            switch setting.standing(of: request) {
            case .eligible(let range, let denied):
                ranges[request.id] = range
                deniedRooms[request.id] = denied
            case .excluded(let reason):
                excluded[request.id] = reason
            }
        }
    }

    private func losses(_ request: AllocationRequestRecord) -> Int { setting.debts[request.userId] ?? 0 }

    /// Draws and allocates; a winner whose booking a rule refuses (they hold another desk at that time, say) is left
    /// out with that reason and the round is drawn again with the same seed, so everyone else keeps their turn.
    mutating func decide(seed: UInt64, weights: FairnessWeights) {
        while true {
            var builder = ParticipantBuilder(desks: setting.desks)
            let participants = requests.filter { excluded[$0.id] == nil }.map { request in
                builder.participant(requestId: request.id, userId: request.userId, criteria: criteria[request.id] ?? DeskCriteria(),
                                    window: request.window == nil ? nil : ranges[request.id], losses: losses(request),
                                    deniedRooms: deniedRooms[request.id] ?? [])
            }
            result = AllocationRound.run(participants: participants, desks: setting.desks.map(\.allocationDesk), seed: seed, weights: weights)
            var trial = setting.facts
            var refused: [UUID: String] = [:]
            let byId = Dictionary(requests.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for requestId in result.order {
                guard let desk = result.assignments[requestId], let request = byId[requestId], let range = ranges[requestId] else { continue }
                do throws(DomainError) {
                    try trial.admit(BookingAttempt(range: range, ownerId: request.userId), desk: desk, policy: setting.policy,
                                    timeZone: location.timeZone, now: now)
                } catch {
                    refused[requestId] = error.detail
                }
            }
            guard !refused.isEmpty else { return }
            excluded.merge(refused) { $1 }
        }
    }

    /// Stores the round, its bookings and every request's outcome; returns the events to publish after commit.
    func store(seed: UInt64, weights: FairnessWeights, trigger: AllocationService.RoundTrigger, actor: Actor,
               on sql: any SQLDatabase) async throws -> [DomainEvent] {
        let requestsById = Dictionary(requests.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var bookings: [UUID: BookingCommitQueue.Request] = [:]
        for (requestId, deskId) in result.assignments {
            guard let request = requestsById[requestId], let range = ranges[requestId] else { continue }
            bookings[requestId] = setting.booking(for: request, desk: deskId, range: range, actor: actor)
        }

        try await sql.insert(AllocationRoundRecord(
            id: id, locationId: location.id, day: day.description, seed: String(seed),
            weights: String(decoding: try JSONEncoder.snakeCase.encode(weights), as: UTF8.self),
            desks: String(decoding: try JSONEncoder.snakeCase.encode(setting.desks), as: UTF8.self), trigger: trigger.rawValue, ranAt: now,
            participants: result.order.count, winners: result.assignments.count, waitlisted: result.waitlist.count), into: "allocation_rounds")
        try await BookingCommitQueue.insert(result.order.compactMap { bookings[$0] }, now: now, on: sql)

        var entries: [AllocationEntryRecord] = []
        var notifications: [NotificationRecord] = []
        var events: [DomainEvent] = []
        for request in requests {
            let explanation = result.explanations[request.id]
            let booking = bookings[request.id]?.record
            var entry = AllocationEntryRecord(
                roundId: id, requestId: request.id, userId: request.userId, position: explanation?.position,
                weight: explanation?.weight ?? weights.weight(losses: losses(request)), drawKey: explanation?.key,
                losses: losses(request), outcome: "excluded", preferenceRank: nil, deskId: booking?.deskId, bookingId: booking?.id,
                waitlistPosition: nil, deniedRooms: Self.json(deniedRooms[request.id] ?? []),
                windowStart: ranges[request.id]?.start, windowEnd: ranges[request.id]?.end, reason: excluded[request.id])
            var updated = request
            updated.updatedAt = now
            switch explanation.map(\.outcome) {
            case .preferred(let desk, let rank)?:
                (entry.outcome, entry.preferenceRank) = ("preferred", rank)
                (updated.status, updated.deskId, updated.bookingId) = (.won, desk, booking?.id)
            case .matching(let desk)?:
                entry.outcome = "matching"
                (updated.status, updated.deskId, updated.bookingId) = (.won, desk, booking?.id)
            case .waitlisted(let position)?:
                (entry.outcome, entry.waitlistPosition) = ("waitlisted", position)
                (updated.status, updated.waitlistRank) = (.waitlisted, position)
            case .duplicate?:
                entry.outcome = "duplicate"
                entry.reason = "Another request of yours for this day took part."
                (updated.status, updated.reason) = (.failed, entry.reason)
            case .none:
                (updated.status, updated.reason) = (.failed, entry.reason)
            }
            entries.append(entry)
            events.append(.request(updated.event))
            // Winners and refusals are told; a waiting request's news is its status, and the offer when one comes.
            guard updated.status != .waitlisted else { continue }
            notifications.append(NotificationRecord(id: UUID(), userId: request.userId, kind: "allocation.\(updated.status.rawValue)",
                                                    message: message(for: updated, entry: entry), bookingId: booking?.id, createdAt: now, readAt: nil))
        }
        try await AllocationEntryRecord.rows(entries).insert(on: sql)
        try await sql.raw("""
            UPDATE allocation_requests SET
                status = CASE WHEN e.booking_id IS NOT NULL THEN 'won' WHEN e.outcome = 'waitlisted' THEN 'waitlisted' ELSE 'failed' END,
                desk_id = e.desk_id, booking_id = e.booking_id, waitlist_rank = e.waitlist_position, reason = e.reason,
                updated_at = \(bind: now)
            FROM allocation_entries e WHERE e.round_id = \(bind: id) AND e.request_id = allocation_requests.id
            """).run()
        // Fairness debt: a round without a desk adds one, a desk clears it.
        try await sql.raw("""
            INSERT INTO allocation_debts (user_id, losses, updated_at)
            SELECT user_id, 0, \(bind: now) FROM allocation_entries WHERE round_id = \(bind: id) AND outcome = 'waitlisted'
            ON CONFLICT (user_id) DO NOTHING
            """).run()
        try await sql.raw("""
            UPDATE allocation_debts SET losses = losses + 1, updated_at = \(bind: now)
            WHERE user_id IN (SELECT user_id FROM allocation_entries WHERE round_id = \(bind: id) AND outcome = 'waitlisted')
            """).run()
        try await sql.raw("""
            UPDATE allocation_debts SET losses = 0, updated_at = \(bind: now)
            WHERE user_id IN (SELECT user_id FROM allocation_entries WHERE round_id = \(bind: id) AND booking_id IS NOT NULL)
            """).run()
        try await NotificationRecord.rows(notifications).insert(on: sql)
        try await Audit.record("round.ran", target: "round", id: id, location: location.id, by: actor, at: now, details: [
            "date": day.description, "trigger": trigger.rawValue, "participants": String(result.order.count),
            "winners": String(result.assignments.count), "waitlisted": String(result.waitlist.count),
        ], on: sql)

        let bookingEvents = result.order.compactMap { bookings[$0] }.map { request in
            DomainEvent.booking(BookingEvent(.created, request.record, roomId: request.roomId, locationId: location.id))
        }
        return bookingEvents + events + [.round(RoundEvent(roundId: id, locationId: location.id, day: day))]
    }

    /// A set of ids as a JSON array, without an encoder: ten thousand of these are written per large round.
    private static func json(_ ids: Set<UUID>) -> String {
        "[" + ids.map { "\"\($0.uuidString)\"" }.sorted().joined(separator: ",") + "]"
    }

    private func message(for request: AllocationRequestRecord, entry: AllocationEntryRecord) -> String {
        switch request.status {
        case .won:
            "You got desk \(setting.deskName(request.deskId)) at \(location.name) on \(day)."
        default:
            "Your request for \(location.name) on \(day) could not be served: \(entry.reason ?? "no reason given")"
        }
    }
}
