import Foundation

/// The facts of one confirmed booking that a person's numbers are computed from.
public struct StatsBooking: Hashable, Sendable {
    public let id: UUID
    public let deskId: UUID
    public let locationId: UUID
    public let range: TimeRange

    public init(id: UUID, deskId: UUID, locationId: UUID, range: TimeRange) {
        self.id = id
        self.deskId = deskId
        self.locationId = locationId
        self.range = range
    }
}

/// A person's numbers for the dashboard, computed in their time zone so that "this week" means their week.
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
    /// Booked hours overlapping this local week (Monday 00:00 to next Monday 00:00), past and future parts both.
    public let hoursThisWeek: Double
    /// Booked hours overlapping this local calendar month.
    public let hoursThisMonth: Double
    /// Bookings whose end is after now.
    public let upcomingCount: Int
    /// Over bookings that started in the last 30 × 24 hours: most bookings; ties → more hours; then smallest uuidString.
    public let favouriteLocationId: UUID?
    /// The same rule per desk.
    public let favouriteDeskId: UUID?
    /// ISO weekday (1 = Monday … 7 = Sunday) of the local start date over the same 30 days: most bookings, ties → lower weekday.
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

    /// The earliest instant a booking must end after to matter (start of week, start of month or 30 days ago,
    /// whichever is first), so callers load only that.
    public static func relevantSince(now: Date, calendar: ZonedCalendar) -> Date {
        min(week(of: now, calendar: calendar).start, month(of: now, calendar: calendar).start, now.addingTimeInterval(-lookBack))
    }

    /// `bookings` are the person's confirmed bookings (any order).
    public static func compute(bookings: [StatsBooking], now: Date, calendar: ZonedCalendar) -> BookingStats {
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
            hoursThisWeek: hours(of: ordered, within: week(of: now, calendar: calendar)),
            hoursThisMonth: hours(of: ordered, within: month(of: now, calendar: calendar)),
            upcomingCount: ordered.count { $0.range.end > now },
            favouriteLocationId: favourite(of: recent, by: \.locationId),
            favouriteDeskId: favourite(of: recent, by: \.deskId),
            busiestWeekday: busiestWeekday(of: recent, calendar: calendar)
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

    private static func hours(of bookings: [StatsBooking], within period: TimeRange) -> Double {
        let seconds = bookings.reduce(0.0) { total, booking in
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

    private static func busiestWeekday(of bookings: [StatsBooking], calendar: ZonedCalendar) -> Int? {
        var counts: [Int: Int] = [:]
        for booking in bookings {
            counts[calendar.isoWeekday(of: calendar.date(of: booking.range.start)), default: 0] += 1
        }
        return counts.min { lhs, rhs in lhs.value != rhs.value ? lhs.value > rhs.value : lhs.key < rhs.key }?.key
    }
}
