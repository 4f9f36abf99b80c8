import Foundation

/// One 30-minute booking interval, already formatted as UTC ISO-8601 instants.
struct Slot: Sendable {
    let start: String
    let end: String
}

enum Slots {
    static let firstMinute = 7 * 60
    static let lastMinute = 20 * 60
    static let lengthMinutes = 30
    static let days = 360

    /// Every slot from tomorrow up to `days` days ahead, 07:00–20:00 wall time in `timeZone`, in booking order.
    static func make(timeZone: TimeZone, now: Date = Date()) -> [Slot] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.startOfDay(for: now)
        let style = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? timeZone)
        var slots: [Slot] = []
        slots.reserveCapacity(days * (lastMinute - firstMinute) / lengthMinutes)
        for offset in 1...days {
            guard let day = calendar.date(byAdding: .day, value: offset, to: today) else { continue }
            let date = calendar.dateComponents([.year, .month, .day], from: day)
            func wallTime(_ minuteOfDay: Int) -> Date? {
                var components = DateComponents()
                components.year = date.year
                components.month = date.month
                components.day = date.day
                components.hour = minuteOfDay / 60
                components.minute = minuteOfDay % 60
                components.second = 0
                return calendar.date(from: components)
            }
            var minute = firstMinute
            while minute + lengthMinutes <= lastMinute {
                if let start = wallTime(minute), let end = wallTime(minute + lengthMinutes), start < end {
                    slots.append(Slot(start: start.formatted(style), end: end.formatted(style)))
                }
                minute += lengthMinutes
            }
        }
        return slots
    }
}
