import Foundation
import Testing
@testable import DeskCore

private let homeLocation = UUID()
private let homeDesk = UUID()

private func uuid(_ last: String) -> UUID {
    UUID(uuidString: "00000000-0000-0000-0000-" + String(repeating: "0", count: 12 - last.count) + last)!
}

/// A booking at a location in `timeZone` (Berlin unless said otherwise).
private func stat(
    _ start: String, _ end: String, id: UUID = UUID(), desk: UUID = homeDesk, location: UUID = homeLocation,
    timeZone: TimeZone = berlin
) -> StatsBooking {
    StatsBooking(id: id, deskId: desk, locationId: location, range: range(start, end), timeZone: timeZone)
}

private func compute(_ bookings: [StatsBooking], now: String) -> BookingStats {
    BookingStats.compute(bookings: bookings, now: utc(now))
}

@Suite("BookingStats: hours this week and month")
struct BookingStatsHoursTests {
    @Test("the week runs from Monday 00:00 to the next Monday 00:00 local time, past and future parts both")
    func weekBoundaries() {
        let bookings = [
            stat("2026-03-08T18:00:00+01:00", "2026-03-08T20:00:00+01:00"),  // last Sunday: previous week
            stat("2026-03-08T23:00:00+01:00", "2026-03-09T01:00:00+01:00"),  // across Sunday night: one hour counts
            stat("2026-03-09T08:00:00+01:00", "2026-03-09T09:00:00+01:00"),  // this morning, past
            stat("2026-03-09T14:00:00+01:00", "2026-03-09T16:30:00+01:00"),  // this afternoon
            stat("2026-03-15T22:00:00+01:00", "2026-03-16T00:00:00+01:00"),  // Sunday night, ends with the week
            stat("2026-03-16T00:00:00+01:00", "2026-03-16T02:00:00+01:00"),  // next week
        ]
        let monday = compute(bookings, now: "2026-03-09T10:00:00+01:00")
        #expect(monday.hoursThisWeek == 6.5)  // 1 across Sunday night, 1 + 2.5 today, 2 on Sunday night
        // Late on Sunday it is still the same week; at midnight the next one begins.
        #expect(compute(bookings, now: "2026-03-15T23:59:59+01:00").hoursThisWeek == 6.5)
        #expect(compute(bookings, now: "2026-03-16T00:00:00+01:00").hoursThisWeek == 2)
        #expect(compute(bookings, now: "2026-03-08T23:59:59+01:00").hoursThisWeek == 3)
    }

    @Test("the week is the location's: a Monday morning in Berlin is still Sunday at a location in UTC")
    func localWeek() {
        let bookings = [stat("2026-03-09T00:30:00+01:00", "2026-03-09T02:00:00+01:00")]
        #expect(compute(bookings, now: "2026-03-09T00:45:00+01:00").hoursThisWeek == 1.5)
        let inLondon = [stat("2026-03-09T00:30:00+01:00", "2026-03-09T02:00:00+01:00", timeZone: zone("UTC"))]
        // At the UTC location it is Sunday 23:45, and that week ends at 01:00 Berlin time.
        #expect(compute(inLondon, now: "2026-03-09T00:45:00+01:00").hoursThisWeek == 0.5)
    }

    @Test("each booking counts in its own location's week and month, whatever the others' zones")
    func eachLocationsCalendar() {
        // Friday 27 March, 12:00 in Berlin. Monday 30 March 07:00 in Berlin is Sunday 29 March 19:00 in Honolulu.
        let berlinMonday = stat("2026-03-30T07:00:00+02:00", "2026-03-30T08:00:00+02:00")
        let honoluluSunday = stat("2026-03-29T19:00:00-10:00", "2026-03-29T20:00:00-10:00", timeZone: zone("Pacific/Honolulu"))
        let stats = compute([berlinMonday, honoluluSunday], now: "2026-03-27T12:00:00+01:00")
        #expect(stats.hoursThisWeek == 1)  // Honolulu's Sunday is in this week there; Berlin's Monday is next week
        #expect(stats.hoursThisMonth == 2)
        // 1 April 01:00 in Berlin is still 31 March 23:00 in UTC: March there, April in Berlin.
        let april = stat("2026-04-01T01:00:00+02:00", "2026-04-01T02:00:00+02:00")
        let stillMarch = stat("2026-04-01T01:00:00+02:00", "2026-04-01T02:00:00+02:00", timeZone: zone("UTC"))
        #expect(compute([april, stillMarch], now: "2026-03-31T12:00:00+02:00").hoursThisMonth == 1)
    }

    @Test("the month is the local calendar month, clipped at both ends")
    func monthBoundaries() {
        let bookings = [
            stat("2026-02-28T23:00:00+01:00", "2026-03-01T02:00:00+01:00"),  // two hours in March
            stat("2026-03-15T09:00:00+01:00", "2026-03-15T12:00:00+01:00"),
            stat("2026-03-31T22:00:00+02:00", "2026-04-01T01:00:00+02:00"),  // two hours in March
            stat("2026-04-01T09:00:00+02:00", "2026-04-01T10:00:00+02:00"),
        ]
        #expect(compute(bookings, now: "2026-03-31T23:30:00+02:00").hoursThisMonth == 7)
        #expect(compute(bookings, now: "2026-04-01T00:30:00+02:00").hoursThisMonth == 2)
    }

    @Test("December's month ends on the first of January")
    func yearEnd() {
        let bookings = [
            stat("2026-12-01T09:00:00+01:00", "2026-12-01T10:00:00+01:00"),
            stat("2026-12-31T23:00:00+01:00", "2027-01-01T01:00:00+01:00"),
            stat("2027-01-01T09:00:00+01:00", "2027-01-01T10:00:00+01:00"),
        ]
        #expect(compute(bookings, now: "2026-12-31T12:00:00+01:00").hoursThisMonth == 2)
        #expect(compute(bookings, now: "2027-01-01T12:00:00+01:00").hoursThisMonth == 2)
    }

    @Test("the week with the spring DST change has 167 hours")
    func springWeek() {
        let wholeWeek = stat("2026-03-23T00:00:00+01:00", "2026-03-30T00:00:00+02:00")
        let stats = compute([wholeWeek], now: "2026-03-29T12:00:00+02:00")
        #expect(stats.hoursThisWeek == 167)
        let acrossTheGap = stat("2026-03-29T01:00:00+01:00", "2026-03-29T04:00:00+02:00")
        #expect(compute([acrossTheGap], now: "2026-03-27T12:00:00+01:00").hoursThisWeek == 2)
    }

    @Test("the night clocks go back counts the repeated hour; its week has 169 hours")
    func autumnNight() {
        let night = stat("2026-10-25T00:00:00+02:00", "2026-10-25T06:00:00+01:00")
        let stats = compute([night], now: "2026-10-25T12:00:00+01:00")
        #expect(stats.hoursThisWeek == 7)
        #expect(stats.hoursThisMonth == 7)
        let wholeWeek = stat("2026-10-19T00:00:00+02:00", "2026-10-26T00:00:00+01:00")
        #expect(compute([wholeWeek], now: "2026-10-21T12:00:00+02:00").hoursThisWeek == 169)
        // October in Berlin lasts 745 hours.
        let wholeMonth = stat("2026-10-01T00:00:00+02:00", "2026-11-01T00:00:00+01:00")
        #expect(compute([wholeMonth], now: "2026-10-21T12:00:00+02:00").hoursThisMonth == 745)
    }

    @Test("relevantSince reaches back past the month's start in every zone and past the 30 days favourites look at")
    func relevantSince() {
        // The last hour of 31 March at the far east of the date line: its month began 31 days earlier there, which
        // is earlier still in UTC.
        let now = utc("2026-03-31T23:30:00+14:00")
        let monthStart = utc("2026-03-01T00:00:00+14:00")
        #expect(BookingStats.relevantSince(now: now) <= monthStart)
        let booking = stat("2026-03-01T00:00:00+14:00", "2026-03-01T01:00:00+14:00", timeZone: zone("Pacific/Kiritimati"))
        #expect(compute([booking], now: "2026-03-31T23:30:00+14:00").hoursThisMonth == 1)
        #expect(booking.range.end > BookingStats.relevantSince(now: now))
    }
}

@Suite("BookingStats: now, next and upcoming")
struct BookingStatsNowTests {
    @Test("the booking in progress shows its end and the seconds left; the next is the first that starts later")
    func activeAndNext() {
        let done = stat("2026-03-10T07:00:00+01:00", "2026-03-10T09:00:00+01:00")
        let active = stat("2026-03-10T09:00:00+01:00", "2026-03-10T12:00:00+01:00")
        let later = stat("2026-03-12T09:00:00+01:00", "2026-03-12T10:00:00+01:00")
        let soon = stat("2026-03-11T09:00:00+01:00", "2026-03-11T10:00:00+01:00")
        let stats = compute([later, done, soon, active], now: "2026-03-10T10:00:00+01:00")
        #expect(stats.activeNow == .init(bookingId: active.id, endsAt: utc("2026-03-10T12:00:00+01:00"), secondsLeft: 7200))
        #expect(stats.next == soon)
        #expect(stats.upcomingCount == 3)
    }

    @Test("a booking is active from its start, and ended at its end")
    func boundaries() {
        let booking = stat("2026-03-10T09:00:00+01:00", "2026-03-10T12:00:00+01:00")
        let atStart = compute([booking], now: "2026-03-10T09:00:00+01:00")
        #expect(atStart.activeNow?.bookingId == booking.id)
        #expect(atStart.next == nil)
        #expect(atStart.upcomingCount == 1)
        let atEnd = compute([booking], now: "2026-03-10T12:00:00+01:00")
        #expect(atEnd.activeNow == nil)
        #expect(atEnd.upcomingCount == 0)
        let before = compute([booking], now: "2026-03-10T08:59:59+01:00")
        #expect(before.activeNow == nil)
        #expect(before.next == booking)
    }

    @Test("seconds left round up, so a running booking never shows zero")
    func secondsRoundUp() {
        let booking = stat("2026-03-10T09:00:00+01:00", "2026-03-10T12:00:00+01:00")
        #expect(compute([booking], now: "2026-03-10T11:59:59.250+01:00").activeNow?.secondsLeft == 1)
    }

    @Test("nothing booked gives empty numbers")
    func empty() {
        #expect(compute([], now: "2026-03-10T10:00:00+01:00") == BookingStats(
            activeNow: nil, next: nil, hoursThisWeek: 0, hoursThisMonth: 0, upcomingCount: 0,
            favouriteLocationId: nil, favouriteDeskId: nil, busiestWeekday: nil
        ))
    }
}

@Suite("BookingStats: favourites and busiest weekday")
struct BookingStatsFavouriteTests {
    private let now = "2026-03-31T12:00:00+02:00"

    @Test("the favourite place has the most bookings in the last 30 days")
    func mostBookings() {
        let (a, b) = (uuid("a"), uuid("b"))
        let bookings = [
            stat("2026-03-10T09:00:00+01:00", "2026-03-10T10:00:00+01:00", location: b),
            stat("2026-03-11T09:00:00+01:00", "2026-03-11T10:00:00+01:00", location: b),
            stat("2026-03-12T09:00:00+01:00", "2026-03-12T20:00:00+01:00", location: a),
        ]
        #expect(compute(bookings, now: now).favouriteLocationId == b)
    }

    @Test("equal counts go to more hours, then to the smallest id")
    func tieBreaks() {
        let (a, b, c) = (uuid("a"), uuid("b"), uuid("c"))
        let moreHours = [
            stat("2026-03-10T09:00:00+01:00", "2026-03-10T10:00:00+01:00", desk: a),
            stat("2026-03-11T09:00:00+01:00", "2026-03-11T11:00:00+01:00", desk: c),
        ]
        #expect(compute(moreHours, now: now).favouriteDeskId == c)
        let sameHours = [
            stat("2026-03-10T09:00:00+01:00", "2026-03-10T10:00:00+01:00", desk: c),
            stat("2026-03-11T09:00:00+01:00", "2026-03-11T10:00:00+01:00", desk: b),
        ]
        #expect(compute(sameHours, now: now).favouriteDeskId == b)
        #expect(compute(sameHours.reversed(), now: now).favouriteDeskId == b)
    }

    @Test("only bookings that started in [now - 30 × 24 hours, now) count")
    func window() {
        let (inside, outside) = (uuid("b"), uuid("a"))
        let bookings = [
            // 30 × 24 hours before now: the clocks went forward in between.
            stat("2026-03-01T11:00:00+01:00", "2026-03-01T13:00:00+01:00", location: inside),
            stat("2026-03-01T10:59:59+01:00", "2026-03-01T13:00:00+01:00", location: outside),  // a second earlier
            stat("2026-03-31T12:00:00+02:00", "2026-03-31T13:00:00+02:00", location: outside),  // starts now
            stat("2026-04-02T09:00:00+02:00", "2026-04-02T10:00:00+02:00", location: outside),  // future
        ]
        let stats = compute(bookings, now: now)
        #expect(stats.favouriteLocationId == inside)
        #expect(stats.busiestWeekday == 7)  // 2026-03-01 was a Sunday
    }

    @Test("nothing in the last 30 days leaves no favourite and no busiest weekday")
    func none() {
        let stats = compute([stat("2026-04-02T09:00:00+02:00", "2026-04-02T10:00:00+02:00")], now: now)
        #expect(stats.favouriteLocationId == nil)
        #expect(stats.favouriteDeskId == nil)
        #expect(stats.busiestWeekday == nil)
    }

    @Test("the busiest weekday has the most bookings; ties go to the earlier weekday")
    func busiestWeekday() {
        let bookings = [
            stat("2026-03-13T09:00:00+01:00", "2026-03-13T10:00:00+01:00"),  // Friday
            stat("2026-03-20T09:00:00+01:00", "2026-03-20T10:00:00+01:00"),  // Friday
            stat("2026-03-11T09:00:00+01:00", "2026-03-11T10:00:00+01:00"),  // Wednesday
            stat("2026-03-18T09:00:00+01:00", "2026-03-18T10:00:00+01:00"),  // Wednesday
            stat("2026-03-16T09:00:00+01:00", "2026-03-16T10:00:00+01:00"),  // Monday
        ]
        #expect(compute(bookings, now: now).busiestWeekday == 3)
        #expect(compute(bookings + [stat("2026-03-27T09:00:00+01:00", "2026-03-27T10:00:00+01:00")], now: now).busiestWeekday == 5)
    }

    @Test("the weekday is the one of the local start date")
    func localWeekday() {
        // Tuesday 01:00 in Kolkata is still Monday in UTC.
        let booking = stat("2026-03-10T01:00:00+05:30", "2026-03-10T02:00:00+05:30", timeZone: kolkata)
        #expect(compute([booking], now: "2026-03-20T12:00:00Z").busiestWeekday == 2)
    }
}
