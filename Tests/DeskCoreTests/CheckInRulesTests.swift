import Foundation
import Testing
@testable import DeskCore

/// A booking 09:00–11:00 UTC on 2026-03-10.
private let booking = range("2026-03-10T09:00:00Z", "2026-03-10T11:00:00Z")

private func policy(required: Bool, grace: Int = 30) -> Policy {
    var policy = Policy.defaults
    policy.checkInRequired = required
    policy.checkInGraceMinutes = grace
    return policy
}

private func instant(_ time: String) -> Date { utc("2026-03-10T\(time)Z") }

@Suite("CheckInRules")
struct CheckInRulesTests {
    @Test("without required check-in the window runs from 15 minutes before the start to the end")
    func optionalWindow() {
        #expect(CheckInRules.window(for: booking, policy: policy(required: false)) == range("2026-03-10T08:45:00Z", "2026-03-10T11:00:00Z"))
    }

    @Test("with required check-in the window closes when the grace period ends")
    func requiredWindow() {
        #expect(CheckInRules.window(for: booking, policy: policy(required: true, grace: 30)) == range("2026-03-10T08:45:00Z", "2026-03-10T09:30:00Z"))
        #expect(CheckInRules.window(for: booking, policy: policy(required: true, grace: 0)) == range("2026-03-10T08:45:00Z", "2026-03-10T09:00:00Z"))
    }

    @Test("a grace period longer than the booking still closes the window at the end")
    func graceBeyondEnd() {
        #expect(CheckInRules.window(for: booking, policy: policy(required: true, grace: 180)) == range("2026-03-10T08:45:00Z", "2026-03-10T11:00:00Z"))
    }

    @Test(
        "check-in is accepted from the opening instant up to just before the window ends",
        arguments: [
            (false, "08:45:00"), (false, "09:00:00"), (false, "10:59:59"),
            (true, "08:45:00"), (true, "09:29:59"),
        ]
    )
    func accepted(required: Bool, time: String) throws {
        try CheckInRules.check(booking: booking, checkedInAt: nil, policy: policy(required: required), now: instant(time))
    }

    @Test("one second before the window opens is too early, and says when it opens")
    func tooEarly() {
        let error = expectRefusal("check_in_not_open", kind: .conflict) {
            try CheckInRules.check(booking: booking, checkedInAt: nil, policy: policy(required: false), now: instant("08:44:59"))
        }
        #expect(error?.detail.contains("2026-03-10T08:45:00Z") == true)
    }

    @Test(
        "at the end of the window check-in is closed",
        arguments: [(false, "11:00:00"), (false, "12:00:00"), (true, "09:30:00"), (true, "10:00:00")]
    )
    func closed(required: Bool, time: String) {
        expectRefusal("check_in_closed", kind: .conflict) {
            try CheckInRules.check(booking: booking, checkedInAt: nil, policy: policy(required: required), now: instant(time))
        }
    }

    @Test("checking in twice is refused, even within the window")
    func twice() {
        expectRefusal("already_checked_in", kind: .conflict) {
            try CheckInRules.check(booking: booking, checkedInAt: instant("08:50:00"), policy: policy(required: true), now: instant("09:00:00"))
        }
    }

    @Test("a booking becomes a no-show exactly when the grace period ends")
    func noShowBoundary() {
        let required = policy(required: true, grace: 30)
        #expect(!CheckInRules.isNoShow(booking: booking, checkedInAt: nil, policy: required, now: instant("09:29:59")))
        #expect(CheckInRules.isNoShow(booking: booking, checkedInAt: nil, policy: required, now: instant("09:30:00")))
        #expect(CheckInRules.isNoShow(booking: booking, checkedInAt: nil, policy: required, now: instant("10:30:00")))
    }

    @Test("with zero grace a booking is a no-show from its start")
    func zeroGrace() {
        let required = policy(required: true, grace: 0)
        #expect(!CheckInRules.isNoShow(booking: booking, checkedInAt: nil, policy: required, now: instant("08:59:59")))
        #expect(CheckInRules.isNoShow(booking: booking, checkedInAt: nil, policy: required, now: instant("09:00:00")))
    }

    @Test("a checked-in booking, or one under a policy without check-in, is never a no-show")
    func neverNoShow() {
        let late = instant("10:59:00")
        #expect(!CheckInRules.isNoShow(booking: booking, checkedInAt: instant("09:10:00"), policy: policy(required: true), now: late))
        #expect(!CheckInRules.isNoShow(booking: booking, checkedInAt: nil, policy: policy(required: false), now: late))
    }
}
