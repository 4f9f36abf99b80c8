import AsyncHTTPClient
import DeskCore
@testable import DeskServer
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Testing

/// Server processes on a database of their own: a fresh PostgreSQL schema, or a SQLite file in the data directory.
struct Installation {
    let directory: URL
    let schema: String?
    let databaseURL: String?

    static func make() async throws -> Installation {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deskpilot-processes-\(UUID().uuidString)")
        guard let url = TestDatabase.postgresURL else { return Installation(directory: directory, schema: nil, databaseURL: nil) }
        let schema = "p_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        try await PostgresSchemas.create(String(schema), url: url)
        return Installation(directory: directory, schema: String(schema),
                            databaseURL: url + (url.contains("?") ? "&" : "?") + "search_path=\(schema),public")
    }

    /// Instance `name` of this installation; they share the database (and, on SQLite, the data directory).
    func start(_ name: String, _ extra: [String: String] = [:]) async throws -> ServerProcess {
        var environment = extra
        if let databaseURL { environment["DATABASE_URL"] = databaseURL }
        return try await ServerProcess.start(environment: environment, dataDirectory: directory.appendingPathComponent(schema == nil ? "data" : name))
    }

    func remove() async {
        try? FileManager.default.removeItem(at: directory)
        if let schema, let url = TestDatabase.postgresURL { try? await PostgresSchemas.drop(schema, url: url) }
    }
}

/// The 30-minute slot that contains now, as a booking range that is still allowed to start (UTC location).
private func currentSlot() -> (start: Date, end: Date) {
    let now = Date().timeIntervalSince1970
    let start = (now / 1800).rounded(.down) * 1800
    let midnight = ((now / 86_400).rounded(.down) + 1) * 86_400
    return (Date(timeIntervalSince1970: start), Date(timeIntervalSince1970: min(start + 7200, midnight)))
}

@Suite("Several instances on one PostgreSQL", .serialized,
       .enabled(if: TestDatabase.isPostgres, "needs PostgreSQL: set DESKPILOT_TEST_POSTGRES_URL (.ci/run does)"))
struct InstanceTests {
    @Test("one instance on PostgreSQL without DESKPILOT_JWT_SECRET starts without a warning and logs the advice once")
    func singleInstanceWithoutSharedSecret() async throws {
        let installation = try await Installation.make()
        let server = try await installation.start("a", ["DESKPILOT_JWT_SECRET": ""])
        defer { server.kill() }
        let log = server.log
        #expect(!log.contains("WARNING"), "\(log)")
        #expect(log.components(separatedBy: "give each the same DESKPILOT_JWT_SECRET").count == 2, "\(log)")
        await installation.remove()
    }

    @Test("a booking made on one instance reaches a live client of the other within 1 s")
    func eventsCrossInstances() async throws {
        let installation = try await Installation.make()
        let a = try await installation.start("a")
        let b = try await installation.start("b")
        defer { a.kill(); b.kill() }
        do {
            let token = try await RemoteAPI.adminToken(a)
            let place = try await RemoteAPI.place(a, token: token)
            let client = try await LiveClient.connect(to: "ws://127.0.0.1:\(b.port)/api/v1/ws", headers: ["Authorization": "Bearer \(token)"])
            #expect(await client.subscribe(Topic.roomName(place.room))?.type == "subscribed")
            #expect(await client.subscribe(Topic.locationName(place.location))?.type == "subscribed")

            let tomorrow = Date().addingTimeInterval(86_400)
            let day = (tomorrow.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
            let sent = ContinuousClock.now
            let (status, body) = try await RemoteAPI.request(.POST, "\(a.baseURL)/api/v1/bookings", token: token, json: [
                "desk_id": .id(place.desks[0]), "start": .time(Date(timeIntervalSince1970: day + 9 * 3600)),
                "end": .time(Date(timeIntervalSince1970: day + 12 * 3600)),
            ])
            #expect(status == .created, "\(body)")
            let id = try #require(RemoteAPI.object(body)["id"] as? String)
            let event = await client.first(within: .seconds(1)) { $0.type == "booking.created" && $0.string("booking", "id") == id }
            #expect(event != nil, "no event on the other instance within 1 s")
            let counts = await client.first(within: .seconds(1)) { $0.type == "availability" && $0.topic == Topic.locationName(place.location) }
            #expect(counts?["room", "partly_free"] as? Int == 1)
            print("cross-instance delivery: \(ContinuousClock.now - sent) until both events arrived")

            // The other instance's caches follow too: its room report shows the booking at once.
            let (_, report) = try await RemoteAPI.request(
                .GET, "\(b.baseURL)/api/v1/rooms/\(place.room)/availability?from=\(Timestamp.format(Date(timeIntervalSince1970: day)))&to=\(Timestamp.format(Date(timeIntervalSince1970: day + 86_400)))",
                token: token)
            #expect(report.contains(id))
            await client.close()
        } catch {
            Issue.record("\(error)\n--- a ---\n\(a.log)\n--- b ---\n\(b.log)")
        }
        await installation.remove()
    }

    @Test("killing the leader moves the jobs to the other instance within 15 s, and a no-show is released exactly once")
    func leaderFailover() async throws {
        let installation = try await Installation.make()
        let first = try await installation.start("a", ["DESKPILOT_JOB_INTERVAL": "1"])
        let second = try await installation.start("b", ["DESKPILOT_JOB_INTERVAL": "1"])
        defer { first.kill(); second.kill() }
        do {
            let token = try await RemoteAPI.adminToken(first)
            let place = try await RemoteAPI.place(first, token: token, desks: 2)
            let (policyStatus, policyBody) = try await RemoteAPI.request(
                .PATCH, "\(first.baseURL)/api/v1/locations/\(place.location)/policy", token: token,
                json: ["check_in_required": true, "check_in_grace_minutes": 0, "bookable_from": "00:00", "bookable_until": "24:00"])
            #expect(policyStatus == .ok, "\(policyBody)")

            var leader: ServerProcess?
            for _ in 0..<100 where leader == nil {
                if await first.isLeader() { leader = first } else if await second.isLeader() { leader = second }
                try await Task.sleep(for: .milliseconds(100))
            }
            let oldLeader = try #require(leader, "no instance became the leader")
            let standby = oldLeader === first ? second : first
            #expect(!(await standby.isLeader()))

            func noShow(desk: UUID, via server: ServerProcess) async throws -> String {
                let slot = currentSlot()
                let (status, body) = try await RemoteAPI.request(.POST, "\(server.baseURL)/api/v1/bookings", token: token, json: [
                    "desk_id": .id(desk), "start": .time(slot.start), "end": .time(slot.end),
                ])
                #expect(status == .created, "\(body)")
                return try #require(RemoteAPI.object(body)["id"] as? String)
            }
            func waitUntilReleased(_ id: String, via server: ServerProcess) async throws -> Bool {
                for _ in 0..<100 {
                    let (_, body) = try await RemoteAPI.request(.GET, "\(server.baseURL)/api/v1/bookings/\(id)", token: token)
                    if RemoteAPI.object(body)["status"] as? String == "released" { return true }
                    try await Task.sleep(for: .milliseconds(100))
                }
                return false
            }

            // The leader releases a no-show (grace 0: the booking is one as soon as it starts).
            let before = try await noShow(desk: place.desks[0], via: standby)
            #expect(try await waitUntilReleased(before, via: standby))

            oldLeader.kill()
            let killed = ContinuousClock.now
            var tookOver: Duration?
            while ContinuousClock.now - killed < .seconds(20) {
                if await standby.isLeader() {
                    tookOver = ContinuousClock.now - killed
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            let takeover = try #require(tookOver, "the standby never took over")
            #expect(takeover < .seconds(15))
            print("leader takeover after SIGKILL: \(takeover)")

            // The new leader runs the jobs: another no-show is released, the first is not released again.
            let after = try await noShow(desk: place.desks[1], via: standby)
            #expect(try await waitUntilReleased(after, via: standby))
            try await Task.sleep(for: .seconds(2))  // a few more job runs
            let (_, audit) = try await RemoteAPI.request(.GET, "\(standby.baseURL)/api/v1/audit?action=booking.released", token: token)
            let entries = (RemoteAPI.object(audit)["items"] as? [[String: Any]]) ?? []
            #expect(entries.filter { $0["target_id"] as? String == before }.count == 1, "\(audit)")
            #expect(entries.filter { $0["target_id"] as? String == after }.count == 1, "\(audit)")
        } catch {
            Issue.record("\(error)\n--- a ---\n\(first.log)\n--- b ---\n\(second.log)")
        }
        await installation.remove()
    }

    @Test("a day's round runs exactly once while the leader's job and operators on both instances all try to run it")
    func roundExactlyOnce() async throws {
        let installation = try await Installation.make()
        let a = try await installation.start("a", ["DESKPILOT_JOB_INTERVAL": "0.2"])
        let b = try await installation.start("b", ["DESKPILOT_JOB_INTERVAL": "0.2"])
        defer { a.kill(); b.kill() }
        do {
            let token = try await RemoteAPI.adminToken(a)
            let place = try await RemoteAPI.place(a, token: token, desks: 3)
            let (_, policy) = try await RemoteAPI.request(.GET, "\(a.baseURL)/api/v1/locations/\(place.location)", token: token)
            let advance = try #require((RemoteAPI.object(policy)["policy"] as? [String: Any])?["max_advance_days"] as? Int)
            let calendar = ZonedCalendar(timeZone: TimeZone(identifier: "UTC")!)
            // Past the booking window, with a margin for the release time passing meanwhile: these requests wait for the round.
            let day = calendar.adding(days: advance + 2, to: calendar.date(of: Date())).description
            var people: [String] = []
            for index in 0..<5 {
                let name = "person\(index)"
                let (created, body) = try await RemoteAPI.request(.POST, "\(a.baseURL)/api/v1/users", token: token, json: [
                    "username": .string(name), "email": .string("\(name)@example.org"), "password": "person-password",
                    "display_name": .string(name), "is_superuser": false,
                ])
                #expect(created == .created, "\(body)")
                people.append(try await RemoteAPI.token(index % 2 == 0 ? a : b, username: name, password: "person-password"))
            }
            for (index, person) in people.enumerated() {
                let (filed, body) = try await RemoteAPI.request(.POST, "\((index % 2 == 0 ? a : b).baseURL)/api/v1/requests", token: person,
                                                                json: ["location_id": .id(place.location), "date": .string(day)])
                #expect(filed == .created && RemoteAPI.object(body)["status"] as? String == "pending", "\(body)")
            }

            // The day opens (the window grows to include it): the leader's job runs the round within a tick, while an
            // operator on each instance asks for it four times at once.
            let (patched, patchBody) = try await RemoteAPI.request(.PATCH, "\(b.baseURL)/api/v1/locations/\(place.location)/policy",
                                                                   token: token, json: ["max_advance_days": .int(advance + 3)])
            #expect(patched == .ok, "\(patchBody)")
            let answers = try await withThrowingTaskGroup(of: (HTTPResponseStatus, String).self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await RemoteAPI.request(.POST, "\((index % 2 == 0 ? a : b).baseURL)/api/v1/admin/locations/\(place.location)/rounds",
                                                    token: token, json: ["date": .string(day)])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { [.ok, .created].contains($0.0) }, "\(answers)")
            #expect(answers.filter { $0.0 == .created }.count <= 1)
            let roundIds = Set(answers.compactMap { RemoteAPI.object($0.1)["id"] as? String })
            #expect(roundIds.count == 1, "\(answers)")

            // One round, three bookings, and each person has exactly one outcome.
            for server in [a, b] {
                let (_, report) = try await RemoteAPI.request(.GET, "\(server.baseURL)/api/v1/locations/\(place.location)/rounds?date=\(day)",
                                                              token: token)
                let object = RemoteAPI.object(report)
                #expect(roundIds.contains(object["id"] as? String ?? ""))
                #expect(object["participants"] as? Int == 5 && object["winners"] as? Int == 3 && object["waitlisted"] as? Int == 2)
            }
            let (_, bookings) = try await RemoteAPI.request(.GET, "\(a.baseURL)/api/v1/bookings?room_id=\(place.room)&limit=500", token: token)
            #expect((RemoteAPI.object(bookings)["items"] as? [[String: Any]])?.count == 3, "\(bookings)")
            var outcomes: [String] = []
            for person in people {
                let (_, mine) = try await RemoteAPI.request(.GET, "\(b.baseURL)/api/v1/me/requests", token: person)
                let requests = (try? JSONSerialization.jsonObject(with: Data(mine.utf8))) as? [[String: Any]] ?? []
                #expect(requests.count == 1)
                outcomes += requests.compactMap { $0["status"] as? String }
            }
            #expect(outcomes.sorted() == ["waitlisted", "waitlisted", "won", "won", "won"])
        } catch {
            Issue.record("\(error)\n--- a ---\n\(a.log)\n--- b ---\n\(b.log)")
        }
        await installation.remove()
    }
}

@Suite("Graceful shutdown", .serialized)
struct ShutdownTests {
    @Test("SIGTERM under load: every acknowledged booking is stored, no request gets a 5xx, and the process exits cleanly")
    func noAcknowledgedBookingLost() async throws {
        let installation = try await Installation.make()
        let server = try await installation.start("a")
        defer { server.kill() }
        let token = try await RemoteAPI.adminToken(server)
        let place = try await RemoteAPI.place(server, token: token, desks: 4)
        let (policyStatus, _) = try await RemoteAPI.request(
            .PATCH, "\(server.baseURL)/api/v1/locations/\(place.location)/policy", token: token,
            json: ["max_upcoming_per_user": 10_000, "max_concurrent_per_user": 100])
        #expect(policyStatus == .ok)

        // 4 desks × 26 half-hour slots a day × 10 days, none overlapping another: all would succeed.
        let today = (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        let requests: [JSON] = (0..<1040).map { index in
            let desk = place.desks[index % 4], slot = (index / 4) % 26, day = 1 + index / 104
            let start = today + Double(day) * 86_400 + 7 * 3600 + Double(slot) * 1800
            return ["desk_id": .id(desk), "start": .time(Date(timeIntervalSince1970: start)), "end": .time(Date(timeIntervalSince1970: start + 1800))]
        }
        let outcomes = try await withThrowingTaskGroup(of: (HTTPResponseStatus?, String?).self) { group in
            var results: [(HTTPResponseStatus?, String?)] = []
            var next = 0
            func launch() {
                let body = requests[next]
                next += 1
                group.addTask {
                    do {
                        let (status, text) = try await RemoteAPI.request(.POST, "\(server.baseURL)/api/v1/bookings", token: token, json: body,
                                                                         timeout: .seconds(5))
                        return (status, RemoteAPI.object(text)["id"] as? String)
                    } catch {
                        return (nil, nil)  // refused or reset connection: never acknowledged
                    }
                }
            }
            for _ in 0..<32 { launch() }
            var terminated = false
            var refused = false
            while let result = try await group.next() {
                results.append(result)
                if !terminated, results.count == 150 {
                    server.terminate()
                    terminated = true
                }
                // Once the server refuses connections there is no point in more (the client would retry until its timeout).
                refused = refused || result.0 == nil
                if next < requests.count, !refused { launch() }
            }
            return results
        }
        let exit = try await server.waitForExit()
        #expect(exit == 0, "\(server.log)")
        let acknowledged = outcomes.compactMap { $0.0 == .created ? $0.1 : nil }
        #expect(acknowledged.count >= 150)
        #expect(!outcomes.contains { ($0.0?.code ?? 0) >= 500 }, "\(outcomes.filter { ($0.0?.code ?? 0) >= 500 }.count) answers were 5xx")
        print("shutdown under load: \(acknowledged.count) acknowledged, \(outcomes.filter { $0.0 == nil }.count) refused")

        // Every acknowledged booking is there after a restart.
        let restarted = try await installation.start("a")
        defer { restarted.kill() }
        var stored = Set<String>()
        var cursor: String?
        repeat {
            let (_, page) = try await RemoteAPI.request(
                .GET, "\(restarted.baseURL)/api/v1/bookings?mine=true&limit=500" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
            let object = RemoteAPI.object(page)
            for item in (object["items"] as? [[String: Any]]) ?? [] { if let id = item["id"] as? String { stored.insert(id) } }
            cursor = object["next_cursor"] as? String
        } while cursor != nil
        #expect(Set(acknowledged).isSubset(of: stored), "\(Set(acknowledged).subtracting(stored).count) acknowledged bookings are missing")
        await installation.remove()
    }
}

@Suite("Two instances behind nginx", .serialized,
       .enabled(if: TestDatabase.isPostgres && NginxProcess.isInstalled,
                "needs PostgreSQL (DESKPILOT_TEST_POSTGRES_URL) and Debian's nginx; .ci/run provides both"))
struct ReverseProxyTests {
    @Test("deploy/nginx/deskpilot.conf: requests reach both instances, live updates pass through, a stopped instance is routed around")
    func nginx() async throws {
        let installation = try await Installation.make()
        let proxies = ["DESKPILOT_TRUSTED_PROXIES": "127.0.0.1"]
        let a = try await installation.start("a", proxies)
        let b = try await installation.start("b", proxies)
        let nginx = try await NginxProcess.start(upstreams: [a, b], directory: installation.directory.appendingPathComponent("nginx"))
        defer { nginx.stop(); a.kill(); b.kill() }
        do {
            let token = try await RemoteAPI.adminToken(a)
            let place = try await RemoteAPI.place(a, token: token, desks: 4)
            for _ in 0..<20 {
                #expect(try await RemoteAPI.request(.GET, "\(nginx.baseURL)/api/v1/me", token: token).0 == .ok)
            }
            for server in [a, b] {
                let (_, metrics) = try await RemoteAPI.request(.GET, "\(server.baseURL)/metrics")
                #expect(metrics.contains(#"route="/api/v1/me",status="200""#), "instance on \(server.port) got no requests")
            }

            // Live updates through the proxy, for bookings that land on either instance.
            let client = try await LiveClient.connect(to: "ws://127.0.0.1:\(nginx.port)/api/v1/ws", headers: ["Authorization": "Bearer \(token)"])
            #expect(await client.subscribe(Topic.roomName(place.room))?.type == "subscribed")
            let day = ((Date().timeIntervalSince1970 / 86_400).rounded(.down) + 1) * 86_400
            for (index, desk) in place.desks.enumerated() {
                let start = Date(timeIntervalSince1970: day + Double(8 + index) * 3600)
                let (status, body) = try await RemoteAPI.request(.POST, "\(nginx.baseURL)/api/v1/bookings", token: token, json: [
                    "desk_id": .id(desk), "start": .time(start), "end": .time(start.addingTimeInterval(3600)),
                ])
                #expect(status == .created, "\(body)")
                let id = try #require(RemoteAPI.object(body)["id"] as? String)
                #expect(await client.first(within: .seconds(1)) { $0.type == "booking.created" && $0.string("booking", "id") == id } != nil)
            }

            // The client's address comes from X-Forwarded-For (the test client itself is on the proxy's address, so the
            // entry it sends is the first untrusted one).
            var login = HTTPClientRequest(url: "\(nginx.baseURL)/api/v1/auth/login")
            login.method = .POST
            login.headers.add(name: "Content-Type", value: "application/json")
            login.headers.add(name: "X-Forwarded-For", value: "198.51.100.7")
            login.body = .bytes(ByteBuffer(string: #"{"username":"admin","password":"admin-password"}"#))
            #expect(try await HTTPClient.shared.execute(login, timeout: .seconds(10)).status == .ok)
            let (_, audit) = try await RemoteAPI.request(.GET, "\(nginx.baseURL)/api/v1/audit?action=auth.login", token: token)
            let entries = (RemoteAPI.object(audit)["items"] as? [[String: Any]]) ?? []
            #expect(entries.first?["ip"] as? String == "198.51.100.7", "\(audit)")

            // One instance stops (SIGTERM, as for a rolling restart): every request still succeeds.
            a.terminate()
            for _ in 0..<20 {
                #expect(try await RemoteAPI.request(.GET, "\(nginx.baseURL)/api/v1/me", token: token).0 == .ok)
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await a.waitForExit() == 0)
        } catch {
            Issue.record("\(error)\n--- a ---\n\(a.log)\n--- b ---\n\(b.log)")
        }
        await installation.remove()
    }

    @Test("a rolling restart of both instances behind deploy/nginx/deskpilot.conf under load: no request fails, every acknowledged booking is stored once")
    func rollingRestart() async throws {
        let installation = try await Installation.make()
        // A short drain keeps the test short; the nginx settings are chosen to hold for it as well as for the default.
        let settings = ["DESKPILOT_TRUSTED_PROXIES": "127.0.0.1", "DESKPILOT_DRAIN_SECONDS": "2"]
        var a = try await installation.start("a", settings)
        var b = try await installation.start("b", settings)
        let nginx = try await NginxProcess.start(upstreams: [a, b], directory: installation.directory.appendingPathComponent("nginx"))
        defer { nginx.stop(); a.kill(); b.kill() }
        let load = ProxyLoad(baseURL: nginx.baseURL, clients: 8)
        do {
            let token = try await RemoteAPI.adminToken(a)
            let place = try await RemoteAPI.place(a, token: token, desks: load.clients)
            let (policyStatus, policyBody) = try await RemoteAPI.request(
                .PATCH, "\(a.baseURL)/api/v1/locations/\(place.location)/policy", token: token,
                json: ["max_upcoming_per_user": 10_000, "max_concurrent_per_user": 100])
            #expect(policyStatus == .ok, "\(policyBody)")

            // The documented procedure, one instance after the other: SIGTERM, wait for the exit, start it again on its
            // port, wait for /readyz. The load runs throughout, and a second longer before and after.
            let running = Task { await load.run(token: token, desks: place.desks) }
            try await Task.sleep(for: .seconds(1))
            for index in 0..<2 {
                let server = index == 0 ? a : b, name = index == 0 ? "a" : "b"
                load.mark("SIGTERM \(name)")
                server.terminate()
                let exit = try await server.waitForExit()
                load.mark("\(name) exited (\(exit))")
                #expect(exit == 0, "\(server.log)")
                let restarted = try await server.restart()
                if index == 0 { a = restarted } else { b = restarted }
                load.mark("\(name) ready")
            }
            try await Task.sleep(for: .seconds(1))
            load.stop()
            await running.value

            let tally = load.tally
            print(load.report)
            print("nginx error log:\n" + ProxyLoad.summary(nginx.errorLog))
            let restarts = ["a", "b"].map { tally.requests(from: "SIGTERM \($0)", to: "\($0) ready") }
            print("rolling restart through nginx: \(tally.requests) requests, \(restarts) of them while a and b restarted, "
                  + "\(tally.failures.count) failed, \(tally.created.count) bookings acknowledged")
            #expect(restarts.allSatisfy { $0 > 0 })
            let failed = tally.failures.count
            #expect(failed == 0, "\(failed) of \(tally.requests) requests failed\n\(load.report)\n--- nginx ---\n\(ProxyLoad.summary(nginx.errorLog))")

            // Every acknowledged booking is stored exactly once, with the state its last acknowledged answer gave it; and
            // nothing was stored that no client heard of.
            var stored: [String: [String]] = [:]
            var cursor: String?
            repeat {
                let (status, page) = try await RemoteAPI.request(
                    .GET, "\(b.baseURL)/api/v1/bookings?room_id=\(place.room)&status=all&limit=500" + (cursor.map { "&cursor=\($0)" } ?? ""),
                    token: token)
                #expect(status == .ok, "\(page)")
                let object = RemoteAPI.object(page)
                for item in (object["items"] as? [[String: Any]]) ?? [] {
                    if let id = item["id"] as? String { stored[id, default: []].append(item["status"] as? String ?? "") }
                }
                cursor = object["next_cursor"] as? String
            } while cursor != nil
            let created = Set(tally.created), cancelled = Set(tally.cancelled)
            #expect(tally.created.count == created.count, "an id was acknowledged twice")
            let missing = created.filter { stored[$0] == nil }
            #expect(missing.isEmpty, "\(missing.count) acknowledged bookings are missing: \(missing.prefix(10))")
            let twice = stored.filter { $0.value.count > 1 }
            #expect(twice.isEmpty, "stored more than once: \(twice.prefix(10))")
            let unheard = stored.keys.filter { !created.contains($0) }
            #expect(unheard.isEmpty, "\(unheard.count) bookings were stored without an acknowledgement: \(unheard.prefix(10))")
            let wrong = created.filter { stored[$0]?.first != (cancelled.contains($0) ? "cancelled" : "confirmed") }
            #expect(wrong.isEmpty, "\(wrong.count) bookings are not in the state their last answer gave: \(wrong.prefix(10))")
        } catch {
            load.stop()
            Issue.record("\(error)\n--- a ---\n\(a.log)\n--- b ---\n\(b.log)\n--- nginx ---\n\(nginx.errorLog)")
        }
        try? await load.client.shutdown()
        await installation.remove()
    }
}

/// Clients in a loop through a proxy, over keep-alive connections (one pool slot per client): book a desk of its own,
/// read /api/v1/me, cancel the booking, read /api/v1/me again. Every request is counted; anything but the expected
/// status, or no answer at all, is a failure.
private final class ProxyLoad: Sendable {
    struct Failure {
        let at: Duration
        let request: String
        let outcome: String
    }

    struct Tally {
        var requests = 0
        var failures: [Failure] = []
        /// Bookings answered 201, and those of them whose cancellation was answered 200.
        var created: [String] = []
        var cancelled: [String] = []
        /// Moments of the restart, with the number of requests sent until then.
        var marks: [(name: String, at: Duration, requests: Int)] = []
        var running = true

        func requests(from start: String, to end: String) -> Int {
            guard let first = marks.first(where: { $0.name == start }), let last = marks.first(where: { $0.name == end }) else { return 0 }
            return last.requests - first.requests
        }
    }

    let baseURL: String
    let clients: Int
    let client: HTTPClient
    private let state = NIOLockedValueBox(Tally())
    private let started = ContinuousClock.now

    init(baseURL: String, clients: Int) {
        self.baseURL = baseURL
        self.clients = clients
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients)
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    var tally: Tally { state.withLockedValue { $0 } }

    func mark(_ name: String) {
        state.withLockedValue { $0.marks.append((name, ContinuousClock.now - started, $0.requests)) }
    }

    func stop() { state.withLockedValue { $0.running = false } }

    /// Runs the clients until `stop()`; client `n` books `desks[n]`, cycling through half-hour slots of the coming days.
    func run(token: String, desks: [UUID]) async {
        let today = (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        await withTaskGroup(of: Void.self) { group in
            for desk in desks.prefix(clients) {
                group.addTask {
                    var slot = 0
                    while self.state.withLockedValue({ $0.running }) {
                        let start = today + Double(1 + (slot / 26) % 10) * 86_400 + 7 * 3600 + Double(slot % 26) * 1800
                        slot += 1
                        let body: JSON = ["desk_id": .id(desk), "start": .time(Date(timeIntervalSince1970: start)),
                                          "end": .time(Date(timeIntervalSince1970: start + 1800))]
                        let id = await self.send(.POST, "/api/v1/bookings", token: token, json: body, expect: .created)
                            .flatMap { RemoteAPI.object($0)["id"] as? String }
                        if let id { self.state.withLockedValue { $0.created.append(id) } }
                        _ = await self.send(.GET, "/api/v1/me", token: token, expect: .ok)
                        if let id, await self.send(.DELETE, "/api/v1/bookings/\(id)", token: token, expect: .ok) != nil {
                            self.state.withLockedValue { $0.cancelled.append(id) }
                        }
                        _ = await self.send(.GET, "/api/v1/me", token: token, expect: .ok)
                    }
                }
            }
        }
    }

    /// One request; its body if it was answered with `expect`, else nil (and a failure recorded).
    private func send(_ method: HTTPMethod, _ path: String, token: String, json: JSON? = nil, expect: HTTPResponseStatus) async -> String? {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json.text))
        }
        let sent = ContinuousClock.now - started
        state.withLockedValue { $0.requests += 1 }
        let outcome: String
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            if response.status == expect { return text }
            let server = response.headers.first(name: "Server").map { " (\($0))" } ?? ""
            outcome = "\(response.status.code)\(server): " + text.split(whereSeparator: \.isWhitespace).joined(separator: " ").prefix(160)
        } catch {
            outcome = "transport error: \(error)"
        }
        state.withLockedValue { $0.failures.append(Failure(at: sent, request: "\(method) \(path)", outcome: outcome)) }
        return nil
    }

    /// The restart's moments and the failures, in time order (the first 60).
    var report: String {
        let tally = self.tally
        let marks = tally.marks.map { ($0.at, "-- \($0.name) (\($0.requests) requests so far)") }
        var lines = (marks + tally.failures.prefix(60).map { ($0.at, "   \($0.request)  \($0.outcome)") }).sorted { $0.0 < $1.0 }
            .map { "\($0.0.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))  \($0.1)" }
        if tally.failures.count > 60 { lines.append("… and \(tally.failures.count - 60) more failures") }
        let kinds = Dictionary(grouping: tally.failures) { "\($0.request.prefix { $0 != " " }) \($0.outcome.prefix(60))" }
            .map { "\($0.value.count) × \($0.key)" }.sorted()
        return (lines + ["failures by kind:"] + kinds).joined(separator: "\n")
    }

    /// nginx's error log in short: how often each kind of upstream error occurred, and the lines other than refused
    /// connections (which nginx passes on to the other instance) and "no live upstreams".
    static func summary(_ errorLog: String) -> String {
        let lines = errorLog.split(separator: "\n")
        let kinds = ["connect() failed (111", "no live upstreams", "upstream prematurely closed", "Connection reset by peer",
                     "upstream timed out", "temporarily disabled"]
        let counts = kinds.map { kind in "\(lines.filter { $0.contains(kind) }.count) × \(kind)" }
        let other = lines.filter { !$0.contains("connect() failed (111") && !$0.contains("no live upstreams") }
        return (counts + other.prefix(30).map(String.init)).joined(separator: "\n")
    }
}

@Suite("Operations")
struct OperationsTests {
    @Test("JSON logs: one object per line, each request with its route, status, request id and user id")
    func jsonLogs() async throws {
        let installation = try await Installation.make()
        let server = try await installation.start("a", ["DESKPILOT_LOG_FORMAT": "json", "LOG_LEVEL": "info"])
        defer { server.kill() }
        let token = try await RemoteAPI.adminToken(server)
        var request = HTTPClientRequest(url: "\(server.baseURL)/api/v1/me")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "X-Request-Id", value: "trace-4711")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        #expect(response.status == .ok)
        let (_, me) = try await RemoteAPI.request(.GET, "\(server.baseURL)/api/v1/me", token: token)
        let userId = try #require((RemoteAPI.object(me)["user"] as? [String: Any])?["id"] as? String)

        var line: [String: Any]?
        for _ in 0..<50 where line == nil {
            line = server.log.split(separator: "\n").compactMap { RemoteAPI.object(String($0)) as [String: Any]? }
                .first { $0["request-id"] as? String == "trace-4711" }
            try await Task.sleep(for: .milliseconds(100))
        }
        let entry = try #require(line, "no log line for the request:\n\(server.log)")
        #expect(entry["user-id"] as? String == userId)
        #expect(entry["route"] as? String == "/api/v1/me")
        #expect(entry["status"] as? String == "200")
        #expect(entry["level"] as? String == "info")
        #expect(entry["ts"] != nil && entry["message"] != nil)
        // Every line of the log is JSON.
        #expect(server.log.split(separator: "\n").allSatisfy { !RemoteAPI.object(String($0)).isEmpty })
        await installation.remove()
    }
}
