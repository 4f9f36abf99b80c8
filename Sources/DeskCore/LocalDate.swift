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

/// Wall-clock arithmetic in one time zone, DST included.
public struct ZonedCalendar: Sendable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2  // weeks start on Monday
        self.calendar = calendar
    }

    public func date(of instant: Date) -> LocalDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    /// Minutes after local midnight as shown on a wall clock, and whether the instant has no seconds part at all.
    public func wallMinutes(of instant: Date) -> (minutes: Int, onWholeMinute: Bool) {
        let parts = calendar.dateComponents([.hour, .minute, .second], from: instant)
        let seconds = instant.timeIntervalSince1970
        let whole = parts.second == 0 && seconds == seconds.rounded(.down)
        return (parts.hour! * 60 + parts.minute!, whole)
    }

    /// The instant of a wall-clock time on a day. A time skipped by a DST jump moves forward to the end of the gap
    /// (the transition itself); a time that occurs twice takes the earlier instant.
    public func instant(on day: LocalDate, at time: LocalTime) -> Date {
        if time.minutes == 1440 { return startOfDay(adding(days: 1, to: day)) }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        // The wall time read as if it were UTC; the real instant is this minus the zone's offset at that instant.
        let wall = utc.date(from: DateComponents(year: day.year, month: day.month, day: day.day,
                                                 hour: time.minutes / 60, minute: time.minutes % 60))!
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

    public func startOfDay(_ day: LocalDate) -> Date {
        calendar.startOfDay(for: calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))!)
    }

    public func adding(days: Int, to day: LocalDate) -> LocalDate {
        let noon = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))!
        return date(of: calendar.date(byAdding: .day, value: days, to: noon)!)
    }

    /// Monday is 1 … Sunday is 7.
    public func isoWeekday(of day: LocalDate) -> Int {
        let weekday = calendar.component(.weekday, from: startOfDay(day))
        return (weekday + 5) % 7 + 1
    }
}
