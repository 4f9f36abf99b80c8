import Foundation
import Testing
@testable import DeskCore

private let ann = UUID()
private let bob = UUID()

/// One location's policy and clock; `check` runs the booking rules for Ann (unless told otherwise) on an open desk.
private struct Scenario {
    var policy = Policy.defaultsOpenEveryDay  // the DST days fall on weekends
    var timeZone = berlin
    var now: Date
    var desk = DeskState(deskId: UUID(), isActive: true, underMaintenance: false, permanentAssigneeId: nil)

    /// Tuesday 2026-03-10, 10:07 in Berlin (CET).
    init(now: String = "2026-03-10T10:07:00+01:00", timeZone: TimeZone = berlin) {
        self.now = utc(now)
        self.timeZone = timeZone
    }

    func check(_ start: String, _ end: String, owner: UUID = ann, original: TimeRange? = nil) throws {
        let attempt = BookingAttempt(range: range(start, end), ownerId: owner, original: original)
        try BookingRules.check(attempt, desk: desk, policy: policy, timeZone: timeZone, now: now)
    }
}

@Suite("BookingRules.check: the desk")
struct BookingDeskStateTests {
    @Test("an ordinary booking tomorrow is accepted")
    func ordinaryBooking() throws {
        try Scenario().check("2026-03-11T09:00:00+01:00", "2026-03-11T17:00:00+01:00")
    }

    @Test("an inactive desk is not bookable")
    func inactiveDesk() {
        var scenario = Scenario()
        scenario.desk = DeskState(deskId: UUID(), isActive: false, underMaintenance: false, permanentAssigneeId: nil)
        expectRefusal("not_bookable", kind: .conflict) {
            try scenario.check("2026-03-11T09:00:00+01:00", "2026-03-11T17:00:00+01:00")
        }
    }

    @Test("a desk in a room under maintenance is not bookable")
    func maintenance() {
        var scenario = Scenario()
        scenario.desk = DeskState(deskId: UUID(), isActive: true, underMaintenance: true, permanentAssigneeId: nil)
        expectRefusal("not_bookable", kind: .conflict) {
            try scenario.check("2026-03-11T09:00:00+01:00", "2026-03-11T17:00:00+01:00")
        }
    }

    @Test("a desk permanently assigned to someone else is not bookable; its assignee may book it")
    func permanentDesk() throws {
        var scenario = Scenario()
        scenario.desk = DeskState(deskId: UUID(), isActive: true, underMaintenance: false, permanentAssigneeId: bob)
        expectRefusal("not_bookable", kind: .conflict) {
            try scenario.check("2026-03-11T09:00:00+01:00", "2026-03-11T17:00:00+01:00", owner: ann)
        }
        try scenario.check("2026-03-11T09:00:00+01:00", "2026-03-11T17:00:00+01:00", owner: bob)
    }

    @Test("the desk is judged before the times")
    func deskBeforeTimes() {
        var scenario = Scenario()
        scenario.desk = DeskState(deskId: UUID(), isActive: false, underMaintenance: false, permanentAssigneeId: nil)
        expectRefusal("not_bookable") { try scenario.check("2026-03-09T09:15:00+01:00", "2026-03-09T10:00:00+01:00") }
    }
}

@Suite("BookingRules.check: start in the past")
struct BookingPastTests {
    @Test("the slot that contains now may still be booked")
    func currentSlot() throws {
        try Scenario().check("2026-03-10T10:00:00+01:00", "2026-03-10T11:00:00+01:00")
    }

    @Test(
        "a start before the current slot is refused",
        arguments: [
            ("2026-03-10T09:30:00+01:00", "2026-03-10T11:00:00+01:00"),
            ("2026-03-10T07:00:00+01:00", "2026-03-10T12:00:00+01:00"),
            ("2026-03-09T09:00:00+01:00", "2026-03-09T10:00:00+01:00"),
        ]
    )
    func pastStart(start: String, end: String) {
        expectRefusal("in_the_past", kind: .unprocessable) { try Scenario().check(start, end) }
    }

    @Test("the current slot ends exactly at the next step")
    func slotBoundary() throws {
        let scenario = Scenario(now: "2026-03-10T10:30:00+01:00")
        expectRefusal("in_the_past") { try scenario.check("2026-03-10T10:00:00+01:00", "2026-03-10T11:00:00+01:00") }
        try scenario.check("2026-03-10T10:30:00+01:00", "2026-03-10T11:00:00+01:00")
    }

    @Test("the current slot follows the granularity")
    func slotFollowsGranularity() throws {
        var scenario = Scenario(now: "2026-03-10T10:16:00+01:00")
        scenario.policy.granularityMinutes = 15
        expectRefusal("in_the_past") { try scenario.check("2026-03-10T10:00:00+01:00", "2026-03-10T11:00:00+01:00") }
        try scenario.check("2026-03-10T10:15:00+01:00", "2026-03-10T11:00:00+01:00")
    }
}

@Suite("BookingRules.check: alignment")
struct BookingAlignmentTests {
    @Test(
        "times off the 30-minute grid are refused",
        arguments: [
            ("2026-03-11T10:15:00+01:00", "2026-03-11T12:00:00+01:00"),
            ("2026-03-11T10:00:00+01:00", "2026-03-11T11:45:00+01:00"),
            ("2026-03-11T10:00:30+01:00", "2026-03-11T12:00:00+01:00"),
            ("2026-03-11T10:00:00+01:00", "2026-03-11T12:00:01+01:00"),
            ("2026-03-11T10:00:00.500+01:00", "2026-03-11T12:00:00+01:00"),
            ("2026-03-11T10:00:00.0005+01:00", "2026-03-11T12:00:00+01:00"),
            ("2026-03-11T10:01:00+01:00", "2026-03-11T12:01:00+01:00"),
        ]
    )
    func offGrid(start: String, end: String) {
        expectRefusal("not_aligned", kind: .unprocessable) { try Scenario().check(start, end) }
    }

    @Test("a finer granularity accepts quarter hours")
    func finerGranularity() throws {
        var scenario = Scenario()
        scenario.policy.granularityMinutes = 15
        try scenario.check("2026-03-11T10:15:00+01:00", "2026-03-11T11:45:00+01:00")
    }

    @Test("in Asia/Kolkata (+05:30) hourly steps are local hours, which are half past in UTC")
    func kolkataHourlyGrid() throws {
        var scenario = Scenario(now: "2026-03-10T10:07:00+05:30", timeZone: kolkata)
        scenario.policy.granularityMinutes = 60
        scenario.policy.minDurationMinutes = 60
        // 09:00–12:00 local is 03:30–06:30 UTC.
        try scenario.check("2026-03-11T03:30:00Z", "2026-03-11T06:30:00Z")
        // 04:00–07:00 UTC is on the hour in UTC but 09:30–12:30 local.
        expectRefusal("not_aligned") { try scenario.check("2026-03-11T04:00:00Z", "2026-03-11T07:00:00Z") }
    }

    @Test("in Asia/Kolkata the 30-minute grid is local :00 and :30")
    func kolkataHalfHourGrid() throws {
        let scenario = Scenario(now: "2026-03-10T10:07:00+05:30", timeZone: kolkata)
        try scenario.check("2026-03-11T09:00:00+05:30", "2026-03-11T09:30:00+05:30")
        try scenario.check("2026-03-11T09:30:00+05:30", "2026-03-11T11:00:00+05:30")
        expectRefusal("not_aligned") { try scenario.check("2026-03-11T09:15:00+05:30", "2026-03-11T11:00:00+05:30") }
    }

    @Test("in Asia/Kathmandu (+05:45) the grid is local, a quarter past in UTC")
    func kathmanduGrid() throws {
        let scenario = Scenario(now: "2026-03-10T10:07:00+05:45", timeZone: kathmandu)
        // 09:00–10:00 local is 03:15–04:15 UTC.
        try scenario.check("2026-03-11T03:15:00Z", "2026-03-11T04:15:00Z")
        // 03:30–04:30 UTC is on the UTC half hour but 09:15–10:15 local.
        expectRefusal("not_aligned") { try scenario.check("2026-03-11T03:30:00Z", "2026-03-11T04:30:00Z") }
    }
}

@Suite("BookingRules.check: bookable hours")
struct BookingHoursTests {
    @Test("exactly the bookable hours 07:00–20:00 are accepted")
    func wholeBookableDay() throws {
        try Scenario().check("2026-03-11T07:00:00+01:00", "2026-03-11T20:00:00+01:00")
    }

    @Test(
        "bookings reaching outside 07:00–20:00 local are refused",
        arguments: [
            ("2026-03-11T06:30:00+01:00", "2026-03-11T08:00:00+01:00"),
            ("2026-03-11T19:00:00+01:00", "2026-03-11T20:30:00+01:00"),
            ("2026-03-11T20:00:00+01:00", "2026-03-11T21:00:00+01:00"),
            ("2026-03-11T19:00:00+01:00", "2026-03-12T00:00:00+01:00"),
            ("2026-03-11T08:00:00Z", "2026-03-11T19:30:00Z"),  // 09:00–20:30 local
        ]
    )
    func outsideHours(start: String, end: String) {
        expectRefusal("outside_bookable_hours", kind: .unprocessable) { try Scenario().check(start, end) }
    }

    @Test("a booking may not span two local days")
    func spansTwoDays() {
        var scenario = Scenario()
        scenario.policy.bookableFrom = LocalTime(hour: 0)
        scenario.policy.bookableUntil = LocalTime(hour: 24)
        scenario.policy.maxDurationMinutes = 1440
        expectRefusal("outside_bookable_hours") { try scenario.check("2026-03-11T22:00:00+01:00", "2026-03-12T02:00:00+01:00") }
        expectRefusal("outside_bookable_hours") { try scenario.check("2026-03-11T23:00:00+01:00", "2026-03-12T00:30:00+01:00") }
    }

    @Test("bookable until 24:00 accepts a booking that ends at the next midnight")
    func endsAtMidnight() throws {
        var scenario = Scenario()
        scenario.policy.bookableUntil = LocalTime(hour: 24)
        try scenario.check("2026-03-11T20:00:00+01:00", "2026-03-12T00:00:00+01:00")
    }

    @Test("bookable around the clock accepts one whole local day")
    func wholeDay() throws {
        var scenario = Scenario()
        scenario.policy.bookableFrom = LocalTime(hour: 0)
        scenario.policy.bookableUntil = LocalTime(hour: 24)
        scenario.policy.maxDurationMinutes = 1440
        try scenario.check("2026-03-11T00:00:00+01:00", "2026-03-12T00:00:00+01:00")
        expectRefusal("outside_bookable_hours") { try scenario.check("2026-03-11T00:00:00+01:00", "2026-03-12T00:30:00+01:00") }
    }
}

@Suite("BookingRules.check: booking window")
struct BookingWindowTests {
    @Test("with 14 days and release at 00:00, today + 14 is open and today + 15 is not")
    func fourteenDays() throws {
        let scenario = Scenario()
        try scenario.check("2026-03-24T07:00:00+01:00", "2026-03-24T20:00:00+01:00")
        let error = expectRefusal("outside_window", kind: .unprocessable) {
            try scenario.check("2026-03-25T07:00:00+01:00", "2026-03-25T08:00:00+01:00")
        }
        #expect(error?.detail.contains("2026-03-24") == true)
    }

    @Test("at the last minute of a day the window has not moved yet")
    func lastMinuteOfDay() throws {
        let scenario = Scenario(now: "2026-03-10T23:59:00+01:00")
        try scenario.check("2026-03-24T09:00:00+01:00", "2026-03-24T10:00:00+01:00")
        expectRefusal("outside_window") { try scenario.check("2026-03-25T09:00:00+01:00", "2026-03-25T10:00:00+01:00") }
    }

    @Test("with release at 08:00 the fourteenth day opens at 08:00 local")
    func releaseTime() throws {
        var before = Scenario(now: "2026-03-10T07:00:00+01:00")
        before.policy.releaseTime = LocalTime(hour: 8)
        expectRefusal("outside_window") { try before.check("2026-03-24T09:00:00+01:00", "2026-03-24T10:00:00+01:00") }
        try before.check("2026-03-23T09:00:00+01:00", "2026-03-23T10:00:00+01:00")

        var justBefore = before
        justBefore.now = utc("2026-03-10T07:59:59+01:00")
        expectRefusal("outside_window") { try justBefore.check("2026-03-24T09:00:00+01:00", "2026-03-24T10:00:00+01:00") }

        var atRelease = before
        atRelease.now = utc("2026-03-10T08:00:00+01:00")
        try atRelease.check("2026-03-24T09:00:00+01:00", "2026-03-24T10:00:00+01:00")
        expectRefusal("outside_window") { try atRelease.check("2026-03-25T09:00:00+01:00", "2026-03-25T10:00:00+01:00") }
    }

    @Test("with max_advance_days 0 only today is open")
    func todayOnly() throws {
        var scenario = Scenario()
        scenario.policy.maxAdvanceDays = 0
        try scenario.check("2026-03-10T14:00:00+01:00", "2026-03-10T15:00:00+01:00")
        expectRefusal("outside_window") { try scenario.check("2026-03-11T09:00:00+01:00", "2026-03-11T10:00:00+01:00") }
    }

    @Test(
        "lastOpenDay counts local calendar days and shifts at the release time",
        arguments: [
            ("Europe/Berlin", "2026-03-10T10:07:00+01:00", 0, 14, "2026-03-24"),
            ("Europe/Berlin", "2026-03-10T07:00:00+01:00", 8 * 60, 14, "2026-03-23"),
            ("Europe/Berlin", "2026-03-10T08:00:00+01:00", 8 * 60, 14, "2026-03-24"),
            ("Europe/Berlin", "2026-03-10T23:30:00Z", 0, 14, "2026-03-25"),  // already the 11th in Berlin
            ("Europe/Berlin", "2026-03-15T12:00:00+01:00", 0, 14, "2026-03-29"),
            ("Europe/Berlin", "2026-03-16T00:00:00+01:00", 0, 14, "2026-03-30"),
            ("America/New_York", "2026-03-10T03:00:00Z", 0, 14, "2026-03-23"),  // still the 9th in New York
            ("Asia/Kolkata", "2026-03-10T19:00:00Z", 0, 1, "2026-03-12"),
            // Clocks fall back at 03:00 CEST: 02:10 comes twice. The second time (01:10Z) is after the release
            // at the first 02:30 (00:30Z), so the new day stays open.
            ("Europe/Berlin", "2026-10-25T01:10:00Z", 150, 14, "2026-11-08"),
            ("Europe/Berlin", "2026-10-25T00:10:00Z", 150, 14, "2026-11-07"),
        ]
    )
    func lastOpenDay(zoneId: String, now: String, releaseMinutes: Int, days: Int, expected: String) throws {
        var policy = Policy.defaults
        policy.releaseTime = try LocalTime(minutes: releaseMinutes)
        policy.maxAdvanceDays = days
        let calendar = ZonedCalendar(timeZone: zone(zoneId))
        #expect(BookingRules.lastOpenDay(policy: policy, calendar: calendar, now: utc(now)) == day(expected))
    }
}

@Suite("BookingRules.check: duration")
struct BookingDurationTests {
    @Test("the minimum and maximum durations themselves are accepted")
    func limitsAccepted() throws {
        let scenario = Scenario()
        try scenario.check("2026-03-11T09:00:00+01:00", "2026-03-11T09:30:00+01:00")
        try scenario.check("2026-03-11T07:00:00+01:00", "2026-03-11T20:00:00+01:00")
    }

    @Test("shorter than the minimum is refused")
    func belowMinimum() {
        var quarterHours = Scenario()
        quarterHours.policy.granularityMinutes = 15
        expectRefusal("invalid_duration", kind: .unprocessable) {
            try quarterHours.check("2026-03-11T09:00:00+01:00", "2026-03-11T09:15:00+01:00")
        }
        var hourMinimum = Scenario()
        hourMinimum.policy.minDurationMinutes = 60
        expectRefusal("invalid_duration") { try hourMinimum.check("2026-03-11T09:00:00+01:00", "2026-03-11T09:30:00+01:00") }
    }

    @Test("longer than the maximum is refused")
    func aboveMaximum() throws {
        var lateEvenings = Scenario()
        lateEvenings.policy.bookableUntil = LocalTime(hour: 24)
        expectRefusal("invalid_duration", kind: .unprocessable) {
            try lateEvenings.check("2026-03-11T07:00:00+01:00", "2026-03-11T20:30:00+01:00")
        }

        var workingDay = Scenario()
        workingDay.policy.maxDurationMinutes = 480
        try workingDay.check("2026-03-11T09:00:00+01:00", "2026-03-11T17:00:00+01:00")
        expectRefusal("invalid_duration") { try workingDay.check("2026-03-11T09:00:00+01:00", "2026-03-11T17:30:00+01:00") }
    }
}

@Suite("BookingRules.check: changing a booking")
struct BookingChangeTests {
    /// Ann's booking today 09:00–11:00; now is 10:07.
    static let ongoing = range("2026-03-10T09:00:00+01:00", "2026-03-10T11:00:00+01:00")

    @Test("an ongoing booking keeps its start and may be extended or shortened")
    func extendOrShorten() throws {
        let scenario = Scenario()
        try scenario.check("2026-03-10T09:00:00+01:00", "2026-03-10T12:00:00+01:00", original: Self.ongoing)
        try scenario.check("2026-03-10T09:00:00+01:00", "2026-03-10T10:30:00+01:00", original: Self.ongoing)
    }

    @Test(
        "an ongoing booking's start cannot move",
        arguments: ["2026-03-10T08:30:00+01:00", "2026-03-10T09:30:00+01:00", "2026-03-10T10:00:00+01:00", "2026-03-10T10:30:00+01:00"]
    )
    func startCannotMove(start: String) {
        expectRefusal("in_the_past", kind: .unprocessable) {
            try Scenario().check(start, "2026-03-10T12:00:00+01:00", original: Self.ongoing)
        }
    }

    @Test("an ongoing booking cannot end in the past")
    func newEndInThePast() {
        expectRefusal("in_the_past") {
            try Scenario().check("2026-03-10T09:00:00+01:00", "2026-03-10T10:00:00+01:00", original: Self.ongoing)
        }
        expectRefusal("in_the_past") {
            try Scenario(now: "2026-03-10T10:00:00+01:00")
                .check("2026-03-10T09:00:00+01:00", "2026-03-10T10:00:00+01:00", original: Self.ongoing)
        }
    }

    @Test("a booking that has ended cannot be changed")
    func endedBooking() {
        let ended = range("2026-03-10T08:00:00+01:00", "2026-03-10T10:00:00+01:00")
        expectRefusal("booking_ended", kind: .conflict) {
            try Scenario().check("2026-03-10T08:00:00+01:00", "2026-03-10T12:00:00+01:00", original: ended)
        }
        let endingNow = range("2026-03-10T09:00:00+01:00", "2026-03-10T10:07:00+01:00")
        expectRefusal("booking_ended") {
            try Scenario().check("2026-03-10T09:00:00+01:00", "2026-03-10T12:00:00+01:00", original: endingNow)
        }
    }

    @Test("a booking that starts exactly now counts as ongoing")
    func startingNow() throws {
        let scenario = Scenario(now: "2026-03-10T09:00:00+01:00")
        try scenario.check("2026-03-10T09:00:00+01:00", "2026-03-10T13:00:00+01:00", original: Self.ongoing)
        expectRefusal("in_the_past") {
            try scenario.check("2026-03-10T09:30:00+01:00", "2026-03-10T13:00:00+01:00", original: Self.ongoing)
        }
    }

    @Test("an ongoing booking may be shortened below the minimum duration")
    func shortenBelowMinimum() throws {
        var scenario = Scenario()
        scenario.policy.minDurationMinutes = 120
        try scenario.check("2026-03-10T09:00:00+01:00", "2026-03-10T10:30:00+01:00", original: Self.ongoing)
    }

    @Test("an ongoing booking's new end still obeys the maximum duration, the grid and the bookable hours")
    func extensionObeysRules() {
        var scenario = Scenario()
        scenario.policy.maxDurationMinutes = 180
        expectRefusal("invalid_duration") {
            try scenario.check("2026-03-10T09:00:00+01:00", "2026-03-10T12:30:00+01:00", original: Self.ongoing)
        }
        expectRefusal("not_aligned") {
            try Scenario().check("2026-03-10T09:00:00+01:00", "2026-03-10T11:10:00+01:00", original: Self.ongoing)
        }
        expectRefusal("outside_bookable_hours") {
            try Scenario().check("2026-03-10T09:00:00+01:00", "2026-03-10T20:30:00+01:00", original: Self.ongoing)
        }
    }

    @Test("a future booking may move anywhere not in the past")
    func futureBookingMoves() throws {
        let tomorrow = range("2026-03-11T09:00:00+01:00", "2026-03-11T11:00:00+01:00")
        let scenario = Scenario()
        try scenario.check("2026-03-12T13:00:00+01:00", "2026-03-12T15:00:00+01:00", original: tomorrow)
        try scenario.check("2026-03-10T10:00:00+01:00", "2026-03-10T11:00:00+01:00", original: tomorrow)
        expectRefusal("in_the_past") {
            try scenario.check("2026-03-10T09:30:00+01:00", "2026-03-10T11:00:00+01:00", original: tomorrow)
        }
    }
}

@Suite("BookingRules.check: DST days")
struct BookingDSTTests {
    @Test("Berlin spring forward 2026-03-29: the usual local day is bookable")
    func berlinSpringForward() throws {
        let scenario = Scenario(now: "2026-03-26T12:00:00+01:00")
        let booking = range("2026-03-29T07:00:00+02:00", "2026-03-29T19:00:00+02:00")
        #expect(booking.duration == 12 * 3600)  // the jump happens at 02:00, before the booking
        try scenario.check("2026-03-29T07:00:00+02:00", "2026-03-29T19:00:00+02:00")
        try scenario.check("2026-03-29T07:00:00+02:00", "2026-03-29T20:00:00+02:00")
        expectRefusal("outside_bookable_hours") { try scenario.check("2026-03-29T06:30:00+02:00", "2026-03-29T08:00:00+02:00") }
    }

    @Test("Berlin: the same UTC hour is 07:00 local the day before and 08:00 local on the DST day")
    func berlinLocalHoursFollowOffset() throws {
        let scenario = Scenario(now: "2026-03-26T12:00:00+01:00")
        // 05:30Z is 06:30 CET on Saturday and 07:30 CEST on Sunday.
        expectRefusal("outside_bookable_hours") { try scenario.check("2026-03-28T05:30:00Z", "2026-03-28T07:00:00Z") }
        try scenario.check("2026-03-29T05:30:00Z", "2026-03-29T07:00:00Z")
    }

    @Test("Berlin fall back 2026-10-25: 07:00–20:00 local is accepted")
    func berlinFallBack() throws {
        let scenario = Scenario(now: "2026-10-22T12:00:00+02:00")
        try scenario.check("2026-10-25T07:00:00+01:00", "2026-10-25T20:00:00+01:00")
        expectRefusal("outside_bookable_hours") { try scenario.check("2026-10-25T19:30:00+01:00", "2026-10-25T20:30:00+01:00") }
    }

    @Test("New York spring forward 2026-03-08: 07:00–20:00 local is accepted")
    func newYorkSpringForward() throws {
        let scenario = Scenario(now: "2026-03-05T12:00:00-05:00", timeZone: newYork)
        try scenario.check("2026-03-08T07:00:00-04:00", "2026-03-08T20:00:00-04:00")
        // 11:00Z is 07:00 EDT on Sunday but 06:00 EST on Saturday.
        try scenario.check("2026-03-08T11:00:00Z", "2026-03-08T12:00:00Z")
        expectRefusal("outside_bookable_hours") { try scenario.check("2026-03-07T11:00:00Z", "2026-03-07T12:00:00Z") }
    }

    @Test("New York fall back 2026-11-01: 07:00–20:00 local is accepted")
    func newYorkFallBack() throws {
        let scenario = Scenario(now: "2026-10-29T12:00:00-04:00", timeZone: newYork)
        try scenario.check("2026-11-01T07:00:00-05:00", "2026-11-01T20:00:00-05:00")
        // 11:00Z is 07:00 EDT on Saturday but 06:00 EST on Sunday.
        try scenario.check("2026-10-31T11:00:00Z", "2026-10-31T12:00:00Z")
        expectRefusal("outside_bookable_hours") { try scenario.check("2026-11-01T11:00:00Z", "2026-11-01T12:00:00Z") }
    }

    @Test("duration is measured in elapsed time across a DST change")
    func durationIsElapsedTime() throws {
        var spring = Scenario(now: "2026-03-26T12:00:00+01:00")
        spring.policy.bookableFrom = LocalTime(hour: 0)
        spring.policy.bookableUntil = LocalTime(hour: 24)
        spring.policy.maxDurationMinutes = 660
        // 00:00–12:00 on the wall clock, 11 hours elapsed.
        try spring.check("2026-03-29T00:00:00+01:00", "2026-03-29T12:00:00+02:00")

        var autumn = Scenario(now: "2026-10-22T12:00:00+02:00")
        autumn.policy.bookableFrom = LocalTime(hour: 0)
        autumn.policy.bookableUntil = LocalTime(hour: 24)
        autumn.policy.maxDurationMinutes = 720
        // 00:00–12:00 on the wall clock, 13 hours elapsed.
        expectRefusal("invalid_duration") { try autumn.check("2026-10-25T00:00:00+02:00", "2026-10-25T12:00:00+01:00") }
        try autumn.check("2026-10-25T00:00:00+02:00", "2026-10-25T11:00:00+01:00")
    }

    @Test("a 23-hour and a 25-hour day can each be booked whole")
    func wholeDstDays() throws {
        var spring = Scenario(now: "2026-03-26T12:00:00+01:00")
        spring.policy.bookableFrom = LocalTime(hour: 0)
        spring.policy.bookableUntil = LocalTime(hour: 24)
        spring.policy.maxDurationMinutes = 1500
        try spring.check("2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00")

        var autumn = spring
        autumn.now = utc("2026-10-22T12:00:00+02:00")
        try autumn.check("2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00")
    }

    @Test("the booking window counts local days across the DST change")
    func windowAcrossDst() throws {
        let scenario = Scenario(now: "2026-03-15T12:00:00+01:00")
        try scenario.check("2026-03-29T07:00:00+02:00", "2026-03-29T08:00:00+02:00")
        expectRefusal("outside_window") { try scenario.check("2026-03-30T07:00:00+02:00", "2026-03-30T08:00:00+02:00") }
    }
}

@Suite("BookingRules.checkCapacity")
struct BookingCapacityTests {
    static let attempt = BookingAttempt(range: range("2026-03-11T10:00:00Z", "2026-03-11T12:00:00Z"), ownerId: ann)

    static func neighbours(desk: [TimeRange] = [], owner: [TimeRange] = [], upcoming: Int = 0) -> BookingNeighbours {
        BookingNeighbours(deskBookings: desk, ownerBookings: owner, ownerUpcomingCount: upcoming)
    }

    static func policy(concurrent: Int = 1, upcoming: Int = 20) -> Policy {
        var policy = Policy.defaults
        policy.maxConcurrentPerUser = concurrent
        policy.maxUpcomingPerUser = upcoming
        return policy
    }

    @Test("an empty desk and a free owner are fine")
    func nothingInTheWay() throws {
        try BookingRules.checkCapacity(Self.attempt, neighbours: Self.neighbours(), policy: .defaults)
    }

    @Test("overlapping desk bookings refuse with desk_taken and list the conflicts in order")
    func deskTaken() {
        let late = range("2026-03-11T11:30:00Z", "2026-03-11T13:00:00Z")
        let early = range("2026-03-11T09:00:00Z", "2026-03-11T10:30:00Z")
        let middle = range("2026-03-11T10:30:00Z", "2026-03-11T11:00:00Z")
        let touching = range("2026-03-11T12:00:00Z", "2026-03-11T13:00:00Z")
        let error = expectRefusal("desk_taken", kind: .conflict) {
            try BookingRules.checkCapacity(
                Self.attempt, neighbours: Self.neighbours(desk: [late, touching, early, middle]), policy: .defaults
            )
        }
        #expect(error?.conflicts == [early, middle, late])
    }

    @Test("back-to-back bookings on the desk do not conflict")
    func backToBackOnDesk() throws {
        let before = range("2026-03-11T08:00:00Z", "2026-03-11T10:00:00Z")
        let after = range("2026-03-11T12:00:00Z", "2026-03-11T14:00:00Z")
        try BookingRules.checkCapacity(Self.attempt, neighbours: Self.neighbours(desk: [before, after]), policy: .defaults)
    }

    @Test("with max 1, an overlapping own booking elsewhere refuses with concurrent_limit")
    func concurrentLimitOne() {
        let elsewhere = range("2026-03-11T11:00:00Z", "2026-03-11T15:00:00Z")
        expectRefusal("concurrent_limit", kind: .conflict) {
            try BookingRules.checkCapacity(Self.attempt, neighbours: Self.neighbours(owner: [elsewhere]), policy: Self.policy())
        }
    }

    @Test("with max 1, back-to-back own bookings elsewhere are fine")
    func concurrentBackToBack() throws {
        let before = range("2026-03-11T08:00:00Z", "2026-03-11T10:00:00Z")
        let after = range("2026-03-11T12:00:00Z", "2026-03-11T14:00:00Z")
        try BookingRules.checkCapacity(Self.attempt, neighbours: Self.neighbours(owner: [before, after]), policy: Self.policy())
    }

    @Test("with max 2, two own bookings that overlap the attempt but not each other are fine")
    func concurrentLimitTwoDisjoint() throws {
        let morning = range("2026-03-11T09:00:00Z", "2026-03-11T10:30:00Z")
        let noon = range("2026-03-11T11:30:00Z", "2026-03-11T13:00:00Z")
        try BookingRules.checkCapacity(
            Self.attempt, neighbours: Self.neighbours(owner: [morning, noon]), policy: Self.policy(concurrent: 2)
        )
        expectRefusal("concurrent_limit") {
            try BookingRules.checkCapacity(
                Self.attempt, neighbours: Self.neighbours(owner: [morning, noon]), policy: Self.policy(concurrent: 1)
            )
        }
    }

    @Test("with max 2, a third desk at the same instant is refused")
    func concurrentLimitTwoStacked() {
        let first = range("2026-03-11T09:00:00Z", "2026-03-11T11:00:00Z")
        let second = range("2026-03-11T10:30:00Z", "2026-03-11T12:30:00Z")
        expectRefusal("concurrent_limit") {
            try BookingRules.checkCapacity(
                Self.attempt, neighbours: Self.neighbours(owner: [first, second]), policy: Self.policy(concurrent: 2)
            )
        }
    }

    @Test("with max 3, three mutually overlapping bookings including the attempt are fine")
    func concurrentLimitThree() throws {
        let first = range("2026-03-11T09:00:00Z", "2026-03-11T11:00:00Z")
        let second = range("2026-03-11T10:30:00Z", "2026-03-11T12:30:00Z")
        try BookingRules.checkCapacity(
            Self.attempt, neighbours: Self.neighbours(owner: [first, second]), policy: Self.policy(concurrent: 3)
        )
    }

    @Test("the desk conflict is reported before the owner's limits")
    func deskBeforeOwner() {
        let clash = range("2026-03-11T11:00:00Z", "2026-03-11T13:00:00Z")
        expectRefusal("desk_taken") {
            try BookingRules.checkCapacity(
                Self.attempt, neighbours: Self.neighbours(desk: [clash], owner: [clash], upcoming: 99), policy: Self.policy()
            )
        }
    }

    @Test("a new booking beyond the upcoming quota is refused with quota_exceeded")
    func quotaExceeded() throws {
        expectRefusal("quota_exceeded", kind: .conflict) {
            try BookingRules.checkCapacity(Self.attempt, neighbours: Self.neighbours(upcoming: 20), policy: Self.policy(upcoming: 20))
        }
        try BookingRules.checkCapacity(Self.attempt, neighbours: Self.neighbours(upcoming: 19), policy: Self.policy(upcoming: 20))
    }

    @Test("changing an existing booking is not held to the upcoming quota")
    func quotaIgnoresChanges() throws {
        let change = BookingAttempt(
            range: Self.attempt.range, ownerId: ann, original: range("2026-03-11T09:00:00Z", "2026-03-11T10:00:00Z")
        )
        try BookingRules.checkCapacity(change, neighbours: Self.neighbours(upcoming: 20), policy: Self.policy(upcoming: 20))
        try BookingRules.checkCapacity(change, neighbours: Self.neighbours(upcoming: 500), policy: Self.policy(upcoming: 20))
    }
}
