import Foundation
import Testing
@testable import DeskCore

private let ann = UUID()

@Suite("MaintenancePeriod: what a manager may ask for")
struct MaintenancePeriodRequestTests {
    let now = utc("2026-03-10T10:07:00+01:00")

    @Test("the reason is trimmed; from defaults to now; until may be left open")
    func defaults() throws {
        let period = try MaintenancePeriod.requested(reason: "  New carpet \n", from: nil, until: nil, now: now)
        #expect(period == MaintenancePeriod(reason: "New carpet", from: now, until: nil))
        #expect(period.isActive(at: now) && period.isActive(at: utc("2099-01-01T00:00:00Z")))
        #expect(!period.hasEnded(at: utc("2099-01-01T00:00:00Z")))
    }

    @Test("a start a few minutes ago means now; further back, an empty or long reason, or an end not after the start are refused by field")
    func validation() throws {
        let recent = try MaintenancePeriod.requested(reason: "Paint", from: now.addingTimeInterval(-120), until: nil, now: now)
        #expect(recent.from == now)
        func fields(reason: String = "Paint", from: Date? = nil, until: Date? = nil) -> [String] {
            let error = #expect(throws: DomainError.self) {
                _ = try MaintenancePeriod.requested(reason: reason, from: from, until: until, now: now)
            }
            #expect(error?.code == "validation_failed")
            return error?.fieldErrors.map(\.field) ?? []
        }
        #expect(fields(reason: "   ") == ["reason"])
        #expect(fields(reason: String(repeating: "x", count: 501)) == ["reason"])
        #expect(fields(from: now.addingTimeInterval(-3600)) == ["from"])
        #expect(fields(from: utc("2026-03-12T09:00:00+01:00"), until: utc("2026-03-12T09:00:00+01:00")) == ["until"])
        #expect(fields(until: now.addingTimeInterval(-60)) == ["until"])
        #expect(fields(reason: "", from: now.addingTimeInterval(-3600), until: now.addingTimeInterval(-7200)) == ["reason", "from", "until"])
    }

    @Test("a start more than ten years ahead is refused: an open-ended period from beyond the far future would be empty")
    func farFuture() throws {
        let nineYears = now.addingTimeInterval(9 * 365 * 86_400)
        #expect(try MaintenancePeriod.requested(reason: "Paint", from: nineYears, until: nil, now: now).range.start == nineYears)
        for from in [now.addingTimeInterval(11 * 366 * 86_400), utc("9999-12-31T23:00:00Z")] {
            let error = #expect(throws: DomainError.self) { _ = try MaintenancePeriod.requested(reason: "Paint", from: from, until: nil, now: now) }
            #expect(error?.fieldErrors.map(\.field) == ["from"])
            #expect(throws: DomainError.self) { _ = try MaintenancePeriod.requestedSpan(from: from, until: nil, now: now) }
        }
    }
}

@Suite("Maintenance in the booking rules and availability: by period, not by flag")
struct MaintenanceRulesTests {
    /// Tuesday 2026-03-10, 10:07 in Berlin; maintenance from Wednesday 07:00 until Friday 12:00.
    let now = utc("2026-03-10T10:07:00+01:00")
    let maintenance = range("2026-03-11T07:00:00+01:00", "2026-03-13T12:00:00+01:00")
    var desk: DeskState { DeskState(deskId: UUID(), isActive: true, maintenance: maintenance, permanentAssigneeId: nil) }

    func check(_ start: String, _ end: String, original: TimeRange? = nil) throws {
        try BookingRules.check(BookingAttempt(range: range(start, end), ownerId: ann, original: original), desk: desk,
                               policy: .defaults, timeZone: berlin, now: now)
    }

    @Test("a booking inside the period is refused; before and after it, and next week, are fine")
    func bookingsByPeriod() throws {
        expectRefusal("not_bookable", kind: .conflict) { try check("2026-03-12T09:00:00+01:00", "2026-03-12T17:00:00+01:00") }
        expectRefusal("not_bookable", kind: .conflict) { try check("2026-03-13T11:30:00+01:00", "2026-03-13T13:00:00+01:00") }
        try check("2026-03-10T11:00:00+01:00", "2026-03-10T17:00:00+01:00")
        try check("2026-03-13T12:00:00+01:00", "2026-03-13T17:00:00+01:00")
        try check("2026-03-17T09:00:00+01:00", "2026-03-17T17:00:00+01:00")
    }

    @Test("a desk may be held during a period that ends or has not begun, not during one that has begun and has no end")
    func holds() throws {
        try BookingRules.checkHoldable(desk, for: ann, now: now)  // scheduled
        try BookingRules.checkHoldable(desk, for: ann, now: utc("2026-03-12T10:00:00+01:00"))  // under way, ends Friday
        let openEnded = DeskState(deskId: UUID(), isActive: true, maintenance: TimeRange(uncheckedStart: now, end: .distantFuture),
                                  permanentAssigneeId: nil)
        try BookingRules.checkHoldable(openEnded, for: ann, now: now.addingTimeInterval(-60))  // not begun yet
        expectRefusal("not_bookable") { try BookingRules.checkHoldable(openEnded, for: ann, now: now) }
    }

    @Test("a booking kept through maintenance may be shortened but not extended into the period")
    func keptBooking() throws {
        let kept = range("2026-03-11T09:00:00+01:00", "2026-03-11T15:00:00+01:00")
        try check("2026-03-11T09:00:00+01:00", "2026-03-11T12:00:00+01:00", original: kept)
        expectRefusal("not_bookable") { try check("2026-03-11T09:00:00+01:00", "2026-03-11T17:00:00+01:00", original: kept) }
    }

    @Test("the desk shows maintenance only while the period lasts; a day it covers is unavailable, a day it touches partly taken")
    func statusAndDays() {
        #expect(Availability.status(desk: desk, bookings: [], holdActive: false, now: now) == .free)
        #expect(Availability.status(desk: desk, bookings: [], holdActive: false, now: utc("2026-03-12T10:00:00+01:00")) == .maintenance)
        #expect(Availability.status(desk: desk, bookings: [], holdActive: false, now: utc("2026-03-13T12:00:00+01:00")) == .free)
        let calendar = ZonedCalendar(timeZone: berlin)
        func on(_ date: String) -> DayAvailability {
            Availability.day(day(date), desk: desk, viewerId: ann, busy: [], policy: .defaults, calendar: calendar)
        }
        #expect(on("2026-03-10") == .free)
        #expect(on("2026-03-12") == .unavailable)
        #expect(on("2026-03-13") == .partlyFree)
    }
}

@Suite("MaintenanceNotice: what owners read, in their own zone and formats")
struct MaintenanceNoticeTests {
    let notice = MaintenanceNotice(
        roomName: "Room 2.01",
        period: MaintenancePeriod(reason: "new carpet", from: utc("2026-12-14T07:00:00+01:00"), until: utc("2026-12-18T18:00:00+01:00")),
        placeZone: berlin)
    let booking = MaintenanceNotice.Booking(deskName: "A-03", range: range("2026-12-15T09:00:00+01:00", "2026-12-15T17:00:00+01:00"))

    @Test("the reason a cancelled booking shows")
    func cancelReason() {
        #expect(notice.cancelReason == "Room 2.01 is under maintenance: new carpet")
    }

    @Test("an owner in Berlin with the European date format and a 24-hour clock")
    func berlinOwner() {
        let format = ReadingFormat(timeZone: berlin, dateOrder: .european, twelveHour: false)
        #expect(notice.message(for: [booking], cancelled: true, format: format) ==
            "Your booking of desk A-03 on Tue 15.12.2026, 09:00–17:00 was cancelled: Room 2.01 is under maintenance "
            + "from Mon 14.12.2026 07:00 until Fri 18.12.2026 18:00: new carpet.")
    }

    @Test("an owner in New York with the American date format and a 12-hour clock reads the place's times named and their own")
    func newYorkOwner() {
        let format = ReadingFormat(timeZone: newYork, dateOrder: .american, twelveHour: true)
        #expect(notice.message(for: [booking], cancelled: true, format: format) ==
            "Your booking of desk A-03 on Tue 12/15/2026, 9:00 AM–5:00 PM (Berlin time; 3:00 AM–11:00 AM New York time) was cancelled: "
            + "Room 2.01 is under maintenance from Mon 12/14/2026 7:00 AM until Fri 12/18/2026 6:00 PM (Berlin time): new carpet.")
    }

    @Test("without a chosen zone the place's zone is named; several kept bookings are listed by start; open-ended says so")
    func keptAndOpenEnded() {
        let open = MaintenanceNotice(roomName: "Room 2.01", period: MaintenancePeriod(reason: "new carpet", from: notice.period.from, until: nil),
                                     placeZone: berlin)
        let later = MaintenanceNotice.Booking(deskName: "A-04", range: range("2026-12-16T08:00:00+01:00", "2026-12-16T12:30:00+01:00"))
        let format = ReadingFormat(timeZone: nil, dateOrder: .iso, twelveHour: false)
        #expect(open.message(for: [later, booking], cancelled: false, format: format) ==
            "Your bookings of desk A-03 on Tue 2026-12-15, 09:00–17:00 (Berlin time) and desk A-04 on Wed 2026-12-16, 08:00–12:30 "
            + "(Berlin time) stay booked, but Room 2.01 is under maintenance from Mon 2026-12-14 07:00 (Berlin time) until further notice: new carpet.")
    }

    @Test("a reader whose day differs sees their own date; a zone with the place's clock is only named")
    func ownDayAndSameClock() {
        let tokyo = zone("Asia/Tokyo"), paris = zone("Europe/Paris")
        let evening = MaintenanceNotice.Booking(deskName: "A-03", range: range("2026-12-15T17:00:00+01:00", "2026-12-15T19:00:00+01:00"))
        #expect(notice.slot(evening.range, format: ReadingFormat(timeZone: tokyo, dateOrder: .british, twelveHour: false)) ==
            "Tue 15/12/2026, 17:00–19:00 (Berlin time; Wed 16/12/2026, 01:00–03:00 Tokyo time)")
        #expect(notice.slot(evening.range, format: ReadingFormat(timeZone: paris, dateOrder: .british, twelveHour: false)) ==
            "Tue 15/12/2026, 17:00–19:00 (Berlin time)")
        #expect(ReadingFormat.zoneName(zone("America/Argentina/Buenos_Aires")) == "Buenos Aires time")
        #expect(ReadingFormat.zoneName(zone("UTC")) == "UTC")
    }
}
