import Foundation

/// One day's allocation round, decided (SPEC §4): who takes part and who is left out with which reason, the draw, and
/// the booking each winner gets, every one admitted by the booking rules. A winner whose booking a rule refuses (they
/// hold another desk at that time, say) is left out with that reason and the round is drawn again with the same seed,
/// so everyone else keeps their turn.
public struct AllocationDraft: Sendable {
    /// What became of a request.
    public enum Outcome: Hashable, Sendable {
        case won(AllocatedBooking)
        /// In this place of the waitlist (0 = first).
        case waitlisted(position: Int)
        /// Left out of the draw, refused by a booking rule, or another request of the same person took part.
        case failed(reason: String)
    }

    /// One request's part in the round.
    public struct Decision: Hashable, Sendable {
        public let request: AllocationRequest
        /// Rounds its owner lost since their last desk, as the draw counted them.
        public let losses: Int
        /// Its weight in the draw (for one left out: what it would have been).
        public let weight: Double
        /// The rooms its owner may not book in; empty for a request left out before the draw.
        public let deniedRooms: Set<UUID>
        /// The times it books; nil for a request left out before the draw.
        public let range: TimeRange?
        /// Its turn and result in the final draw; nil when it was not drawn.
        public let explanation: AllocationExplanation?
        public let outcome: Outcome
    }

    /// The reason a person's second request of a day fails.
    public static let duplicateReason = "Another request of yours for this day took part."

    /// The final draw.
    public let result: AllocationResult
    /// Every request's decision, in the order the requests were given.
    public let decisions: [Decision]
    /// The winners' bookings, in draw order.
    public let bookings: [AllocatedBooking]

    public init(setting: AllocationSetting, requests: [AllocationRequest], seed: UInt64, weights: FairnessWeights) {
        let standings = setting.standings(of: requests)
        var excluded: [UUID: String] = [:]
        var eligible: [UUID: (range: TimeRange, deniedRooms: Set<UUID>)] = [:]
        var builder = ParticipantBuilder(desks: setting.desks)
        var participants: [AllocationParticipant] = []
        for (request, standing) in zip(requests, standings) {
            switch standing {
            case .eligible(let range, let denied):
                eligible[request.id] = (range, denied)
                participants.append(builder.participant(
                    requestId: request.id, userId: request.userId, criteria: request.criteria,
                    window: request.window == nil ? nil : range, losses: setting.debts[request.userId] ?? 0, deniedRooms: denied))
            case .excluded(let reason):
                excluded[request.id] = reason
            }
        }

        let desks = setting.desks.map(\.allocationDesk)
        let byId = Dictionary(requests.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var result: AllocationResult
        var bookings: [AllocatedBooking]
        while true {
            result = AllocationRound.run(participants: participants, desks: desks, seed: seed, weights: weights)
            bookings = []
            var ledger = setting.ledger
            var refused: [UUID: String] = [:]
            for requestId in result.order {
                guard let desk = result.assignments[requestId], let request = byId[requestId], let range = eligible[requestId]?.range
                else { continue }
                let booking = AllocatedBooking(requestId: requestId, ownerId: request.userId, deskId: desk, range: range)
                do throws(DomainError) {
                    try ledger.admit(booking.attempt, desk: desk, policy: setting.policy, timeZone: setting.calendar.timeZone,
                                     now: setting.now)
                    bookings.append(booking)
                } catch {
                    refused[requestId] = error.detail
                }
            }
            guard !refused.isEmpty else { break }
            excluded.merge(refused) { $1 }
            participants.removeAll { refused[$0.requestId] != nil }
        }

        let won = Dictionary(bookings.map { ($0.requestId, $0) }, uniquingKeysWith: { first, _ in first })
        decisions = requests.map { request in
            let losses = setting.debts[request.userId] ?? 0
            let explanation = result.explanations[request.id]
            let outcome: Outcome
            switch explanation?.outcome {
            case .preferred?, .matching?:
                outcome = won[request.id].map(Outcome.won) ?? .failed(reason: excluded[request.id] ?? "")
            case .waitlisted(let position)?:
                outcome = .waitlisted(position: position)
            case .duplicate?:
                outcome = .failed(reason: Self.duplicateReason)
            case nil:
                outcome = .failed(reason: excluded[request.id] ?? "")
            }
            return Decision(
                request: request, losses: losses, weight: explanation?.weight ?? weights.weight(losses: losses),
                deniedRooms: eligible[request.id]?.deniedRooms ?? [], range: eligible[request.id]?.range,
                explanation: explanation, outcome: outcome)
        }
        self.result = result
        self.bookings = bookings
    }
}
