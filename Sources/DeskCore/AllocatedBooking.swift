import Foundation

/// The booking a request gets from a round or a waitlist pass: the desk, for the times its window allows.
public struct AllocatedBooking: Hashable, Sendable {
    public let requestId: UUID
    public let ownerId: UUID
    public let deskId: UUID
    public let range: TimeRange

    public init(requestId: UUID, ownerId: UUID, deskId: UUID, range: TimeRange) {
        self.requestId = requestId
        self.ownerId = ownerId
        self.deskId = deskId
        self.range = range
    }

    /// What the booking rules judge: a new booking for the owner.
    public var attempt: BookingAttempt { BookingAttempt(range: range, ownerId: ownerId) }
}
