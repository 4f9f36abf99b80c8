import DeskCore
import Foundation

/// A booking as a live reader may see it; `user_id` and `user` only where the privacy setting lets them.
struct LiveBookingDTO: Encodable {
    let id: UUID
    let deskId: UUID
    let roomId: UUID
    let locationId: UUID
    let start: Date
    let end: Date
    let status: String
    let userId: UUID?
    let user: BookerDTO?

    /// The booking of an event; `booker` is the booker's name for a reader who may see it, else nil.
    init(_ event: BookingEvent, booker: BookerDTO?, named: Bool) {
        (id, deskId, roomId, locationId) = (event.bookingId, event.deskId, event.roomId, event.locationId)
        (start, end) = (event.range.start, event.range.end)
        status = event.change.bookingStatus.rawValue
        userId = named ? event.userId : nil
        user = named ? booker : nil
    }
}

struct LiveRangeDTO: Encodable {
    let start: Date
    let end: Date
}

struct LiveHoldDTO: Encodable {
    let deskId: UUID
    let roomId: UUID
    /// When the hold lapses (for a released hold: when it was let go).
    let expiresAt: Date
}

/// A person's request for a desk, on their own `me` topic.
struct LiveRequestDTO: Encodable {
    let id: UUID
    let locationId: UUID
    let date: LocalDate
    let status: String
    let deskId: UUID?
    let bookingId: UUID?
    let reason: String?
    let ruleId: UUID?
}

/// An autopilot rule's new status, on its owner's `me` topic.
struct LiveRuleDTO: Encodable {
    let id: UUID
    let status: String
    let reason: String?
}

extension BookingEvent.Change {
    var bookingStatus: BookingStatus {
        switch self {
        case .created, .changed: .confirmed
        case .cancelled: .cancelled
        case .released: .released
        }
    }
}
