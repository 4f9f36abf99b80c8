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

    /// Every slot from tomorrow up to `days` days ahead, 07:00–20:00 wall time, in booking order.
    static func make(local: LocalDays) -> [Slot] {
        var slots: [Slot] = []
        slots.reserveCapacity(days * (lastMinute - firstMinute) / lengthMinutes)
        for day in 1...days {
            for minute in stride(from: firstMinute, through: lastMinute - lengthMinutes, by: lengthMinutes) {
                if let interval = local.interval(day: day, from: minute, to: minute + lengthMinutes) {
                    slots.append(Slot(start: interval.start, end: interval.end))
                }
            }
        }
        return slots
    }
}
