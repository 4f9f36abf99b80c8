import Foundation
import Testing
@testable import DeskCore

private let desk = UUID()
private let ann = UUID()
private let bob = UUID()
private let start = utc("2026-03-10T10:00:00Z")

private func at(_ seconds: TimeInterval) -> Date { start.addingTimeInterval(seconds) }

@Suite("HoldRules")
struct HoldRulesTests {
    @Test("a free desk is held for 60 seconds")
    func firstAcquisition() throws {
        let hold = try HoldRules.acquire(desk: desk, by: ann, existing: nil, now: start)
        #expect(hold == .acquired(Hold(deskId: desk, userId: ann, firstAcquiredAt: start, expiresAt: at(60)), takenOverFrom: nil))
    }

    @Test("someone else's active hold refuses with 423 and says when to retry")
    func heldByOther() {
        let existing = Hold(deskId: desk, userId: ann, firstAcquiredAt: start, expiresAt: at(60))
        let error = expectRefusal("desk_held", kind: .locked) {
            _ = try HoldRules.acquire(desk: desk, by: bob, existing: existing, now: at(20))
        }
        #expect(error?.retryAfter == 40)
    }

    @Test("a lapsed hold of someone else is taken over")
    func takeOver() throws {
        let existing = Hold(deskId: desk, userId: ann, firstAcquiredAt: start, expiresAt: at(60))
        let outcome = try HoldRules.acquire(desk: desk, by: bob, existing: existing, now: at(60))
        #expect(outcome == .acquired(Hold(deskId: desk, userId: bob, firstAcquiredAt: at(60), expiresAt: at(120)), takenOverFrom: ann))
    }

    @Test("refreshing every 25 seconds never passes 5 minutes from the first acquisition")
    func capDespiteRefreshes() throws {
        var hold = try HoldRules.acquire(desk: desk, by: ann, existing: nil, now: start).hold
        var now = start
        while now < at(300) {
            now = now.addingTimeInterval(25)
            guard now < at(300) else { break }
            hold = try HoldRules.acquire(desk: desk, by: ann, existing: hold, now: now).hold
            #expect(hold.expiresAt <= at(300))
            #expect(hold.firstAcquiredAt == start)
        }
        #expect(hold.expiresAt == at(300))
        #expect(!hold.isActive(at: at(300)))
        let error = expectRefusal("hold_limit_reached", kind: .conflict) {
            _ = try HoldRules.acquire(desk: desk, by: ann, existing: hold, now: at(301))
        }
        #expect(error?.retryAfter == 299)
    }

    @Test("releasing and re-acquiring keeps counting from the first acquisition")
    func reacquireKeepsCap() throws {
        let first = try HoldRules.acquire(desk: desk, by: ann, existing: nil, now: start).hold
        let released = try #require(HoldRules.release(existing: first, by: ann, now: at(30)))
        #expect(!released.isActive(at: at(30)))
        let again = try HoldRules.acquire(desk: desk, by: ann, existing: released, now: at(270))
        #expect(again == .refreshed(Hold(deskId: desk, userId: ann, firstAcquiredAt: start, expiresAt: at(300))))
    }

    @Test("after the cool-down a new hold starts a new cap")
    func afterCoolDown() throws {
        let capped = Hold(deskId: desk, userId: ann, firstAcquiredAt: start, expiresAt: at(300))
        let outcome = try HoldRules.acquire(desk: desk, by: ann, existing: capped, now: at(600))
        #expect(outcome == .acquired(Hold(deskId: desk, userId: ann, firstAcquiredAt: at(600), expiresAt: at(660)), takenOverFrom: nil))
    }

    @Test("only the holder's active hold can be released")
    func releaseRules() {
        let hold = Hold(deskId: desk, userId: ann, firstAcquiredAt: start, expiresAt: at(60))
        #expect(HoldRules.release(existing: hold, by: bob, now: at(10)) == nil)
        #expect(HoldRules.release(existing: hold, by: ann, now: at(61)) == nil)
        #expect(HoldRules.release(existing: nil, by: ann, now: at(10)) == nil)
    }
}

@Suite("BookingRules.check: holds")
struct BookingHoldTests {
    private let tomorrow = range("2026-03-11T09:00:00+01:00", "2026-03-11T17:00:00+01:00")
    private let now = utc("2026-03-10T10:07:00+01:00")

    private func deskState(heldBy holder: UUID) -> DeskState {
        DeskState(deskId: desk, isActive: true, underMaintenance: false, permanentAssigneeId: nil,
                  hold: Hold(deskId: desk, userId: holder, firstAcquiredAt: now, expiresAt: now.addingTimeInterval(60)))
    }

    @Test("a desk held by someone else answers 423")
    func heldByOther() {
        expectRefusal("desk_held", kind: .locked) {
            try BookingRules.check(BookingAttempt(range: tomorrow, ownerId: bob), desk: deskState(heldBy: ann), policy: .defaults,
                                   timeZone: berlin, now: now)
        }
    }

    @Test("the holder, and a manager booking for them, may book")
    func holderBooks() throws {
        try BookingRules.check(BookingAttempt(range: tomorrow, ownerId: ann), desk: deskState(heldBy: ann), policy: .defaults,
                               timeZone: berlin, now: now)
        try BookingRules.check(BookingAttempt(range: tomorrow, ownerId: bob, requesterId: ann), desk: deskState(heldBy: ann),
                               policy: .defaults, timeZone: berlin, now: now)
    }

    @Test("shortening an existing booking needs no hold, extending it does")
    func shortenVersusExtend() throws {
        let shorter = range("2026-03-11T09:00:00+01:00", "2026-03-11T12:00:00+01:00")
        try BookingRules.check(BookingAttempt(range: shorter, ownerId: bob, original: tomorrow), desk: deskState(heldBy: ann),
                               policy: .defaults, timeZone: berlin, now: now)
        let longer = range("2026-03-11T09:00:00+01:00", "2026-03-11T18:00:00+01:00")
        expectRefusal("desk_held") {
            try BookingRules.check(BookingAttempt(range: longer, ownerId: bob, original: tomorrow), desk: deskState(heldBy: ann),
                                   policy: .defaults, timeZone: berlin, now: now)
        }
    }

    @Test("a lapsed hold does not block")
    func lapsed() throws {
        let lapsed = DeskState(deskId: desk, isActive: true, underMaintenance: false, permanentAssigneeId: nil,
                               hold: Hold(deskId: desk, userId: ann, firstAcquiredAt: now, expiresAt: now))
        try BookingRules.check(BookingAttempt(range: tomorrow, ownerId: bob), desk: lapsed, policy: .defaults, timeZone: berlin, now: now)
    }
}
