import Foundation

/// What a round or a waitlist pass knows about one location and day: the policy, the desks anyone may be given with
/// their bookings that day, the booking facts the rules check, and, for each person taking part, whether they may
/// still book there and in which rooms not.
public struct AllocationSetting: Sendable {
    /// Whether a request can take part, and if so on what terms.
    public enum Standing: Hashable, Sendable {
        /// It books `range`; its owner may not book in `deniedRooms`.
        case eligible(range: TimeRange, deniedRooms: Set<UUID>)
        case excluded(reason: String)
    }

    /// Named in the reasons people read.
    public let locationName: String
    public let day: LocalDate
    public let now: Date
    public let calendar: ZonedCalendar
    /// The location's policy, its window stretched to this day when an operator runs the round before the day opens.
    public let policy: Policy
    /// The desks anyone may be given: active, nobody's permanent desk, not under maintenance all day; a maintenance
    /// period covering part of the day counts as busy.
    public let desks: [RoundDesk]
    /// The booking facts every allocated booking is admitted against.
    public let ledger: BookingLedger
    /// Per person, the rounds they lost since their last desk (their fairness debt).
    public let debts: [UUID: Int]
    private let people: [UUID: Viewer?]
    private let locationGate: LocationGate
    /// Per person who may book here, the location's rooms they may not book in.
    private let deniedRooms: [UUID: Set<UUID>]
    private let candidates: [UUID: DeskCandidate]

    /// - Parameters:
    ///   - policy: the location's policy.
    ///   - desks: every desk of the location; `ledger.states` says which take bookings.
    ///   - ledger: the desks' states and the confirmed bookings of the day of these desks and of the people taking part.
    ///   - people: the accounts of the people taking part, nil for an inactive one.
    ///   - roomGroups: per room of the location, the groups its gate lets in.
    public init(
        locationName: String, day: LocalDate, policy: Policy, timeZone: TimeZone, now: Date, desks: [DeskCandidate],
        ledger: BookingLedger, debts: [UUID: Int], people: [UUID: Viewer?], locationGate: LocationGate, roomGroups: [UUID: Set<UUID>]
    ) {
        self.locationName = locationName
        self.day = day
        self.now = now
        let calendar = ZonedCalendar(timeZone: timeZone)
        self.calendar = calendar
        var policy = policy
        let lastOpen = BookingRules.lastOpenDay(policy: policy, calendar: calendar, now: now)
        if day > lastOpen { policy.maxAdvanceDays += day.daysSinceEpoch - lastOpen.daysSinceEpoch }
        self.policy = policy
        self.ledger = ledger
        self.debts = debts
        self.people = people
        self.locationGate = locationGate
        candidates = Dictionary(desks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

        let span = Self.span(of: day, in: calendar)
        let busy = Dictionary(grouping: ledger.occupancy, by: \.deskId)
        self.desks = desks.filter { ledger.states[$0.id].map { Self.isAllocatable($0, on: span) } ?? false }.map { desk in
            RoundDesk(id: desk.id, name: desk.name, roomId: desk.roomId, floorId: desk.floorId, tags: desk.tags,
                      busy: ((busy[desk.id] ?? []).map(\.range) + (ledger.states[desk.id]?.maintenance.map { [$0] } ?? []))
                        .filter { $0.overlaps(span) })
        }

        let rooms = Set(desks.map(\.roomId)).map { RoomGate(roomId: $0, location: locationGate, groupIds: roomGroups[$0] ?? []) }
        // Gates depend on what a person is (groups, managed places), not who: worked out once per kind of person.
        let anyone = UUID()
        var byAccess: [Viewer: Set<UUID>] = [:]
        var denied: [UUID: Set<UUID>] = [:]
        for case let (userId, viewer?) in people {
            let access = Viewer(userId: anyone, isSuperuser: viewer.isSuperuser, groupIds: viewer.groupIds,
                                managedLocationIds: viewer.managedLocationIds, managedRoomIds: viewer.managedRoomIds,
                                roomManagerLocationIds: viewer.roomManagerLocationIds)
            if byAccess[access] == nil { byAccess[access] = Set(rooms.filter { !AccessRules.passes($0, access) }.map(\.roomId)) }
            denied[userId] = byAccess[access]
        }
        deniedRooms = denied
    }

    /// A desk anyone may be given on the day: active, nobody's permanent desk, not under maintenance all day (a
    /// period covering part of the day counts as busy).
    private static func isAllocatable(_ state: DeskState, on day: TimeRange) -> Bool {
        let maintainedAllDay = state.maintenance.map { $0.start <= day.start && $0.end >= day.end } ?? false
        return state.isActive && state.permanentAssigneeId == nil && !maintainedAllDay
    }

    /// The day from local midnight to local midnight.
    public static func span(of day: LocalDate, in calendar: ZonedCalendar) -> TimeRange {
        TimeRange(uncheckedStart: calendar.startOfDay(day), end: calendar.startOfDay(calendar.adding(days: 1, to: day)))
    }

    public var daySpan: TimeRange { Self.span(of: day, in: calendar) }

    /// Any desk of the location, allocatable or not.
    public func desk(_ id: UUID) -> DeskCandidate? { candidates[id] }

    /// Each request's standing, in the requests' order. Everything is decided as the request's owner: their account,
    /// their access today, their window.
    public func standings(of requests: [AllocationRequest]) -> [Standing] {
        // Worked out once per distinct window: a large round has ten thousand requests and a handful of windows.
        var ranges: [DayWindow?: TimeRange?] = [:]
        return requests.map { request in
            guard case let viewer?? = people[request.userId] else { return .excluded(reason: "Your account is not active.") }
            guard AccessRules.passes(locationGate, viewer) else { return .excluded(reason: "You may no longer book at \(locationName).") }
            let window = request.window
            if ranges[window] == nil {
                ranges[window] = .some(AutopilotPlanning.range(on: day, window: window, policy: policy, calendar: calendar, now: now))
            }
            guard case let range?? = ranges[window] else {
                return .excluded(reason: "No bookable time is left in your window on \(day).")
            }
            return .eligible(range: range, deniedRooms: deniedRooms[request.userId] ?? [])
        }
    }
}
