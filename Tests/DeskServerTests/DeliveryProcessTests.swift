import DeskCore
@testable import DeskServer
import Foundation
import NIOHTTP1
import Testing

/// Deliveries from real server processes to a real receiver: exactly once when two instances share the outbox, and
/// none lost when the process is killed with deliveries still to go out.
enum DeliveryProcess {
    /// A person with a personal webhook for `types`, its receiver (verifying with the secret shown at creation) and
    /// that person's token.
    static func personWithReceiver(
        _ server: ServerProcess, adminToken: String, username: String, types: [String]
    ) async throws -> (receiver: WebhookReceiver, personId: String, token: String, webhookId: String) {
        let (created, user) = try await RemoteAPI.request(.POST, "\(server.baseURL)/api/v1/users", token: adminToken, json: [
            "username": .string(username), "email": .string("\(username)@example.org"), "password": "person-password",
            "display_name": .string(username), "is_superuser": false,
        ])
        guard created == .created, let personId = RemoteAPI.object(user)["id"] as? String else { throw CommandError("user: \(user)") }
        let token = try await RemoteAPI.token(server, username: username, password: "person-password")
        // The secret is shown when the endpoint is made; the receiver needs it, and the endpoint the receiver's port.
        let (made, webhook) = try await RemoteAPI.request(.POST, "\(server.baseURL)/api/v1/me/webhooks", token: token, json: [
            "url": "http://127.0.0.1:9/not-yet", "event_types": .array(types.map(JSON.string)),
        ])
        let object = RemoteAPI.object(webhook)
        guard made == .created, let secret = object["secret"] as? String, let id = object["id"] as? String else {
            throw CommandError("webhook: \(webhook)")
        }
        let receiver = try WebhookReceiver.start(secret: secret)
        let (patched, body) = try await RemoteAPI.request(.PATCH, "\(server.baseURL)/api/v1/me/webhooks/\(id)", token: token,
                                                          json: ["url": .string("http://127.0.0.1:\(receiver.port)/hook")])
        guard patched == .ok else { throw CommandError("patch: \(body)") }
        return (receiver, personId, token, id)
    }

    /// Lets people hold many bookings: the tests book hundreds for one person.
    static func allowManyBookings(_ server: ServerProcess, location: UUID, token: String) async throws {
        let (status, body) = try await RemoteAPI.request(
            .PATCH, "\(server.baseURL)/api/v1/locations/\(location)/policy", token: token,
            json: ["max_upcoming_per_user": 10_000, "max_concurrent_per_user": 100, "max_advance_days": 90])
        guard status == .ok else { throw CommandError("policy: \(body)") }
    }

    /// Booking `index` of a series in which no two overlap (one person holds one desk at a time): half-hour slots
    /// from 07:00 over the days ahead, on the desks in turn.
    static func slot(_ index: Int, desks: [UUID]) -> JSON {
        let today = (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        let desk = desks[index % desks.count], slot = index % 20, day = 2 + index / 20
        let start = today + Double(day) * 86_400 + 7 * 3600 + Double(slot) * 1800
        return ["desk_id": .id(desk), "start": .time(Date(timeIntervalSince1970: start)), "end": .time(Date(timeIntervalSince1970: start + 1800))]
    }

    /// Waits until the receiver has answered `count` different deliveries with 200, or the timeout passes.
    static func waitForDelivered(_ receiver: WebhookReceiver, count: Int, timeout: Duration) async throws -> [WebhookReceiver.Delivery] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let delivered = try receiver.deliveries().filter { $0.answer == "ok" }
            if Set(delivered.compactMap(\.deliveryId)).count >= count { return delivered }
            try await Task.sleep(for: .milliseconds(200))
        }
        return try receiver.deliveries().filter { $0.answer == "ok" }
    }
}

@Suite("Deliveries from two instances on one PostgreSQL", .serialized,
       .enabled(if: TestDatabase.isPostgres, "needs PostgreSQL: set DESKPILOT_TEST_POSTGRES_URL (.ci/run does)"))
struct DeliveryInstanceTests {
    @Test("200 notifications made on two instances reach the person's webhook once each")
    func exactlyOnceAcrossInstances() async throws {
        let installation = try await Installation.make()
        let settings = ["DESKPILOT_WEBHOOK_ALLOW_PRIVATE": "true", "DESKPILOT_JOB_INTERVAL": "1"]
        let a = try await installation.start("a", settings)
        defer { a.kill() }
        let b = try await installation.start("b", settings)
        defer { b.kill() }
        do {
            let admin = try await RemoteAPI.adminToken(a)
            let place = try await RemoteAPI.place(a, token: admin, desks: 5)
            try await DeliveryProcess.allowManyBookings(a, location: place.location, token: admin)
            let (receiver, personId, _, _) = try await DeliveryProcess.personWithReceiver(
                b, adminToken: admin, username: "person", types: [NotificationKind.bookingMadeForYou.rawValue])
            defer { receiver.stop() }

            // An administrator books for the person on both instances at once: each booking tells the person.
            let answers = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                var answers: [HTTPResponseStatus] = []
                for index in 0..<200 {
                    group.addTask {
                        var body = DeliveryProcess.slot(index, desks: place.desks)
                        if case .object(var fields) = body { fields["user_id"] = .string(personId); body = .object(fields) }
                        return try await RemoteAPI.request(.POST, "\((index % 2 == 0 ? a : b).baseURL)/api/v1/bookings",
                                                           token: admin, json: body).0
                    }
                    // 16 in flight at most.
                    if index >= 15, let answer = try await group.next() { answers.append(answer) }
                }
                return try await group.reduce(into: answers) { $0.append($1) }
            }
            #expect(answers.filter { $0 == .created }.count == 200, "\(answers.filter { $0 != .created })")
            let delivered = try await DeliveryProcess.waitForDelivered(receiver, count: 200, timeout: .seconds(60))
            let ids = delivered.compactMap(\.deliveryId)
            if Set(ids).count < 200 {
                let (_, pending) = try await RemoteAPI.request(.GET, "\(a.baseURL)/api/v1/admin/deliveries?status=pending&limit=5", token: admin)
                let (_, failed) = try await RemoteAPI.request(.GET, "\(a.baseURL)/api/v1/admin/deliveries?status=failed&limit=5", token: admin)
                Issue.record("pending: \(pending)\nfailed: \(failed)")
            }
            #expect(Set(ids).count == 200, "\(Set(ids).count) deliveries arrived")
            #expect(ids.count == Set(ids).count, "\(ids.count - Set(ids).count) deliveries arrived twice")
            #expect(delivered.allSatisfy { $0.verified && $0.event == NotificationKind.bookingMadeForYou.rawValue })
            #expect(Set(delivered.compactMap(\.payloadId)).count == 200)
        } catch {
            Issue.record("\(error)\n--- a ---\n\(a.log)\n--- b ---\n\(b.log)")
        }
        await installation.remove()
    }
}

@Suite("Deliveries survive a crash", .serialized)
struct DeliveryCrashTests {
    @Test("kill -9 with deliveries waiting to be retried: after the restart each arrives, once")
    func pendingDeliveriesSurviveKill() async throws {
        let installation = try await Installation.make()
        let server = try await installation.start("a", ["DESKPILOT_WEBHOOK_ALLOW_PRIVATE": "true"])
        defer { server.kill() }
        var restarted: ServerProcess?
        defer { restarted?.kill() }
        do {
            let admin = try await RemoteAPI.adminToken(server)
            let place = try await RemoteAPI.place(server, token: admin, desks: 4)
            try await DeliveryProcess.allowManyBookings(server, location: place.location, token: admin)
            let (receiver, _, token, _) = try await DeliveryProcess.personWithReceiver(
                server, adminToken: admin, username: "person", types: [WebhookEventType.bookingCreated])
            defer { receiver.stop() }
            // The receiver fails everything for now: every delivery waits for its retry. (Fewer than the 20 failures in a
            // row that switch an endpoint off.)
            try await receiver.control(["fail": 1_000, "status": 503])
            let count = 12
            for index in 0..<count {
                let (status, body) = try await RemoteAPI.request(.POST, "\(server.baseURL)/api/v1/bookings", token: token,
                                                                 json: DeliveryProcess.slot(index, desks: place.desks))
                #expect(status == .created, "\(body)")
            }
            // Each was tried once and failed; then the process dies without a chance to clean up.
            let deadline = ContinuousClock.now + .seconds(20)
            while Set(try receiver.deliveries().compactMap(\.deliveryId)).count < count, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            let attempted = Set(try receiver.deliveries().compactMap(\.deliveryId)).count
            if attempted < count {
                let (_, state) = try await RemoteAPI.request(.GET, "\(server.baseURL)/api/v1/admin/deliveries?limit=100", token: admin)
                Issue.record("only \(attempted) of \(count) deliveries were tried before the kill: \(state)")
            }
            server.kill()
            _ = try? await server.waitForExit()
            try await receiver.control(["reset": true])

            restarted = try await server.restart()
            // The first retry is due about 10 s (±20 %) after the first failure, the second a minute after that.
            let delivered = try await DeliveryProcess.waitForDelivered(receiver, count: count, timeout: .seconds(90))
            let ids = delivered.compactMap(\.deliveryId)
            if Set(ids).count < count, let restarted {
                let (_, state) = try await RemoteAPI.request(.GET, "\(restarted.baseURL)/api/v1/admin/deliveries?limit=5", token: admin)
                Issue.record("after the restart: \(state)\n\(restarted.log)")
            }
            #expect(Set(ids).count == count, "\(Set(ids).count) of \(count) arrived after the restart")
            #expect(ids.count == Set(ids).count, "\(ids.count - Set(ids).count) arrived twice")
            // The bodies are the bookings made before the crash.
            let bookings = Set(try receiver.deliveries().compactMap(\.payloadId))
            #expect(bookings.count == count)
        } catch {
            Issue.record("\(error)\n--- log ---\n\(server.log)")
        }
        await installation.remove()
    }
}

@Suite("deskpilot rotate-key", .serialized)
struct KeyRotationProcessTests {
    /// Runs the binary with one command beside a serving instance, with the same settings; its output.
    private func command(_ arguments: [String], like server: ServerProcess, environment: [String: String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = ServerProcess.binary
        process.arguments = arguments
        process.currentDirectoryURL = server.dataDirectory
        process.environment = ProcessInfo.processInfo.environment.merging(environment.merging(
            ["DESKPILOT_DATA_DIR": server.dataDirectory.path, "LOG_LEVEL": "warning"]) { $1 }) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    @Test("with the key file: a new key is added and every secret re-sealed while the server runs, which keeps signing with them")
    func keyFileWhileServing() async throws {
        let installation = try await Installation.make()
        // The key file, not DESKPILOT_SECRET_KEYS.
        let settings = ["DESKPILOT_WEBHOOK_ALLOW_PRIVATE": "true", "DESKPILOT_SECRET_KEYS": ""]
        let server = try await installation.start("a", settings)
        defer { server.kill() }
        do {
            let admin = try await RemoteAPI.adminToken(server)
            let (receiver, _, token, webhookId) = try await DeliveryProcess.personWithReceiver(
                server, adminToken: admin, username: "person", types: [WebhookEventType.bookingCreated])
            defer { receiver.stop() }
            let keyFile = server.dataDirectory.appendingPathComponent("secret-keys")
            let before = try String(contentsOf: keyFile, encoding: .utf8)
            #expect(before.split(separator: "\n").count == 1)
            let attributes = try FileManager.default.attributesOfItem(atPath: keyFile.path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

            var environment = settings
            if let databaseURL = installation.databaseURL { environment["DATABASE_URL"] = databaseURL }
            let (status, output) = try command(["rotate-key"], like: server, environment: environment)
            #expect(status == 0, "\(output)")
            #expect(output.contains("added key version 2") && output.contains("re-sealed 1 secret under key version 2"), "\(output)")
            let after = try String(contentsOf: keyFile, encoding: .utf8)
            #expect(after.hasPrefix(before) && after.split(separator: "\n").count == 2)
            #expect((try FileManager.default.attributesOfItem(atPath: keyFile.path)[.posixPermissions] as? NSNumber)?.intValue == 0o600)

            // The running server meets a secret sealed under a key it did not know, reads the file again and signs.
            let (tested, body) = try await RemoteAPI.request(.POST, "\(server.baseURL)/api/v1/me/webhooks/\(webhookId)/test", token: token)
            #expect(tested == .accepted, "\(body)")
            let delivered = try await DeliveryProcess.waitForDelivered(receiver, count: 1, timeout: .seconds(15))
            #expect(delivered.count == 1 && delivered.first?.verified == true && delivered.first?.event == WebhookEventType.ping)

            // Nothing is stale any more: a second run adds a key and re-seals the one secret again; the secret never leaves.
            let (again, second) = try command(["rotate-key"], like: server, environment: environment)
            #expect(again == 0 && second.contains("added key version 3"), "\(second)")
            #expect(!second.contains(receiver.secret) && !server.log.contains(receiver.secret))
        } catch {
            Issue.record("\(error)\n--- log ---\n\(server.log)")
        }
        await installation.remove()
    }

    @Test("with DESKPILOT_SECRET_KEYS: nothing is written; secrets move to the newest listed key, and a new key is suggested")
    func configuredKeys() async throws {
        let installation = try await Installation.make()
        let one = "1:" + Data(repeating: 1, count: 32).base64EncodedString()
        let two = "2:" + Data(repeating: 2, count: 32).base64EncodedString()
        let server = try await installation.start("a", ["DESKPILOT_WEBHOOK_ALLOW_PRIVATE": "true", "DESKPILOT_SECRET_KEYS": one])
        defer { server.kill() }
        do {
            let admin = try await RemoteAPI.adminToken(server)
            let (receiver, _, _, _) = try await DeliveryProcess.personWithReceiver(
                server, adminToken: admin, username: "person", types: [WebhookEventType.bookingCreated])
            defer { receiver.stop() }
            var environment = ["DESKPILOT_SECRET_KEYS": one]
            if let databaseURL = installation.databaseURL { environment["DATABASE_URL"] = databaseURL }
            let (unchanged, output) = try command(["rotate-key"], like: server, environment: environment)
            #expect(unchanged == 0 && output.contains("re-sealed 0 secrets under key version 1") && output.contains("DESKPILOT_SECRET_KEYS"), "\(output)")
            #expect(!FileManager.default.fileExists(atPath: server.dataDirectory.appendingPathComponent("secret-keys").path))

            environment["DESKPILOT_SECRET_KEYS"] = "\(one),\(two)"
            let (moved, result) = try command(["rotate-key"], like: server, environment: environment)
            #expect(moved == 0 && result.contains("re-sealed 1 secret under key version 2"), "\(result)")
        } catch {
            Issue.record("\(error)\n--- log ---\n\(server.log)")
        }
        await installation.remove()
    }
}
