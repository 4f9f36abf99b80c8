import Foundation

/// A user created for the run, with a personal access token.
struct LoadUser: Sendable {
    let username: String
    let token: String
}

/// A new location with one floor and one room, and the administrator token that made them.
struct Site: Sendable {
    let suffix: String
    let admin: Credentials
    let location: EntityID
    let room: EntityID
}

/// Building blocks the scenarios set up their data with, all through the public API.
enum Setup {
    static let userPassword = "load-password-123"
    static let tokenScopes = ["read", "write"]
    /// Setup requests in flight at once.
    static let width = 8

    /// Creates a country, a location in `options.timezone` with `policy` applied, a floor and a room.
    static func site(api: API, options: LoadOptions, policy: [String: any Sendable]?) async throws -> Site {
        let suffix = randomSuffix(6)
        Output.err("setup: logging in as \(options.adminUser)")
        let adminSession = try await login(api: api, username: options.adminUser, password: options.adminPassword,
                                           step: "admin login")
        let adminToken = try await createToken(api: api, session: adminSession, name: "load-admin-\(suffix)",
                                               step: "admin token")
        let admin = Credentials.bearer(adminToken)

        let countryID = try await createCountry(api: api, admin: admin, suffix: suffix)
        let location = try JSONFields.id(try await api.expectSuccess(
            "create location", .post, "/api/v1/locations",
            // Open every day: the scenarios book every day from tomorrow, whatever weekday the run starts on.
            json: ["country_id": countryID.text, "name": "Load \(suffix)", "timezone": options.timezone,
                   "policy": ["open_weekdays": [1, 2, 3, 4, 5, 6, 7]]],
            credentials: admin
        ), step: "create location")
        Output.err("setup: location 'Load \(suffix)' (\(options.timezone)) \(location.text)")

        if let policy {
            _ = try await api.expectSuccess("set location policy", .patch, "/api/v1/locations/\(location.text)/policy",
                                            json: policy, credentials: admin)
        }
        let floor = try JSONFields.id(try await api.expectSuccess(
            "create floor", .post, "/api/v1/locations/\(location.text)/floors",
            json: ["name": "F1", "level": 1], credentials: admin
        ), step: "create floor")
        let room = try JSONFields.id(try await api.expectSuccess(
            "create room", .post, "/api/v1/floors/\(floor.text)/rooms",
            json: ["name": "Room", "description": ""], credentials: admin
        ), step: "create room")
        return Site(suffix: suffix, admin: admin, location: location, room: room)
    }

    /// Desks D-1… in the site's room, laid out on a 16-column grid.
    static func createDesks(api: API, site: Site, count: Int) async throws -> [EntityID] {
        Output.err("setup: creating \(count) desks")
        return try await boundedMap(count: count, width: width) { index in
            let number = index + 1
            let reply = try await api.expectSuccess(
                "create desk \(number)", .post, "/api/v1/rooms/\(site.room.text)/desks",
                json: [
                    "name": "D-\(number)",
                    "x": Double(index % 16) / 16 + 1.0 / 32,
                    "y": Double(index / 16 % 16) / 16 + 1.0 / 32,
                    "tags": [String](),
                ],
                credentials: site.admin
            )
            return try JSONFields.id(reply, step: "create desk \(number)")
        }
    }

    /// Ordinary users, each signed in once to create a personal access token.
    static func createUsers(api: API, site: Site, count: Int) async throws -> [LoadUser] {
        Output.err("setup: creating \(count) users with tokens")
        return try await boundedMap(count: count, width: width) { index in
            let username = "load\(site.suffix)u\(index + 1)"
            _ = try await api.expectSuccess(
                "create user \(username)", .post, "/api/v1/users",
                json: [
                    "username": username,
                    "email": "\(username)@example.com",
                    "password": userPassword,
                    "display_name": "Load User \(index + 1)",
                    "is_superuser": false,
                ],
                credentials: site.admin
            )
            let session = try await login(api: api, username: username, password: userPassword,
                                          step: "login \(username)")
            let token = try await createToken(api: api, session: session, name: "load", step: "token for \(username)")
            return LoadUser(username: username, token: token)
        }
    }

    static func login(api: API, username: String, password: String, step: String) async throws -> Credentials {
        let reply = try await api.expectSuccess(step, .post, "/api/v1/auth/login",
                                                json: ["username": username, "password": password])
        let pairs = Cookies.pairs(from: reply.setCookies)
        guard !pairs.isEmpty else {
            throw LoadError("\(step): login answered HTTP \(reply.status) without Set-Cookie headers")
        }
        let header = pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
        let csrf = pairs.first { $0.name == "deskpilot_csrf" }?.value
        return .session(cookieHeader: header, csrf: csrf)
    }

    static func createToken(api: API, session: Credentials, name: String, step: String) async throws -> String {
        let reply = try await api.expectSuccess(step, .post, "/api/v1/me/tokens",
                                                json: ["name": name, "scopes": tokenScopes], credentials: session)
        return try JSONFields.string("token", reply, step: step)
    }

    /// Country codes may be unique, so a taken code is retried with another random one.
    static func createCountry(api: API, admin: Credentials, suffix: String) async throws -> EntityID {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var last: Reply?
        for _ in 0..<40 {
            let code = String((0..<2).map { _ in letters.randomElement() ?? "Z" })
            let reply = try await api.send(.post, "/api/v1/countries",
                                           json: ["name": "Loadland \(suffix) \(code)", "code": code],
                                           credentials: admin)
            if reply.isSuccess {
                let id = try JSONFields.id(reply, step: "create country")
                Output.err("setup: country \(code) \(id.text)")
                return id
            }
            guard reply.status == 409 else {
                throw LoadError("create country: POST /api/v1/countries answered HTTP \(reply.status): "
                    + truncated(reply.body, to: 2000))
            }
            last = reply
        }
        throw LoadError("create country: no free two-letter code after 40 attempts; last answer: "
            + truncated(last?.body ?? ""))
    }

    static func randomSuffix(_ length: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<length).map { _ in alphabet.randomElement() ?? "x" })
    }
}

/// Runs `body` for 0..<count with at most `width` calls in flight; results keep their index order.
func boundedMap<T: Sendable>(count: Int, width: Int,
                             _ body: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
    try await withThrowingTaskGroup(of: (Int, T).self) { group in
        var results = [T?](repeating: nil, count: count)
        var next = 0
        while next < min(max(width, 1), count) {
            let index = next
            group.addTask { (index, try await body(index)) }
            next += 1
        }
        while let finished = try await group.next() {
            results[finished.0] = finished.1
            if next < count {
                let index = next
                group.addTask { (index, try await body(index)) }
                next += 1
            }
        }
        return results.compactMap { $0 }
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    var nanoseconds: Int64 {
        let parts = components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }
}

func format(seconds: Double, digits: Int) -> String {
    String(format: "%.\(digits)f", seconds)
}
