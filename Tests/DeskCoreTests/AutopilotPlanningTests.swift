import Foundation
import Testing
@testable import DeskCore

private let berlinCalendar = ZonedCalendar(timeZone: berlin)

private func candidate(_ name: String, room: UUID, floor: UUID, tags: Set<String> = []) -> DeskCandidate {
    DeskCandidate(id: UUID(), name: name, roomId: room, floorId: floor, tags: tags)
}

@Suite("Autopilot planning: which days")
struct AutopilotTargetDayTests {
    /// Tuesday 2026-03-10, 10:07 in Berlin; the window runs to 03-24, so 03-25 opens next.
    let now = utc("2026-03-10T10:07:00+01:00")

    @Test("weekdays up to the next day to open, minus blacklisted dates and ranges; extra dates added unless blacklisted")
    func weekdaysAndBlacklists() throws {
        var selection = DaySelection(weekdays: [1, 3])
        #expect(AutopilotPlanning.targetDays(selection, policy: .defaultsOpenEveryDay, calendar: berlinCalendar, now: now, skipTodayAfter: nil)
            == ["2026-03-11", "2026-03-16", "2026-03-18", "2026-03-23", "2026-03-25"].map(day))

        selection.blacklistRanges = [try DaySpan(from: day("2026-03-16"), to: day("2026-03-18"))]
        selection.blacklistDates = [day("2026-03-23")]
        selection.extraDates = [day("2026-03-14"), day("2026-03-17"), day("2026-04-30")]
        // 03-17 lies in the blacklisted range; 04-30 is beyond the next day to open.
        #expect(AutopilotPlanning.targetDays(selection, policy: .defaultsOpenEveryDay, calendar: berlinCalendar, now: now, skipTodayAfter: nil)
            == ["2026-03-11", "2026-03-14", "2026-03-25"].map(day))
        #expect(throws: DomainError.self) { try DaySpan(from: day("2026-03-18"), to: day("2026-03-16")) }
        #expect(DaySelection().problems().map(\.field) == ["weekdays"])
        #expect(DaySelection(weekdays: [0, 8]).problems().count == 1)
    }

    @Test("the window's far edge moves at the release time, to the minute")
    func windowEdges() {
        var policy = Policy.defaultsOpenEveryDay
        policy.releaseTime = LocalTime(hour: 8)
        let every = DaySelection(weekdays: Set(1...7))
        let before = utc("2026-03-10T07:59:00+01:00"), at = utc("2026-03-10T08:00:00+01:00")
        #expect(AutopilotPlanning.nextDayToOpen(policy: policy, calendar: berlinCalendar, now: before) == day("2026-03-24"))
        #expect(AutopilotPlanning.nextDayToOpen(policy: policy, calendar: berlinCalendar, now: at) == day("2026-03-25"))
        #expect(AutopilotPlanning.targetDays(every, policy: policy, calendar: berlinCalendar, now: before, skipTodayAfter: nil).last == day("2026-03-24"))
        #expect(AutopilotPlanning.targetDays(every, policy: policy, calendar: berlinCalendar, now: at, skipTodayAfter: nil).count == 16)
        policy.maxAdvanceDays = 0
        #expect(AutopilotPlanning.targetDays(every, policy: policy, calendar: berlinCalendar, now: at, skipTodayAfter: nil)
            == [day("2026-03-10"), day("2026-03-11")])
    }

    @Test("today is skipped after the cut-off, also on the days clocks change")
    func cutOff() {
        let every = DaySelection(weekdays: Set(1...7))
        func first(_ now: String, _ cutOff: LocalTime?) -> LocalDate? {
            AutopilotPlanning.targetDays(every, policy: .defaultsOpenEveryDay, calendar: berlinCalendar, now: utc(now), skipTodayAfter: cutOff).first
        }
        #expect(first("2026-03-10T10:07:00+01:00", LocalTime(hour: 10)) == day("2026-03-11"))
        #expect(first("2026-03-10T10:07:00+01:00", LocalTime(hour: 11)) == day("2026-03-10"))
        #expect(first("2026-03-10T10:07:00+01:00", nil) == day("2026-03-10"))
        // 2026-03-29: 02:30 does not exist in Berlin; the cut-off falls at 03:00 CEST.
        #expect(first("2026-03-29T01:59:00+01:00", LocalTime(hour: 2, minute: 30)) == day("2026-03-29"))
        #expect(first("2026-03-29T03:00:00+02:00", LocalTime(hour: 2, minute: 30)) == day("2026-03-30"))
        // 2026-10-25: 02:30 happens twice; the first one counts, so the second 02:15 is already past it.
        #expect(first("2026-10-25T02:15:00+02:00", LocalTime(hour: 2, minute: 30)) == day("2026-10-25"))
        #expect(first("2026-10-25T02:15:00+01:00", LocalTime(hour: 2, minute: 30)) == day("2026-10-26"))
    }
}

@Suite("Autopilot planning: which times and desks")
struct AutopilotRangeTests {
    @Test("the window is clamped to the bookable hours and aligned inwards; today starts at the current slot")
    func windows() throws {
        let now = utc("2026-03-10T10:07:00+01:00")
        func range(_ date: String, _ window: DayWindow?, policy: Policy = .defaults, at instant: Date = now) -> TimeRange? {
            AutopilotPlanning.range(on: day(date), window: window, policy: policy, calendar: berlinCalendar, now: instant)
        }
        #expect(range("2026-03-11", nil) == DeskCoreTests.range("2026-03-11T07:00:00+01:00", "2026-03-11T20:00:00+01:00"))
        let early = try DayWindow(from: LocalTime(hour: 6), until: LocalTime(hour: 9, minute: 10))
        #expect(range("2026-03-11", early) == DeskCoreTests.range("2026-03-11T07:00:00+01:00", "2026-03-11T09:00:00+01:00"))
        let office = try DayWindow(from: LocalTime(hour: 9), until: LocalTime(hour: 17))
        #expect(range("2026-03-10", office) == DeskCoreTests.range("2026-03-10T10:00:00+01:00", "2026-03-10T17:00:00+01:00"))
        // Late in the day: the last slot is still worth a booking of the shortest length, not less.
        let late = utc("2026-03-10T19:45:00+01:00")
        #expect(range("2026-03-10", nil, at: late) == DeskCoreTests.range("2026-03-10T19:30:00+01:00", "2026-03-10T20:00:00+01:00"))
        var policy = Policy.defaults
        policy.minDurationMinutes = 60
        #expect(range("2026-03-10", nil, policy: policy, at: late) == nil)
        policy.maxDurationMinutes = 240
        #expect(range("2026-03-11", nil, policy: policy) == DeskCoreTests.range("2026-03-11T07:00:00+01:00", "2026-03-11T11:00:00+01:00"))
    }

    @Test("on the day clocks go forward a window spans the real hours; a window inside the gap is empty")
    func springForward() throws {
        var policy = Policy.defaults
        policy.bookableFrom = LocalTime(hour: 0)
        policy.bookableUntil = LocalTime(hour: 24)
        let now = utc("2026-03-20T10:00:00+01:00")
        let night = try DayWindow(from: LocalTime(hour: 1), until: LocalTime(hour: 4))
        let range = try #require(AutopilotPlanning.range(on: day("2026-03-29"), window: night, policy: policy, calendar: berlinCalendar, now: now))
        #expect(range.duration == 2 * 3600)
        let gap = try DayWindow(from: LocalTime(hour: 2), until: LocalTime(hour: 3))
        #expect(AutopilotPlanning.range(on: day("2026-03-29"), window: gap, policy: policy, calendar: berlinCalendar, now: now) == nil)
        let wholeDay = AutopilotPlanning.range(on: day("2026-10-25"), window: nil, policy: policy, calendar: berlinCalendar, now: now)
        #expect(wholeDay?.duration == TimeInterval(13 * 3600))  // capped at the longest booking, not the 25-hour day
    }

    @Test("matching desks: preferences first in their order, then others by name; tags bind even preferences")
    func desks() {
        let (room1, room2, floor1, floor2) = (UUID(), UUID(), UUID(), UUID())
        let a = candidate("A", room: room1, floor: floor1, tags: ["monitor"])
        let b = candidate("B", room: room1, floor: floor1)
        let c = candidate("C", room: room2, floor: floor2, tags: ["monitor"])
        let d = candidate("D", room: room2, floor: floor2, tags: ["monitor"])
        let all = [d, c, b, a]
        #expect(AutopilotPlanning.matchingDesks(DeskCriteria(), among: all) == [a, b, c, d])
        #expect(AutopilotPlanning.matchingDesks(DeskCriteria(roomIds: [room1], preferredDesks: [d.id]), among: all) == [d, a, b])
        #expect(AutopilotPlanning.matchingDesks(DeskCriteria(floorIds: [floor2], preferredDesks: [d.id, b.id], requiredTags: ["monitor"]), among: all) == [d, c])
        #expect(AutopilotPlanning.matchingDesks(DeskCriteria(preferredDesks: [c.id, a.id], acceptsOtherDesks: false), among: all) == [c, a])
    }
}
