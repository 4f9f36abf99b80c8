import DeskCore
@testable import DeskServer
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// The outbox's guarantees with a real receiver: a delivery commits with its cause or not at all, workers running at
/// once (on one instance, or on two sharing a PostgreSQL database) send each delivery exactly once, and a change
/// another instance made to an endpoint never fails a write here.
@Suite("Outbox: all or nothing, and exactly once")
struct OutboxDeliveryTests {
    let webhooks = WebhookDeliveryTests()

    @Test("a write that fails after writing a notification and queueing its deliveries leaves neither")
    func rollback() async throws {
        try await webhooks.withWebhookServer { server, fixture, processes in
            let endpoint = try await server.makeEndpoint(as: fixture.ann, types: ["booking.cancelled_for_you"], processes: processes)
            let transactor = server.services.transactor
            let outbox = try #require(transactor.outbox)
            let now = server.clock.now
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await transactor.write { sql -> Written<Void> in
                    let events = try await NotificationStore(sql: sql).append([
                        NotificationRecord(to: fixture.ann.userId, .bookingCancelledForYou, "Never told", at: now),
                    ])
                    // What the write would queue, queued on its own connection, before a rule refuses the change.
                    #expect(try await outbox.enqueue(for: events, at: now, on: sql))
                    #expect(try await sql.count("SELECT COUNT(*) AS n FROM deliveries") == 1)
                    throw Refused()
                }
            }
            #expect(try await server.notifications(of: fixture.ann).isEmpty)
            #expect(try await sql(server).count("SELECT COUNT(*) AS n FROM deliveries") == 0)
            await server.deliverDue()
            #expect(try endpoint.receiver.deliveries().isEmpty)

            // The same through the API: a manager's change that a rule refuses (the desk is taken then) tells nobody.
            let ann = try await webhooks.book(server, fixture.desks[0], as: fixture.ann, from: "09:00", to: "12:00")
            _ = try await webhooks.book(server, fixture.desks[0], as: fixture.bob, from: "13:00", to: "17:00")
            let moved = try await server.send(.PATCH, "/api/v1/bookings/\(ann)", as: fixture.leo, json: [
                "start": .time(local(WebhookDeliveryTests.monday, "09:00")), "end": .time(local(WebhookDeliveryTests.monday, "15:00")),
            ])
            #expect(moved.status == .conflict, "\(moved.body.string)")
            #expect(try await server.notifications(of: fixture.ann).isEmpty)
            #expect(try await sql(server).count("SELECT COUNT(*) AS n FROM deliveries") == 0)
        }
    }

    @Test("two workers at once on one instance send every delivery exactly once")
    func twoWorkers() async throws {
        try await webhooks.withWebhookServer { server, fixture, processes in
            let endpoint = try await server.makeEndpoint(as: fixture.ann, types: WebhookDeliveryTests.booking, processes: processes)
            let total = 120
            for _ in 0..<total {
                #expect(try await server.send(.POST, endpoint.path + "/test", as: fixture.ann).status == .accepted)
            }
            async let one: Void = server.deliverDue()
            async let two: Void = server.deliverDue()
            _ = await (one, two)
            try await expectExactlyOnce(total, at: endpoint, server, as: fixture.ann)
        }
    }

    @Test("two instances on one PostgreSQL database, delivering at once, send every delivery exactly once",
          .enabled(if: TestDatabase.isPostgres, "needs PostgreSQL: set DESKPILOT_TEST_POSTGRES_URL (.ci/run does)"))
    func twoInstances() async throws {
        try await webhooks.withWebhookServer { server, fixture, processes in
            let endpoint = try await server.makeEndpoint(as: fixture.ann, types: WebhookDeliveryTests.booking, processes: processes)
            let other = try await SiblingInstance.start(beside: server)
            let ann = try await other.services.sessions.viewer(for: try #require(try await other.services.users.user(id: fixture.ann.userId)))
            let total = 200
            // Queued on both instances.
            for index in 0..<total {
                if index.isMultiple(of: 2) {
                    #expect(try await server.send(.POST, endpoint.path + "/test", as: fixture.ann).status == .accepted)
                } else {
                    _ = try await other.services.webhooks.test(endpoint.id, in: .personal, by: ann)
                }
            }
            async let here: Void = server.deliverDue()
            async let there: Void = other.services.deliveries.deliverDue()
            _ = await (here, there)
            try await other.shutdown()
            try await expectExactlyOnce(total, at: endpoint, server, as: fixture.ann)
        }
    }

    @Test("an endpoint another instance removed or switched off, which this one still has in memory, gets nothing and fails no write")
    func staleDirectory() async throws {
        try await webhooks.withWebhookServer { server, fixture, processes in
            let removed = try await server.makeEndpoint(as: fixture.ann, types: WebhookDeliveryTests.booking, processes: processes)
            let switchedOff = try await server.makeEndpoint(as: fixture.ann, types: WebhookDeliveryTests.booking, processes: processes)
            // This instance's directory now holds both (a booking looked them up).
            _ = try await webhooks.book(server, fixture.desks[0], as: fixture.ann)
            await server.deliverDue()
            // Changed as another instance would, whose notice has not arrived yet.
            try await sql(server).raw("DELETE FROM webhooks WHERE id = \(bind: removed.id)").run()
            try await sql(server).raw("UPDATE webhooks SET active = \(bind: false) WHERE id = \(bind: switchedOff.id)").run()

            let booked = try await server.book(fixture.desks[1], as: fixture.ann, day: WebhookDeliveryTests.tuesday, from: "09:00", to: "17:00")
            #expect(booked.status == .created, "\(booked.body.string)")
            await server.deliverDue()
            #expect(try await server.deliveries(of: switchedOff, as: fixture.ann).count == 1, "only the first booking's")
            #expect(try switchedOff.receiver.deliveries().count == 1)
            #expect(try removed.receiver.deliveries().count == 1)
        }
    }

    private func sql(_ server: TestServer) -> any SQLDatabase { server.services.transactor.sql }

    /// The receiver saw `total` deliveries, each once and verified, and every one is recorded delivered at its first attempt.
    private func expectExactlyOnce(_ total: Int, at endpoint: ReceivingEndpoint, _ server: TestServer, as owner: Caller) async throws {
        let received = try endpoint.receiver.deliveries()
        #expect(received.count == total)
        #expect(Set(received.compactMap(\.deliveryId)).count == total)
        #expect(received.allSatisfy { $0.verified })
        let log = try await server.deliveries(of: endpoint, as: owner)
        #expect(log.count == total)
        #expect(log.allSatisfy { $0.status == "delivered" && $0.attempts == 1 })
    }
}
