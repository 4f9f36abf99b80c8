import Foundation

/// What a booking write decides on, read inside its transaction: the state of the desks with their active holds, the
/// confirmed bookings of these desks or people that overlap the write, how many unfinished bookings each person
/// holds, and the days whose allocation round has not run. A write admits its attempts one at a time; an admitted
/// attempt counts in at once, so the next attempt of the same write sees it.
public struct BookingLedger: Sendable {
    /// A confirmed booking reduced to what the rules look at.
    public struct Occupancy: Sendable, Equatable {
        public let deskId: UUID
        public let userId: UUID
        public let range: TimeRange

        public init(deskId: UUID, userId: UUID, range: TimeRange) {
            self.deskId = deskId
            self.userId = userId
            self.range = range
        }
    }

    public var states: [UUID: DeskState]
    public var occupancy: [Occupancy]
    /// Per person, their confirmed bookings that have not ended.
    public var upcoming: [UUID: Int]
    /// Per desk, the days whose allocation round has not run yet (its location has pending requests for them).
    public var pendingDays: [UUID: Set<LocalDate>]

    public init(
        states: [UUID: DeskState] = [:], occupancy: [Occupancy] = [], upcoming: [UUID: Int] = [:],
        pendingDays: [UUID: Set<LocalDate>] = [:]
    ) {
        self.states = states
        self.occupancy = occupancy
        self.upcoming = upcoming
        self.pendingDays = pendingDays
    }

    /// What the capacity rules look at for one desk and one person.
    public func neighbours(desk deskId: UUID, owner ownerId: UUID) -> BookingNeighbours {
        BookingNeighbours(
            deskBookings: occupancy.filter { $0.deskId == deskId }.map(\.range),
            ownerBookings: occupancy.filter { $0.userId == ownerId }.map(\.range),
            ownerUpcomingCount: upcoming[ownerId, default: 0]
        )
    }

    /// Runs every booking rule for one attempt on a desk (the desk's state, the policy, the allocation rounds, the
    /// capacity of desk and person) and, when it passes, counts it in as if committed.
    public mutating func admit(
        _ attempt: BookingAttempt, desk deskId: UUID, policy: Policy, timeZone: TimeZone, now: Date
    ) throws(DomainError) {
        guard let state = states[deskId] else { throw .notFound("Desk") }
        try BookingRules.check(attempt, desk: state, policy: policy, timeZone: timeZone, now: now)
        try BookingRules.checkAllocated(attempt, pendingDays: pendingDays[deskId] ?? [], calendar: ZonedCalendar(timeZone: timeZone))
        try BookingRules.checkCapacity(attempt, neighbours: neighbours(desk: deskId, owner: attempt.ownerId), policy: policy)
        occupancy.append(Occupancy(deskId: deskId, userId: attempt.ownerId, range: attempt.range))
        if attempt.original == nil { upcoming[attempt.ownerId, default: 0] += 1 }
    }
}
