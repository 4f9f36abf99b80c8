import DeskCore
import Foundation

/// What a round or a waitlist pass knows about one location and day, loaded inside its transaction: the policy, the
/// desks anyone may be given with their bookings that day, the booking facts the rules check, and for each request
/// whether its owner may still book there and for which times.
struct AllocationSetting {
    let location: LocationRecord
    let day: LocalDate
    let now: Date
    /// The location's policy, its window stretched to this day when an operator ran the round before the day opened.
    let policy: Policy
    let calendar: ZonedCalendar
    let desks: [RoundDesk]
    let deskRows: [UUID: AllocationQueries.DeskRow]
    let facts: BookingQueries.Facts
    let debts: [UUID: Int]
    private let people: [UUID: Viewer?]
    private let locationGate: LocationGate
    /// Per person who may book here, the location's rooms they may not book in.
    private let deniedRooms: [UUID: Set<UUID>]
    private let ranges = RangeCache()

    /// Whether a request can take part, and if so on what terms.
    enum Standing {
        case eligible(range: TimeRange, deniedRooms: Set<UUID>)
        case excluded(reason: String)
    }

    init(location: LocationRecord, day: LocalDate, queries: AllocationQueries, now: Date) async throws {
        self.location = location
        self.day = day
        self.now = now
        calendar = ZonedCalendar(timeZone: location.timeZone)
        var policy = location.effectivePolicy
        let lastOpen = BookingRules.lastOpenDay(policy: policy, calendar: calendar, now: now)
        if day > lastOpen { policy.maxAdvanceDays += day.daysSinceEpoch - lastOpen.daysSinceEpoch }
        self.policy = policy

        let span = Self.span(of: day, in: calendar)
        let (rows, facts) = try await queries.deskFacts(day: span, now: now)
        self.facts = facts
        deskRows = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let busy = Dictionary(grouping: facts.occupancy, by: \.deskId)
        desks = rows.filter(\.isAllocatable).map { row in
            RoundDesk(id: row.id, name: row.name, roomId: row.roomId, floorId: row.floorId, tags: row.tagSet,
                      busy: (busy[row.id] ?? []).map(\.range).filter { $0.overlaps(span) })
        }
        people = try await queries.people()
        debts = try await queries.debts()
        let places = PlaceRepository(sql: queries.sql)
        let locationGate = try await places.locationGate(location.id)
        let roomGroups = try await places.roomGates(inLocation: location.id)
        self.locationGate = locationGate
        let rooms = Set(rows.map(\.roomId)).map { RoomGate(roomId: $0, location: locationGate, groupIds: roomGroups[$0] ?? []) }
        // Gates depend on what a person is (groups, managed places), not who: worked out once per kind of person.
        var byAccess: [Viewer: Set<UUID>] = [:]
        var denied: [UUID: Set<UUID>] = [:]
        for case let (userId, viewer?) in people {
            let access = Viewer(userId: Self.anyone, isSuperuser: viewer.isSuperuser, groupIds: viewer.groupIds,
                                managedLocationIds: viewer.managedLocationIds, managedRoomIds: viewer.managedRoomIds,
                                roomManagerLocationIds: viewer.roomManagerLocationIds)
            if byAccess[access] == nil { byAccess[access] = Set(rooms.filter { !AccessRules.passes($0, access) }.map(\.roomId)) }
            denied[userId] = byAccess[access]
        }
        deniedRooms = denied
    }

    private static let anyone = UUID()

    /// Booking ranges by window, worked out once per distinct window of a day's requests.
    private final class RangeCache {
        var byWindow: [DayWindow?: TimeRange?] = [:]
    }

    var daySpan: TimeRange { Self.span(of: day, in: calendar) }

    private static func span(of day: LocalDate, in calendar: ZonedCalendar) -> TimeRange {
        TimeRange(uncheckedStart: calendar.startOfDay(day), end: calendar.startOfDay(calendar.adding(days: 1, to: day)))
    }

    /// Everything is decided as the request's owner: their account, their access today, their window.
    func standing(of request: AllocationRequestRecord) -> Standing {
        guard case let viewer?? = people[request.userId] else { return .excluded(reason: "Your account is not active.") }
        guard AccessRules.passes(locationGate, viewer) else { return .excluded(reason: "You may no longer book at \(location.name).") }
        let window = request.window
        if ranges.byWindow[window] == nil {
            ranges.byWindow[window] = .some(AutopilotPlanning.range(on: day, window: window, policy: policy, calendar: calendar, now: now))
        }
        guard case let range?? = ranges.byWindow[window] else {
            return .excluded(reason: "No bookable time is left in your window on \(day).")
        }
        return .eligible(range: range, deniedRooms: deniedRooms[request.userId] ?? [])
    }

    /// The booking a request gets on a desk.
    func booking(for request: AllocationRequestRecord, desk deskId: UUID, range: TimeRange, actor: Actor) -> BookingCommitQueue.Request? {
        guard let desk = deskRows[deskId] else { return nil }
        let record = BookingRecord(id: UUID(), deskId: deskId, userId: request.userId, startAt: range.start, endAt: range.end,
                                   status: .confirmed, source: request.source, createdBy: request.userId, createdAt: now,
                                   updatedAt: now, note: "")
        return BookingCommitQueue.Request(record: record, roomId: desk.roomId, policy: policy, timeZone: location.timeZone,
                                          locationId: location.id, actor: actor)
    }

    func deskName(_ id: UUID?) -> String { id.flatMap { deskRows[$0]?.name } ?? "?" }
}
