import Foundation
import Testing
@testable import DeskCore

/// The spec's office: 200 people, 100 desks, 8 weeks of 5 workdays.
private let office = FairnessSimulation.Settings()
private let rounds = FairnessSimulation.run(office, policy: .rounds(.standard))
private let fastestWins = FairnessSimulation.run(office, policy: .firstComeFastestWins)
private let randomArrival = FairnessSimulation.run(office, policy: .firstComeRandomArrival)

@Suite("Fairness simulation")
struct FairnessSimulationTests {
    @Test("Gini: 0 when all are equal, (n − 1)/n when one person has everything, 0 for nothing at all")
    func gini() {
        let equal: [Double] = Array(repeating: 20, count: 200)
        #expect(abs(FairnessSimulation.gini(equal)) < 1e-12)
        for n in [2, 5, 200] {
            let oneHasAll: [Double] = Array(repeating: 0, count: n - 1) + [40]
            #expect(abs(FairnessSimulation.gini(oneHasAll) - Double(n - 1) / Double(n)) < 1e-12)
        }
        let half: [Double] = Array(repeating: 0, count: 100) + Array(repeating: 40, count: 100)
        #expect(abs(FairnessSimulation.gini(half) - 0.5) < 1e-12)
        #expect(FairnessSimulation.gini([]) == 0)
        #expect(FairnessSimulation.gini([0, 0, 0]) == 0)
        // Order does not matter.
        #expect(FairnessSimulation.gini([3, 1, 2]) == FairnessSimulation.gini([1, 2, 3]))
    }

    @Test("quantiles by nearest rank, and the summary numbers")
    func summary() {
        let result = FairnessSimulation.Result(settings: office, policy: .firstComeFastestWins, deskDays: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
                                               losingStreaks: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], firstChoiceDays: 11)
        #expect([0, 0.1, 0.5, 0.9, 1].map { result.quantile($0) } == [1, 1, 5, 9, 10])
        #expect(result.minimum == 1)
        #expect(result.maximum == 10)
        #expect(result.mean == 5.5)
        #expect(result.longestLosingStreak == 9)
        #expect(result.firstChoiceShare == 0.2)
    }

    @Test("every desk is used every day under every policy")
    func desksAllUsed() {
        for result in [rounds, fastestWins, randomArrival] {
            #expect(result.deskDays.count == 200)
            #expect(result.deskDays.reduce(0, +) == 100 * 40)
            #expect(result.mean == 20)
        }
    }

    @Test("allocation rounds meet the target: Gini ≤ 0.05, nobody far behind, no long runs without a desk")
    func roundsAreFair() {
        #expect(rounds.gini <= 0.05)
        #expect(rounds.gini < randomArrival.gini)
        #expect(rounds.minimum >= 14)
        #expect(rounds.maximum <= 26)
        #expect(rounds.longestLosingStreak <= 5)
        #expect(rounds.longestLosingStreak < randomArrival.longestLosingStreak)
        // Preferences are skewed, so the round does real work: some get their first choice, most do not.
        #expect(rounds.firstChoiceShare > 0.1)
        #expect(rounds.firstChoiceShare < 0.9)
    }

    @Test("a milder debt, 1 + 1 × losses, misses the target: why the standard weighs a loss four times")
    func milderDebtMissesTarget() {
        // A winner at weight 1 still beats a one-time loser at weight 2 a third of the time.
        let milder = FairnessSimulation.run(office, policy: .rounds(FairnessWeights(base: 1, perLoss: 1, maximumLosses: 10)))
        #expect(milder.gini > 0.05)
        #expect(milder.gini > rounds.gini)
        #expect(milder.gini < randomArrival.gini)
    }

    @Test("first come where the fastest always win: half the office gets every day, the other half nothing")
    func fastestWinsIsUnfair() {
        #expect(fastestWins.gini >= 0.45)
        #expect(fastestWins.minimum == 0)
        #expect(fastestWins.maximum == 40)
        #expect(fastestWins.longestLosingStreak == 40)
        #expect(fastestWins.deskDays.prefix(100).allSatisfy { $0 == 40 })
    }

    @Test("first come in random arrival order lies between the two")
    func randomArrivalInBetween() {
        #expect(randomArrival.gini > rounds.gini)
        #expect(randomArrival.gini < fastestWins.gini)
        #expect(randomArrival.minimum > 0)
    }

    @Test("deterministic for a seed; another seed gives another history")
    func deterministic() {
        for policy: FairnessSimulation.Policy in [.rounds(.standard), .firstComeRandomArrival] {
            let again = FairnessSimulation.run(office, policy: policy)
            #expect(again == (policy == .firstComeRandomArrival ? randomArrival : rounds))
            var other = office
            other.seed = 7
            #expect(FairnessSimulation.run(other, policy: policy).deskDays != again.deskDays)
        }
        #expect(FairnessSimulation.run(office, policy: .firstComeFastestWins) == fastestWins)
    }

    @Test("no desks, no days: nothing to share, and no crash")
    func degenerate() {
        let noDesks = FairnessSimulation.run(FairnessSimulation.Settings(users: 3, desks: 0, weeks: 1), policy: .rounds(.standard))
        #expect(noDesks.deskDays == [0, 0, 0])
        #expect(noDesks.longestLosingStreak == 5)
        #expect(noDesks.gini == 0)
        let noDays = FairnessSimulation.run(FairnessSimulation.Settings(users: 3, desks: 2, weeks: 0), policy: .firstComeRandomArrival)
        #expect(noDays.deskDays == [0, 0, 0])
        #expect(noDays.longestLosingStreak == 0)
        let plenty = FairnessSimulation.run(FairnessSimulation.Settings(users: 3, desks: 5, weeks: 1), policy: .rounds(.standard))
        #expect(plenty.deskDays == [5, 5, 5])
        #expect(plenty.gini == 0)
    }
}
