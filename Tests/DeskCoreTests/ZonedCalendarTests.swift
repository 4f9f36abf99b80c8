import Foundation
import Testing
@testable import DeskCore

@Suite("ZonedCalendar")
struct ZonedCalendarTests {
    @Test(
        "a day is 23 or 25 hours long on DST changes",
        arguments: [
            ("Europe/Berlin", "2026-03-10", "2026-03-09T23:00:00Z", 24),
            ("Europe/Berlin", "2026-03-29", "2026-03-28T23:00:00Z", 23),  // 02:00 jumps to 03:00
            ("Europe/Berlin", "2026-10-25", "2026-10-24T22:00:00Z", 25),  // 03:00 falls back to 02:00
            ("America/New_York", "2026-03-08", "2026-03-08T05:00:00Z", 23),
            ("America/New_York", "2026-11-01", "2026-11-01T04:00:00Z", 25),
            ("Asia/Kolkata", "2026-03-29", "2026-03-28T18:30:00Z", 24),
        ]
    )
    func dayLength(zoneId: String, date: String, start: String, hours: Int) {
        let calendar = ZonedCalendar(timeZone: zone(zoneId))
        let today = day(date)
        let tomorrow = calendar.adding(days: 1, to: today)
        #expect(calendar.startOfDay(today) == utc(start))
        #expect(calendar.startOfDay(tomorrow).timeIntervalSince(calendar.startOfDay(today)) == TimeInterval(hours * 3600))
        #expect(calendar.instant(on: today, at: LocalTime(hour: 24)) == calendar.startOfDay(tomorrow))
    }

    @Test(
        "09:00 local on and around DST changes",
        arguments: [
            ("Europe/Berlin", "2026-03-28", "2026-03-28T08:00:00Z"),
            ("Europe/Berlin", "2026-03-29", "2026-03-29T07:00:00Z"),
            ("Europe/Berlin", "2026-10-24", "2026-10-24T07:00:00Z"),
            ("Europe/Berlin", "2026-10-25", "2026-10-25T08:00:00Z"),
            ("America/New_York", "2026-03-07", "2026-03-07T14:00:00Z"),
            ("America/New_York", "2026-03-08", "2026-03-08T13:00:00Z"),
            ("America/New_York", "2026-10-31", "2026-10-31T13:00:00Z"),
            ("America/New_York", "2026-11-01", "2026-11-01T14:00:00Z"),
            ("Asia/Kolkata", "2026-03-10", "2026-03-10T03:30:00Z"),
            ("Asia/Kathmandu", "2026-03-10", "2026-03-10T03:15:00Z"),
        ]
    )
    func nineInTheMorning(zoneId: String, date: String, expected: String) {
        let calendar = ZonedCalendar(timeZone: zone(zoneId))
        let instant = calendar.instant(on: day(date), at: LocalTime(hour: 9))
        #expect(instant == utc(expected))
        #expect(calendar.date(of: instant) == day(date))
        #expect(calendar.wallMinutes(of: instant).minutes == 540)
    }

    @Test(
        "instant(on:at:) moves a wall time skipped by spring forward to the end of the gap",
        arguments: [
            ("Europe/Berlin", "2026-03-29", 2, 0, "2026-03-29T01:00:00Z"),
            ("Europe/Berlin", "2026-03-29", 2, 30, "2026-03-29T01:00:00Z"),
            ("Europe/Berlin", "2026-03-29", 2, 59, "2026-03-29T01:00:00Z"),
            ("America/New_York", "2026-03-08", 2, 30, "2026-03-08T07:00:00Z"),
            // Lord Howe Island moves its clocks by 30 minutes: 02:00 jumps to 02:30.
            ("Australia/Lord_Howe", "2026-10-04", 2, 0, "2026-10-03T15:30:00Z"),
            ("Australia/Lord_Howe", "2026-10-04", 2, 15, "2026-10-03T15:30:00Z"),
        ]
    )
    func springForwardGap(zoneId: String, date: String, hour: Int, minute: Int, expected: String) {
        let calendar = ZonedCalendar(timeZone: zone(zoneId))
        let instant = calendar.instant(on: day(date), at: LocalTime(hour: hour, minute: minute))
        #expect(calendar.date(of: instant) == day(date))
        #expect(instant == utc(expected))
    }

    @Test("instant(on:at:) on both sides of the Berlin gap")
    func aroundBerlinGap() {
        let calendar = ZonedCalendar(timeZone: berlin)
        let sunday = day("2026-03-29")
        #expect(calendar.instant(on: sunday, at: LocalTime(hour: 0)) == utc("2026-03-28T23:00:00Z"))
        #expect(calendar.instant(on: sunday, at: LocalTime(hour: 1, minute: 30)) == utc("2026-03-29T00:30:00Z"))
        #expect(calendar.instant(on: sunday, at: LocalTime(hour: 3)) == utc("2026-03-29T01:00:00Z"))
        #expect(calendar.instant(on: sunday, at: LocalTime(hour: 3, minute: 30)) == utc("2026-03-29T01:30:00Z"))
    }

    @Test("instant(on:at:) on both sides of the Lord Howe half-hour gap")
    func aroundLordHoweGap() {
        let calendar = ZonedCalendar(timeZone: zone("Australia/Lord_Howe"))
        let sunday = day("2026-10-04")
        #expect(calendar.instant(on: sunday, at: LocalTime(hour: 1, minute: 30)) == utc("2026-10-03T15:00:00Z"))
        #expect(calendar.instant(on: sunday, at: LocalTime(hour: 2, minute: 30)) == utc("2026-10-03T15:30:00Z"))
        #expect(calendar.instant(on: sunday, at: LocalTime(hour: 9)) == utc("2026-10-03T22:00:00Z"))
    }

    @Test("instant(on:at:) takes the first of a repeated wall time")
    func fallBackRepeat() {
        let berlinCalendar = ZonedCalendar(timeZone: berlin)
        #expect(berlinCalendar.instant(on: day("2026-10-25"), at: LocalTime(hour: 2, minute: 30)) == utc("2026-10-25T00:30:00Z"))
        #expect(berlinCalendar.instant(on: day("2026-10-25"), at: LocalTime(hour: 3)) == utc("2026-10-25T02:00:00Z"))
        let newYorkCalendar = ZonedCalendar(timeZone: newYork)
        #expect(newYorkCalendar.instant(on: day("2026-11-01"), at: LocalTime(hour: 1, minute: 30)) == utc("2026-11-01T05:30:00Z"))
    }

    @Test(
        "wallMinutes reads the local wall clock",
        arguments: [
            ("Europe/Berlin", "2026-03-29T00:59:00Z", 119),  // 01:59 CET
            ("Europe/Berlin", "2026-03-29T01:00:00Z", 180),  // 03:00 CEST
            ("Europe/Berlin", "2026-10-25T00:30:00Z", 150),  // 02:30 CEST
            ("Europe/Berlin", "2026-10-25T01:00:00Z", 120),  // 02:00 CET, the second time
            ("Europe/Berlin", "2026-10-25T01:30:00Z", 150),  // 02:30 CET, the second time
            ("America/New_York", "2026-03-08T07:00:00Z", 180),
            ("America/New_York", "2026-11-01T06:30:00Z", 90),
            ("Asia/Kolkata", "2026-03-10T03:30:00Z", 540),
            ("Asia/Kolkata", "2026-03-10T18:29:00Z", 1439),
            ("Asia/Kolkata", "2026-03-10T18:30:00Z", 0),
        ]
    )
    func wallMinutes(zoneId: String, instant: String, minutes: Int) {
        let reading = ZonedCalendar(timeZone: zone(zoneId)).wallMinutes(of: utc(instant))
        #expect(reading.minutes == minutes)
        #expect(reading.onWholeMinute)
    }

    @Test(
        "wallMinutes reports seconds and fractions",
        arguments: [
            ("2026-03-10T09:00:00Z", true),
            ("2026-03-10T09:00:00.0005Z", false),
            ("2026-03-10T09:00:00.5Z", false),
            ("2026-03-10T09:00:01Z", false),
            ("2026-03-10T09:00:59Z", false),
        ]
    )
    func wholeMinute(instant: String, whole: Bool) {
        let reading = ZonedCalendar(timeZone: berlin).wallMinutes(of: utc(instant))
        #expect(reading.minutes == 600)
        #expect(reading.onWholeMinute == whole)
    }

    @Test(
        "date(of:) is the local calendar day",
        arguments: [
            ("Europe/Berlin", "2026-03-28T22:59:00Z", "2026-03-28"),
            ("Europe/Berlin", "2026-03-28T23:00:00Z", "2026-03-29"),
            ("Europe/Berlin", "2026-03-29T21:59:00Z", "2026-03-29"),
            ("Europe/Berlin", "2026-03-29T22:00:00Z", "2026-03-30"),
            ("America/New_York", "2026-03-08T04:59:00Z", "2026-03-07"),
            ("America/New_York", "2026-03-08T05:00:00Z", "2026-03-08"),
            ("Asia/Kolkata", "2026-03-09T18:30:00Z", "2026-03-10"),
        ]
    )
    func dateOfInstant(zoneId: String, instant: String, expected: String) {
        #expect(ZonedCalendar(timeZone: zone(zoneId)).date(of: utc(instant)) == day(expected))
    }

    @Test(
        "adding(days:) moves by calendar days across DST, months and years",
        arguments: [
            ("Europe/Berlin", "2026-03-28", 1, "2026-03-29"),
            ("Europe/Berlin", "2026-03-28", 2, "2026-03-30"),
            ("Europe/Berlin", "2026-03-29", -1, "2026-03-28"),
            ("Europe/Berlin", "2026-10-24", 1, "2026-10-25"),
            ("Europe/Berlin", "2026-10-25", 1, "2026-10-26"),
            ("Europe/Berlin", "2026-03-20", 14, "2026-04-03"),
            ("Europe/Berlin", "2026-12-31", 1, "2027-01-01"),
            ("Europe/Berlin", "2026-03-01", -1, "2026-02-28"),
            ("Europe/Berlin", "2028-02-28", 1, "2028-02-29"),
            ("Europe/Berlin", "2026-03-10", 0, "2026-03-10"),
            ("America/New_York", "2026-03-07", 1, "2026-03-08"),
            ("America/New_York", "2026-03-08", 1, "2026-03-09"),
            ("America/New_York", "2026-10-31", 1, "2026-11-01"),
            ("America/New_York", "2026-11-01", 1, "2026-11-02"),
            ("America/New_York", "2026-10-25", 14, "2026-11-08"),
        ]
    )
    func addingDays(zoneId: String, start: String, days: Int, expected: String) {
        #expect(ZonedCalendar(timeZone: zone(zoneId)).adding(days: days, to: day(start)) == day(expected))
    }

    @Test(
        "isoWeekday runs from Monday 1 to Sunday 7",
        arguments: [
            ("2026-03-30", 1),
            ("2026-03-10", 2),
            ("2026-01-01", 4),
            ("2026-03-28", 6),
            ("2026-03-29", 7),
            ("2026-10-25", 7),
            ("2026-11-01", 7),
            ("2028-02-29", 2),
        ]
    )
    func isoWeekday(date: String, weekday: Int) {
        for timeZone in [berlin, newYork, kolkata] {
            #expect(ZonedCalendar(timeZone: timeZone).isoWeekday(of: day(date)) == weekday, "in \(timeZone.identifier)")
        }
    }
}
