import Foundation

/// Who may see the name of the person who booked a desk.
public enum BookerVisibility: String, Sendable, Codable, CaseIterable {
    case everyone
    case managers
}

/// The booking rules of one location: global defaults with the location's overrides applied.
public struct Policy: Hashable, Sendable, Codable {
    public var maxAdvanceDays: Int
    public var releaseTime: LocalTime
    public var granularityMinutes: Int
    public var bookableFrom: LocalTime
    public var bookableUntil: LocalTime
    public var minDurationMinutes: Int
    public var maxDurationMinutes: Int
    public var maxConcurrentPerUser: Int
    public var maxUpcomingPerUser: Int
    public var checkInRequired: Bool
    public var checkInGraceMinutes: Int
    public var bookerVisibility: BookerVisibility
    /// The ISO weekdays (1 = Monday … 7 = Sunday) the location opens on, ascending. Other days take no bookings.
    public var openWeekdays: [Int]

    /// Monday to Sunday, for a location that opens every day.
    public static let everyWeekday = Array(1...7)

    /// The global defaults every location starts from.
    public static let defaults = Policy(
        maxAdvanceDays: 14,
        releaseTime: LocalTime(hour: 0),
        granularityMinutes: 30,
        bookableFrom: LocalTime(hour: 7),
        bookableUntil: LocalTime(hour: 20),
        minDurationMinutes: 30,
        maxDurationMinutes: 13 * 60,
        maxConcurrentPerUser: 1,
        maxUpcomingPerUser: 20,
        checkInRequired: false,
        checkInGraceMinutes: 30,
        bookerVisibility: .everyone,
        openWeekdays: [1, 2, 3, 4, 5]
    )

    /// Whether the location opens on this local day at all.
    public func isOpen(on day: LocalDate) -> Bool {
        openWeekdays.contains(day.isoWeekday)
    }

    /// The English name of an ISO weekday, for messages: 1 is "Monday".
    public static func weekdayName(_ isoWeekday: Int) -> String {
        let names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        return (1...7).contains(isoWeekday) ? names[isoWeekday - 1] : "day \(isoWeekday)"
    }

    /// The opening weekdays in words, runs of days joined: "Monday–Friday", "Monday–Wednesday, Friday".
    public var openWeekdaysText: String {
        var runs: [ClosedRange<Int>] = []
        for day in openWeekdays.sorted() {
            if let last = runs.last, last.upperBound + 1 == day { runs[runs.count - 1] = last.lowerBound...day } else { runs.append(day...day) }
        }
        return runs.map { run in
            run.count == 1 ? Self.weekdayName(run.lowerBound)
                : run.count == 2 ? "\(Self.weekdayName(run.lowerBound)), \(Self.weekdayName(run.upperBound))"
                : "\(Self.weekdayName(run.lowerBound))–\(Self.weekdayName(run.upperBound))"
        }.joined(separator: ", ")
    }

    /// The problems that make this policy unusable, empty when it is valid.
    public func problems() -> [FieldError] {
        var errors: [FieldError] = []
        func check(_ ok: Bool, _ field: String, _ message: String) {
            if !ok { errors.append(FieldError(field: field, message: message)) }
        }
        check((0...365).contains(maxAdvanceDays), "max_advance_days", "must be between 0 and 365")
        check(releaseTime.minutes < 1440, "release_time", "must be before 24:00")
        check([5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440].contains(granularityMinutes),
              "granularity_minutes", "must divide a day: 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720 or 1440")
        check(bookableFrom < bookableUntil, "bookable_until", "must be after bookable_from")
        if granularityMinutes > 0 {
            check(bookableFrom.minutes % granularityMinutes == 0, "bookable_from", "must align to the granularity")
            check(bookableUntil.minutes % granularityMinutes == 0, "bookable_until", "must align to the granularity")
            check(minDurationMinutes % granularityMinutes == 0, "min_duration_minutes", "must be a multiple of the granularity")
            check(maxDurationMinutes % granularityMinutes == 0, "max_duration_minutes", "must be a multiple of the granularity")
        }
        check(minDurationMinutes > 0, "min_duration_minutes", "must be positive")
        check(maxDurationMinutes >= minDurationMinutes, "max_duration_minutes", "must be at least min_duration_minutes")
        check((1...100).contains(maxConcurrentPerUser), "max_concurrent_per_user", "must be between 1 and 100")
        check((1...10_000).contains(maxUpcomingPerUser), "max_upcoming_per_user", "must be between 1 and 10000")
        check((0...1440).contains(checkInGraceMinutes), "check_in_grace_minutes", "must be between 0 and 1440")
        // A location closed on every weekday would refuse every booking while looking configured; closing it is a
        // matter of access or maintenance, not of an empty week.
        check(!openWeekdays.isEmpty, "open_weekdays", "must name at least one weekday")
        check(openWeekdays.allSatisfy { (1...7).contains($0) }, "open_weekdays", "must be ISO weekdays 1 (Monday) to 7 (Sunday)")
        check(Set(openWeekdays).count == openWeekdays.count, "open_weekdays", "must not name a weekday twice")
        return errors
    }
}

/// The fields a location sets itself; `nil` means "use the global default".
public struct PolicyOverrides: Hashable, Sendable, Codable {
    public var maxAdvanceDays: Int?
    public var releaseTime: LocalTime?
    public var granularityMinutes: Int?
    public var bookableFrom: LocalTime?
    public var bookableUntil: LocalTime?
    public var minDurationMinutes: Int?
    public var maxDurationMinutes: Int?
    public var maxConcurrentPerUser: Int?
    public var maxUpcomingPerUser: Int?
    public var checkInRequired: Bool?
    public var checkInGraceMinutes: Int?
    public var bookerVisibility: BookerVisibility?
    public var openWeekdays: [Int]?

    public init() {}

    /// Overrides that only open the location every day of the week.
    public static var openEveryDay: PolicyOverrides {
        var overrides = PolicyOverrides()
        overrides.openWeekdays = Policy.everyWeekday
        return overrides
    }

    public func applied(to base: Policy) -> Policy {
        var policy = base
        if let maxAdvanceDays { policy.maxAdvanceDays = maxAdvanceDays }
        if let releaseTime { policy.releaseTime = releaseTime }
        if let granularityMinutes { policy.granularityMinutes = granularityMinutes }
        if let bookableFrom { policy.bookableFrom = bookableFrom }
        if let bookableUntil { policy.bookableUntil = bookableUntil }
        if let minDurationMinutes { policy.minDurationMinutes = minDurationMinutes }
        if let maxDurationMinutes { policy.maxDurationMinutes = maxDurationMinutes }
        if let maxConcurrentPerUser { policy.maxConcurrentPerUser = maxConcurrentPerUser }
        if let maxUpcomingPerUser { policy.maxUpcomingPerUser = maxUpcomingPerUser }
        if let checkInRequired { policy.checkInRequired = checkInRequired }
        if let checkInGraceMinutes { policy.checkInGraceMinutes = checkInGraceMinutes }
        if let bookerVisibility { policy.bookerVisibility = bookerVisibility }
        if let openWeekdays { policy.openWeekdays = openWeekdays }
        return policy
    }

    /// These overrides with the named fields (snake_case, as the API names them) back on the global default.
    /// Unknown names are ignored, like unknown keys of any request.
    public func clearing(_ fields: Set<String>) -> PolicyOverrides {
        var result = self
        for field in fields {
            switch field {
            case "max_advance_days": result.maxAdvanceDays = nil
            case "release_time": result.releaseTime = nil
            case "granularity_minutes": result.granularityMinutes = nil
            case "bookable_from": result.bookableFrom = nil
            case "bookable_until": result.bookableUntil = nil
            case "min_duration_minutes": result.minDurationMinutes = nil
            case "max_duration_minutes": result.maxDurationMinutes = nil
            case "max_concurrent_per_user": result.maxConcurrentPerUser = nil
            case "max_upcoming_per_user": result.maxUpcomingPerUser = nil
            case "check_in_required": result.checkInRequired = nil
            case "check_in_grace_minutes": result.checkInGraceMinutes = nil
            case "booker_visibility": result.bookerVisibility = nil
            case "open_weekdays": result.openWeekdays = nil
            default: break
            }
        }
        return result
    }

    /// Overlays the fields set in `patch` on these overrides.
    public func merged(with patch: PolicyOverrides) -> PolicyOverrides {
        var result = self
        if let value = patch.maxAdvanceDays { result.maxAdvanceDays = value }
        if let value = patch.releaseTime { result.releaseTime = value }
        if let value = patch.granularityMinutes { result.granularityMinutes = value }
        if let value = patch.bookableFrom { result.bookableFrom = value }
        if let value = patch.bookableUntil { result.bookableUntil = value }
        if let value = patch.minDurationMinutes { result.minDurationMinutes = value }
        if let value = patch.maxDurationMinutes { result.maxDurationMinutes = value }
        if let value = patch.maxConcurrentPerUser { result.maxConcurrentPerUser = value }
        if let value = patch.maxUpcomingPerUser { result.maxUpcomingPerUser = value }
        if let value = patch.checkInRequired { result.checkInRequired = value }
        if let value = patch.checkInGraceMinutes { result.checkInGraceMinutes = value }
        if let value = patch.bookerVisibility { result.bookerVisibility = value }
        // Stored in order, so that the answer reads Monday first whatever order the request named the days in.
        if let value = patch.openWeekdays { result.openWeekdays = value.sorted() }
        return result
    }
}
