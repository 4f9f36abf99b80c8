import Foundation

/// A calendar day without a zone, encoded as `"yyyy-MM-dd"`.
public struct LocalDate: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `"yyyy-MM-dd"`, refusing impossible dates such as February 30.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              text.allSatisfy({ $0 == "-" || $0.isASCII && $0.isNumber }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
              let days = calendar.range(of: .day, in: .month, for: date), days.contains(day)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    public var daysSinceEpoch: Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: dayOfYear - (153 * monthIndex + 2) / 5 + 1)
    }

    /// Monday is 1 … Sunday is 7.
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        (daysSinceEpoch % 7 + 7 + 3) % 7 + 1
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = LocalDate(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected yyyy-MM-dd"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Wall-clock arithmetic in one time zone, DST included. Plain arithmetic on the zone's UTC offsets: this runs for
/// every booking, and building Foundation calendars is far slower.
public struct ZonedCalendar: Sendable {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// Seconds since 1970 on the local wall clock (whole seconds, rounded down).
    private func localSeconds(of instant: Date) -> Int {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        return seconds + timeZone.secondsFromGMT(for: instant)
    }

    public func date(of instant: Date) -> LocalDate {
        LocalDate(daysSinceEpoch: Self.floorDivide(localSeconds(of: instant), 86_400))
    }

    /// Minutes after local midnight as shown on a wall clock, and whether the instant has no seconds part at all.
    public func wallMinutes(of instant: Date) -> (minutes: Int, onWholeMinute: Bool) {
        let secondOfDay = localSeconds(of: instant) - Self.floorDivide(localSeconds(of: instant), 86_400) * 86_400
        let seconds = instant.timeIntervalSince1970
        return (secondOfDay / 60, secondOfDay % 60 == 0 && seconds == seconds.rounded(.down))
    }

    /// The wall-clock time of an instant, to the minute.
    public func clockTime(of instant: Date) -> LocalTime {
        LocalTime(hour: 0, minute: wallMinutes(of: instant).minutes)
    }

    /// The instant of a wall-clock time on a day. A time skipped by a DST jump moves forward to the end of the gap
    /// (the transition itself); a time that occurs twice takes the earlier instant.
    public func instant(on day: LocalDate, at time: LocalTime) -> Date {
        // The wall time read as if it were UTC; the real instant is this minus the zone's offset at that instant.
        let wall = Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch * 86_400 + time.minutes * 60))
        let offsetBefore = TimeInterval(timeZone.secondsFromGMT(for: wall.addingTimeInterval(-86_400)))
        let offsetAfter = TimeInterval(timeZone.secondsFromGMT(for: wall.addingTimeInterval(86_400)))
        let candidates = [wall.addingTimeInterval(-offsetBefore), wall.addingTimeInterval(-offsetAfter)]
            .filter { TimeInterval(timeZone.secondsFromGMT(for: $0)) == wall.timeIntervalSince($0) }
        if let earliest = candidates.min() { return earliest }
        return transition(between: wall.addingTimeInterval(-offsetAfter), and: wall.addingTimeInterval(-offsetBefore))
    }

    /// The first instant in `(early, late]` whose UTC offset differs from the one at `early` (to the second).
    private func transition(between early: Date, and late: Date) -> Date {
        let offset = timeZone.secondsFromGMT(for: early)
        var low = early.timeIntervalSince1970.rounded(.down)
        var high = late.timeIntervalSince1970.rounded(.up)
        while high - low > 1 {
            let middle = ((low + high) / 2).rounded(.down)
            if timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: middle)) == offset { low = middle } else { high = middle }
        }
        return Date(timeIntervalSince1970: high)
    }

    /// The first instant of a local day (later than midnight where midnight falls into a DST gap).
    public func startOfDay(_ day: LocalDate) -> Date {
        instant(on: day, at: LocalTime(hour: 0))
    }

    public func adding(days: Int, to day: LocalDate) -> LocalDate {
        LocalDate(daysSinceEpoch: day.daysSinceEpoch + days)
    }

    /// Monday is 1 … Sunday is 7.
    public func isoWeekday(of day: LocalDate) -> Int { day.isoWeekday }

    private static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        value >= 0 ? value / divisor : (value - divisor + 1) / divisor
    }
}
