import Foundation

/// Wall-clock times of the days from today on in one time zone, written as the UTC instants ("…Z") the API takes.
struct LocalDays: Sendable {
    private let calendar: Calendar
    private let today: Date
    private let style: Date.ISO8601FormatStyle

    init(timeZone: TimeZone, now: Date = Date()) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        today = calendar.startOfDay(for: now)
        style = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? timeZone)
    }

    /// `minuteOfDay` (0..<1440) on the day `dayOffset` days after today.
    func instant(day dayOffset: Int, minute minuteOfDay: Int) -> Date? {
        guard let day = calendar.date(byAdding: .day, value: dayOffset, to: today) else { return nil }
        var components = calendar.dateComponents([.year, .month, .day], from: day)
        components.hour = minuteOfDay / 60
        components.minute = minuteOfDay % 60
        components.second = 0
        return calendar.date(from: components)
    }

    func text(_ date: Date) -> String {
        date.formatted(style)
    }

    /// The interval as API timestamps; nil when a time-zone change swallows it.
    func interval(day: Int, from startMinute: Int, to endMinute: Int) -> (start: String, end: String)? {
        guard let start = instant(day: day, minute: startMinute), let end = instant(day: day, minute: endMinute),
              start < end else { return nil }
        return (text(start), text(end))
    }
}
