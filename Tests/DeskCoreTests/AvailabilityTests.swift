import Foundation
import Testing
@testable import DeskCore

private let me = UUID()
private let someoneElse = UUID()

private func desk(active: Bool = true, maintenance: Bool = false, assignee: UUID? = nil) -> DeskState {
    DeskState(deskId: UUID(), isActive: active, underMaintenance: maintenance, permanentAssigneeId: assignee)
}

private func policy(from: Int, until: Int, minDuration: Int = 30) -> Policy {
    var policy = Policy.defaultsOpenEveryDay
    policy.bookableFrom = LocalTime(hour: from)
    policy.bookableUntil = LocalTime(hour: until)
    policy.minDurationMinutes = minDuration
    return policy
}

@Suite("Availability.status")
struct AvailabilityStatusTests {
    private let now = utc("2026-03-10T10:00:00Z")
    private let covering = [range("2026-03-10T09:00:00Z", "2026-03-10T11:00:00Z")]

    @Test("each state wins over the ones after it: inactive, maintenance, booked, held, permanent, free")
    func precedence() {
        #expect(Availability.status(desk: desk(active: false, maintenance: true, assignee: me), bookings: covering, holdActive: true, now: now) == .inactive)
        #expect(Availability.status(desk: desk(maintenance: true, assignee: me), bookings: covering, holdActive: true, now: now) == .maintenance)
        #expect(Availability.status(desk: desk(assignee: me), bookings: covering, holdActive: true, now: now) == .booked)
        #expect(Availability.status(desk: desk(assignee: me), bookings: [], holdActive: true, now: now) == .held)
        #expect(Availability.status(desk: desk(assignee: me), bookings: [], holdActive: false, now: now) == .permanent)
        #expect(Availability.status(desk: desk(), bookings: [], holdActive: false, now: now) == .free)
    }

    @Test("a booking counts as booked from its start, not at its end")
    func bookedIsHalfOpen() {
        let booking = [range("2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z")]
        #expect(Availability.status(desk: desk(), bookings: booking, holdActive: false, now: utc("2026-03-10T10:00:00Z")) == .booked)
        #expect(Availability.status(desk: desk(), bookings: booking, holdActive: false, now: utc("2026-03-10T09:59:59Z")) == .free)
        #expect(Availability.status(desk: desk(), bookings: booking, holdActive: false, now: utc("2026-03-10T11:00:00Z")) == .free)
    }

    @Test("the raw values are the API's names")
    func rawValues() {
        #expect(DeskStatus.allCases.map(\.rawValue) == ["free", "booked", "held", "permanent", "maintenance", "inactive"])
        #expect(DayAvailability.partlyFree.rawValue == "partly_free")
    }
}

@Suite("Availability.freeRanges")
struct AvailabilityFreeRangesTests {
    private let day = range("2026-03-10T08:00:00Z", "2026-03-10T18:00:00Z")

    @Test("nothing busy leaves the whole range free")
    func nothingBusy() {
        #expect(Availability.freeRanges(within: day, busy: []) == [day])
    }

    @Test("busy ranges cut holes; unsorted, overlapping and touching ones count once; outside ones are ignored")
    func holes() {
        let busy = [
            range("2026-03-10T15:00:00Z", "2026-03-10T16:00:00Z"),
            range("2026-03-10T07:00:00Z", "2026-03-10T09:00:00Z"),
            range("2026-03-10T12:00:00Z", "2026-03-10T13:00:00Z"),
            range("2026-03-10T12:30:00Z", "2026-03-10T14:00:00Z"),
            range("2026-03-10T14:00:00Z", "2026-03-10T14:30:00Z"),
            range("2026-03-10T19:00:00Z", "2026-03-10T20:00:00Z"),
        ]
        #expect(Availability.freeRanges(within: day, busy: busy) == [
            range("2026-03-10T09:00:00Z", "2026-03-10T12:00:00Z"),
            range("2026-03-10T14:30:00Z", "2026-03-10T15:00:00Z"),
            range("2026-03-10T16:00:00Z", "2026-03-10T18:00:00Z"),
        ])
    }

    @Test("a busy range covering everything leaves nothing free")
    func allBusy() {
        #expect(Availability.freeRanges(within: day, busy: [range("2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z")]).isEmpty)
    }
}

@Suite("Availability.day")
struct AvailabilityDayTests {
    private let calendar = ZonedCalendar(timeZone: berlin)
    private let tuesday = day("2026-03-10")

    @Test("a desk the viewer cannot book is unavailable, whatever the bookings")
    func unavailable() {
        for state in [desk(active: false), desk(maintenance: true), desk(assignee: someoneElse)] {
            #expect(Availability.day(tuesday, desk: state, viewerId: me, busy: [], policy: .defaults, calendar: calendar) == .unavailable)
        }
        #expect(Availability.day(tuesday, desk: desk(assignee: me), viewerId: me, busy: [], policy: .defaults, calendar: calendar) == .free)
    }

    @Test("bookings outside the bookable hours leave the day free; back-to-back with them too")
    func outsideHoursIsFree() {
        let busy = [
            range("2026-03-10T06:00:00+01:00", "2026-03-10T07:00:00+01:00"),
            range("2026-03-10T20:00:00+01:00", "2026-03-10T22:00:00+01:00"),
        ]
        #expect(Availability.day(tuesday, desk: desk(), viewerId: me, busy: busy, policy: .defaults, calendar: calendar) == .free)
    }

    @Test("a free stretch as long as the minimum duration makes the day partly free; a shorter one does not")
    func partlyFreeVersusFull() {
        let morning = range("2026-03-10T07:00:00+01:00", "2026-03-10T12:00:00+01:00")
        let leavesThirty = [morning, range("2026-03-10T12:30:00+01:00", "2026-03-10T20:00:00+01:00")]
        let leavesTwenty = [morning, range("2026-03-10T12:20:00+01:00", "2026-03-10T20:00:00+01:00")]
        #expect(Availability.day(tuesday, desk: desk(), viewerId: me, busy: leavesThirty, policy: .defaults, calendar: calendar) == .partlyFree)
        #expect(Availability.day(tuesday, desk: desk(), viewerId: me, busy: leavesTwenty, policy: .defaults, calendar: calendar) == .full)
        #expect(Availability.day(tuesday, desk: desk(), viewerId: me, busy: [range("2026-03-10T07:00:00+01:00", "2026-03-10T20:00:00+01:00")], policy: .defaults, calendar: calendar) == .full)
    }

    @Test("bookable hours to 24:00 end at the next local midnight")
    func untilMidnight() {
        let hours = Availability.bookableHours(on: tuesday, policy: policy(from: 0, until: 24), calendar: calendar)
        #expect(hours == range("2026-03-10T00:00:00+01:00", "2026-03-11T00:00:00+01:00"))
    }

    @Test("the Berlin DST days have 23 and 25 bookable hours around the clock, 13 from 07:00 to 20:00")
    func dstHours() {
        let spring = day("2026-03-29")
        let autumn = day("2026-10-25")
        #expect(Availability.bookableHours(on: spring, policy: policy(from: 0, until: 24), calendar: calendar)
            == range("2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00"))
        #expect(Availability.bookableHours(on: spring, policy: policy(from: 0, until: 24), calendar: calendar).duration == TimeInterval(23 * 3600))
        #expect(Availability.bookableHours(on: autumn, policy: policy(from: 0, until: 24), calendar: calendar).duration == TimeInterval(25 * 3600))
        #expect(Availability.bookableHours(on: spring, policy: .defaults, calendar: calendar)
            == range("2026-03-29T07:00:00+02:00", "2026-03-29T20:00:00+02:00"))
        #expect(Availability.bookableHours(on: autumn, policy: .defaults, calendar: calendar)
            == range("2026-10-25T07:00:00+01:00", "2026-10-25T20:00:00+01:00"))
    }

    @Test("on the night clocks go back, a booking over the whole 25-hour day leaves it full, one hour less leaves it partly free")
    func fallBackDay() {
        let autumn = day("2026-10-25")
        let allDay = policy(from: 0, until: 24)
        let whole = range("2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00")
        let lastHourFree = range("2026-10-25T00:00:00+02:00", "2026-10-25T23:00:00+01:00")
        #expect(Availability.day(autumn, desk: desk(), viewerId: me, busy: [whole], policy: allDay, calendar: calendar) == .full)
        #expect(Availability.day(autumn, desk: desk(), viewerId: me, busy: [lastHourFree], policy: allDay, calendar: calendar) == .partlyFree)
    }

    @Test("bookable hours that lie wholly in a DST gap leave nothing to book; a one-second stand-in marks the gap's end")
    func swallowedByGap() {
        let gap = policy(from: 2, until: 3, minDuration: 60)
        #expect(Availability.bookableHours(on: day("2026-03-29"), policy: gap, calendar: calendar)
            == range("2026-03-29T03:00:00+02:00", "2026-03-29T03:00:01+02:00"))
        #expect(Availability.day(day("2026-03-29"), desk: desk(), viewerId: me, busy: [], policy: gap, calendar: calendar) == .full)
        #expect(Availability.day(day("2026-03-30"), desk: desk(), viewerId: me, busy: [], policy: gap, calendar: calendar) == .free)
    }
}

/// A small deterministic generator (SplitMix64), so that property tests replay the same cases.
private struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func pick<T>(_ options: [T]) -> T { options[int(0...options.count - 1)] }
}

/// The minutes of one local day as instants with their wall-clock minute, found with Foundation's calendar.
private struct LocalDayMinutes {
    let minutes: [(instant: Date, wall: Int)]
    /// The first instant after the day.
    let after: Date

    init(_ day: LocalDate, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let utcMidnight = Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch * 86_400))
        var minutes: [(Date, Int)] = []
        var after: Date?
        for step in 0..<(52 * 60) {
            let instant = utcMidnight.addingTimeInterval(TimeInterval(step * 60 - 14 * 3600))
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
            let date = LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)
            if date == day {
                minutes.append((instant, parts.hour! * 60 + parts.minute!))
            } else if date > day, after == nil {
                after = instant
            }
        }
        self.minutes = minutes
        self.after = after!
    }

    /// The bookable hours by walking the clock: from the first minute showing `from` or later, to the first showing
    /// `until` or later (or the end of the day).
    func bookable(from: LocalTime, until: LocalTime) -> (start: Date, end: Date)? {
        guard let start = minutes.first(where: { $0.wall >= from.minutes })?.instant else { return nil }
        let end = minutes.first(where: { $0.wall >= until.minutes })?.instant ?? after
        return end > start ? (start, end) : nil
    }
}

/// Free stretches of `[start, end)` walking minute by minute; every bound lies on a whole minute.
private func oracleFreeRuns(from start: Date, to end: Date, busy: [TimeRange]) -> [TimeRange] {
    var runs: [TimeRange] = []
    var runStart: Date?
    var instant = start
    while instant < end {
        let free = !busy.contains { $0.contains(instant) }
        if free, runStart == nil { runStart = instant }
        if !free, let open = runStart {
            runs.append(TimeRange(uncheckedStart: open, end: instant))
            runStart = nil
        }
        instant = instant.addingTimeInterval(60)
    }
    if let open = runStart { runs.append(TimeRange(uncheckedStart: open, end: end)) }
    return runs
}

@Suite("Availability: properties against a minute-by-minute oracle")
struct AvailabilityPropertyTests {
    @Test("freeRanges agrees with walking minute by minute", arguments: 0..<200)
    func freeRangesMatchesOracle(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &* 7919 &+ 1)
        let base = utc("2026-03-10T06:00:00Z")
        func minute(_ offset: Int) -> Date { base.addingTimeInterval(TimeInterval(offset * 60)) }
        let withinStart = random.int(0...240)
        let within = TimeRange(uncheckedStart: minute(withinStart), end: minute(withinStart + random.int(1...720)))
        let busy = (0..<random.int(0...8)).map { _ in
            let start = random.int(-60...1000)
            return TimeRange(uncheckedStart: minute(start), end: minute(start + random.int(1...240)))
        }
        let free = Availability.freeRanges(within: within, busy: busy)
        #expect(free == oracleFreeRuns(from: within.start, to: within.end, busy: busy))
    }

    @Test("day agrees with walking the local day minute by minute, DST days included", arguments: 0..<200)
    func dayMatchesOracle(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &* 104_729 &+ 17)
        // A third of the cases fall on Berlin's DST days.
        let berlinDST = seed % 3 == 0
        let timeZone = berlinDST ? berlin : random.pick([berlin, newYork, kathmandu, kolkata, zone("UTC")])
        let localDay = berlinDST ? random.pick([day("2026-03-29"), day("2026-10-25")]) : random.pick([
            day("2026-03-29"), day("2026-10-25"), day("2026-03-08"), day("2026-11-01"), day("2026-03-10"), day("2026-07-01"),
        ])
        let calendar = ZonedCalendar(timeZone: timeZone)
        var policy = Policy.defaultsOpenEveryDay
        let fromMinutes = random.int(0...46) * 30
        policy.bookableFrom = LocalTime(hour: 0, minute: fromMinutes)
        policy.bookableUntil = LocalTime(hour: 0, minute: random.int((fromMinutes / 30 + 1)...48) * 30)
        policy.minDurationMinutes = random.pick([15, 30, 60, 120])

        let state = random.int(0...9)
        let desk = switch state {
        case 0: desk(active: false)
        case 1: desk(maintenance: true)
        case 2: desk(assignee: someoneElse)
        case 3: desk(assignee: me)
        default: desk()
        }

        let clock = LocalDayMinutes(localDay, in: timeZone)
        let hours = clock.bookable(from: policy.bookableFrom, until: policy.bookableUntil)
        // Busy ranges cluster on the bookable hours (so that full days happen), some reach outside them.
        let anchor = hours?.start ?? clock.minutes[0].instant
        let span = Int((hours.map { $0.end.timeIntervalSince($0.start) } ?? 3600) / 60)
        let busy = (0..<random.int(0...10)).map { _ in
            // Quarter-hour steps, so that free stretches of exactly the minimum duration are common.
            let start = random.int(-6...(span / 15 + 2)) * 15
            let length = random.pick([15, 30, 45, 60, 90, 120, 240, 600])
            return TimeRange(
                uncheckedStart: anchor.addingTimeInterval(TimeInterval(start * 60)),
                end: anchor.addingTimeInterval(TimeInterval((start + length) * 60))
            )
        }

        let expected: DayAvailability
        if state <= 2 {
            expected = .unavailable
        } else if let hours {
            let runs = oracleFreeRuns(from: hours.start, to: hours.end, busy: busy)
            if runs == [TimeRange(uncheckedStart: hours.start, end: hours.end)] {
                expected = .free
            } else if runs.contains(where: { $0.duration >= TimeInterval(policy.minDurationMinutes * 60) }) {
                expected = .partlyFree
            } else {
                expected = .full
            }
        } else {
            expected = .full
        }

        let actualHours = Availability.bookableHours(on: localDay, policy: policy, calendar: calendar)
        if let hours {
            #expect(actualHours.start == hours.start)
            #expect(actualHours.end == hours.end)
        } else {
            #expect(actualHours.duration == 1)
        }
        #expect(Availability.day(localDay, desk: desk, viewerId: me, busy: busy, policy: policy, calendar: calendar) == expected)
    }
}
