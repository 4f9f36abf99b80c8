import DeskCore
import Foundation

/// The large office the benchmarks fill an empty database with: one location (Europe/Berlin) with `desks` desks in
/// rooms of 100, and `people` people who cannot sign in.
struct BenchmarkOffice {
    let location: LocationRecord
    let desks: [DeskRecord]
    let people: [UserRecord]

    static func make(_ services: AppServices, desks deskCount: Int, people peopleCount: Int, command: String) async throws -> BenchmarkOffice {
        guard try await !UserStore(sql: services.transactor.sql).hasUsers() else {
            throw CommandError("\(command) needs an empty database (point DESKPILOT_DATA_DIR at a new directory)")
        }
        let system = Actor(userId: nil, ip: nil)
        let root = Viewer(userId: UUID(), isSuperuser: true)
        let places = services.places
        let country = try await places.createCountry(.init(name: "Benchmark", code: "BM"), by: root, actor: system)
        // Open every day, so that a benchmark measures the same work whatever weekday it runs on.
        let location = try await places.createLocation(.init(countryId: country.id, name: "Benchmark office", timezone: "Europe/Berlin",
                                                             policy: .openEveryDay),
                                                       by: root, actor: system)
        let floor = try await places.createFloor(in: location.id, name: "1", level: 1, by: root, actor: system)
        var desks: [DeskRecord] = []
        for roomIndex in 0..<(deskCount + 99) / 100 {
            let room = try await places.createRoom(on: floor.id, name: String(format: "Room %02d", roomIndex + 1), description: nil,
                                                   by: root, actor: system)
            for deskIndex in 0..<min(100, deskCount - roomIndex * 100) {
                desks.append(DeskRecord(id: UUID(), roomId: room.id, locationId: location.id,
                                        name: String(format: "R%02d-D%03d", roomIndex + 1, deskIndex + 1),
                                        x: Double(deskIndex % 10) / 10 + 0.05, y: Double(deskIndex / 10) / 10 + 0.05,
                                        orientation: "bottom", tags: "[]", permanentUserId: nil, isActive: true))
            }
        }
        let now = services.clock.now()
        let people = (0..<peopleCount).map { index in
            UserRecord(id: UUID(), username: "person\(index)", email: "person\(index)@bench.invalid", displayName: "Person \(index)",
                       passwordHash: "!", isSuperuser: false, isActive: true, createdAt: now)
        }
        try await services.transactor.write { [desks] sql in
            try await PlaceStore(sql: sql).insert(desks)
            try await UserStore(sql: sql).insert(people)
            return .changingAccess
        }
        return BenchmarkOffice(location: location, desks: desks, people: people)
    }
}

/// `deskpilot seed-autopilot`: an empty database gets the benchmark office and one active autopilot rule per person,
/// each asking for a desk on the day that opens next. The rules are stored as never planned, as after an import or a
/// crash, so the server's engine files all their requests when it starts.
struct AutopilotSeeder {
    let services: AppServices

    func seed(rules: Int, desks: Int) async throws -> String {
        let office = try await BenchmarkOffice.make(services, desks: desks, people: rules, command: "seed-autopilot")
        let now = services.clock.now()
        let calendar = ZonedCalendar(timeZone: office.location.timeZone)
        let day = AutopilotPlanning.nextDayToOpen(policy: office.location.effectivePolicy, calendar: calendar, now: now)
        let records = try office.people.enumerated().map { index, person in
            var rule = AutopilotRuleRecord(
                id: UUID(), userId: person.id, locationId: office.location.id, name: "Rule \(index)", mode: .book, status: .active,
                statusReason: nil, criteria: "", days: "", windowFrom: nil, windowUntil: nil, skipTodayAfter: nil, revision: 1,
                plannedRevision: 0, plannedThrough: nil, createdAt: now, updatedAt: now)
            try rule.apply(AutopilotRuleDefinition(
                criteria: DeskCriteria(preferredDesks: [office.desks[index % office.desks.count].id]), days: DaySelection(extraDates: [day]),
                window: nil, skipTodayAfter: nil))
            return rule
        }
        try await services.transactor.write { sql in
            try await RuleStore(sql: sql).insert(records)
            return .unannounced
        }
        return "seeded \(rules) autopilot rules over \(desks) desks, each asking for \(day)"
    }
}
