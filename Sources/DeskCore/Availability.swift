import Foundation

/// What a desk shows on the room plan right now.
public enum DeskStatus: String, Sendable, Codable, CaseIterable {
    case free, booked, held, permanent, maintenance, inactive
}

/// How much of a local day a person can still book on one desk.
public enum DayAvailability: String, Sendable, Codable {
    case free
    case partlyFree = "partly_free"
    case full
    case unavailable
}

/// What a room's desks look like: pure, so the room plan and the calendar agree with the booking rules.
public enum Availability {
    /// The desk's state at `now`, in this precedence: inactive, maintenance, booked (a confirmed booking of the desk
    /// contains now), held (a hold is active at now), permanent (assigned to someone), free.
    public static func status(desk: DeskState, bookings: [TimeRange], holdActive: Bool, now: Date) -> DeskStatus {
        status(desk: desk, bookedNow: bookings.contains { $0.contains(now) }, holdActive: holdActive, now: now)
    }

    /// The same, when it is already known whether a confirmed booking of the desk contains now.
    public static func status(desk: DeskState, bookedNow: Bool, holdActive: Bool, now: Date) -> DeskStatus {
        if !desk.isActive { return .inactive }
        if desk.isUnderMaintenance(at: now) { return .maintenance }
        if bookedNow { return .booked }
        if holdActive { return .held }
        if desk.permanentAssigneeId != nil { return .permanent }
        return .free
    }

    /// The parts of `within` that no range of `busy` covers, sorted (busy may be unsorted and overlapping).
    public static func freeRanges(within: TimeRange, busy: [TimeRange]) -> [TimeRange] {
        var free: [TimeRange] = []
        var cursor = within.start
        for taken in TimeRange.merged(busy.filter { $0.overlaps(within) }) {
            if taken.start > cursor { free.append(TimeRange(uncheckedStart: cursor, end: taken.start)) }
            cursor = max(cursor, taken.end)
        }
        if cursor < within.end { free.append(TimeRange(uncheckedStart: cursor, end: within.end)) }
        return free
    }

    /// One desk on one local day for the person `viewerId`: unavailable when they cannot book it (inactive,
    /// maintenance, permanent for someone else, or the location is closed that weekday); otherwise free when nothing in `busy` overlaps the day's bookable
    /// hours, partly free when some free range inside those hours lasts at least the policy's minimum duration, else full.
    public static func day(
        _ day: LocalDate, desk: DeskState, viewerId: UUID, busy: [TimeRange], policy: Policy, calendar: ZonedCalendar
    ) -> DayAvailability {
        guard policy.isOpen(on: day), desk.isActive, desk.permanentAssigneeId.map({ $0 == viewerId }) ?? true else {
            return .unavailable
        }
        guard let hours = openHours(on: day, policy: policy, calendar: calendar) else { return .full }
        // Maintenance covering the whole day makes it unavailable; covering part of it, that part is taken.
        if let maintenance = desk.maintenance, maintenance.start <= hours.start, maintenance.end >= hours.end { return .unavailable }
        let free = freeRanges(within: hours, busy: busy + (desk.maintenance.map { [$0] } ?? []))
        if free == [hours] { return .free }
        let shortest = TimeInterval(policy.minDurationMinutes * 60)
        return free.contains { $0.duration >= shortest } ? .partlyFree : .full
    }

    /// The bookable hours of a local day as instants. When a DST gap swallows all of them (say 02:00–03:00 on the
    /// spring day), one second at the gap's end stands in, so that callers always have a range; `day` calls such a day full.
    public static func bookableHours(on day: LocalDate, policy: Policy, calendar: ZonedCalendar) -> TimeRange {
        if let hours = openHours(on: day, policy: policy, calendar: calendar) { return hours }
        let start = calendar.instant(on: day, at: policy.bookableFrom)
        return TimeRange(uncheckedStart: start, end: start.addingTimeInterval(1))
    }

    /// The bookable hours of a local day; nil when a DST gap swallows all of them.
    private static func openHours(on day: LocalDate, policy: Policy, calendar: ZonedCalendar) -> TimeRange? {
        let start = calendar.instant(on: day, at: policy.bookableFrom)
        let end = policy.bookableUntil.minutes >= 1440
            ? calendar.startOfDay(calendar.adding(days: 1, to: day))
            : calendar.instant(on: day, at: policy.bookableUntil)
        return end > start ? TimeRange(uncheckedStart: start, end: end) : nil
    }
}
