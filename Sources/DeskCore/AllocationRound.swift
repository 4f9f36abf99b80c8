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
    /// The part of the day they want; nil claims the desk for the whole day. Two people whose windows do not overlap
    /// can share a desk.
    public let window: TimeRange?

    public init(
        requestId: UUID, userId: UUID, preferredDesks: [UUID] = [], requiredTags: Set<String> = [], scope: Set<UUID>? = nil,
        acceptsOtherDesks: Bool = true, recentLosses: Int = 0, window: TimeRange? = nil
    ) {
        self.requestId = requestId
        self.userId = userId
        self.preferredDesks = preferredDesks
        self.requiredTags = requiredTags
        self.scope = scope
        self.acceptsOtherDesks = acceptsOtherDesks
        self.recentLosses = recentLosses
        self.window = window
    }
}

/// A desk that takes bookings on the day being allocated.
public struct AllocationDesk: Hashable, Sendable {
    public let id: UUID
    /// Orders the desks a participant has no preference among (by name, then id), so results never depend on input order.
    public let name: String
    public let tags: Set<String>
    /// Confirmed bookings of the desk that day: a participant fits only where their window overlaps none.
    public let busy: [TimeRange]

    public init(id: UUID, name: String, tags: Set<String> = [], busy: [TimeRange] = []) {
        self.id = id
        self.name = name
        self.tags = tags
        self.busy = busy
    }
}

/// How much recent bad luck counts: a participant's weight is `base + perLoss × min(losses, maximumLosses)`.
/// The standard 1 + 4 × losses keeps desk-days even (Gini ≈ 0.04 over 8 weeks at 2× oversubscription, docs/fairness.md);
/// with 1 + 1 × losses yesterday's winner still beats a one-time loser one time in three, and the Gini is ≈ 0.06.
public struct FairnessWeights: Hashable, Sendable, Codable {
    public var base: Double
    public var perLoss: Double
    public var maximumLosses: Int

    public init(base: Double = 1, perLoss: Double = 4, maximumLosses: Int = 10) {
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

    public init(order: [UUID], assignments: [UUID: UUID], waitlist: [UUID], explanations: [UUID: AllocationExplanation]) {
        self.order = order
        self.assignments = assignments
        self.waitlist = waitlist
        self.explanations = explanations
    }
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

        var allocator = Allocator(desks: desks)
        var seen = Set<UUID>()
        var assignments: [UUID: UUID] = [:]
        var waitlist: [UUID] = []
        var explanations: [UUID: AllocationExplanation] = [:]
        for (position, (participant, weight, key)) in drawn.enumerated() {
            let outcome: AllocationExplanation.Outcome
            if !seen.insert(participant.userId).inserted {
                outcome = .duplicate
            } else if let taken = allocator.take(for: participant) {
                outcome = taken
                assignments[participant.requestId] = taken.desk
            } else {
                outcome = .waitlisted(position: waitlist.count)
                waitlist.append(participant.requestId)
            }
            explanations[participant.requestId] = AllocationExplanation(
                requestId: participant.requestId, position: position, weight: weight, key: key, outcome: outcome)
        }
        return AllocationResult(order: drawn.map(\.0.requestId), assignments: assignments, waitlist: waitlist, explanations: explanations)
    }

    /// Offers freed desks to waiting people in their order (the waitlist): each in turn takes their best desk that fits,
    /// exactly as in a round. Returns request id → the desk and how it matched, for those who got one.
    public static func offer(to waiting: [AllocationParticipant], desks: [AllocationDesk]) -> [(requestId: UUID, outcome: AllocationExplanation.Outcome)] {
        var allocator = Allocator(desks: desks)
        return waiting.compactMap { participant in allocator.take(for: participant).map { (participant.requestId, $0) } }
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

    /// SplitMix64's step: a well-mixed 64-bit value from any 64-bit input. Internal so the fairness simulation draws
    /// from the same generator.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

extension AllocationExplanation.Outcome {
    /// The desk won, if any.
    public var desk: UUID? {
        switch self {
        case .preferred(let desk, _), .matching(let desk): desk
        case .waitlisted, .duplicate: nil
        }
    }
}

/// The desks still available as turns go by: each turn takes the participant's best preference that fits, else the
/// first fitting desk by name.
private struct Allocator {
    private struct Claims {
        var whole = false
        var ranges: [TimeRange]

        func fit(_ window: TimeRange?) -> Bool {
            guard !whole else { return false }
            guard let window else { return ranges.isEmpty }
            return !ranges.contains { $0.overlaps(window) }
        }
    }

    private let byId: [UUID: AllocationDesk]
    private var claims: [UUID: Claims]
    /// Desks someone may still get, in a participant-independent order; a desk claimed whole leaves, so late turns
    /// scan little.
    private var available: [AllocationDesk]

    init(desks: [AllocationDesk]) {
        byId = Dictionary(desks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        claims = byId.mapValues { Claims(ranges: $0.busy) }
        available = byId.values.sorted { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }
    }

    mutating func take(for participant: AllocationParticipant) -> AllocationExplanation.Outcome? {
        func accepts(_ desk: AllocationDesk) -> Bool {
            claims[desk.id]?.fit(participant.window) == true
                && participant.requiredTags.isSubset(of: desk.tags) && (participant.scope?.contains(desk.id) ?? true)
        }
        let outcome: AllocationExplanation.Outcome
        if let (rank, desk) = participant.preferredDesks.enumerated().first(where: { _, id in byId[id].map(accepts) == true }) {
            outcome = .preferred(desk: desk, rank: rank)
        } else if participant.acceptsOtherDesks, let desk = available.first(where: accepts) {
            outcome = .matching(desk: desk.id)
        } else {
            return nil
        }
        let desk = outcome.desk!
        if let window = participant.window {
            claims[desk]?.ranges.append(window)
        } else {
            claims[desk]?.whole = true
            available.removeAll { $0.id == desk }
        }
        return outcome
    }
}
