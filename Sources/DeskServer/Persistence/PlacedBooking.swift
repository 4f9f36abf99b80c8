import Foundation

/// A booking with the names of the places it is in, for calendars and statistics.
struct PlacedBooking: Sendable {
    let booking: BookingRecord
    let roomId: UUID
    let locationId: UUID
    let deskName: String
    let roomName: String
    let locationName: String
    /// The location's zone, whose calendar the booking's day, week and month follow.
    let locationTimeZone: TimeZone
}
