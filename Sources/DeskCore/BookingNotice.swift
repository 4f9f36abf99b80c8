import Foundation

/// The texts of notifications about one booking, worded for its owner in their own formats (`ReadingFormat`), with the
/// booking's times at its place.
public struct BookingNotice: Sendable {
    public let deskName: String
    public let locationName: String
    public let placeZone: TimeZone

    public init(deskName: String, locationName: String, placeZone: TimeZone) {
        self.deskName = deskName
        self.locationName = locationName
        self.placeZone = placeZone
    }

    /// "Anna Schmidt booked desk 12 at Berlin for you: Tue 15.12.2026, 09:00–17:00." Several bookings are listed in
    /// order; more than five end with how many more.
    public func madeForYou(_ ranges: [TimeRange], by actor: String, format: ReadingFormat) -> String {
        let sorted = ranges.sorted { $0.start < $1.start }
        var slots = sorted.prefix(5).map { format.slot($0, placeZone: placeZone) }
        if sorted.count > 5 { slots.append("and \(sorted.count - 5) more") }
        return "\(actor) booked desk \(deskName) at \(locationName) for you: \(slots.joined(separator: "; "))."
    }

    public func changedForYou(from old: TimeRange, to new: TimeRange, by actor: String, format: ReadingFormat) -> String {
        "\(actor) moved your booking of desk \(deskName) at \(locationName) from \(format.slot(old, placeZone: placeZone)) "
            + "to \(format.slot(new, placeZone: placeZone))."
    }

    public func cancelledForYou(_ range: TimeRange, by actor: String, format: ReadingFormat) -> String {
        "\(actor) cancelled your booking of desk \(deskName) at \(locationName): \(format.slot(range, placeZone: placeZone))."
    }

    public func checkInReminder(_ range: TimeRange, deadline: Date, format: ReadingFormat) -> String {
        "Your booking of desk \(deskName) at \(locationName) starts soon: \(format.slot(range, placeZone: placeZone)). "
            + "Check in by \(format.moment(deadline, placeZone: placeZone)), or the desk is released."
    }

    public func released(_ range: TimeRange, graceMinutes: Int, format: ReadingFormat) -> String {
        "Your booking of desk \(deskName) at \(locationName) (\(format.slot(range, placeZone: placeZone))) was released: "
            + "nobody checked in within \(graceMinutes) minutes."
    }

    public func permanentlyAssigned(_ range: TimeRange, format: ReadingFormat) -> String {
        "Desk \(deskName) at \(locationName) is now assigned permanently to someone else; your booking "
            + "(\(format.slot(range, placeZone: placeZone))) still stands."
    }
}
