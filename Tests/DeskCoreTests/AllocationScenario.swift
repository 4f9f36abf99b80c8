import Foundation
@testable import DeskCore

/// One location in Berlin on Tuesday 2026-03-10 at 10:07, deciding the round of Thursday 2026-03-12: desks `D001`…
/// in one room unless moved, and people who may all book there unless told otherwise. Ids read well in failures:
/// `person(3)` is …0503, `desk(2)` is …1002, a request of person 3 is …0003.
struct AllocationScenario {
    static let location = AllocationScenario.uuid(1)
    static let room = AllocationScenario.uuid(900)

    var now = utc("2026-03-10T10:07:00+01:00")
    var day: LocalDate
    var policy = Policy.defaults
    var desks: [DeskCandidate]
    var ledger = BookingLedger()
    var people: [UUID: Viewer?] = [:]
    var debts: [UUID: Int] = [:]
    var locationGroups: Set<UUID> = []
    var roomGroups: [UUID: Set<UUID>] = [:]

    init(desks count: Int, day text: String = "2026-03-12", tags: (Int) -> Set<String> = { _ in [] }) {
        day = LocalDate(parsing: text)!
        desks = (1...count).map { number in
            DeskCandidate(id: Self.desk(number), name: String(format: "D%03d", number), roomId: Self.room, floorId: Self.uuid(800),
                          tags: tags(number))
        }
        for desk in desks {
            ledger.states[desk.id] = DeskState(deskId: desk.id, isActive: true, underMaintenance: false, permanentAssigneeId: nil)
        }
    }

    static func uuid(_ number: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", number))! }
    static func person(_ number: Int) -> UUID { uuid(500 + number) }
    static func desk(_ number: Int) -> UUID { uuid(1000 + number) }

    /// Adds a person with an active account (a member of `groups`).
    mutating func add(_ number: Int, groups: Set<UUID> = []) {
        people[Self.person(number)] = Viewer(userId: Self.person(number), isSuperuser: false, groupIds: groups)
    }

    mutating func addPeople(_ numbers: ClosedRange<Int>) {
        for number in numbers { add(number) }
    }

    /// Moves a desk into another room.
    mutating func move(desk number: Int, to roomId: UUID) {
        let desk = desks[number - 1]
        desks[number - 1] = DeskCandidate(id: desk.id, name: desk.name, roomId: roomId, floorId: desk.floorId, tags: desk.tags)
    }

    /// A confirmed booking someone already holds.
    mutating func booked(_ deskId: UUID, by userId: UUID, _ start: String, _ end: String) {
        ledger.occupancy.append(BookingLedger.Occupancy(deskId: deskId, userId: userId, range: range(start, end)))
        ledger.upcoming[userId, default: 0] += 1
    }

    var setting: AllocationSetting {
        AllocationSetting(
            locationName: "Berlin HQ", day: day, policy: policy, timeZone: berlin, now: now, desks: desks, ledger: ledger, debts: debts,
            people: people, locationGate: LocationGate(locationId: Self.location, groupIds: locationGroups), roomGroups: roomGroups)
    }

    func draft(_ requests: [AllocationRequest], seed: UInt64 = 7) -> AllocationDraft {
        AllocationDraft(setting: setting, requests: requests, seed: seed, weights: .standard)
    }

    func offer(_ waiting: [AllocationRequest]) -> WaitlistOffer {
        WaitlistOffer(setting: setting, waiting: waiting)
    }
}

/// Person `number`'s request (its id is `uuid(number)`, or `uuid(request)` for a second one); a window in minutes after
/// local midnight.
func ask(
    _ number: Int, id request: Int? = nil, prefers: [Int] = [], tags: Set<String> = [], others: Bool = true,
    window: (from: Int, until: Int)? = nil
) -> AllocationRequest {
    let window = window.map { try! DayWindow(from: LocalTime(hour: 0, minute: $0.from), until: LocalTime(hour: 0, minute: $0.until)) }
    return AllocationRequest(
        id: AllocationScenario.uuid(request ?? number), userId: AllocationScenario.person(number),
        criteria: DeskCriteria(preferredDesks: prefers.map(AllocationScenario.desk), requiredTags: tags, acceptsOtherDesks: others),
        window: window)
}
