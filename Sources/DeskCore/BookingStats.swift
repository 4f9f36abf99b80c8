import Foundation

/// The facts of one confirmed booking that a person's numbers are computed from.
public struct StatsBooking: Hashable, Sendable {
    public let id: UUID
    public let deskId: UUID
    public let locationId: UUID
    public let range: TimeRange
    /// The zone of the booking's location: its days, weeks and months are that location's.
    public let timeZone: TimeZone

    public init(id: UUID, deskId: UUID, locationId: UUID, range: TimeRange, timeZone: TimeZone) {
        self.id = id
        self.deskId = deskId
        self.locationId = locationId
        self.range = range
        self.timeZone = timeZone
    }

    var calendar: ZonedCalendar { ZonedCalendar(timeZone: timeZone) }
}

/// A person's numbers for the dashboard. Each booking counts by its own location's calendar (docs/time.md): a
/// booking's week, month and weekday are the ones its location's clock shows, as every page shows its times, so the
/// numbers never depend on where the person or their browser is.
public struct BookingStats: Hashable, Sendable {
    /// The booking in progress and how long it still runs.
    public struct Active: Hashable, Sendable {
        public let bookingId: UUID
        public let endsAt: Date
        /// Whole seconds until the end, rounded up so that a running booking never shows zero.
        public let secondsLeft: Int

        public init(bookingId: UUID, endsAt: Date, secondsLeft: Int) {
            self.bookingId = bookingId
            self.endsAt = endsAt
            self.secondsLeft = secondsLeft
        }
    }

    /// The booking in progress; of several, the one that started first.
    public let activeNow: Active?
    /// The first booking starting after now.
    public let next: StatsBooking?
    /// Booked hours overlapping this week (Monday 00:00 to next Monday 00:00 at each booking's location), past and
    /// future parts both.
    public let hoursThisWeek: Double
    /// Booked hours overlapping this calendar month at each booking's location.
    public let hoursThisMonth: Double
    /// Bookings whose end is after now.
    public let upcomingCount: Int
    /// Over bookings that started in the last 30 × 24 hours: most bookings; ties → more hours; then smallest uuidString.
    public let favouriteLocationId: UUID?
    /// The same rule per desk.
    public let favouriteDeskId: UUID?
    /// ISO weekday (1 = Monday … 7 = Sunday) of the start date at the booking's location over the same 30 days: most
    /// bookings, ties → lower weekday.
    public let busiestWeekday: Int?

    public init(
        activeNow: Active?, next: StatsBooking?, hoursThisWeek: Double, hoursThisMonth: Double, upcomingCount: Int,
        favouriteLocationId: UUID?, favouriteDeskId: UUID?, busiestWeekday: Int?
    ) {
        self.activeNow = activeNow
        self.next = next
        self.hoursThisWeek = hoursThisWeek
        self.hoursThisMonth = hoursThisMonth
        self.upcomingCount = upcomingCount
        self.favouriteLocationId = favouriteLocationId
        self.favouriteDeskId = favouriteDeskId
        self.busiestWeekday = busiestWeekday
    }

    /// How far back favourites and the busiest weekday look.
    private static let lookBack: TimeInterval = 30 * 86_400

    /// The earliest instant a booking must end after to matter, whatever its location's zone, so callers load only
    /// that: in any zone this month began at most 31 days and an hour (a clock change) ago, this week 7 days and an
    /// hour ago; favourites look back 30 days.
    public static func relevantSince(now: Date) -> Date {
        now.addingTimeInterval(-33 * 86_400)
    }

    /// `bookings` are the person's confirmed bookings (any order).
    public static func compute(bookings: [StatsBooking], now: Date) -> BookingStats {
        let ordered = bookings.sorted { ($0.range.start, $0.range.end, $0.id.uuidString) < ($1.range.start, $1.range.end, $1.id.uuidString) }
        let active = ordered.first { $0.range.contains(now) }.map { booking in
            Active(
                bookingId: booking.id,
                endsAt: booking.range.end,
                secondsLeft: Int(booking.range.end.timeIntervalSince(now).rounded(.up))
            )
        }
        let recent = ordered.filter { $0.range.start >= now.addingTimeInterval(-lookBack) && $0.range.start < now }
        return BookingStats(
            activeNow: active,
            next: ordered.first { $0.range.start > now },
            hoursThisWeek: hours(of: ordered) { week(of: now, calendar: $0) },
            hoursThisMonth: hours(of: ordered) { month(of: now, calendar: $0) },
            upcomingCount: ordered.count { $0.range.end > now },
            favouriteLocationId: favourite(of: recent, by: \.locationId),
            favouriteDeskId: favourite(of: recent, by: \.deskId),
            busiestWeekday: busiestWeekday(of: recent)
        )
    }

    /// The local week of `now` as instants, exact across DST changes.
    private static func week(of now: Date, calendar: ZonedCalendar) -> TimeRange {
        let today = calendar.date(of: now)
        let monday = calendar.adding(days: 1 - calendar.isoWeekday(of: today), to: today)
        return TimeRange(
            uncheckedStart: calendar.startOfDay(monday),
            end: calendar.startOfDay(calendar.adding(days: 7, to: monday))
        )
    }

    /// The local calendar month of `now` as instants.
    private static func month(of now: Date, calendar: ZonedCalendar) -> TimeRange {
        let today = calendar.date(of: now)
        let first = LocalDate(year: today.year, month: today.month, day: 1)
        let next = today.month == 12
            ? LocalDate(year: today.year + 1, month: 1, day: 1)
            : LocalDate(year: today.year, month: today.month + 1, day: 1)
        return TimeRange(uncheckedStart: calendar.startOfDay(first), end: calendar.startOfDay(next))
    }

    /// Hours of the bookings within `period` as each booking's location's calendar draws it.
    private static func hours(of bookings: [StatsBooking], within period: (ZonedCalendar) -> TimeRange) -> Double {
        var periods: [TimeZone: TimeRange] = [:]
        let seconds = bookings.reduce(0.0) { total, booking in
            let period = periods[booking.timeZone] ?? period(booking.calendar)
            periods[booking.timeZone] = period
            let start = max(booking.range.start, period.start)
            let end = min(booking.range.end, period.end)
            return end > start ? total + end.timeIntervalSince(start) : total
        }
        return seconds / 3600
    }

    private static func favourite(of bookings: [StatsBooking], by key: KeyPath<StatsBooking, UUID>) -> UUID? {
        var tallies: [UUID: (count: Int, seconds: TimeInterval)] = [:]
        for booking in bookings {
            let tally = tallies[booking[keyPath: key], default: (0, 0)]
            tallies[booking[keyPath: key]] = (tally.count + 1, tally.seconds + booking.range.duration)
        }
        return tallies.min { lhs, rhs in
            if lhs.value.count != rhs.value.count { return lhs.value.count > rhs.value.count }
            if lhs.value.seconds != rhs.value.seconds { return lhs.value.seconds > rhs.value.seconds }
            return lhs.key.uuidString < rhs.key.uuidString
        }?.key
    }

    private static func busiestWeekday(of bookings: [StatsBooking]) -> Int? {
        var counts: [Int: Int] = [:]
        for booking in bookings {
            let calendar = booking.calendar
            counts[calendar.isoWeekday(of: calendar.date(of: booking.range.start)), default: 0] += 1
        }
        return counts.min { lhs, rhs in lhs.value != rhs.value ? lhs.value > rhs.value : lhs.key < rhs.key }?.key
    }
}
