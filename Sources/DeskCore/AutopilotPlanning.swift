import Foundation

/// An inclusive span of days, such as a holiday.
public struct DaySpan: Hashable, Sendable, Codable {
    public let from: LocalDate
    public let to: LocalDate

    public init(from: LocalDate, to: LocalDate) throws(DomainError) {
        guard from <= to else { throw .validation(field: "to", "must not be before from") }
        self.from = from
        self.to = to
    }

    public func contains(_ day: LocalDate) -> Bool { from <= day && day <= to }

    private enum CodingKeys: String, CodingKey { case from, to }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let from = try container.decode(LocalDate.self, forKey: .from)
        let to = try container.decode(LocalDate.self, forKey: .to)
        guard from <= to else {
            throw DomainError.validation(field: "blacklist_ranges", "to must not be before from")
        }
        self.from = from
        self.to = to
    }
}

/// The days an autopilot rule wants a desk (SPEC §5 "When").
public struct DaySelection: Hashable, Sendable, Codable {
    /// ISO weekdays: Monday is 1 … Sunday is 7.
    public var weekdays: Set<Int>
    public var extraDates: Set<LocalDate>
    public var blacklistDates: Set<LocalDate>
    public var blacklistRanges: [DaySpan]

    public init(weekdays: Set<Int> = [], extraDates: Set<LocalDate> = [], blacklistDates: Set<LocalDate> = [],
                blacklistRanges: [DaySpan] = []) {
        self.weekdays = weekdays
        self.extraDates = extraDates
        self.blacklistDates = blacklistDates
        self.blacklistRanges = blacklistRanges
    }

    /// A blacklist wins over an extra date: "not during my holiday" is the stronger wish.
    public func includes(_ day: LocalDate) -> Bool {
        guard !blacklistDates.contains(day), !blacklistRanges.contains(where: { $0.contains(day) }) else { return false }
        return extraDates.contains(day) || weekdays.contains(day.isoWeekday)
    }

    public func problems() -> [FieldError] {
        var errors: [FieldError] = []
        if weekdays.contains(where: { !(1...7).contains($0) }) {
            errors.append(FieldError(field: "weekdays", message: "must be ISO weekdays 1 (Monday) to 7 (Sunday)"))
        }
        if weekdays.isEmpty && extraDates.isEmpty {
            errors.append(FieldError(field: "weekdays", message: "choose at least one weekday or extra date"))
        }
        return errors
    }
}

/// A part of the day in local wall-clock time, such as 09:00–17:00.
public struct DayWindow: Hashable, Sendable, Codable {
    public let from: LocalTime
    public let until: LocalTime

    public init(from: LocalTime, until: LocalTime) throws(DomainError) {
        guard from < until else { throw .validation(field: "window", "until must be after from") }
        self.from = from
        self.until = until
    }

    private enum CodingKeys: String, CodingKey { case from, until }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let from = try container.decode(LocalTime.self, forKey: .from)
        let until = try container.decode(LocalTime.self, forKey: .until)
        // A domain error (not a decoding error) so that the answer names the field like any other validation.
        guard from < until else { throw DomainError.validation(field: "window", "until must be after from") }
        self.from = from
        self.until = until
    }
}

/// What a desk must be for a request or rule to take it (SPEC §5 "Where").
public struct DeskCriteria: Hashable, Sendable, Codable {
    /// Rooms to choose from; empty means any room (of `floorIds`, when given).
    public var roomIds: Set<UUID>
    /// Floors to choose from; empty means any floor.
    public var floorIds: Set<UUID>
    /// Desks in order of preference, best first.
    public var preferredDesks: [UUID]
    public var requiredTags: Set<String>
    /// Whether a matching desk that is not among the preferences is better than none.
    public var acceptsOtherDesks: Bool

    public init(roomIds: Set<UUID> = [], floorIds: Set<UUID> = [], preferredDesks: [UUID] = [], requiredTags: Set<String> = [],
                acceptsOtherDesks: Bool = true) {
        self.roomIds = roomIds
        self.floorIds = floorIds
        self.preferredDesks = preferredDesks
        self.requiredTags = requiredTags
        self.acceptsOtherDesks = acceptsOtherDesks
    }

    /// Whether the desk may be given at all: in the chosen rooms or floors (a named preference always is), with the tags.
    public func accepts(_ desk: DeskCandidate) -> Bool {
        guard requiredTags.isSubset(of: desk.tags) else { return false }
        if preferredDesks.contains(desk.id) { return true }
        guard acceptsOtherDesks else { return false }
        return (roomIds.isEmpty || roomIds.contains(desk.roomId)) && (floorIds.isEmpty || floorIds.contains(desk.floorId))
    }
}

/// A desk as the planner sees it.
public struct DeskCandidate: Hashable, Sendable {
    public let id: UUID
    public let name: String
    public let roomId: UUID
    public let floorId: UUID
    public let tags: Set<String>

    public init(id: UUID, name: String, roomId: UUID, floorId: UUID, tags: Set<String>) {
        self.id = id
        self.name = name
        self.roomId = roomId
        self.floorId = floorId
        self.tags = tags
    }
}

/// Which days an autopilot rule acts on, for which times, and which desks it may take (SPEC §5). Pure: the caller
/// supplies the clock and the location's policy.
public enum AutopilotPlanning {
    /// The day that opens next at this location: the first one beyond the booking window.
    public static func nextDayToOpen(policy: Policy, calendar: ZonedCalendar, now: Date) -> LocalDate {
        calendar.adding(days: 1, to: BookingRules.lastOpenDay(policy: policy, calendar: calendar, now: now))
    }

    /// The days from today up to and including the next day to open that the selection includes and the location
    /// opens on, in order. Today is left out once the cut-off has passed (compared as instants, so the day clocks
    /// change behaves).
    public static func targetDays(
        _ selection: DaySelection, policy: Policy, calendar: ZonedCalendar, now: Date, skipTodayAfter cutOff: LocalTime?
    ) -> [LocalDate] {
        let today = calendar.date(of: now)
        let last = nextDayToOpen(policy: policy, calendar: calendar, now: now)
        var days: [LocalDate] = []
        var day = today
        if let cutOff, now >= calendar.instant(on: today, at: cutOff) { day = calendar.adding(days: 1, to: today) }
        while day <= last {
            if selection.includes(day), policy.isOpen(on: day) { days.append(day) }
            day = calendar.adding(days: 1, to: day)
        }
        return days
    }

    /// The times to book on a day: the window (default: the bookable hours) clamped to the bookable hours and the
    /// longest booking; on the day itself it starts no earlier than the current slot. Nil when less than the shortest
    /// booking is left.
    public static func range(on day: LocalDate, window: DayWindow?, policy: Policy, calendar: ZonedCalendar, now: Date) -> TimeRange? {
        let granularity = policy.granularityMinutes
        // Round inwards to the granularity so the booking aligns.
        var from = max(window?.from ?? policy.bookableFrom, policy.bookableFrom).minutes
        from = (from + granularity - 1) / granularity * granularity
        var until = min(window?.until ?? policy.bookableUntil, policy.bookableUntil).minutes
        until = until / granularity * granularity
        if day == calendar.date(of: now) {
            let current = calendar.wallMinutes(of: now).minutes / granularity * granularity
            from = max(from, current)
        }
        guard let start = try? LocalTime(minutes: from) else { return nil }
        let startInstant = calendar.instant(on: day, at: start)
        // Durations are real time: on the day clocks go back, 00:00–13:00 lasts 14 hours.
        while until > from, let end = try? LocalTime(minutes: until) {
            let duration = calendar.instant(on: day, at: end).timeIntervalSince(startInstant) / 60
            if duration <= Double(policy.maxDurationMinutes) {
                // Both ends may fall into the hour skipped when clocks go forward and meet.
                guard duration >= Double(policy.minDurationMinutes) else { return nil }
                return try? TimeRange(start: startInstant, end: calendar.instant(on: day, at: end))
            }
            until -= granularity
        }
        return nil
    }

    /// The desks the criteria accept, best first: the preferences in their order, then the others by name.
    public static func matchingDesks(_ criteria: DeskCriteria, among desks: [DeskCandidate]) -> [DeskCandidate] {
        let accepted = desks.filter(criteria.accepts)
        let byId = Dictionary(accepted.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let preferred = criteria.preferredDesks.compactMap { byId[$0] }
        let preferredIds = Set(preferred.map(\.id))
        let others = accepted.filter { !preferredIds.contains($0.id) }
            .sorted { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }
        return preferred + others
    }
}
