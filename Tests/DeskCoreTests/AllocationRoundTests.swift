import Foundation
import Testing
@testable import DeskCore

/// Ids that read well in failures: `id(3)` is 00000000-0000-0000-0000-000000000003.
private func id(_ number: Int) -> UUID {
    UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", number))!
}

private func desks(_ count: Int, tags: (Int) -> Set<String> = { _ in [] }) -> [AllocationDesk] {
    (1...count).map { AllocationDesk(id: id(1000 + $0), name: String(format: "D%03d", $0), tags: tags($0)) }
}

private func person(_ number: Int, prefers: [Int] = [], tags: Set<String> = [], scope: [Int]? = nil, others: Bool = true,
                    losses: Int = 0) -> AllocationParticipant {
    AllocationParticipant(requestId: id(number), userId: id(500 + number), preferredDesks: prefers.map { id(1000 + $0) },
                          requiredTags: tags, scope: scope.map { Set($0.map { id(1000 + $0) }) }, acceptsOtherDesks: others,
                          recentLosses: losses)
}

@Suite("Allocation round")
struct AllocationRoundTests {
    @Test("the same seed gives the same result whatever the input order; another seed another order")
    func deterministic() {
        let people = (1...40).map { person($0, prefers: [$0 % 5 + 1, 7]) }
        let first = AllocationRound.run(participants: people, desks: desks(10), seed: 42)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5 {
            let again = AllocationRound.run(participants: people.shuffled(using: &generator), desks: desks(10).shuffled(using: &generator), seed: 42)
            #expect(again == first)
        }
        #expect(AllocationRound.run(participants: people, desks: desks(10), seed: 43).order != first.order)
        #expect(first.assignments.count == 10)
        #expect(Set(first.assignments.values).count == 10)  // no desk twice
        #expect(first.waitlist.count == 30)
        #expect(first.order.count == 40)
    }

    @Test("in draw order each takes their best free preference, then any desk they accept; the rest wait in draw order")
    func preferences() throws {
        let flexible = [person(1, prefers: [2, 1]), person(2, prefers: [2, 1]), person(3, prefers: [2, 1])]
        let result = AllocationRound.run(participants: flexible, desks: desks(3), seed: 7)
        let byTurn = result.order.map { result.explanations[$0]! }
        for (turn, entry) in byTurn.enumerated() { #expect(entry.position == turn) }
        // The first drawn gets desk 2, the next desk 1, the third desk 3 (no preference of theirs, but accepted).
        #expect(byTurn.map(\.outcome) == [.preferred(desk: id(1002), rank: 0), .preferred(desk: id(1001), rank: 1), .matching(desk: id(1003))])

        // Someone who wants desk 2 only gets it when drawn before the others, and waits otherwise.
        var outcomes = Set<String>()
        for seed in UInt64(0)..<40 {
            let round = AllocationRound.run(participants: flexible + [person(4, prefers: [2], others: false)], desks: desks(3), seed: seed)
            let mine = round.explanations[id(4)]!
            if mine.position == 0 {
                #expect(mine.outcome == .preferred(desk: id(1002), rank: 0))
                outcomes.insert("first")
            } else {
                #expect(mine.outcome == .waitlisted(position: 0))
                #expect(round.waitlist == [id(4)])
                outcomes.insert("later")
            }
        }
        #expect(outcomes == ["first", "later"])
    }

    @Test("required tags and scope are never bent: without a matching desk a person waits")
    func constraints() {
        let all = desks(6) { $0 <= 2 ? ["monitor"] : [] }
        let people = [
            person(1, tags: ["monitor"]), person(2, tags: ["monitor"]), person(3, tags: ["monitor"]),
            person(4, scope: [5]), person(5, scope: [5]),
        ]
        for seed in UInt64(0)..<50 {
            let result = AllocationRound.run(participants: people, desks: all, seed: seed)
            for request in [1, 2, 3] {
                if let desk = result.assignments[id(request)] { #expect([id(1001), id(1002)].contains(desk)) }
            }
            for request in [4, 5] {
                if let desk = result.assignments[id(request)] { #expect(desk == id(1005)) }
            }
            #expect(result.waitlist.count == 2)  // one of the three who need a monitor, one of the two who want desk 5
        }
    }

    @Test("a second request of the same person is ignored: filing twice gives no advantage")
    func duplicates() {
        var people = (1...12).map { person($0) }
        let once = AllocationRound.run(participants: people, desks: desks(4), seed: 99)
        people.append(AllocationParticipant(requestId: id(77), userId: id(501), preferredDesks: [id(1004)]))
        let twice = AllocationRound.run(participants: people, desks: desks(4), seed: 99)
        #expect(twice.explanations[id(77)]?.outcome == .duplicate || twice.explanations[id(1)]?.outcome == .duplicate)
        let winners = { (result: AllocationResult) in Set(result.assignments.keys.filter { $0 != id(77) && $0 != id(1) }) }
        #expect(winners(twice) == winners(once))
        #expect(twice.assignments.count == 4)
    }

    @Test("fairness debt: weight 41 against weight 1 goes first in about 41 of 42 rounds")
    func weights() {
        let heavy = person(1, losses: 10), light = person(2)
        var heavyFirst = 0
        for seed in UInt64(0)..<3_000 where AllocationRound.run(participants: [heavy, light], desks: desks(1), seed: seed).order.first == id(1) {
            heavyFirst += 1
        }
        let share = Double(heavyFirst) / 3_000
        #expect(abs(share - 41.0 / 42.0) < 0.01, "heavy first in \(share) of rounds")
        #expect(FairnessWeights.standard.weight(losses: 1) == 5)
        #expect(FairnessWeights.standard.weight(losses: 50) == 41)  // debt is capped
        // Equal weights: an even split.
        var firstFirst = 0
        for seed in UInt64(0)..<3_000 where AllocationRound.run(participants: [person(1), person(2)], desks: desks(1), seed: seed).order.first == id(1) {
            firstFirst += 1
        }
        #expect(abs(Double(firstFirst) / 3_000 - 0.5) < 0.03)
    }

    @Test("a person's random number depends on the seed and their id only")
    func uniform() {
        let values = (0..<1_000).map { AllocationRound.uniform(seed: 5, userId: id($0)) }
        #expect(values.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(abs(values.reduce(0, +) / 1_000 - 0.5) < 0.05)
        #expect(AllocationRound.uniform(seed: 5, userId: id(3)) == AllocationRound.uniform(seed: 5, userId: id(3)))
        #expect(AllocationRound.uniform(seed: 6, userId: id(3)) != AllocationRound.uniform(seed: 5, userId: id(3)))
    }
}

@Suite("Allocation round: windows and waitlist offers")
struct AllocationWindowTests {
    let morning = range("2026-03-11T08:00:00+01:00", "2026-03-11T12:00:00+01:00")
    let afternoon = range("2026-03-11T12:00:00+01:00", "2026-03-11T17:00:00+01:00")

    @Test("people whose windows do not overlap share a desk; a whole-day claim needs a desk nobody has")
    func windows() {
        let one = [AllocationDesk(id: id(1001), name: "D1")]
        let people = [
            AllocationParticipant(requestId: id(1), userId: id(501), window: morning),
            AllocationParticipant(requestId: id(2), userId: id(502), window: afternoon),
        ]
        let result = AllocationRound.run(participants: people, desks: one, seed: 1)
        #expect(result.assignments == [id(1): id(1001), id(2): id(1001)])

        let wholeDay = AllocationParticipant(requestId: id(3), userId: id(503), recentLosses: 10)
        for seed in UInt64(0)..<20 {
            let mixed = AllocationRound.run(participants: people + [wholeDay], desks: one, seed: seed)
            if mixed.assignments[id(3)] != nil {
                #expect(mixed.assignments.count == 1)
            } else {
                #expect(mixed.assignments.count == 2 && mixed.waitlist == [id(3)])
            }
        }
        // A desk already booked in the morning still takes an afternoon request, not a morning one.
        let booked = [AllocationDesk(id: id(1001), name: "D1", busy: [morning])]
        #expect(AllocationRound.run(participants: people, desks: booked, seed: 1).assignments == [id(2): id(1001)])
    }

    @Test("waitlist offers go in waitlist order and respect preferences and tags")
    func offers() {
        let freed = [AllocationDesk(id: id(1001), name: "D1"), AllocationDesk(id: id(1002), name: "D2", tags: ["monitor"])]
        let waiting = [
            person(1, prefers: [3], others: false),  // only desk 3, which is not free
            person(2, tags: ["monitor"]),
            person(3, prefers: [2, 1]),
            person(4),
        ]
        let offers = AllocationRound.offer(to: waiting, desks: freed)
        #expect(offers.map(\.requestId) == [id(2), id(3)])
        #expect(offers.map(\.outcome) == [.matching(desk: id(1002)), .preferred(desk: id(1001), rank: 1)])
    }
}
