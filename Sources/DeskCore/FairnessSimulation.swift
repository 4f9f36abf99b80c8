import Foundation

/// Many workdays of one office, to compare how fairly desks are shared out under our allocation rounds and under
/// first-come booking (docs/fairness.md). Everyone wants a desk every workday and ranks a few desks, some desks being
/// far more wanted than others; anyone takes another desk rather than none. Pure and deterministic for a seed.
public enum FairnessSimulation {
    /// The office and how long it is simulated.
    public struct Settings: Hashable, Sendable {
        public var users: Int
        public var desks: Int
        public var weeks: Int
        public var workdaysPerWeek: Int
        /// Ranked desks per person, drawn once: desk k is wanted in proportion to 1/(k+1).
        public var preferencesPerUser: Int
        public var seed: UInt64

        public init(
            users: Int = 200, desks: Int = 100, weeks: Int = 8, workdaysPerWeek: Int = 5, preferencesPerUser: Int = 3,
            seed: UInt64 = 2026
        ) {
            self.users = users
            self.desks = desks
            self.weeks = weeks
            self.workdaysPerWeek = workdaysPerWeek
            self.preferencesPerUser = preferencesPerUser
            self.seed = seed
        }

        /// Workdays simulated.
        public var days: Int { weeks * workdaysPerWeek }
    }

    /// How each day's desks are handed out.
    public enum Policy: Hashable, Sendable {
        /// One allocation round a day with these weights. The fairness debt follows the server's rule: a round
        /// without a desk adds one, a desk clears it.
        case rounds(FairnessWeights)
        /// First-come booking where the same people are always fastest (user 0, then 1, …): a booking bot, a quick hand.
        case firstComeFastestWins
        /// First-come booking in a fresh random arrival order every day.
        case firstComeRandomArrival

        /// A short label for tables.
        public var name: String {
            switch self {
            case .rounds(let weights) where weights == .standard: "allocation rounds"
            case .rounds(let weights):
                "allocation rounds, weight \(Self.format(weights.base)) + \(Self.format(weights.perLoss)) × min(losses, \(weights.maximumLosses))"
            case .firstComeFastestWins: "first come, fastest wins"
            case .firstComeRandomArrival: "first come, random arrival"
            }
        }

        private static func format(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        }
    }

    /// Who got how many desk-days.
    public struct Result: Hashable, Sendable {
        public let settings: Settings
        public let policy: Policy
        /// Desk-days per person, by user index (0 is the fastest under `firstComeFastestWins`).
        public let deskDays: [Int]
        /// Per person, the most consecutive workdays without a desk.
        public let losingStreaks: [Int]
        /// Desk-days spent at the person's first-choice desk, everyone together.
        public let firstChoiceDays: Int

        public init(settings: Settings, policy: Policy, deskDays: [Int], losingStreaks: [Int], firstChoiceDays: Int) {
            self.settings = settings
            self.policy = policy
            self.deskDays = deskDays
            self.losingStreaks = losingStreaks
            self.firstChoiceDays = firstChoiceDays
        }

        /// Gini coefficient of the desk-days: 0 when everyone got as many, towards 1 when a few got them all.
        public var gini: Double { FairnessSimulation.gini(deskDays.map { Double($0) }) }
        public var minimum: Int { deskDays.min() ?? 0 }
        public var maximum: Int { deskDays.max() ?? 0 }
        public var mean: Double { deskDays.isEmpty ? 0 : Double(deskDays.reduce(0, +)) / Double(deskDays.count) }
        /// The most consecutive workdays anyone went without a desk.
        public var longestLosingStreak: Int { losingStreaks.max() ?? 0 }
        /// Share of all desk-days spent at the person's first choice.
        public var firstChoiceShare: Double {
            let total = deskDays.reduce(0, +)
            return total == 0 ? 0 : Double(firstChoiceDays) / Double(total)
        }

        /// The desk-days that `fraction` of the people reach or stay below (nearest rank): 0.5 is the median.
        public func quantile(_ fraction: Double) -> Int {
            guard !deskDays.isEmpty else { return 0 }
            let sorted = deskDays.sorted()
            let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
            return sorted[Swift.min(Swift.max(rank, 0), sorted.count - 1)]
        }
    }

    /// Simulates `settings.days` workdays under `policy`.
    public static func run(_ settings: Settings, policy: Policy) -> Result {
        precondition(settings.users > 0 && settings.desks >= 0 && settings.days >= 0, "a simulation needs people and no negative counts")
        let desks = (0..<settings.desks).map { AllocationDesk(id: id(3, $0), name: "D" + padded($0 + 1, width: 5)) }
        let users = (0..<settings.users).map { id(1, $0) }
        let requests = (0..<settings.users).map { id(2, $0) }
        let preferences = preferredDesks(settings, desks: desks)

        var deskDays = Array(repeating: 0, count: settings.users)
        var streaks = Array(repeating: 0, count: settings.users)
        var longest = Array(repeating: 0, count: settings.users)
        var debts = Array(repeating: 0, count: settings.users)
        var firstChoiceDays = 0
        for day in 0..<settings.days {
            func participant(_ user: Int) -> AllocationParticipant {
                AllocationParticipant(requestId: requests[user], userId: users[user], preferredDesks: preferences[user],
                                      acceptsOtherDesks: true, recentLosses: debts[user], window: nil)
            }
            // Request id → what the person got, for those who got a desk.
            var won: [UUID: AllocationExplanation.Outcome] = [:]
            switch policy {
            case .rounds(let weights):
                let result = AllocationRound.run(participants: (0..<settings.users).map { participant($0) }, desks: desks,
                                                 seed: derivedSeed(settings.seed, stream: 2, index: day), weights: weights)
                for (requestId, explanation) in result.explanations where explanation.outcome.desk != nil {
                    won[requestId] = explanation.outcome
                }
            case .firstComeFastestWins:
                for (requestId, outcome) in AllocationRound.offer(to: (0..<settings.users).map { participant($0) }, desks: desks) {
                    won[requestId] = outcome
                }
            case .firstComeRandomArrival:
                var generator = SplitMix64(state: derivedSeed(settings.seed, stream: 3, index: day))
                let arrivals = shuffled(Array(0..<settings.users), using: &generator)
                for (requestId, outcome) in AllocationRound.offer(to: arrivals.map { participant($0) }, desks: desks) {
                    won[requestId] = outcome
                }
            }

            for (user, requestId) in requests.enumerated() {
                if let outcome = won[requestId] {
                    deskDays[user] += 1
                    streaks[user] = 0
                    debts[user] = 0
                    if case .preferred(_, let rank) = outcome, rank == 0 { firstChoiceDays += 1 }
                } else {
                    streaks[user] += 1
                    longest[user] = max(longest[user], streaks[user])
                    debts[user] += 1
                }
            }
        }
        return Result(settings: settings, policy: policy, deskDays: deskDays, losingStreaks: longest, firstChoiceDays: firstChoiceDays)
    }

    /// Gini coefficient of non-negative values: with the values sorted ascending and i counted from 1,
    /// G = Σ (2i − n − 1) xᵢ / (n Σ xᵢ). 0 for no values or all zero.
    public static func gini(_ values: [Double]) -> Double {
        let total = values.reduce(0, +)
        guard !values.isEmpty, total > 0 else { return 0 }
        let n = Double(values.count)
        var weighted = 0.0
        for (index, value) in values.sorted().enumerated() {
            weighted += (2 * Double(index + 1) - n - 1) * value
        }
        return weighted / (n * total)
    }

    /// Each person's ranked desks, skewed so that low-numbered desks are the popular ones.
    private static func preferredDesks(_ settings: Settings, desks: [AllocationDesk]) -> [[UUID]] {
        guard !desks.isEmpty else { return Array(repeating: [], count: settings.users) }
        var cumulative: [Double] = []
        cumulative.reserveCapacity(desks.count)
        var total = 0.0
        for index in desks.indices {
            total += 1 / Double(index + 1)
            cumulative.append(total)
        }
        var generator = SplitMix64(state: derivedSeed(settings.seed, stream: 1, index: 0))
        let count = min(max(settings.preferencesPerUser, 0), desks.count)
        return (0..<settings.users).map { _ in
            var chosen: [Int] = []
            while chosen.count < count {
                let target = generator.nextUnit() * total
                // The first desk whose cumulative weight exceeds the target.
                var low = 0
                var high = cumulative.count - 1
                while low < high {
                    let middle = (low + high) / 2
                    if cumulative[middle] > target { high = middle } else { low = middle + 1 }
                }
                if !chosen.contains(low) { chosen.append(low) }
            }
            return chosen.map { desks[$0].id }
        }
    }

    /// Fisher–Yates with our own generator, so an arrival order does not depend on the standard library's shuffle.
    private static func shuffled(_ values: [Int], using generator: inout SplitMix64) -> [Int] {
        var values = values
        var index = values.count - 1
        while index > 0 {
            let other = Int(generator.next() % UInt64(index + 1))
            values.swapAt(index, other)
            index -= 1
        }
        return values
    }

    /// An independent seed for one purpose (`stream`) and one day, from the simulation's seed.
    private static func derivedSeed(_ seed: UInt64, stream: UInt64, index: Int) -> UInt64 {
        AllocationRound.mix(AllocationRound.mix(seed ^ stream) ^ UInt64(index))
    }

    /// Readable, distinct ids: kind 1 people, 2 requests, 3 desks, e.g. 00000000-0000-0000-0003-000000000012.
    private static func id(_ kind: Int, _ index: Int) -> UUID {
        UUID(uuidString: "00000000-0000-0000-" + padded(kind, width: 4) + "-" + padded(index, width: 12))!
    }

    private static func padded(_ number: Int, width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// SplitMix64 over `AllocationRound.mix`, so a simulation is the same from run to run and machine to machine.
private struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        let value = AllocationRound.mix(state)
        state &+= 0x9e37_79b9_7f4a_7c15
        return value
    }

    /// A number in [0, 1) with 53 random bits.
    mutating func nextUnit() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }
}
