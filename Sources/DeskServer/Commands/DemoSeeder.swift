import DeskCore
import Foundation

/// Loads a lived-in demo organisation into an empty database: three countries, four offices in three time zones,
/// rooms with floor plans, a person per desk, three weeks of history and two weeks ahead, today's bookings (some
/// under way, some checked in), permanent desks, autopilot rules with their log, allocation rounds with a waitlist and
/// a room with maintenance scheduled.
///
/// Nothing is written around the rules: the seeder sets the application's clock to moments of the past and acts there
/// through the real services as the people would have (book, cancel, check in, file requests, create rules) while the
/// background jobs' own work (rounds, day openings, no-show releases) runs at its moments too. Everything is relative
/// to the present, so the demo never goes stale, and drawn from a fixed seed, so it looks alike on every machine.
struct DemoSeeder {
    static let password = "deskpilot-demo"
    /// Days of history before today.
    static let historyDays = 21
    /// Days ahead that people have booked (the booking window is 14 days).
    static let aheadDays = 13

    let services: AppServices
    /// Sets the application's clock to a moment; nil lets it run on from the present again.
    let travel: @Sendable (Date?) -> Void

    /// What the demo created, for the summary.
    struct Tally: Sendable {
        var bookings = 0
        var refused = 0
        var today = 0
        var checkIns = 0
        var rules = 0
        var requests = 0
    }

    func seed() async throws -> String {
        guard try await PlaceStore(sql: services.transactor.sql).countries().isEmpty else {
            return "The database already has places; demo data was not loaded."
        }
        let admin = try await adminViewer()
        let present = services.clock.now()
        defer { travel(nil) }
        var random = SeededGenerator(seed: 20_261_121)

        travel(present.addingTimeInterval(-Double(Self.historyDays + 7) * 86_400))
        let offices = try await buildOrganisation(admin: admin, random: &random)

        var run = Run(offices: offices, present: present)
        scheduleBookingDays(in: &run)
        scheduleAutopilot(in: &run)
        run.timeline.schedule(.scheduleMaintenance, at: present)
        while let (moment, step) = run.timeline.next() {
            travel(moment)
            try await perform(step, in: &run, random: &random)
            // What the services handed to their queues (the autopilot's log, waitlist offers) happens at this moment too.
            await services.autopilot.engine.idle()
            await services.allocation.waitlist.idle()
        }
        travel(nil)
        // The demo's past told its people what happened to them (their inboxes show it); nobody is mailed about it.
        try await services.transactor.write { sql in
            try await DeliveryStore(sql: sql).dropPending()
            return .unannounced
        }

        let tally = run.tally
        let desks = offices.reduce(0) { $0 + $1.desks.count }
        let rooms = offices.reduce(0) { $0 + $1.rooms.count }
        let people = offices.reduce(0) { $0 + $1.people.count }
        return """
            Demo organisation loaded: \(Self.countries.count) countries, \(offices.count) locations, \(rooms) rooms, \(desks) desks, \
            \(people) people, \(tally.bookings) bookings over five weeks (\(tally.today) today), \(tally.rules) autopilot rules, \
            allocation rounds with a waitlist, and a room with maintenance scheduled.
            Sign in as any of them with the password '\(Self.password)', for example:
              anna.schmidt   manages Berlin          olivia.jones   manages New York
              jonas.weber    manages a Berlin room   lea.fischer    a Berlin user with an autopilot rule
            The administrator account is the one printed at first start (or DESKPILOT_ADMIN_USERNAME).
            """
    }

    /// The state of one demo run: the offices, the steps still to come and what has been done.
    struct Run: Sendable {
        let offices: [Office]
        let present: Date
        var timeline: DemoTimeline
        var tally = Tally()
        /// Checked claims by desk and person: a person books their desk many times.
        var claims: [DeskAndPerson: BookingService.Claim] = [:]
        /// People whose autopilot books for them: they do not book by hand.
        var automated: Set<UUID> = []
        /// People who do not book by hand on a day: a request of theirs waits for the day's round.
        var requested: [LocalDate: Set<UUID>] = [:]

        init(offices: [Office], present: Date) {
            self.offices = offices
            self.present = present
            timeline = DemoTimeline(present: present)
        }

        /// The office and index of a person.
        func find(_ userId: UUID) -> (office: Int, person: Int)? {
            for (officeIndex, office) in offices.enumerated() {
                if let index = office.people.firstIndex(where: { $0.user.id == userId }) { return (officeIndex, index) }
            }
            return nil
        }
    }

    struct DeskAndPerson: Hashable, Sendable {
        let desk: UUID
        let person: UUID
    }

    func perform(_ step: DemoTimeline.Step, in run: inout Run, random: inout SeededGenerator) async throws {
        switch step {
        case .book(let office, let day): try await book(day, at: office, in: &run, random: &random)
        case .arrivals(let office, let day): try await arrivals(day, at: office, in: &run, random: &random)
        case .checkIn(let booking, let office, let person): try await checkIn(booking, by: run.offices[office].people[person], in: &run)
        case .cancel(let booking, let office, let person): try await cancel(booking, by: run.offices[office].people[person])
        case .releaseNoShows: try await services.bookings.releaseNoShows()
        case .dayOpens:
            // What the leader's jobs do when a day opens: its round, then the autopilot asks for the next one.
            try await services.allocation.runDueRounds()
            try await services.autopilot.planOpenedDays()
        case .createRules: try await createRules(in: &run)
        case .pauseRule(let rule, let office, let person):
            _ = try await services.autopilot.pause(rule, by: run.offices[office].people[person].viewer,
                                                   actor: Actor(userId: run.offices[office].people[person].user.id, ip: nil))
        case .fileRequests(let office, let day, let room): try await fileRequests(for: day, in: room, at: office, in: &run)
        case .scheduleMaintenance: try await scheduleMaintenance(in: run)
        }
    }

    func adminViewer() async throws -> Viewer {
        guard let admin = try await UserStore(sql: services.transactor.sql).firstSuperuser() else {
            throw CommandError("no administrator yet; start the server once or run create-admin")
        }
        return try await services.sessions.viewer(for: admin)
    }
}

/// The demo's steps in time order: each runs with the application's clock set to its moment.
struct DemoTimeline: Sendable {
    enum Step: Sendable {
        /// People book their desks for a day, a few days ahead.
        case book(office: Int, day: LocalDate)
        /// The day begins: who checks in and who does not show up.
        case arrivals(office: Int, day: LocalDate)
        case checkIn(booking: UUID, office: Int, person: Int)
        case cancel(booking: UUID, office: Int, person: Int)
        /// The no-show job after a grace period ended.
        case releaseNoShows
        /// A location's release time: its round runs and the autopilot plans the next day.
        case dayOpens
        case createRules
        case pauseRule(UUID, office: Int, person: Int)
        /// People ask for desks in one room before the day opens, so its round has more requests than desks.
        case fileRequests(office: Int, day: LocalDate, room: String)
        case scheduleMaintenance
    }

    private var entries: [(moment: Date, order: Int, step: Step)] = []
    private var counter = 0
    /// Nothing is scheduled after this: the demo ends at the present.
    private(set) var present: Date = .distantFuture

    init(present: Date = .distantFuture) {
        self.present = present
    }

    /// Adds a step; steps at the same moment run in the order they were added. Steps after the present are dropped.
    mutating func schedule(_ step: Step, at moment: Date) {
        guard moment <= present else { return }
        counter += 1
        let entry = (moment: moment, order: counter, step: step)
        // Kept sorted, latest first, so that the next step is the last element.
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            let other = entries[mid]
            if (other.moment, other.order) > (entry.moment, entry.order) { low = mid + 1 } else { high = mid }
        }
        entries.insert(entry, at: low)
    }

    mutating func next() -> (Date, Step)? {
        guard let entry = entries.popLast() else { return nil }
        return (entry.moment, entry.step)
    }
}

/// SplitMix64: small, fast and reproducible, so the demo looks the same on every machine.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
