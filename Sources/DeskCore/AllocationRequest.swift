import Foundation

/// A person's request for a desk on one day at one location, as a round or a waitlist pass decides on it.
public struct AllocationRequest: Hashable, Sendable {
    public let id: UUID
    public let userId: UUID
    public let criteria: DeskCriteria
    /// The part of the day asked for; nil asks for the location's whole bookable day.
    public let window: DayWindow?

    public init(id: UUID, userId: UUID, criteria: DeskCriteria = DeskCriteria(), window: DayWindow? = nil) {
        self.id = id
        self.userId = userId
        self.criteria = criteria
        self.window = window
    }
}
