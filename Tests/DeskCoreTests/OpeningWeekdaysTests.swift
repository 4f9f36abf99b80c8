import Foundation
import Testing
@testable import DeskCore

/// Thursday 2026-03-12, 10:00 in Berlin: Saturday 03-14 and Sunday 03-15 lie inside the booking window.
private let thursday = utc("2026-03-12T10:00:00+01:00")
private let berlinDays = ZonedCalendar(timeZone: berlin)

private func attempt(_ start: String, _ end: String) -> BookingAttempt {
    BookingAttempt(range: range(start, end), ownerId: UUID())
}

private let openDesk = DeskState(deskId: UUID(), isActive: true, underMaintenance: false, permanentAssigneeId: nil)

@Suite("Policy: opening weekdays")
struct OpeningWeekdaysTests {
    @Test("the global default opens Monday to Friday")
    func defaults() {
        #expect(Policy.defaults.openWeekdays == [1, 2, 3, 4, 5])
        #expect(Policy.defaults.isOpen(on: day("2026-03-13")))  // Friday
        #expect(!Policy.defaults.isOpen(on: day("2026-03-14")))  // Saturday
        #expect(!Policy.defaults.isOpen(on: day("2026-03-15")))  // Sunday
        #expect(Policy.defaults.isOpen(on: day("2026-03-16")))  // Monday
        #expect(Policy.defaults.openWeekdaysText == "Monday–Friday")
    }

    @Test("opening weekdays must name at least one day, each a weekday 1…7, none twice",
          arguments: [([Int](), true), ([0], true), ([8], true), ([1, 1], true), ([7], false), ([1, 3, 5], false), (Array(1...7), false)])
    func validation(days: [Int], refused: Bool) {
        var policy = Policy.defaults
        policy.openWeekdays = days
        #expect(policy.problems().contains { $0.field == "open_weekdays" } == refused)
    }

    @Test("overrides store the days in order and clear back to Monday–Friday")
    func overrides() {
        var patch = PolicyOverrides()
        patch.openWeekdays = [6, 1, 3]
        let merged = PolicyOverrides().merged(with: patch)
        #expect(merged.openWeekdays == [1, 3, 6])
        #expect(merged.applied(to: .defaults).openWeekdaysText == "Monday, Wednesday, Saturday")
        #expect(merged.clearing(["open_weekdays"]).applied(to: .defaults).openWeekdays == [1, 2, 3, 4, 5])
    }

    @Test("the policy's JSON names the days as open_weekdays")
    func json() throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let object = try JSONSerialization.jsonObject(with: encoder.encode(Policy.defaults)) as? [String: Any]
        #expect(object?["open_weekdays"] as? [Int] == [1, 2, 3, 4, 5])
    }
}

@Suite("BookingRules: opening weekdays")
struct OpeningWeekdayBookingTests {
    @Test("a booking on a weekday the location does not open is refused with location_closed")
    func closedDay() throws {
        expectRefusal("location_closed", kind: .unprocessable) {
            try BookingRules.check(attempt("2026-03-14T09:00:00+01:00", "2026-03-14T17:00:00+01:00"), desk: openDesk,
                                   policy: .defaults, timeZone: berlin, now: thursday)
        }
        try BookingRules.check(attempt("2026-03-13T09:00:00+01:00", "2026-03-13T17:00:00+01:00"), desk: openDesk,
                               policy: .defaults, timeZone: berlin, now: thursday)
        var everyDay = Policy.defaults
        everyDay.openWeekdays = Policy.everyWeekday
        try BookingRules.check(attempt("2026-03-14T09:00:00+01:00", "2026-03-14T17:00:00+01:00"), desk: openDesk,
                               policy: everyDay, timeZone: berlin, now: thursday)
    }

    @Test("the weekday is the one in the location's zone, not in UTC")
    func zonedWeekday() throws {
        var policy = Policy.defaults
        (policy.bookableFrom, policy.bookableUntil) = (LocalTime(hour: 0), try LocalTime(minutes: 1440))
        // Saturday 00:30 in Berlin is still Friday in UTC.
        expectRefusal("location_closed", kind: .unprocessable) {
            try BookingRules.check(attempt("2026-03-14T00:30:00+01:00", "2026-03-14T02:00:00+01:00"), desk: openDesk,
                                   policy: policy, timeZone: berlin, now: thursday)
        }
        // Friday 20:00 in New York is Saturday in UTC, and still Friday there.
        try BookingRules.check(attempt("2026-03-13T20:00:00-04:00", "2026-03-13T22:00:00-04:00"), desk: openDesk,
                               policy: policy, timeZone: newYork, now: thursday)
    }
}

@Suite("Availability and planning: opening weekdays")
struct OpeningWeekdayAvailabilityTests {
    @Test("a desk on a closed day is unavailable, not free")
    func closedDayUnavailable() {
        let saturday = day("2026-03-14")
        #expect(Availability.day(saturday, desk: openDesk, viewerId: UUID(), busy: [], policy: .defaults, calendar: berlinDays) == .unavailable)
        #expect(Availability.day(day("2026-03-13"), desk: openDesk, viewerId: UUID(), busy: [], policy: .defaults, calendar: berlinDays) == .free)
    }

    @Test("autopilot rules skip the days the location does not open")
    func autopilotSkipsClosedDays() {
        let everyDay = DaySelection(weekdays: Set(1...7))
        let days = AutopilotPlanning.targetDays(everyDay, policy: .defaults, calendar: berlinDays, now: thursday, skipTodayAfter: nil)
        #expect(!days.isEmpty)
        #expect(days.allSatisfy { $0.isoWeekday <= 5 })
        #expect(days.contains(day("2026-03-13")) && !days.contains(day("2026-03-14")) && days.contains(day("2026-03-16")))
    }
}

extension Policy {
    /// The global defaults, open every day of the week: for tests of other rules that fall on a weekend (the DST days).
    static var defaultsOpenEveryDay: Policy {
        var policy = Policy.defaults
        policy.openWeekdays = Policy.everyWeekday
        return policy
    }
}
