import DeskCore
@testable import DeskServer
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

/// Someone calling the API: a personal access token, or browser cookies with the CSRF token.
struct Caller: Sendable {
    let userId: UUID
    var headers: HTTPHeaders

    static let anonymous = Caller(userId: UUID(), headers: [:])
}

/// A small organisation every server test can start from.
///
/// Berlin (Europe/Berlin): floor "1" with "Open space" (open, desks A1–A3) and "Lab" (gated to the
/// Engineering group, desk L1). New York (America/New_York): one room with desk N1. Both open every day of the
/// week, so that a test may book any weekday (new locations open Monday–Friday).
/// People: admin (superuser), leo (manages Berlin), rita (manages Open space), ann and bob (users),
/// gus (Engineering member).
struct Fixture: Sendable {
    /// Friday 2026-03-20 09:00 UTC (10:00 in Berlin): Berlin's spring DST change (29 March) is inside the booking window.
    static let defaultNow = Timestamp.parse("2026-03-20T09:00:00Z")!

    let admin: Caller, leo: Caller, rita: Caller, ann: Caller, bob: Caller, gus: Caller
    let germany: UUID, berlin: UUID, berlinFloor: UUID, openSpace: UUID, lab: UUID
    let engineering: UUID
    let desks: [UUID]  // A1, A2, A3
    let labDesk: UUID
    let usa: UUID, newYork: UUID, newYorkRoom: UUID, newYorkDesk: UUID

    static func make(_ server: TestServer) async throws -> Fixture {
        let services = server.services
        let system = Actor(userId: nil, ip: nil)
        let adminUser = try await services.users.upsertAdmin(username: "admin", password: "admin-password")
        let root = try await services.sessions.viewer(for: adminUser)
        func user(_ name: String) async throws -> UserRecord {
            try await services.users.create(
                .init(username: name, email: "\(name)@example.com", password: "\(name)-password", displayName: name.capitalized),
                by: root, actor: system)
        }
        let leo = try await user("leo"), rita = try await user("rita"), ann = try await user("ann")
        let bob = try await user("bob"), gus = try await user("gus")

        let places = services.places
        let germany = try await places.createCountry(.init(name: "Germany", code: "DE"), by: root, actor: system)
        let berlin = try await places.createLocation(
            .init(countryId: germany.id, name: "Berlin", timezone: "Europe/Berlin", policy: .openEveryDay), by: root, actor: system)
        let floor = try await places.createFloor(in: berlin.id, name: "1", level: 1, by: root, actor: system)
        let open = try await places.createRoom(on: floor.id, name: "Open space", description: nil, by: root, actor: system)
        let lab = try await places.createRoom(on: floor.id, name: "Lab", description: nil, by: root, actor: system)
        var desks: [UUID] = []
        for name in ["A1", "A2", "A3"] {
            desks.append(try await places.createDesk(in: open.id, .init(name: name, tags: ["monitor"]), by: root, actor: system).id)
        }
        let labDesk = try await places.createDesk(in: lab.id, .init(name: "L1"), by: root, actor: system)
        for room in [open, lab] {
            try await services.roomMaps.store(roomId: room.id, locationId: berlin.id, contentType: "image/svg+xml",
                                              data: Data(#"<svg xmlns="http://www.w3.org/2000/svg"/>"#.utf8), actor: system)
        }
        let engineering = try await services.access.createGroup(in: berlin.id, name: "Engineering", description: nil, by: root, actor: system)
        try await services.access.setMember(gus.id, of: engineering.id, present: true, by: root, actor: system)
        _ = try await services.access.setRoomGate(lab.id, groupIds: [engineering.id], by: root, actor: system)
        try await services.access.setLocationManager(leo.id, of: berlin.id, present: true, by: root, actor: system)
        try await services.access.setRoomManager(rita.id, of: open.id, present: true, by: root, actor: system)

        let usa = try await places.createCountry(.init(name: "United States", code: "US"), by: root, actor: system)
        let newYork = try await places.createLocation(
            .init(countryId: usa.id, name: "New York", timezone: "America/New_York", policy: .openEveryDay), by: root, actor: system)
        let nyFloor = try await places.createFloor(in: newYork.id, name: "12", level: 12, by: root, actor: system)
        let nyRoom = try await places.createRoom(on: nyFloor.id, name: "Hudson", description: nil, by: root, actor: system)
        let nyDesk = try await places.createDesk(in: nyRoom.id, .init(name: "N1"), by: root, actor: system)

        func caller(_ user: UserRecord) async throws -> Caller {
            let principal = Principal(user: user, viewer: try await services.sessions.viewer(for: user), credential: .session)
            let (_, secret) = try await services.sessions.createToken(name: "tests", scopes: ["read", "write"], for: principal, actor: system)
            return Caller(userId: user.id, headers: ["Authorization": "Bearer \(secret)"])
        }
        return Fixture(
            admin: try await caller(adminUser), leo: try await caller(leo), rita: try await caller(rita),
            ann: try await caller(ann), bob: try await caller(bob), gus: try await caller(gus),
            germany: germany.id, berlin: berlin.id, berlinFloor: floor.id, openSpace: open.id, lab: lab.id,
            engineering: engineering.id, desks: desks, labDesk: labDesk.id,
            usa: usa.id, newYork: newYork.id, newYorkRoom: nyRoom.id, newYorkDesk: nyDesk.id
        )
    }
}

extension TestServer {
    /// Sends one request through the whole middleware stack.
    @discardableResult
    func send(
        _ method: HTTPMethod, _ path: String, as caller: Caller = .anonymous, json: JSON? = nil, rawBody: String? = nil,
        headers extra: HTTPHeaders = [:]
    ) async throws -> TestingHTTPResponse {
        var headers = caller.headers
        headers.add(contentsOf: extra)
        var body = ByteBufferAllocator().buffer(capacity: 0)
        if let json {
            body.writeString(json.text)
        } else if let rawBody {
            body.writeString(rawBody)
        }
        if json != nil || rawBody != nil, headers.contentType == nil {
            headers.contentType = .json
        }
        let request = TestingHTTPRequest(method: method, url: URI(path: path), headers: headers, body: body)
        return try await app.testing().performTest(request: request)
    }

    /// Books through the API; `day` is a local date in the desk's location, times are local "HH:mm".
    func book(
        _ desk: UUID, as caller: Caller, day: String, from: String, to: String, zone: String = "Europe/Berlin",
        extra: [String: JSON] = [:]
    ) async throws -> TestingHTTPResponse {
        var body: [String: JSON] = ["desk_id": .id(desk), "start": .time(local(day, from, zone)), "end": .time(local(day, to, zone))]
        body.merge(extra) { $1 }
        return try await send(.POST, "/api/v1/bookings", as: caller, json: .object(body))
    }
}

/// The instant of a local wall-clock time in a zone.
func local(_ day: String, _ time: String, _ zone: String = "Europe/Berlin") -> Date {
    ZonedCalendar(timeZone: TimeZone(identifier: zone)!).instant(on: LocalDate(parsing: day)!, at: LocalTime(parsing: time)!)
}

/// A browser session: the cookies a login set, sent back on every request.
struct BrowserSession: Sendable {
    var cookies: [String: String]

    init(_ response: TestingHTTPResponse) {
        cookies = [:]
        absorb(response)
    }

    /// Keeps what a response sets (and drops what it expires).
    mutating func absorb(_ response: TestingHTTPResponse) {
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0]
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if header.contains("Max-Age=0") { cookies[parts[0]] = nil } else { cookies[parts[0]] = parts[1] }
        }
    }

    var cookieHeader: String { cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    /// Cookies plus the CSRF echo, as a page would send them.
    func caller(userId: UUID = UUID(), csrf: Bool = true) -> Caller {
        var headers: HTTPHeaders = ["Cookie": cookieHeader]
        if csrf, let token = cookies["deskpilot_csrf"] { headers.add(name: "X-CSRF-Token", value: token) }
        return Caller(userId: userId, headers: headers)
    }
}

extension TestServer {
    func login(_ username: String, _ password: String) async throws -> (TestingHTTPResponse, BrowserSession) {
        let response = try await send(.POST, "/api/v1/auth/login", json: ["username": .string(username), "password": .string(password)])
        return (response, BrowserSession(response))
    }
}
