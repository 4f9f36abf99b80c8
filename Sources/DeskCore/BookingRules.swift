import Foundation

/// What the rules need to know about a desk at the moment of booking.
public struct DeskState: Hashable, Sendable {
    public let deskId: UUID
    public let isActive: Bool
    /// The room's maintenance period, current or scheduled: no booking may overlap it.
    public let maintenance: TimeRange?
    public let permanentAssigneeId: UUID?
    /// The desk's active hold, if any.
    public var hold: Hold?

    public init(deskId: UUID, isActive: Bool, maintenance: TimeRange?, permanentAssigneeId: UUID?, hold: Hold? = nil) {
        self.deskId = deskId
        self.isActive = isActive
        self.maintenance = maintenance
        self.permanentAssigneeId = permanentAssigneeId
        self.hold = hold
    }

    /// A desk whose room is under maintenance at every instant (`true`), or never.
    public init(deskId: UUID, isActive: Bool, underMaintenance: Bool, permanentAssigneeId: UUID?, hold: Hold? = nil) {
        self.init(deskId: deskId, isActive: isActive,
                  maintenance: underMaintenance ? TimeRange(uncheckedStart: .distantPast, end: .distantFuture) : nil,
                  permanentAssigneeId: permanentAssigneeId, hold: hold)
    }

    public func isUnderMaintenance(at instant: Date) -> Bool { maintenance?.contains(instant) ?? false }

    /// Whether maintenance takes any part of `range`.
    public func isUnderMaintenance(during range: TimeRange) -> Bool { maintenance?.overlaps(range) ?? false }
}

/// A booking to be created or an existing one to be moved.
public struct BookingAttempt: Hashable, Sendable {
    public let range: TimeRange
    /// The person the booking is for (not necessarily who makes it).
    public let ownerId: UUID
    /// The booking's current times when this attempt changes it.
    public let original: TimeRange?
    /// Who makes the booking when it is not the owner (a manager booking on someone's behalf): their hold counts too.
    public let requesterId: UUID?

    public init(range: TimeRange, ownerId: UUID, original: TimeRange? = nil, requesterId: UUID? = nil) {
        self.range = range
        self.ownerId = ownerId
        self.original = original
        self.requesterId = requesterId
    }

    /// Whether the attempt claims time the booking does not already have (shortening claims none).
    public var claimsNewTime: Bool {
        guard let original else { return true }
        return range.start < original.start || range.end > original.end
    }
}

/// The other bookings a write must respect, loaded inside the write transaction.
public struct BookingNeighbours: Sendable {
    /// Confirmed bookings of the desk that overlap the attempt (the attempt's own booking excluded).
    public let deskBookings: [TimeRange]
    /// Confirmed bookings of the owner that overlap the attempt (the attempt's own booking excluded).
    public let ownerBookings: [TimeRange]
    /// The owner's confirmed bookings that have not ended yet (the attempt's own booking excluded).
    public let ownerUpcomingCount: Int

    public init(deskBookings: [TimeRange], ownerBookings: [TimeRange], ownerUpcomingCount: Int) {
        self.deskBookings = deskBookings
        self.ownerBookings = ownerBookings
        self.ownerUpcomingCount = ownerUpcomingCount
    }
}

/// The rules of SPEC §3 that every booking write passes. Pure: the caller supplies `now` and the facts.
public enum BookingRules {
    /// No booking lasts longer: each lies within one local day (25 hours when clocks fall back). Overlap queries use
    /// it to bound their index range scans.
    public static let longestBooking: TimeInterval = 26 * 3600

    /// Whether the desk itself takes bookings from this person: active, not someone else's, and not under
    /// maintenance during any part of `ranges` (the time a booking claims).
    public static func checkDesk(_ desk: DeskState, for ownerId: UUID, during ranges: [TimeRange] = []) throws(DomainError) {
        guard desk.isActive else { throw .notBookable("This desk is not active.") }
        guard !ranges.contains(where: desk.isUnderMaintenance(during:)) else {
            throw .notBookable("This room is under maintenance at that time.")
        }
        if let assignee = desk.permanentAssigneeId, assignee != ownerId {
            throw .notBookable("This desk is permanently assigned to someone else.")
        }
    }

    /// Whether `ownerId` may hold the desk while choosing times: a desk they could book at some time from `now` on, so
    /// not one whose room's maintenance has begun and has no end.
    public static func checkHoldable(_ desk: DeskState, for ownerId: UUID, now: Date) throws(DomainError) {
        try checkDesk(desk, for: ownerId)
        if let maintenance = desk.maintenance, maintenance.start <= now, maintenance.end == .distantFuture {
            throw .notBookable("This room is under maintenance until further notice.")
        }
    }

    /// Rules that depend only on the attempt, the desk, the policy and the clock.
    public static func check(
        _ attempt: BookingAttempt, desk: DeskState, policy: Policy, timeZone: TimeZone, now: Date
    ) throws(DomainError) {
        // Only the time the attempt adds: a booking kept through maintenance may still be shortened.
        let claimed = attempt.original.map { Availability.freeRanges(within: attempt.range, busy: [$0]) } ?? [attempt.range]
        try checkDesk(desk, for: attempt.ownerId, during: claimed)
        if let hold = desk.hold, hold.isActive(at: now), hold.userId != attempt.ownerId, hold.userId != attempt.requesterId,
           attempt.claimsNewTime {
            throw .deskHeld(hold, now: now)
        }

        let range = attempt.range
        let granularity = TimeInterval(policy.granularityMinutes * 60)
        let started: Bool
        if let original = attempt.original, original.start <= now {
            guard original.end > now else { throw .conflict(code: "booking_ended", "This booking has already ended.") }
            guard range.start == original.start else {
                throw .rule(code: "in_the_past", "An ongoing booking keeps its start; only its end can change.")
            }
            guard range.end > now else { throw .rule(code: "in_the_past", "The new end must be in the future.") }
            started = true
        } else {
            // The slot that contains `now` is still bookable: booking "now" at 10:07 may start at 10:00.
            guard range.start.addingTimeInterval(granularity) > now else {
                throw .rule(code: "in_the_past", "A booking cannot start in the past.")
            }
            started = false
        }

        let calendar = ZonedCalendar(timeZone: timeZone)
        let (startMinutes, startWhole) = calendar.wallMinutes(of: range.start)
        var (endMinutes, endWhole) = calendar.wallMinutes(of: range.end)
        guard startWhole, endWhole,
              startMinutes % policy.granularityMinutes == 0, endMinutes % policy.granularityMinutes == 0
        else {
            throw .rule(code: "not_aligned", "Times must align to \(policy.granularityMinutes)-minute steps in the location's time zone.")
        }

        let day = calendar.date(of: range.start)
        var endDay = calendar.date(of: range.end)
        if endMinutes == 0, endDay == calendar.adding(days: 1, to: day) {
            endMinutes = 1440
            endDay = day
        }
        try checkOpen(on: day, policy: policy)
        guard endDay == day, startMinutes >= policy.bookableFrom.minutes, endMinutes <= policy.bookableUntil.minutes else {
            throw .rule(
                code: "outside_bookable_hours",
                "Bookings must lie within one day between \(policy.bookableFrom) and \(policy.bookableUntil) local time."
            )
        }

        let lastOpenDay = lastOpenDay(policy: policy, calendar: calendar, now: now)
        guard day <= lastOpenDay else {
            throw .rule(code: "outside_window", "Bookings are open up to \(lastOpenDay) (\(policy.maxAdvanceDays) days ahead).")
        }

        let minutes = Int(range.duration / 60)
        guard minutes <= policy.maxDurationMinutes, started || minutes >= policy.minDurationMinutes else {
            throw .rule(
                code: "invalid_duration",
                "A booking lasts between \(policy.minDurationMinutes) and \(policy.maxDurationMinutes) minutes."
            )
        }
    }

    /// Whether the location opens on the local day at all (its opening weekdays); refused with `location_closed`.
    public static func checkOpen(on day: LocalDate, policy: Policy) throws(DomainError) {
        guard policy.isOpen(on: day) else {
            throw .rule(code: "location_closed", "The location is closed on \(Policy.weekdayName(day.isoWeekday))s (\(day)); it opens on \(policy.openWeekdaysText).")
        }
    }

    /// The last local day open for booking: `max_advance_days` ahead, shifting at the release time.
    public static func lastOpenDay(policy: Policy, calendar: ZonedCalendar, now: Date) -> LocalDate {
        let today = calendar.date(of: now)
        // Compared as instants: on the day clocks fall back, a wall-clock comparison would close the day again.
        let beforeRelease = now < calendar.instant(on: today, at: policy.releaseTime)
        return calendar.adding(days: policy.maxAdvanceDays - (beforeRelease ? 1 : 0), to: today)
    }

    /// First-come booking of a day opens only once its allocation round has run (SPEC §4): until then the day's desks
    /// belong to the requests filed for it.
    public static func checkAllocated(_ attempt: BookingAttempt, pendingDays: Set<LocalDate>, calendar: ZonedCalendar) throws(DomainError) {
        guard attempt.claimsNewTime, !pendingDays.isEmpty else { return }
        let day = calendar.date(of: attempt.range.start)
        guard !pendingDays.contains(day) else {
            throw .conflict(code: "round_pending",
                            "Desks for \(day) are being allocated to the requests filed for it; booking opens once that round has run.")
        }
    }

    /// The invariants that involve other bookings: no overlap on the desk, the owner's concurrency and quota.
    public static func checkCapacity(
        _ attempt: BookingAttempt, neighbours: BookingNeighbours, policy: Policy
    ) throws(DomainError) {
        let taken = neighbours.deskBookings.filter { $0.overlaps(attempt.range) }
        guard taken.isEmpty else { throw .deskTaken(taken.sorted { $0.start < $1.start }) }

        let mine = neighbours.ownerBookings.filter { $0.overlaps(attempt.range) }
        guard TimeRange.maximumDepth(of: mine + [attempt.range]) <= policy.maxConcurrentPerUser else {
            throw .conflict(
                code: "concurrent_limit",
                "You may hold at most \(policy.maxConcurrentPerUser) desk(s) at the same time."
            )
        }
        if attempt.original == nil, neighbours.ownerUpcomingCount >= policy.maxUpcomingPerUser {
            throw .conflict(code: "quota_exceeded", "You may have at most \(policy.maxUpcomingPerUser) upcoming bookings.")
        }
    }
}
