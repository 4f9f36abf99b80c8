import Foundation

/// Someone who asked for a desk on the day a round allocates.
public struct AllocationParticipant: Hashable, Sendable {
    public let requestId: UUID
    public let userId: UUID
    /// Desks in order of preference, best first; may be empty.
    public let preferredDesks: [UUID]
    /// Tags every desk they accept must carry.
    public let requiredTags: Set<String>
    /// The desks they may have at all (the rooms or floors they asked for, that they may book); nil means every desk.
    public let scope: Set<UUID>?
    /// Whether a desk outside `preferredDesks` (but in scope, with the tags) is better than none.
    public let acceptsOtherDesks: Bool
    /// Recent rounds in which they got nothing: their fairness debt.
    public let recentLosses: Int

    public init(
        requestId: UUID, userId: UUID, preferredDesks: [UUID] = [], requiredTags: Set<String> = [], scope: Set<UUID>? = nil,
        acceptsOtherDesks: Bool = true, recentLosses: Int = 0
    ) {
        self.requestId = requestId
        self.userId = userId
        self.preferredDesks = preferredDesks
        self.requiredTags = requiredTags
        self.scope = scope
        self.acceptsOtherDesks = acceptsOtherDesks
        self.recentLosses = recentLosses
    }
}

/// A desk still free for the whole requested time when the round runs.
public struct AllocationDesk: Hashable, Sendable {
    public let id: UUID
    /// Orders the desks a participant has no preference among (by name, then id), so results never depend on input order.
    public let name: String
    public let tags: Set<String>

    public init(id: UUID, name: String, tags: Set<String> = []) {
        self.id = id
        self.name = name
        self.tags = tags
    }
}

/// How much recent bad luck counts: a participant's weight is `base + perLoss × min(losses, maximumLosses)`.
public struct FairnessWeights: Hashable, Sendable, Codable {
    public var base: Double
    public var perLoss: Double
    public var maximumLosses: Int

    public init(base: Double = 1, perLoss: Double = 1, maximumLosses: Int = 10) {
        self.base = base
        self.perLoss = perLoss
        self.maximumLosses = maximumLosses
    }

    public static let standard = FairnessWeights()

    public func weight(losses: Int) -> Double {
        base + perLoss * Double(min(max(losses, 0), maximumLosses))
    }
}

/// Why a participant got what they got.
public struct AllocationExplanation: Hashable, Sendable {
    public enum Outcome: Hashable, Sendable {
        /// Their preference of this rank (0 = first choice).
        case preferred(desk: UUID, rank: Int)
        /// A desk in their scope with their tags, none of their preferences being free.
        case matching(desk: UUID)
        /// Nothing they accept was free when their turn came: they wait in this place of the waitlist (0 = first).
        case waitlisted(position: Int)
        /// Another request of the same person came first in the draw: a person takes part once per round.
        case duplicate
    }

    public let requestId: UUID
    /// Their turn in the draw (0 = first).
    public let position: Int
    public let weight: Double
    /// Their draw key: higher keys go first.
    public let key: Double
    public let outcome: Outcome
}

/// The result of one round.
public struct AllocationResult: Hashable, Sendable {
    /// Request ids in draw order.
    public let order: [UUID]
    /// Request id → desk id for the winners.
    public let assignments: [UUID: UUID]
    /// The others, in draw order.
    public let waitlist: [UUID]
    public let explanations: [UUID: AllocationExplanation]
}

/// The allocation round of a day that opens (SPEC §4): a weighted random order — Efraimidis–Spirakis keys
/// `u^(1/weight)`, so that a larger fairness debt means an earlier turn on average — and then each participant in
/// turn takes their best desk still free. Deterministic for a given seed: the same participants and desks give the
/// same result in any input order, so a stored seed replays a round exactly. Each person's random number comes from
/// the seed and their user id alone, so filing earlier, later or twice changes nothing.
public enum AllocationRound {
    public static func run(
        participants: [AllocationParticipant], desks: [AllocationDesk], seed: UInt64, weights: FairnessWeights = .standard
    ) -> AllocationResult {
        let drawn = participants.map { participant -> (AllocationParticipant, weight: Double, key: Double) in
            let weight = weights.weight(losses: participant.recentLosses)
            let u = uniform(seed: seed, userId: participant.userId)
            // log(u^(1/w)) = log(u)/w orders like u^(1/w) without underflow for large weights.
            return (participant, weight, log(u) / weight)
        }
        .sorted { a, b in
            if a.key != b.key { return a.key > b.key }
            if a.0.userId != b.0.userId { return a.0.userId.uuidString < b.0.userId.uuidString }
            return a.0.requestId.uuidString < b.0.requestId.uuidString
        }

        let byId = Dictionary(desks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // The free desks in a participant-independent order; taken ones are removed, so late turns scan little.
        var available = desks.sorted { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }
        var free = Set(available.map(\.id))
        var seen = Set<UUID>()
        var assignments: [UUID: UUID] = [:]
        var waitlist: [UUID] = []
        var explanations: [UUID: AllocationExplanation] = [:]
        for (position, (participant, weight, key)) in drawn.enumerated() {
            func accepts(_ desk: AllocationDesk) -> Bool {
                participant.requiredTags.isSubset(of: desk.tags) && (participant.scope?.contains(desk.id) ?? true)
            }
            let outcome: AllocationExplanation.Outcome
            if !seen.insert(participant.userId).inserted {
                outcome = .duplicate
            } else if let (rank, desk) = participant.preferredDesks.enumerated().first(where: { _, id in
                free.contains(id) && byId[id].map(accepts) == true
            }) {
                outcome = .preferred(desk: desk, rank: rank)
            } else if participant.acceptsOtherDesks, let desk = available.first(where: accepts) {
                outcome = .matching(desk: desk.id)
            } else {
                outcome = .waitlisted(position: waitlist.count)
            }
            switch outcome {
            case .preferred(let desk, _), .matching(let desk):
                free.remove(desk)
                available.removeAll { $0.id == desk }
                assignments[participant.requestId] = desk
            case .waitlisted:
                waitlist.append(participant.requestId)
            case .duplicate:
                break
            }
            explanations[participant.requestId] = AllocationExplanation(
                requestId: participant.requestId, position: position, weight: weight, key: key, outcome: outcome)
        }
        return AllocationResult(order: drawn.map(\.0.requestId), assignments: assignments, waitlist: waitlist, explanations: explanations)
    }

    /// A number in (0, 1) from the seed and the person: SplitMix64 over the seed mixed with the user id's bytes.
    static func uniform(seed: UInt64, userId: UUID) -> Double {
        var state = seed
        withUnsafeBytes(of: userId.uuid) { bytes in
            for byte in bytes { state = mix(state ^ UInt64(byte)) }
        }
        let bits = mix(state) >> 11  // 53 random bits
        return (Double(bits) + 0.5) / Double(UInt64(1) << 53)
    }

    /// SplitMix64's step: a well-mixed 64-bit value from any 64-bit input.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
