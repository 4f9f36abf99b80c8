import DeskCore
@testable import DeskServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// Webhooks from the outbox to a real receiver in another process (`Tests/support/webhook_receiver.py`), which checks
/// each signature with the secret the API returned when the endpoint was made, as a third party would.
@Suite("Deliveries to webhooks: the outbox to a real receiver")
struct WebhookDeliveryTests {
    static let monday = "2026-03-23"
    static let tuesday = "2026-03-24"
    static let booking = ["booking.created", "booking.changed", "booking.cancelled"]

    /// A server whose webhooks may call loopback receivers, with the fixture; every receiver started is stopped after.
    func withWebhookServer(
        allowPrivate: Bool = true, _ body: (TestServer, Fixture, StartedProcesses) async throws -> Void
    ) async throws {
        let processes = StartedProcesses()
        do {
            try await withServer(configure: { config in
                config.baseURL = URL(string: "https://desks.example.com")!
                config.webhookAllowPrivate = allowPrivate
            }) { server in
                try await body(server, try await Fixture.make(server), processes)
            }
        } catch {
            await processes.stopAll()
            throw error
        }
        await processes.stopAll()
    }

    func book(_ server: TestServer, _ desk: UUID, as caller: Caller, day: String = monday, zone: String = "Europe/Berlin",
              from: String = "09:00", to: String = "17:00") async throws -> UUID {
        let booked = try await server.book(desk, as: caller, day: day, from: from, to: to, zone: zone)
        try #require(booked.status == .created, "\(booked.body.string)")
        return try #require(ResponseBody(booked).uuid("id"))
    }

    @Test("a personal endpoint gets its owner's booking events and chosen notifications, signed, with the delivery's id; nobody else's")
    func personalEndpoint() async throws {
        try await withWebhookServer { server, fixture, processes in
            let endpoint = try await server.makeEndpoint(
                as: fixture.ann, types: ["booking.created", "booking.cancelled", "booking.cancelled_for_you"], processes: processes)
            let bookingId = try await book(server, fixture.desks[0], as: fixture.ann)
            _ = try await book(server, fixture.desks[1], as: fixture.bob)
            await server.deliverDue()

            let first = try endpoint.receiver.deliveries()
            try #require(first.count == 1, "only Ann's own booking: \(first.map(\.event))")
            let log = try await server.deliveries(of: endpoint, as: fixture.ann)
            try #require(log.count == 1)
            #expect(log[0].status == "delivered")
            #expect(log[0].attempts == 1)
            #expect(log[0].attemptLog.first?.statusCode == 200)
            #expect(first[0].verified, "\(first[0].reason)")
            #expect(first[0].event == "booking.created")
            #expect(first[0].deliveryId == log[0].id.uuidString.lowercased())
            #expect(first[0].contentType == "application/json")
            let payload = try await server.payload(of: log[0].id)
            #expect(Set(payload.keys) == ["id", "type", "occurred_at", "data"])
            #expect(payload["type"] as? String == "booking.created")
            #expect(first[0].payloadId == payload["id"] as? String)
            #expect((payload["occurred_at"] as? String).flatMap(Timestamp.parse) == Fixture.defaultNow)
            let booking = try #require((payload["data"] as? [String: Any])?["booking"] as? [String: Any])
            #expect((booking["id"] as? String).flatMap(UUID.init(uuidString:)) == bookingId)
            #expect((booking["user_id"] as? String).flatMap(UUID.init(uuidString:)) == fixture.ann.userId)
            #expect((booking["desk_id"] as? String).flatMap(UUID.init(uuidString:)) == fixture.desks[0])
            #expect(booking["status"] as? String == "confirmed")

            // Leo cancels it: the booking change and the notification Ann subscribed to.
            let cancelled = try await server.send(.DELETE, "/api/v1/bookings/\(bookingId)", as: fixture.leo)
            #expect(cancelled.status == .ok)
            await server.deliverDue()
            let afterCancel = try endpoint.receiver.deliveries()
            #expect(afterCancel.count == 3)
            #expect(Set(afterCancel.dropFirst().compactMap(\.event)) == ["booking.cancelled", "booking.cancelled_for_you"])
            #expect(afterCancel.allSatisfy { $0.verified })
            let notice = try #require(try await server.deliveries(of: endpoint, as: fixture.ann).first { $0.eventType == "booking.cancelled_for_you" })
            let data = try #require(try await server.payload(of: notice.id)["data"] as? [String: Any])
            let notification = try #require(data["notification"] as? [String: Any])
            #expect(notification["kind"] as? String == "booking.cancelled_for_you")
            #expect((notification["message"] as? String)?.hasPrefix("Leo cancelled your booking of desk A1 at Berlin") == true)
            #expect((notification["link"] as? String)?.hasPrefix("https://desks.example.com/") == true)
            #expect((data["user_id"] as? String).flatMap(UUID.init(uuidString:)) == fixture.ann.userId)

            // "Send a test event".
            let test = try await server.send(.POST, endpoint.path + "/test", as: fixture.ann)
            #expect(test.status == .accepted)
            await server.deliverDue()
            let ping = try #require(try endpoint.receiver.deliveries().last)
            #expect(ping.event == "webhook.ping")
            #expect(ping.verified)
            #expect(ping.deliveryId == ResponseBody(test).string("id")?.lowercased())
            #expect(try await server.deliveries(of: endpoint, as: fixture.ann).map(\.status) == Array(repeating: "delivered", count: 4))
        }
    }

    @Test("a location's endpoint gets every booking at its location and none elsewhere")
    func locationEndpoint() async throws {
        try await withWebhookServer { server, fixture, processes in
            let berlin = try await server.makeEndpoint(
                "/api/v1/locations/\(fixture.berlin)/webhooks", as: fixture.leo, types: Self.booking, processes: processes)
            let newYork = try await server.makeEndpoint(
                "/api/v1/locations/\(fixture.newYork)/webhooks", as: fixture.admin, types: ["booking.created"], processes: processes)
            let ann = try await book(server, fixture.desks[0], as: fixture.ann)
            let gus = try await book(server, fixture.labDesk, as: fixture.gus)
            let bob = try await book(server, fixture.newYorkDesk, as: fixture.bob, zone: "America/New_York")
            await server.deliverDue()

            let inBerlin = try berlin.receiver.deliveries()
            #expect(inBerlin.count == 2)
            #expect(inBerlin.allSatisfy { $0.verified && $0.event == "booking.created" })
            var booked: Set<UUID> = []
            for delivery in try await server.deliveries(of: berlin, as: fixture.leo) {
                let data = try #require(try await server.payload(of: delivery.id)["data"] as? [String: Any])
                if let id = ((data["booking"] as? [String: Any])?["id"] as? String).flatMap(UUID.init(uuidString:)) { booked.insert(id) }
            }
            #expect(booked == [ann, gus])
            let inNewYork = try newYork.receiver.deliveries()
            #expect(inNewYork.count == 1)
            #expect(inNewYork.first?.verified == true)
            let newYorkLog = try await server.deliveries(of: newYork, as: fixture.admin)
            let newYorkDelivery = try #require(newYorkLog.first)
            let data = try #require(try await server.payload(of: newYorkDelivery.id)["data"] as? [String: Any])
            #expect(((data["booking"] as? [String: Any])?["id"] as? String).flatMap(UUID.init(uuidString:)) == bob)

            // Cancelled by its owner: the location hears of it, New York (not subscribed, elsewhere) does not.
            #expect(try await server.send(.DELETE, "/api/v1/bookings/\(ann)", as: fixture.ann).status == .ok)
            await server.deliverDue()
            #expect(try berlin.receiver.deliveries().last?.event == "booking.cancelled")
            #expect(try newYork.receiver.deliveries().count == 1)
        }
    }

    @Test("a receiver failing twice gets the same delivery three times, each after its backoff; it is delivered on the third")
    func retries() async throws {
        try await withWebhookServer { server, fixture, processes in
            let endpoint = try await server.makeEndpoint(as: fixture.ann, types: Self.booking, processes: processes)
            try await endpoint.receiver.control(["fail": 2, "status": 500])
            _ = try await book(server, fixture.desks[0], as: fixture.ann)

            await server.deliverDue()
            var delivery = try #require(try await server.deliveries(of: endpoint, as: fixture.ann).first)
            #expect(delivery.status == "pending")
            #expect(delivery.attempts == 1)
            #expect(delivery.lastStatusCode == 500)
            #expect(delivery.lastError == "HTTP 500")
            var delay = try #require(delivery.nextAttemptAt).timeIntervalSince(server.clock.now)
            #expect(delay >= 8 && delay <= 12, "\(delay) s")
            await server.deliverDue()
            #expect(try endpoint.receiver.deliveries().count == 1, "not due yet")

            server.clock.advance(by: 13)
            await server.deliverDue()
            delivery = try #require(try await server.deliveries(of: endpoint, as: fixture.ann).first)
            #expect(delivery.attempts == 2)
            #expect(delivery.status == "pending")
            delay = try #require(delivery.nextAttemptAt).timeIntervalSince(server.clock.now)
            #expect(delay >= 48 && delay <= 72, "\(delay) s")

            server.clock.advance(by: 73)
            await server.deliverDue()
            delivery = try #require(try await server.deliveries(of: endpoint, as: fixture.ann).first)
            #expect(delivery.status == "delivered")
            #expect(delivery.attempts == 3)
            #expect(delivery.attemptLog.map(\.statusCode) == [200, 500, 500])
            let received = try endpoint.receiver.deliveries()
            #expect(received.count == 3)
            #expect(Set(received.map(\.deliveryId)) == [delivery.id.uuidString.lowercased()])
            #expect(Set(received.map(\.payloadId)).count == 1, "the same body every time")
            #expect(received.allSatisfy { $0.verified }, "each attempt freshly signed")
            // Success resets the endpoint's count of failures in a row.
            #expect(ResponseBody(try await server.send(.GET, endpoint.path, as: fixture.ann))["consecutive_failures"] as? Int == 0)
        }
    }

    @Test("redelivering queues a new delivery, with a new id and the same body")
    func redeliver() async throws {
        try await withWebhookServer { server, fixture, processes in
            let endpoint = try await server.makeEndpoint(as: fixture.ann, types: Self.booking, processes: processes)
            _ = try await book(server, fixture.desks[0], as: fixture.ann)
            await server.deliverDue()
            let original = try #require(try await server.deliveries(of: endpoint, as: fixture.ann).first)

            let again = try await server.send(.POST, endpoint.path + "/deliveries/\(original.id)/redeliver", as: fixture.ann)
            #expect(again.status == .accepted)
            let copyId = try #require(ResponseBody(again).uuid("id"))
            #expect(copyId != original.id)
            await server.deliverDue()

            let received = try endpoint.receiver.deliveries()
            #expect(received.map(\.deliveryId) == [original.id, copyId].map { $0.uuidString.lowercased() })
            #expect(received.allSatisfy { $0.verified })
            #expect(received[0].payloadId == received[1].payloadId)
            let store = DeliveryStore(sql: server.services.transactor.sql)
            let originalBody = try await store.delivery(original.id)?.payload
            #expect(originalBody != nil)
            #expect(try await store.delivery(copyId)?.payload == originalBody)
            #expect(try await server.deliveries(of: endpoint, as: fixture.ann).map(\.status) == ["delivered", "delivered"])
        }
    }

    @Test("20 failures in a row switch an endpoint off and tell its owner; it queues nothing more until switched on again")
    func switchedOffAfterFailures() async throws {
        try await withWebhookServer { server, fixture, processes in
            let endpoint = try await server.makeEndpoint(as: fixture.ann, types: Self.booking, processes: processes)
            try await endpoint.receiver.control(["fail": 20, "status": 503])
            for _ in 1...DeliveryResults.switchOffAfter {
                #expect(try await server.send(.POST, endpoint.path + "/test", as: fixture.ann).status == .accepted)
            }
            await server.deliverDue()

            let switchedOff = ResponseBody(try await server.send(.GET, endpoint.path, as: fixture.ann))
            #expect(switchedOff["active"] as? Bool == false)
            #expect(switchedOff["consecutive_failures"] as? Int == 20)
            #expect((switchedOff["disabled_reason"] as? String)?.contains("HTTP 503") == true, "\(switchedOff.value ?? "")")
            let notices = try await server.notifications(of: fixture.ann).filter { $0["kind"] as? String == "webhook.disabled" }
            #expect(notices.count == 1)
            #expect((notices.first?["message"] as? String)?.contains(endpoint.url) == true)

            _ = try await book(server, fixture.desks[0], as: fixture.ann)
            #expect(try await server.deliveries(of: endpoint, as: fixture.ann).filter { $0.eventType != "webhook.ping" }.isEmpty,
                    "a switched-off endpoint gets no deliveries")

            let on = try await server.send(.PATCH, endpoint.path, as: fixture.ann, json: ["active": true])
            #expect(on.status == .ok)
            #expect(ResponseBody(on)["active"] as? Bool == true)
            #expect(ResponseBody(on)["consecutive_failures"] as? Int == 0)
            #expect(ResponseBody(on)["disabled_reason"] is NSNull || ResponseBody(on)["disabled_reason"] == nil)
            let later = try await book(server, fixture.desks[1], as: fixture.ann, day: Self.tuesday)
            await server.deliverDue()
            let created = try #require(try await server.deliveries(of: endpoint, as: fixture.ann).first { $0.eventType == "booking.created" })
            #expect(created.status == "delivered")
            let data = try #require(try await server.payload(of: created.id)["data"] as? [String: Any])
            #expect(((data["booking"] as? [String: Any])?["id"] as? String).flatMap(UUID.init(uuidString:)) == later)
        }
    }

    @Test("a receiver that hangs fails the attempt after the 10 s timeout; the delivery waits for its retry")
    func hangingReceiver() async throws {
        try await withWebhookServer { server, fixture, processes in
            let endpoint = try await server.makeEndpoint(as: fixture.ann, types: Self.booking, processes: processes)
            try await endpoint.receiver.control(["hang": 1, "seconds": 20])
            _ = try await book(server, fixture.desks[0], as: fixture.ann)
            let started = ContinuousClock.now
            await server.deliverDue()
            let waited = ContinuousClock.now - started
            #expect(waited >= .seconds(9) && waited < .seconds(16), "\(waited)")
            let delivery = try #require(try await server.deliveries(of: endpoint, as: fixture.ann).first)
            #expect(delivery.status == "pending")
            #expect(delivery.lastStatusCode == nil)
            #expect(delivery.lastError == "timed out after 10 s")
            #expect(try endpoint.receiver.deliveries().count == 1)
        }
    }

    @Test("an endpoint made while private targets were allowed is refused at delivery once they are not, and nothing reaches it")
    func privateTargetAtDelivery() async throws {
        try await withWebhookServer(allowPrivate: true) { server, fixture, processes in
            let endpoint = try await server.makeEndpoint(as: fixture.ann, types: Self.booking, processes: processes)
            // https, so that only the address is wrong once private targets are not allowed.
            let secure = endpoint.url.replacingOccurrences(of: "http://", with: "https://")
            #expect(try await server.send(.PATCH, endpoint.path, as: fixture.ann, json: ["url": .string(secure)]).status == .ok)
            _ = try await book(server, fixture.desks[0], as: fixture.ann)
            // The same database served with the setting off (an administrator changed it and restarted): its worker sends.
            let strict = try await SiblingInstance.start(beside: server) { $0.webhookAllowPrivate = false }
            await strict.services.deliveries.deliverDue()
            try await strict.shutdown()
            let delivery = try #require(try await server.deliveries(of: endpoint, as: fixture.ann).first)
            #expect(delivery.attempts == 1)
            #expect(delivery.lastStatusCode == nil)
            #expect(delivery.lastError?.contains("private targets are not allowed") == true, "\(delivery.lastError ?? "")")
            #expect(try endpoint.receiver.deliveries().isEmpty)
        }
    }
}
