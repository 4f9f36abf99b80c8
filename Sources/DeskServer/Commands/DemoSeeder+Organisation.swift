import DeskCore
import Foundation

/// The demo's offices and people, created through the same services an administrator uses.
extension DemoSeeder {
    /// One office as the demo describes it.
    struct OfficePlan: Sendable {
        let country: String
        let name: String
        let timezone: String
        let address: String
        let lat: Double
        let lng: Double
        let floors: [(name: String, level: Int, rooms: [(name: String, layout: DemoRoomLayout)])]
        /// The people named in the README come first: the first manages the office, the second its second rooms.
        let namedPeople: [String]
        let names: (first: [String], last: [String])
        let groups: [String]
        /// A room open only to the first group's members.
        var gatedRoom: String? = nil
        /// Everyone must be in one of the groups to book here at all.
        var gatedLocation = false
        var checkInRequired = false
    }

    /// An office as created: its location, rooms and people.
    struct Office: Sendable {
        let plan: OfficePlan
        let location: LocationRecord
        var rooms: [Room] = []
        var people: [Person] = []
        /// Permanent desks and whose they are.
        var permanent: [UUID: UUID] = [:]

        var calendar: ZonedCalendar { ZonedCalendar(timeZone: location.timeZone) }
        var policy: Policy { location.effectivePolicy }
        var desks: [DeskRecord] { rooms.flatMap(\.desks) }

        func room(named name: String) -> Room? { rooms.first { $0.record.name == name } }
    }

    struct Room: Sendable {
        let record: RoomRecord
        let desks: [DeskRecord]
        /// nil when everyone who may book at the location may book here.
        let onlyFor: UUID?
    }

    /// A demo person: who they are to the booking rules, the desk they like, and how often they come in.
    struct Person: Sendable {
        let user: UserRecord
        var viewer: Viewer
        var homeDesk: UUID
        /// How much more or less than the office's average this person comes in (0.7…1.2).
        let presence: Double
        let groups: Set<UUID>
    }

    private static let germanNames = (
        first: ["Marie", "Leon", "Clara", "Finn", "Lena", "Elias", "Laura", "Moritz", "Johanna", "David", "Katharina", "Max", "Julia",
                "Tim", "Sarah", "Jan", "Nina", "Simon", "Lisa", "Tobias", "Greta", "Philipp", "Ida", "Niklas", "Frieda", "Matteo",
                "Ella", "Anton", "Carla", "Jakob", "Luisa", "Henrik", "Maja", "Oskar", "Pia", "Valentin", "Theresa", "Konstantin"],
        last: ["Richter", "Klein", "Neumann", "Schwarz", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Schmitt", "Maier",
               "Frank", "Berger", "Kaiser", "Peters", "Vogel", "Jung", "Roth", "Haas", "Brandt", "Engel", "Sommer", "Graf", "Lorenz"])
    private static let americanNames = (
        first: ["Emily", "James", "Grace", "Daniel", "Madison", "Henry", "Harper", "Jack", "Abigail", "Owen", "Ella", "Caleb", "Scarlett",
                "Ryan", "Aria", "Nathan", "Lily", "Isaac", "Hazel", "Wyatt", "Nora", "Gabriel", "Riley", "Julian", "Layla", "Aaron",
                "Stella", "Dylan", "Maya", "Adrian"],
        last: ["Johnson", "Williams", "Anderson", "Thomas", "Moore", "Jackson", "White", "Harris", "Clark", "Lewis", "Robinson",
               "Young", "Allen", "King", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter", "Perez", "Turner"])
    private static let britishNames = (
        first: ["Jack", "Freya", "Charlie", "Evie", "Alfie", "Florence", "Arthur", "Ivy", "Archie", "Rosie", "Theo", "Willow", "Oscar",
                "Daisy", "Leo", "Phoebe", "Freddie", "Matilda", "Esme", "Teddy", "Sienna", "Reuben", "Imogen", "Edward", "Harriet",
                "Rory", "Elsie", "Hugo"],
        last: ["Hughes", "Edwards", "Green", "Hall", "Wood", "Harris", "Lewis", "Clarke", "Jackson", "Turner", "Hill", "Cooper",
               "Ward", "Morris", "Moore", "King", "Watson", "Baker", "Harrison", "Morgan", "Patel", "Bell", "Kelly"])

    static let countries: [(name: String, code: String, lat: Double, lng: Double)] = [
        ("Germany", "DE", 51.17, 10.45), ("United States", "US", 39.83, -98.58), ("United Kingdom", "GB", 54.0, -2.0),
    ]

    static let offices: [OfficePlan] = [
        OfficePlan(country: "DE", name: "Berlin", timezone: "Europe/Berlin", address: "Friedrichstraße 68, 10117 Berlin",
                   lat: 52.5096, lng: 13.3889,
                   floors: [("Ground floor", 0, [("Open space", .openPlan), ("Quiet room", .quietRoom)]),
                            ("First floor", 1, [("Engineering lab", .projectRoom), ("Studio", .openPlan)])],
                   namedPeople: ["anna.schmidt", "jonas.weber", "lea.fischer", "paul.wagner", "mia.becker", "felix.hoffmann", "emma.koch"],
                   names: germanNames, groups: ["Engineering", "Design"], gatedRoom: "Engineering lab"),
        OfficePlan(country: "DE", name: "Munich", timezone: "Europe/Berlin", address: "Leopoldstraße 8, 80802 München",
                   lat: 48.1531, lng: 11.5822,
                   floors: [("Level 3", 3, [("Isar", .openPlan), ("Englischer Garten", .quietRoom)]), ("Level 4", 4, [("Olympia", .projectRoom)])],
                   namedPeople: ["lukas.meyer", "sophie.wolf", "noah.schulz", "hannah.braun", "ben.zimmermann"],
                   names: germanNames, groups: ["Sales"]),
        OfficePlan(country: "US", name: "New York", timezone: "America/New_York", address: "350 Fifth Avenue, New York, NY 10118",
                   lat: 40.7484, lng: -73.9857,
                   floors: [("12th floor", 12, [("Hudson", .openPlan), ("Brooklyn", .projectRoom)]), ("14th floor", 14, [("Midtown", .openPlan)])],
                   namedPeople: ["olivia.jones", "liam.smith", "ava.brown", "ethan.davis", "chloe.miller", "mason.wilson", "zoe.garcia",
                                 "lucas.martinez"],
                   names: americanNames, groups: ["Finance", "Support"]),
        OfficePlan(country: "GB", name: "London", timezone: "Europe/London", address: "1 Canada Square, London E14 5AB",
                   lat: 51.5049, lng: -0.0195,
                   floors: [("Level 20", 20, [("Thames", .openPlan), ("Canary", .quietRoom), ("Docklands", .projectRoom)])],
                   namedPeople: ["oliver.taylor", "amelia.evans", "harry.thomas", "isla.roberts", "george.walker", "poppy.wright"],
                   names: britishNames, groups: ["London staff"], gatedLocation: true, checkInRequired: true),
    ]

    private static let tagCycle: [[String]] = [
        ["monitor"], ["monitor", "dual-screen"], ["standing", "monitor"], ["accessible", "monitor"], [], ["standing"],
    ]

    /// Usernames for an office: its named people, then first and last names paired until there is one per desk.
    static func usernames(for plan: OfficePlan, count: Int, taken: inout Set<String>) -> [String] {
        var names: [String] = []
        for name in plan.namedPeople where taken.insert(name).inserted { names.append(name) }
        var index = 0
        while names.count < count {
            let first = plan.names.first[index % plan.names.first.count]
            let last = plan.names.last[(index * 7 + index / plan.names.first.count) % plan.names.last.count]
            let name = "\(first).\(last)".lowercased()
            if taken.insert(name).inserted { names.append(name) }
            index += 1
        }
        return names
    }

    /// Creates the countries, offices, rooms with their plans and desks, people, groups, managers, gates, policies and
    /// permanent desks. Every place is created as the administrator would through the API.
    func buildOrganisation(admin: Viewer, random: inout SeededGenerator) async throws -> [Office] {
        let system = Actor(userId: nil, ip: nil)
        let places = services.places
        var countryIds: [String: UUID] = [:]
        for country in Self.countries {
            countryIds[country.code] = try await places.createCountry(
                .init(name: country.name, code: country.code, lat: country.lat, lng: country.lng), by: admin, actor: system).id
        }

        // People first, one password hash for all: hashing is what makes creating accounts slow.
        let hash = try await services.users.hasher.hash(Self.password)
        let now = services.clock.now()
        var taken = Set<String>()
        var accounts: [[UserRecord]] = []
        for plan in Self.offices {
            let desks = plan.floors.flatMap(\.rooms).reduce(0) { $0 + $1.layout.desks.count }
            accounts.append(Self.usernames(for: plan, count: desks, taken: &taken).map { name in
                let display = name.split(separator: ".").map { $0.capitalized }.joined(separator: " ")
                return UserRecord(id: UUID(), username: name, email: "\(name)@demo.deskpilot.example", displayName: display,
                                  passwordHash: hash, isSuperuser: false, isActive: true, createdAt: now)
            })
        }
        let everyone = accounts.flatMap { $0 }
        try await services.transactor.write { sql in
            try await UserStore(sql: sql).insert(everyone)
            return .changingAccess
        }

        var offices: [Office] = []
        for (plan, users) in zip(Self.offices, accounts) {
            var policy = PolicyOverrides()
            policy.openWeekdays = [1, 2, 3, 4, 5]
            if plan.checkInRequired { policy.checkInRequired = true }
            let location = try await places.createLocation(
                .init(countryId: countryIds[plan.country], name: plan.name, address: plan.address, timezone: plan.timezone,
                      lat: plan.lat, lng: plan.lng, roomManagersAddMembers: true, policy: policy),
                by: admin, actor: system)
            var groups: [UUID] = []
            var memberships: [UUID: Set<UUID>] = [:]
            for (index, name) in plan.groups.enumerated() {
                let group = try await services.access.createGroup(in: location.id, name: name, description: "\(name) in \(plan.name)",
                                                                  by: admin, actor: system)
                groups.append(group.id)
                for (personIndex, user) in users.enumerated() where personIndex % plan.groups.count == index {
                    try await services.access.setMember(user.id, of: group.id, present: true, by: admin, actor: system)
                    memberships[user.id, default: []].insert(group.id)
                }
            }
            try await services.access.setLocationManager(users[0].id, of: location.id, present: true, by: admin, actor: system)
            if plan.gatedLocation {
                _ = try await services.access.setLocationGate(location.id, groupIds: groups, by: admin, actor: system)
            }

            var office = Office(plan: plan, location: location)
            for floor in plan.floors {
                let floorRecord = try await places.createFloor(in: location.id, name: floor.name, level: floor.level, by: admin, actor: system)
                for (roomIndex, spec) in floor.rooms.enumerated() {
                    let room = try await places.createRoom(on: floorRecord.id, name: spec.name,
                                                           description: "\(spec.name), \(floor.name), \(plan.name)", by: admin, actor: system)
                    if roomIndex == 1 {
                        try await services.access.setRoomManager(users[1].id, of: room.id, present: true, by: admin, actor: system)
                    }
                    var onlyFor: UUID?
                    if spec.name == plan.gatedRoom {
                        _ = try await services.access.setRoomGate(room.id, groupIds: [groups[0]], by: admin, actor: system)
                        onlyFor = groups[0]
                    }
                    var desks: [DeskRecord] = []
                    for (index, position) in spec.layout.desks.enumerated() {
                        let name = "\(spec.name.prefix(1).uppercased())\(floor.level)-\(String(format: "%02d", index + 1))"
                        desks.append(try await places.createDesk(
                            in: room.id,
                            .init(name: name, x: position.x, y: position.y, orientation: position.orientation,
                                  tags: Self.tagCycle[(index + roomIndex) % Self.tagCycle.count]),
                            by: admin, actor: system))
                    }
                    // Through the same check as an upload, so the demo stores what an upload would.
                    let map = try FloorMapSVG.sanitize(Array(spec.layout.svg(room: spec.name).utf8))
                    try await services.roomMaps.store(roomId: room.id, locationId: location.id, contentType: "image/svg+xml",
                                                      data: Data(map.utf8), actor: system)
                    office.rooms.append(Room(record: room, desks: desks, onlyFor: onlyFor))
                }
            }
            (office.people, office.permanent) = try await seatPeople(users, in: office, memberships: memberships, random: &random)
            offices.append(office)
        }
        return offices
    }

    /// Gives everyone a desk they like, one each, in a room they may book; members of a restricted room's group sit
    /// there first. Two people get their desk permanently.
    private func seatPeople(_ users: [UserRecord], in office: Office, memberships: [UUID: Set<UUID>],
                            random: inout SeededGenerator) async throws -> (people: [Person], permanent: [UUID: UUID]) {
        var free = office.rooms.flatMap { room in room.desks.map { (desk: $0.id, onlyFor: room.onlyFor) } }
        var people: [Person] = []
        // Those who may use a restricted room choose first, so its desks go to them.
        let order = users.indices.sorted { lhs, rhs in
            let l = office.rooms.contains { $0.onlyFor.map { memberships[users[lhs].id]?.contains($0) ?? false } ?? false }
            let r = office.rooms.contains { $0.onlyFor.map { memberships[users[rhs].id]?.contains($0) ?? false } ?? false }
            return l == r ? lhs < rhs : l
        }
        var seated: [Int: Person] = [:]
        for index in order {
            let user = users[index]
            let groups = memberships[user.id] ?? []
            // A restricted room they may use first, so that its desks go to those who may book them.
            guard let pick = free.firstIndex(where: { $0.onlyFor.map(groups.contains) ?? false })
                    ?? free.firstIndex(where: { $0.onlyFor == nil }) else { continue }
            let desk = free.remove(at: pick).desk
            seated[index] = Person(user: user, viewer: try await services.sessions.viewer(for: user), homeDesk: desk,
                                   presence: Double.random(in: 0.7...1.2, using: &random), groups: groups)
        }
        people = users.indices.compactMap { seated[$0] }
        // Permanent desks: the fifth person of each office, and in the first office the seventh as well.
        let admin = try await adminViewer()
        var permanent: [UUID: UUID] = [:]
        for index in office.plan.name == Self.offices[0].name ? [4, 6] : [4] where index < people.count {
            _ = try await services.access.setPermanent(desk: people[index].homeDesk, userId: people[index].user.id, by: admin,
                                                       actor: Actor(userId: nil, ip: nil))
            permanent[people[index].homeDesk] = people[index].user.id
        }
        return (people, permanent)
    }
}
