import DeskCore
import Foundation

/// Loads a realistic demo organisation into an empty database: three countries, four offices in four time zones,
/// floors and rooms with floor maps, 150+ desks, 26 people in groups, managers, gates, and four weeks of
/// bookings (two behind, two ahead). Deterministic: the same data every time.
struct DemoSeeder {
    static let password = "deskpilot-demo"

    let services: AppServices

    private struct Office {
        let country: String
        let name: String
        let timezone: String
        let address: String
        let lat: Double
        let lng: Double
        let floors: [(name: String, level: Int, rooms: [String])]
        let people: [String]
        let groups: [String]
    }

    private static let countries: [(name: String, code: String, lat: Double, lng: Double)] = [
        ("Germany", "DE", 51.17, 10.45), ("United States", "US", 39.83, -98.58), ("United Kingdom", "GB", 54.0, -2.0),
    ]

    private static let offices: [Office] = [
        Office(country: "DE", name: "Berlin", timezone: "Europe/Berlin", address: "Friedrichstraße 68, 10117 Berlin",
               lat: 52.5096, lng: 13.3889,
               floors: [("Ground floor", 0, ["Open space", "Quiet room"]), ("First floor", 1, ["Engineering lab", "Studio"])],
               people: ["anna.schmidt", "jonas.weber", "lea.fischer", "paul.wagner", "mia.becker", "felix.hoffmann", "emma.koch"],
               groups: ["Engineering", "Design"]),
        Office(country: "DE", name: "Munich", timezone: "Europe/Berlin", address: "Leopoldstraße 8, 80802 München",
               lat: 48.1531, lng: 11.5822,
               floors: [("Level 3", 3, ["Isar", "Englischer Garten"]), ("Level 4", 4, ["Olympia"])],
               people: ["lukas.meyer", "sophie.wolf", "noah.schulz", "hannah.braun", "ben.zimmermann"], groups: ["Sales"]),
        Office(country: "US", name: "New York", timezone: "America/New_York", address: "350 Fifth Avenue, New York, NY 10118",
               lat: 40.7484, lng: -73.9857,
               floors: [("12th floor", 12, ["Hudson", "Brooklyn"]), ("14th floor", 14, ["Midtown"])],
               people: ["olivia.jones", "liam.smith", "ava.brown", "ethan.davis", "chloe.miller", "mason.wilson", "zoe.garcia",
                        "lucas.martinez"],
               groups: ["Finance", "Support"]),
        Office(country: "GB", name: "London", timezone: "Europe/London", address: "1 Canada Square, London E14 5AB",
               lat: 51.5049, lng: -0.0195,
               floors: [("Level 20", 20, ["Thames", "Canary", "Docklands"])],
               people: ["oliver.taylor", "amelia.evans", "harry.thomas", "isla.roberts", "george.walker", "poppy.wright"],
               groups: ["London staff"]),
    ]

    /// Desks per room: rows of four along the map.
    private static let desksPerRoom = 12
    private static let tagCycle: [[String]] = [
        ["monitor"], ["monitor", "dual-screen"], ["standing", "monitor"], ["accessible", "monitor"], [], ["standing"],
    ]

    func seed() async throws -> String {
        guard try await PlaceStore(sql: services.transactor.sql).countries().isEmpty else {
            return "The database already has places; demo data was not loaded."
        }
        let admin = try await adminViewer()
        let system = Actor(userId: nil, ip: nil)
        let places = services.places
        var random = SeededGenerator(seed: 20_261_121)
        let now = services.clock.now()

        // People first: one hash for all demo accounts keeps seeding fast.
        let hash = try await services.users.hasher.hash(Self.password)
        let everyone = Self.offices.flatMap(\.people)
        let people = everyone.map { name in
            let display = name.split(separator: ".").map { $0.capitalized }.joined(separator: " ")
            return UserRecord(id: UUID(), username: name, email: "\(name)@demo.deskpilot.example", displayName: display,
                              passwordHash: hash, isSuperuser: false, isActive: true, createdAt: now)
        }
        try await services.transactor.write { sql in
            try await UserStore(sql: sql).insert(people)
            return .changingAccess
        }
        let usersByName = Dictionary(uniqueKeysWithValues: people.map { ($0.username, $0.id) })

        var countryIds: [String: UUID] = [:]
        for country in Self.countries {
            countryIds[country.code] = try await places.createCountry(
                .init(name: country.name, code: country.code, lat: country.lat, lng: country.lng), by: admin, actor: system).id
        }

        var deskCount = 0
        var roomCount = 0
        var plans: [(office: Office, location: UUID, desks: [UUID])] = []
        for office in Self.offices {
            let location = try await places.createLocation(
                .init(countryId: countryIds[office.country], name: office.name, address: office.address, timezone: office.timezone,
                      lat: office.lat, lng: office.lng, roomManagersAddMembers: true),
                by: admin, actor: system)
            var groups: [UUID] = []
            for (index, name) in office.groups.enumerated() {
                let group = try await services.access.createGroup(in: location.id, name: name, description: "\(name) in \(office.name)",
                                                                  by: admin, actor: system)
                groups.append(group.id)
                for (personIndex, person) in office.people.enumerated() where personIndex % office.groups.count == index || name == "London staff" {
                    try await services.access.setMember(usersByName[person]!, of: group.id, present: true, by: admin, actor: system)
                }
            }
            try await services.access.setLocationManager(usersByName[office.people[0]]!, of: location.id, present: true, by: admin, actor: system)
            if office.name == "London" {
                _ = try await services.access.setLocationGate(location.id, groupIds: groups, by: admin, actor: system)
            }
            var officeDesks: [UUID] = []
            for floor in office.floors {
                let floorRecord = try await places.createFloor(in: location.id, name: floor.name, level: floor.level, by: admin, actor: system)
                for (roomIndex, roomName) in floor.rooms.enumerated() {
                    let room = try await places.createRoom(on: floorRecord.id, name: roomName,
                                                           description: "\(roomName), \(floor.name), \(office.name)", by: admin, actor: system)
                    roomCount += 1
                    if roomIndex == 1 {
                        try await services.access.setRoomManager(usersByName[office.people[1]]!, of: room.id, present: true, by: admin, actor: system)
                    }
                    if roomName == "Engineering lab" {
                        _ = try await services.access.setRoomGate(room.id, groupIds: [groups[0]], by: admin, actor: system)
                    }
                    var positions: [(String, Double, Double)] = []
                    for index in 0..<Self.desksPerRoom {
                        let name = "\(roomName.prefix(1).uppercased())\(floor.level)-\(String(format: "%02d", index + 1))"
                        let (x, y) = Self.position(of: index)
                        let desk = try await places.createDesk(
                            in: room.id,
                            .init(name: name, x: x, y: y, orientation: index % 8 < 4 ? "bottom" : "top",
                                  tags: Self.tagCycle[(index + roomIndex) % Self.tagCycle.count]),
                            by: admin, actor: system)
                        positions.append((name, x, y))
                        deskCount += 1
                        if roomName != "Engineering lab" { officeDesks.append(desk.id) }
                    }
                    // Through the same check as an upload, so the demo stores what an upload would.
                    let map = try FloorMapSVG.sanitize(Array(Self.floorMap(room: roomName, desks: positions).utf8))
                    try await services.roomMaps.store(roomId: room.id, locationId: location.id, contentType: "image/svg+xml",
                                                      data: Data(map.utf8), actor: system)
                }
            }
            plans.append((office, location.id, officeDesks))
        }

        let bookings = try await seedBookings(plans: plans, users: usersByName, now: now, random: &random)
        return """
            Demo organisation loaded: \(Self.countries.count) countries, \(Self.offices.count) locations, \(roomCount) rooms, \
            \(deskCount) desks, \(everyone.count) people, \(bookings) bookings.
            Sign in as any of them with the password '\(Self.password)', for example:
              anna.schmidt   manages Berlin          olivia.jones   manages New York
              jonas.weber    manages a Berlin room   lea.fischer    a Berlin user
            The administrator account is the one printed at first start (or DESKPILOT_ADMIN_USERNAME).
            """
    }

    /// Two weeks of history and two weeks ahead: most people come in on most weekdays, 09:00-17:00 local time.
    private func seedBookings(
        plans: [(office: Office, location: UUID, desks: [UUID])], users: [String: UUID], now: Date, random: inout SeededGenerator
    ) async throws -> Int {
        var records: [BookingRecord] = []
        for plan in plans {
            let calendar = ZonedCalendar(timeZone: TimeZone(identifier: plan.office.timezone)!)
            let today = calendar.date(of: now)
            for offset in -14...13 {
                let day = calendar.adding(days: offset, to: today)
                guard calendar.isoWeekday(of: day) <= 5 else { continue }
                var free = plan.desks.shuffled(using: &random)
                for person in plan.office.people where Double.random(in: 0..<1, using: &random) < 0.7 {
                    guard let desk = free.popLast() else { break }
                    let startHour = [8, 9, 9, 10].randomElement(using: &random)!
                    let start = calendar.instant(on: day, at: LocalTime(hour: startHour))
                    let end = calendar.instant(on: day, at: LocalTime(hour: startHour + [4, 8, 8, 8].randomElement(using: &random)!))
                    guard offset < 0 || start > now else { continue }
                    var status = BookingStatus.confirmed
                    var checkedIn: Date?
                    if offset < 0 {
                        let roll = Double.random(in: 0..<1, using: &random)
                        status = roll < 0.08 ? .cancelled : roll < 0.14 ? .released : .confirmed
                        if status == .confirmed { checkedIn = start.addingTimeInterval(TimeInterval(Int.random(in: 0...20, using: &random) * 60)) }
                    }
                    let owner = users[person]!
                    records.append(BookingRecord(
                        id: UUID(), deskId: desk, userId: owner, startAt: start, endAt: end, status: status, source: .web,
                        createdBy: owner, createdAt: start.addingTimeInterval(-3 * 86_400), updatedAt: start.addingTimeInterval(-3 * 86_400),
                        checkedInAt: checkedIn, note: ""))
                }
            }
        }
        let batch = records
        try await services.transactor.write { sql in
            try await BookingStore(sql: sql).insert(batch)
            return .changingAccess
        }
        return records.count
    }

    private func adminViewer() async throws -> Viewer {
        guard let admin = try await UserStore(sql: services.transactor.sql).firstSuperuser() else {
            throw CommandError("no administrator yet; start the server once or run create-admin")
        }
        return try await services.sessions.viewer(for: admin)
    }

    /// Three rows of four desks: two rows facing each other, one along the window.
    private static func position(of index: Int) -> (Double, Double) {
        let column = index % 4
        let row = index / 4
        return (0.18 + Double(column) * 0.2, [0.3, 0.45, 0.78][row])
    }

    /// A simple architectural sketch: walls, windows, a door, tables under the desks and a label.
    static func floorMap(room: String, desks: [(name: String, x: Double, y: Double)]) -> String {
        let width = 1000.0, height = 700.0
        let room = xmlEscaped(room)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 700" width="1000" height="700" role="img" aria-label="Floor map of \(room)">
            <rect x="0" y="0" width="1000" height="700" fill="#f7f5f0"/>
            <rect x="20" y="20" width="960" height="660" fill="#ffffff" stroke="#3d3d3d" stroke-width="8"/>
            <line x1="120" y1="20" x2="880" y2="20" stroke="#8ecae6" stroke-width="8"/>
            <line x1="120" y1="680" x2="880" y2="680" stroke="#8ecae6" stroke-width="8"/>
            <rect x="940" y="300" width="40" height="100" fill="#ffffff"/>
            <path d="M 980 300 A 100 100 0 0 0 880 400" fill="none" stroke="#9a9a9a" stroke-width="2" stroke-dasharray="6 4"/>
            <rect x="40" y="560" width="120" height="100" fill="#e9edc9" stroke="#b5b58c"/>
            <text x="100" y="615" font-family="sans-serif" font-size="18" text-anchor="middle" fill="#6b705c">Plants</text>
            <text x="500" y="60" font-family="sans-serif" font-size="28" text-anchor="middle" fill="#3d3d3d">\(room)</text>

            """
        for desk in desks {
            let x = desk.x * width, y = desk.y * height
            svg += """
                <rect x="\(Int(x - 70))" y="\(Int(y - 35))" width="140" height="70" rx="6" fill="#e6ddd0" stroke="#b8a88f" stroke-width="2"/>
                <text x="\(Int(x))" y="\(Int(y + 55))" font-family="sans-serif" font-size="14" text-anchor="middle" fill="#6c6c6c">\(xmlEscaped(desk.name))</text>

                """
        }
        return svg + "</svg>\n"
    }

    private static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
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
