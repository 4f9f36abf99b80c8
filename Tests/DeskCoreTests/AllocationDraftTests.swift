import Foundation
import Testing
@testable import DeskCore

private typealias Office = AllocationScenario
private let wholeDay = range("2026-03-12T07:00:00+01:00", "2026-03-12T20:00:00+01:00")

@Suite("AllocationSetting: who takes part, on what terms")
struct AllocationStandingTests {
    @Test("an inactive or unknown account, a location gate not passed, a window without bookable time: excluded with the reason")
    func exclusions() {
        let members = Office.uuid(700)
        var office = Office(desks: 3)
        office.locationGroups = [members]
        office.add(1, groups: [members])
        office.people[Office.person(2)] = .some(nil)  // inactive
        office.add(4)  // not a member
        office.add(5, groups: [members])
        let requests = [ask(1), ask(2), ask(3), ask(4), ask(5, window: (from: 5 * 60, until: 6 * 60 + 30))]
        let standings = office.setting.standings(of: requests)
        #expect(standings == [
            .eligible(range: wholeDay, deniedRooms: []),
            .excluded(reason: "Your account is not active."),
            .excluded(reason: "Your account is not active."),
            .excluded(reason: "You may no longer book at Berlin HQ."),
            .excluded(reason: "No bookable time is left in your window on 2026-03-12."),
        ])

        let draft = office.draft(requests)
        #expect(draft.result.order == [Office.uuid(1)])
        for (decision, standing) in zip(draft.decisions.dropFirst(), standings.dropFirst()) {
            guard case .excluded(let reason) = standing else { Issue.record("expected an exclusion"); continue }
            #expect(decision.outcome == .failed(reason: reason))
            #expect(decision.explanation == nil)
            #expect(decision.range == nil)
            #expect(decision.deniedRooms.isEmpty)
        }
        #expect(draft.decisions.first?.outcome == .won(AllocatedBooking(
            requestId: Office.uuid(1), ownerId: Office.person(1), deskId: Office.desk(1), range: wholeDay)))
    }

    @Test("a manager of one of the location's rooms passes its gate")
    func roomManagerPasses() {
        var office = Office(desks: 1)
        office.locationGroups = [Office.uuid(700)]
        office.people[Office.person(1)] = Viewer(userId: Office.person(1), isSuperuser: false, managedRoomIds: [Office.room],
                                                 roomManagerLocationIds: [Office.location])
        #expect(office.setting.standings(of: [ask(1)]) == [.eligible(range: wholeDay, deniedRooms: [])])
    }

    @Test("a whole-day request books the bookable hours; a window is clamped to them and to the grid; today starts now")
    func windows() {
        var office = Office(desks: 1)
        office.addPeople(1...2)
        let standings = office.setting.standings(of: [ask(1), ask(2, window: (from: 6 * 60, until: 9 * 60 + 45))])
        #expect(standings == [
            .eligible(range: wholeDay, deniedRooms: []),
            .eligible(range: range("2026-03-12T07:00:00+01:00", "2026-03-12T09:30:00+01:00"), deniedRooms: []),
        ])

        var today = Office(desks: 1, day: "2026-03-10")
        today.add(1)
        #expect(today.setting.standings(of: [ask(1)])
            == [.eligible(range: range("2026-03-10T10:00:00+01:00", "2026-03-10T20:00:00+01:00"), deniedRooms: [])])
    }

    @Test("the rooms a person may not book in are worked out from the room gates")
    func deniedRooms() {
        let team = Office.uuid(701)
        let lab = Office.uuid(901)
        var office = Office(desks: 2)
        office.move(desk: 2, to: lab)
        office.roomGroups = [lab: [team]]
        office.add(1)
        office.add(2, groups: [team])
        #expect(office.setting.standings(of: [ask(1), ask(2)]) == [
            .eligible(range: wholeDay, deniedRooms: [lab]),
            .eligible(range: wholeDay, deniedRooms: []),
        ])
    }

    @Test("desks inactive, under maintenance or someone's permanent desk are not allocated; bookings that day keep a desk busy")
    func allocatableDesks() {
        var office = Office(desks: 5)
        office.ledger.states[Office.desk(1)] = DeskState(deskId: Office.desk(1), isActive: false, underMaintenance: false, permanentAssigneeId: nil)
        office.ledger.states[Office.desk(2)] = DeskState(deskId: Office.desk(2), isActive: true, underMaintenance: true, permanentAssigneeId: nil)
        office.ledger.states[Office.desk(3)] = DeskState(deskId: Office.desk(3), isActive: true, underMaintenance: false,
                                                         permanentAssigneeId: Office.person(9))
        office.booked(Office.desk(4), by: Office.person(9), "2026-03-12T07:00:00+01:00", "2026-03-12T20:00:00+01:00")
        office.booked(Office.desk(5), by: Office.person(9), "2026-03-13T07:00:00+01:00", "2026-03-13T20:00:00+01:00")
        let setting = office.setting
        #expect(setting.desks.map(\.id) == [Office.desk(4), Office.desk(5)])
        #expect(setting.desks.map(\.busy) == [[wholeDay], []])
        #expect(setting.desk(Office.desk(1))?.name == "D001")  // still known by name

        office.addPeople(1...2)
        for seed in UInt64(0)..<10 {
            let draft = office.draft([ask(1), ask(2)], seed: seed)
            #expect(draft.bookings.map(\.deskId) == [Office.desk(5)])
            #expect(draft.result.waitlist.count == 1)
        }
    }

    @Test("a round run before its day opens stretches the booking window to that day")
    func earlyRound() {
        var office = Office(desks: 1, day: "2026-03-30")  // the window ends on 2026-03-24; clocks went forward on the 29th
        office.add(1)
        #expect(office.setting.policy.maxAdvanceDays == 20)
        let draft = office.draft([ask(1)])
        #expect(draft.decisions.map(\.outcome) == [.won(AllocatedBooking(
            requestId: Office.uuid(1), ownerId: Office.person(1), deskId: Office.desk(1),
            range: range("2026-03-30T07:00:00+02:00", "2026-03-30T20:00:00+02:00")))])

        var open = Office(desks: 1, day: "2026-03-20")
        open.add(1)
        #expect(open.setting.policy.maxAdvanceDays == 14)
    }
}

@Suite("AllocationDraft: the round decided")
struct AllocationDraftTests {
    @Test("every winner gets a booking of the desk drawn for their times, in draw order; the others wait in draw order")
    func winnersGetBookings() {
        var office = Office(desks: 3)
        office.addPeople(1...5)
        for seed in UInt64(0)..<20 {
            let draft = office.draft((1...5).map { ask($0, prefers: [1]) }, seed: seed)
            let result = draft.result
            #expect(draft.bookings.map(\.requestId) == result.order.filter { result.assignments[$0] != nil })
            #expect(draft.bookings.count == 3)
            for booking in draft.bookings {
                #expect(booking.deskId == result.assignments[booking.requestId])
                #expect(booking.range == wholeDay)
                #expect(booking.ownerId == Office.person(Int(booking.requestId.uuidString.suffix(3))!))
            }
            #expect(draft.bookings.first?.deskId == Office.desk(1))  // the first drawn got their preference
            let waiting = draft.decisions.compactMap { decision -> (UUID, Int)? in
                guard case .waitlisted(let position) = decision.outcome else { return nil }
                return (decision.request.id, position)
            }
            #expect(waiting.sorted { $0.1 < $1.1 }.map(\.0) == result.waitlist)
            #expect(waiting.map(\.1).sorted() == [0, 1])
        }
    }

    @Test("people whose windows do not overlap share a desk, each booked for their window")
    func windowsShareADesk() {
        var office = Office(desks: 1)
        office.addPeople(1...2)
        let draft = office.draft([ask(1, window: (from: 7 * 60, until: 12 * 60)), ask(2, window: (from: 12 * 60, until: 20 * 60))])
        #expect(Set(draft.bookings) == [
            AllocatedBooking(requestId: Office.uuid(1), ownerId: Office.person(1), deskId: Office.desk(1),
                             range: range("2026-03-12T07:00:00+01:00", "2026-03-12T12:00:00+01:00")),
            AllocatedBooking(requestId: Office.uuid(2), ownerId: Office.person(2), deskId: Office.desk(1),
                             range: range("2026-03-12T12:00:00+01:00", "2026-03-12T20:00:00+01:00")),
        ])
    }

    @Test("a desk in a room someone may not book in is never theirs, even when they name it")
    func deniedRoomsNarrowTheScope() {
        let team = Office.uuid(701)
        let lab = Office.uuid(901)
        var office = Office(desks: 2)
        office.move(desk: 2, to: lab)
        office.roomGroups = [lab: [team]]
        office.add(1)
        office.add(2, groups: [team])
        office.add(3)
        for seed in UInt64(0)..<20 {
            let draft = office.draft([ask(1, prefers: [2], others: false), ask(2, prefers: [2], others: false), ask(3, prefers: [2])], seed: seed)
            #expect(draft.decisions[0].deniedRooms == [lab])
            #expect(draft.decisions[0].outcome == .waitlisted(position: 0))
            #expect(draft.bookings.first { $0.requestId == Office.uuid(2) }?.deskId == Office.desk(2))
            #expect(draft.bookings.first { $0.requestId == Office.uuid(3) }?.deskId == Office.desk(1))
        }
    }

    @Test("a winner whose booking a rule refuses fails with the rule's reason; the desk goes to the next in the draw")
    func refusals() {
        var office = Office(desks: 1)
        office.addPeople(1...3)
        // Person 1 holds a desk elsewhere at the same time; person 2 has used up their upcoming bookings.
        office.booked(Office.uuid(9999), by: Office.person(1), "2026-03-12T09:00:00+01:00", "2026-03-12T17:00:00+01:00")
        office.ledger.upcoming[Office.person(2)] = Policy.defaults.maxUpcomingPerUser
        let refusals = [
            Office.uuid(1): "You may hold at most 1 desk(s) at the same time.",
            Office.uuid(2): "You may have at most 20 upcoming bookings.",
        ]
        var refusedSeeds = 0
        for seed in UInt64(0)..<30 {
            let requests = [ask(1, prefers: [1]), ask(2, prefers: [1]), ask(3, prefers: [1])]
            // The draw without the rules: those ahead of person 3 win the desk first and are refused.
            let order = AllocationRound.run(
                participants: requests.map { AllocationParticipant(requestId: $0.id, userId: $0.userId) }, desks: [], seed: seed).order
            let ahead = Set(order.prefix { $0 != Office.uuid(3) })
            let draft = office.draft(requests, seed: seed)
            #expect(draft.bookings == [
                AllocatedBooking(requestId: Office.uuid(3), ownerId: Office.person(3), deskId: Office.desk(1), range: wholeDay),
            ])
            for decision in draft.decisions.prefix(2) {
                if ahead.contains(decision.request.id) {
                    #expect(decision.outcome == .failed(reason: refusals[decision.request.id]!))
                    #expect(decision.explanation == nil)  // out of the final draw
                    #expect(decision.range == wholeDay)  // they were eligible: their times are kept
                } else {
                    guard case .waitlisted = decision.outcome else { Issue.record("\(decision.outcome)"); continue }
                }
            }
            #expect(Set(draft.result.order) == Set(order).subtracting(ahead))
            if !ahead.isEmpty { refusedSeeds += 1 }
        }
        #expect(refusedSeeds > 10)
    }

    @Test("a second request of the same person fails as a duplicate; fairness debt sets the weight")
    func duplicatesAndDebt() {
        var office = Office(desks: 5)
        office.addPeople(1...2)
        office.debts = [Office.person(2): 3]
        office.people[Office.person(3)] = .some(nil)
        office.debts[Office.person(3)] = 2
        let draft = office.draft([ask(1), ask(1, id: 11), ask(2), ask(3)])
        let outcomes = draft.decisions.prefix(2).map(\.outcome)
        #expect(outcomes.filter { $0 == .failed(reason: AllocationDraft.duplicateReason) }.count == 1)
        #expect(outcomes.filter { if case .won = $0 { true } else { false } }.count == 1)
        #expect(draft.decisions.map(\.losses) == [0, 0, 3, 2])
        #expect(draft.decisions.map(\.weight) == [1, 1, 13, 9])  // the excluded one: the weight they would have had
        #expect(draft.decisions[2].explanation?.weight == 13)
    }

    @Test("the same seed decides the same round")
    func deterministic() {
        var office = Office(desks: 4)
        office.addPeople(1...10)
        let requests = (1...10).map { ask($0, prefers: [$0 % 4 + 1]) }
        let first = office.draft(requests, seed: 42)
        let again = office.draft(requests.reversed(), seed: 42)
        #expect(first.result == again.result)
        #expect(Set(first.bookings) == Set(again.bookings))
    }
}
