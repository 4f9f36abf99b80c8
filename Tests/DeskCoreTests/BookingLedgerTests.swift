import Foundation
import Testing
@testable import DeskCore

private let ann = UUID()
private let bob = UUID()
private let deskA = UUID()
private let deskB = UUID()

/// Tuesday 2026-03-10, 10:07 in Berlin; a ledger of two open desks.
private struct Ledger {
    var ledger = BookingLedger(states: [
        deskA: DeskState(deskId: deskA, isActive: true, underMaintenance: false, permanentAssigneeId: nil),
        deskB: DeskState(deskId: deskB, isActive: true, underMaintenance: false, permanentAssigneeId: nil),
    ])
    var policy = Policy.defaults
    let now = utc("2026-03-10T10:07:00+01:00")

    mutating func admit(_ start: String, _ end: String, desk: UUID = deskA, owner: UUID = ann, original: TimeRange? = nil) throws {
        try ledger.admit(BookingAttempt(range: range(start, end), ownerId: owner, original: original), desk: desk, policy: policy,
                         timeZone: berlin, now: now)
    }
}

@Suite("BookingLedger: the rules one write runs against what its transaction read")
struct BookingLedgerTests {
    @Test("an admitted attempt occupies its desk for the next attempt of the same write")
    func admittedAttemptCountsIn() throws {
        var scenario = Ledger()
        try scenario.admit("2026-03-11T09:00:00+01:00", "2026-03-11T12:00:00+01:00")
        let error = expectRefusal("desk_taken") {
            try scenario.admit("2026-03-11T11:00:00+01:00", "2026-03-11T14:00:00+01:00", owner: bob)
        }
        #expect(error?.kind == .conflict)
        // Back to back on the same desk is fine, and so is the same time on another desk for someone else.
        try scenario.admit("2026-03-11T12:00:00+01:00", "2026-03-11T14:00:00+01:00", owner: bob)
        try scenario.admit("2026-03-11T09:00:00+01:00", "2026-03-11T12:00:00+01:00", desk: deskB, owner: bob)
        #expect(scenario.ledger.occupancy.count == 3)
    }

    @Test("a desk the transaction did not read is unknown")
    func unknownDesk() {
        var scenario = Ledger()
        expectRefusal("not_found", kind: .notFound) {
            try scenario.admit("2026-03-11T09:00:00+01:00", "2026-03-11T12:00:00+01:00", desk: UUID())
        }
    }

    @Test("read bookings of the owner elsewhere count towards their concurrent bookings")
    func ownerBookingsElsewhere() {
        var scenario = Ledger()
        scenario.policy.maxConcurrentPerUser = 1
        scenario.ledger.occupancy.append(.init(deskId: deskB, userId: ann, range: range("2026-03-11T08:00:00+01:00", "2026-03-11T10:00:00+01:00")))
        expectRefusal("concurrent_limit") {
            try scenario.admit("2026-03-11T09:00:00+01:00", "2026-03-11T12:00:00+01:00")
        }
    }

    @Test("the upcoming quota counts what the write admitted; moving a booking does not count again")
    func upcomingQuota() throws {
        var scenario = Ledger()
        scenario.policy.maxUpcomingPerUser = 2
        scenario.ledger.upcoming[ann] = 1
        try scenario.admit("2026-03-11T09:00:00+01:00", "2026-03-11T12:00:00+01:00")
        #expect(scenario.ledger.upcoming[ann] == 2)
        expectRefusal("quota_exceeded") {
            try scenario.admit("2026-03-12T09:00:00+01:00", "2026-03-12T12:00:00+01:00")
        }
        try scenario.admit("2026-03-13T09:00:00+01:00", "2026-03-13T12:00:00+01:00", desk: deskB,
                           original: range("2026-03-13T10:00:00+01:00", "2026-03-13T12:00:00+01:00"))
        #expect(scenario.ledger.upcoming[ann] == 2)
    }

    @Test("a day whose round has not run is not bookable first come, first served")
    func pendingRound() {
        var scenario = Ledger()
        scenario.ledger.pendingDays[deskA] = [day("2026-03-11")]
        expectRefusal("round_pending") {
            try scenario.admit("2026-03-11T09:00:00+01:00", "2026-03-11T12:00:00+01:00")
        }
    }

    @Test("the desk's state is checked: a desk under maintenance refuses, and nothing is counted in")
    func deskState() {
        var scenario = Ledger()
        scenario.ledger.states[deskA] = DeskState(deskId: deskA, isActive: true, underMaintenance: true, permanentAssigneeId: nil)
        expectRefusal("not_bookable") {
            try scenario.admit("2026-03-11T09:00:00+01:00", "2026-03-11T12:00:00+01:00")
        }
        #expect(scenario.ledger.occupancy.isEmpty)
        #expect(scenario.ledger.upcoming[ann] == nil)
    }
}
