import Foundation
import Testing
@testable import DeskCore

private let berlinCalendar = ZonedCalendar(timeZone: berlin)

@Suite("Autopilot outlook: what a rule did and does next")
struct AutopilotOutlookTests {
    /// Friday 2026-03-20, 10:00 in Berlin: days up to 04-03 are open, 04-04 opens next (at 00:00 on 03-21). The
    /// default policy opens Monday to Friday.
    let now = utc("2026-03-20T10:00:00+01:00")
    let a1 = AutopilotOutlook.NamedDesk(id: UUID(), name: "A1")

    private func outlook(_ selection: DaySelection, acting: Bool = true, facts: AutopilotOutlook.Facts = .init(),
                         window: DayWindow? = nil, at now: Date? = nil) -> AutopilotOutlook {
        AutopilotOutlook.make(selection, window: window, skipTodayAfter: nil, acting: acting, policy: .defaults, calendar: berlinCalendar,
                              now: now ?? self.now, facts: facts)
    }

    private func booking(_ date: String, desk: AutopilotOutlook.NamedDesk) -> AutopilotOutlook.Booking {
        AutopilotOutlook.Booking(id: UUID(), desk: desk, range: TimeRange(uncheckedStart: utc("\(date)T09:00:00+01:00"),
                                                                          end: utc("\(date)T17:00:00+01:00")))
    }

    @Test("each targeted day says what stands on it: booked by hand, won by the rule, waiting, waitlisted, lost, or still to ask")
    func dayStates() {
        let mine = booking("2026-03-24", desk: a1), won = booking("2026-03-26", desk: a1)
        let facts = AutopilotOutlook.Facts(
            bookings: [day("2026-03-24"): [mine], day("2026-03-26"): [won]],
            requests: [
                day("2026-03-26"): .init(status: .won(bookingId: won.id), byThisRule: true),
                day("2026-03-31"): .init(status: .waitlisted(position: 2), byThisRule: true),
                day("2026-04-02"): .init(status: .lost(reason: "No desk"), byThisRule: true),
                day("2026-04-01"): .init(status: .won(bookingId: UUID()), byThisRule: true),
            ])
        let result = outlook(DaySelection(weekdays: [2, 3, 4]), facts: facts)
        let states = Dictionary(uniqueKeysWithValues: result.days.map { ($0.date.description, $0.state) })
        #expect(states == [
            "2026-03-24": .booked, "2026-03-25": .toAsk, "2026-03-26": .won, "2026-03-31": .waitlisted, "2026-04-01": .cancelled,
            "2026-04-02": .lost,
        ])
        let booked = result.days[0]
        #expect(booked.desk == a1 && booked.range == mine.range && !booked.askedByThisRule)
        #expect(result.days.first { $0.state == .waitlisted }?.waitlistPosition == 2)
        #expect(result.days.first { $0.state == .lost }?.reason == "No desk")
    }

    @Test("the next day to open waits for its draw at the release time; the next ask is the first targeted day after it")
    func nextAsk() throws {
        let result = outlook(DaySelection(weekdays: [1, 5]))
        #expect(result.days.map(\.date) == ["2026-03-20", "2026-03-23", "2026-03-27", "2026-03-30", "2026-04-03"].map(day))
        #expect(result.days.allSatisfy { $0.state == .toAsk })
        // Monday 04-06 is asked for when Sunday 04-05 opens, and its own draw runs a day later.
        #expect(result.nextAsk == .init(date: day("2026-04-06"), asksAt: utc("2026-03-22T00:00:00+01:00"),
                                        opensAt: utc("2026-03-23T00:00:00+01:00")))
    }

    @Test("across the change to summer time the next ask and its draw stay at the local release time")
    func nextAskAcrossDaylightSaving() throws {
        // Monday 03-23: Tuesday 04-07 opens next, at 00:00 on 03-24; Monday 04-13 is asked for on 03-29 (the change).
        let monday = utc("2026-03-23T10:00:00+01:00")
        let facts = AutopilotOutlook.Facts(requests: [day("2026-04-07"): .init(status: .pending, byThisRule: true)])
        let result = outlook(DaySelection(weekdays: [1, 2]), facts: facts, at: monday)
        let waiting = try #require(result.days.last)
        #expect(waiting.date == day("2026-04-07") && waiting.state == .waiting && waiting.askedByThisRule)
        #expect(waiting.opensAt == utc("2026-03-24T00:00:00+01:00"))
        let next = try #require(result.nextAsk)
        #expect(next == .init(date: day("2026-04-13"), asksAt: utc("2026-03-29T00:00:00+01:00"), opensAt: utc("2026-03-30T00:00:00+02:00")))
        #expect(next.opensAt.timeIntervalSince(next.asksAt) == 23 * 3600)
    }

    @Test("days the location is closed on are never asked for")
    func closedDays() {
        let saturdays = outlook(DaySelection(weekdays: [6]))
        #expect(saturdays.days.isEmpty && saturdays.nextAsk == nil)
    }

    @Test("a paused or watching rule asks for nothing; a permanent desk makes every day covered; no day left means no next ask")
    func nothingAhead() {
        let facts = AutopilotOutlook.Facts(bookings: [day("2026-03-24"): [booking("2026-03-24", desk: a1)]])
        let paused = outlook(DaySelection(weekdays: [2]), acting: false, facts: facts)
        #expect(paused.nextAsk == nil && paused.days.map(\.state) == [.booked])
        let permanent = outlook(DaySelection(weekdays: [2]), facts: .init(permanentDesk: a1))
        #expect(permanent.permanentDesk == a1 && permanent.days.isEmpty && permanent.nextAsk == nil)
        let past = outlook(DaySelection(extraDates: [day("2026-03-01")]))
        #expect(past.days.isEmpty && past.nextAsk == nil)
    }

    @Test("today is no day to ask for once the rule's window is over")
    func windowOverToday() throws {
        let result = outlook(DaySelection(weekdays: [5]), window: try DayWindow(from: LocalTime(hour: 7), until: LocalTime(hour: 9)))
        #expect(result.days.map(\.date) == [day("2026-03-27"), day("2026-04-03")])
    }
}
