import DeskCore
import Foundation

/// The demo's autopilot and allocation: rules that have been at work for two and a half weeks, a room asked for by
/// more people than it has desks (so its round leaves a waitlist), and a room with maintenance scheduled.
extension DemoSeeder {
    /// One person's rule.
    struct RuleSpec: Sendable {
        let office: Int
        let person: String
        let name: String
        var mode: RuleMode = .book
        let weekdays: Set<Int>
        /// Only desks in this room.
        var room: String? = nil
        var tags: Set<String> = []
        /// Their own desk first.
        var prefersOwnDesk = false
        var window: (from: Int, until: Int)? = nil
        /// Paused by its owner this many days before today.
        var pausedDaysAgo: Int? = nil
    }

    static let rules: [RuleSpec] = [
        RuleSpec(office: 0, person: "lea.fischer", name: "Team days", weekdays: [2, 3, 4], prefersOwnDesk: true, window: (8 * 60 + 30, 17 * 60 + 30)),
        RuleSpec(office: 0, person: "paul.wagner", name: "Quiet Mondays and Fridays", weekdays: [1, 5], room: "Quiet room",
                 window: (9 * 60, 16 * 60)),
        RuleSpec(office: 0, person: "felix.hoffmann", name: "Studio", weekdays: [2, 3], room: "Studio", window: (9 * 60, 18 * 60)),
        RuleSpec(office: 1, person: "noah.schulz", name: "Mondays in Munich", weekdays: [1], window: (8 * 60, 16 * 60), pausedDaysAgo: 6),
        RuleSpec(office: 1, person: "hannah.braun", name: "Standing desk", weekdays: [2, 4], tags: ["standing"], window: (9 * 60, 17 * 60)),
        RuleSpec(office: 2, person: "ava.brown", name: "Mornings in Hudson", weekdays: [1, 2, 3], room: "Hudson", window: (8 * 60, 14 * 60)),
        RuleSpec(office: 2, person: "ethan.davis", name: "Tell me about Fridays", mode: .watch, weekdays: [5], window: (9 * 60, 17 * 60)),
        RuleSpec(office: 3, person: "amelia.evans", name: "Canary Wharf days", weekdays: [3, 4], prefersOwnDesk: true,
                 window: (8 * 60 + 30, 17 * 60 + 30)),
    ]

    /// Days before today that the rules were created.
    static let rulesAge = 17
    /// How many people ask for the quiet room on the day of the demo's round, for its eight desks.
    static let roundRequests = 12

    /// The rules' creation, every day opening since (rounds and the autopilot's next requests), and the requests
    /// for a day next week filed before it opened.
    func scheduleAutopilot(in run: inout Run) {
        let berlin = run.offices[0].calendar
        let today = berlin.date(of: run.present)
        let created = berlin.instant(on: berlin.adding(days: -Self.rulesAge, to: today), at: LocalTime(hour: 11))
        run.timeline.schedule(.createRules, at: created)
        for office in run.offices {
            let calendar = office.calendar
            let local = calendar.date(of: run.present)
            for offset in -Self.rulesAge...0 {
                let opens = calendar.instant(on: calendar.adding(days: offset, to: local), at: office.policy.releaseTime).addingTimeInterval(60)
                if opens > created { run.timeline.schedule(.dayOpens, at: opens) }
            }
        }
        // The Wednesday at least five days ahead: it opened last week, after the requests were filed.
        var day = berlin.adding(days: 5, to: today)
        while day.isoWeekday != 3 { day = berlin.adding(days: 1, to: day) }
        run.timeline.schedule(.fileRequests(office: 0, day: day, room: "Quiet room"),
                              at: berlin.instant(on: berlin.adding(days: -16, to: day), at: LocalTime(hour: 14)))
    }

    func createRules(in run: inout Run) async throws {
        for spec in Self.rules {
            let office = run.offices[spec.office]
            guard let index = office.people.firstIndex(where: { $0.user.username == spec.person }) else { continue }
            let person = office.people[index]
            var criteria = DeskCriteria()
            if let room = spec.room.flatMap(office.room(named:)) { criteria.roomIds = [room.record.id] }
            criteria.requiredTags = spec.tags
            if spec.prefersOwnDesk { criteria.preferredDesks = [person.homeDesk] }
            let window = try spec.window.map { try DayWindow(from: LocalTime(minutes: $0.from), until: LocalTime(minutes: $0.until)) }
            let rule = try await services.autopilot.create(
                .init(name: spec.name, locationId: office.location.id, mode: spec.mode,
                      definition: AutopilotRuleDefinition(criteria: criteria, days: DaySelection(weekdays: spec.weekdays), window: window,
                                                          skipTodayAfter: nil)),
                by: person.viewer, actor: Actor(userId: person.user.id, ip: nil))
            run.tally.rules += 1
            if spec.mode == .book { run.automated.insert(person.user.id) }
            if let days = spec.pausedDaysAgo {
                let calendar = office.calendar
                let paused = calendar.instant(on: calendar.adding(days: -days, to: calendar.date(of: run.present)), at: LocalTime(hour: 16))
                run.timeline.schedule(.pauseRule(rule.id, office: spec.office, person: index), at: paused)
            }
        }
    }

    /// People ask for a desk in one room on a day that has not opened yet; its round will have more requests than
    /// desks. They do not book that day by hand.
    func fileRequests(for day: LocalDate, in roomName: String, at officeIndex: Int, in run: inout Run) async throws {
        let office = run.offices[officeIndex]
        guard let room = office.room(named: roomName) else { return }
        // Not the managers, the people with permanent desks or those whose autopilot books for them.
        let askers = office.people.dropFirst(7).filter { !run.automated.contains($0.user.id) }.prefix(Self.roundRequests)
        for person in askers {
            _ = try await services.allocation.file(
                .init(locationId: office.location.id, day: day, criteria: DeskCriteria(roomIds: [room.record.id]), window: nil, source: .web),
                by: person.viewer, actor: Actor(userId: person.user.id, ip: nil))
            run.requested[day, default: []].insert(person.user.id)
            run.tally.requests += 1
        }
    }

    /// A room manager schedules maintenance for three days next week; the bookings it overlaps are cancelled with its
    /// reason and their owners told.
    func scheduleMaintenance(in run: Run) async throws {
        let office = run.offices[1]
        guard let room = office.room(named: "Englischer Garten") else { return }
        let calendar = office.calendar
        var monday = calendar.adding(days: 1, to: calendar.date(of: run.present))
        while monday.isoWeekday != 1 { monday = calendar.adding(days: 1, to: monday) }
        let manager = office.people[1]
        _ = try await services.maintenance.start(
            room: room.record.id, from: calendar.instant(on: monday, at: LocalTime(hour: 7)),
            until: calendar.instant(on: calendar.adding(days: 2, to: monday), at: LocalTime(hour: 20)),
            reason: "New carpet and acoustic panels", affected: .cancel, by: manager.viewer, actor: Actor(userId: manager.user.id, ip: nil))
    }
}
