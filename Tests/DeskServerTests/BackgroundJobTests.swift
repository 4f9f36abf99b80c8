import DeskCore
@testable import DeskServer
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

/// A lease the test hands out or withholds.
private final class SwitchableLease: LeaderLease {
    let leading = NIOLockedValueBox(false)
    func acquire() async -> Bool { leading.withLockedValue { $0 } }
    func release() async { leading.withLockedValue { $0 = false } }
}

@Suite("Background jobs")
struct BackgroundJobTests {
    @Test("jobs run on the leader only, when due by the injected clock, and one failing job does not stop the others")
    func scheduler() async throws {
        let clock = TestClock(Fixture.defaultNow)
        let runs = NIOLockedValueBox<[String]>([])
        let lease = SwitchableLease()
        let metrics = ServerMetrics()
        let log = RecordedLog()
        let scheduler = Scheduler(
            jobs: [
                .init(name: "often", every: 5) { runs.withLockedValue { $0.append("often") } },
                .init(name: "broken", every: 5) { throw CommandError("boom") },
                .init(name: "hourly", every: 3600) { runs.withLockedValue { $0.append("hourly") } },
            ],
            lease: lease, clock: clock.wallClock, tickInterval: .seconds(1), metrics: metrics, logger: log.logger)

        await scheduler.tick()
        #expect(runs.withLockedValue { $0 }.isEmpty)  // not the leader
        #expect(!scheduler.isLeader)

        lease.leading.withLockedValue { $0 = true }
        await scheduler.tick()
        #expect(runs.withLockedValue { $0 } == ["often", "hourly"])
        await scheduler.tick()  // nothing is due yet
        #expect(runs.withLockedValue { $0 }.count == 2)
        clock.advance(by: 5)
        await scheduler.tick()
        #expect(runs.withLockedValue { $0 } == ["often", "hourly", "often"])
        clock.advance(by: 3600)
        await scheduler.tick()
        #expect(runs.withLockedValue { $0 } == ["often", "hourly", "often", "often", "hourly"])

        // The broken job ran whenever it was due (three times) and failed each time; the others never failed.
        let text = String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self)
        #expect(text.contains(#"deskpilot_job_failures_total{job="broken"} 3"#))
        #expect(text.contains(#"deskpilot_job_runs_total{job="often"} 3"#))
        #expect(!text.contains(#"deskpilot_job_failures_total{job="often"}"#))
        #expect(log.messages(at: .error) == Array(repeating: "job broken failed: boom", count: 3))
        await scheduler.stop()
        #expect(!scheduler.isLeader)
    }

    @Test("failures are counted per job in the metrics")
    func failureMetrics() async throws {
        try await withServer { server in
            let log = RecordedLog()
            let failing = Scheduler(jobs: [.init(name: "broken", every: 1) { throw CommandError("boom") }],
                                    lease: SingleProcessLease(), clock: server.clock.wallClock, tickInterval: .seconds(1),
                                    metrics: server.services.metrics, logger: log.logger)
            await failing.tick()
            let text = try await server.send(.GET, "/metrics").body.string
            #expect(text.contains(#"deskpilot_job_failures_total{job="broken"} 1"#))
            #expect(text.contains(#"deskpilot_job_runs_total{job="broken"} 1"#))
            #expect(log.messages(at: .error) == ["job broken failed: boom"])
        }
    }

    @Test("bookings starting and ending flip the desk's status live, and lapsed holds are announced")
    func timeline() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let ann = try await LiveClient.connect(server, as: f.ann)
            #expect(await ann.subscribe(Topic.roomName(f.openSpace))?.type == "subscribed")
            // Friday 10:00 in Berlin now; Bob books 10:30–11:00.
            let booked = try await server.book(f.desks[2], as: f.bob, day: "2026-03-20", from: "10:30", to: "11:00")
            #expect(booked.status == .created, "\(booked.body.string)")
            let desk = f.desks[2].uuidString
            await server.services.scheduler.tick()  // the first tick only looks back

            server.clock.set(local("2026-03-20", "10:30").addingTimeInterval(1))
            await server.services.scheduler.tick()
            #expect(await ann.first { $0.type == "desk.status" && $0.string("desk_id") == desk && $0.string("status") == "booked" } != nil)
            server.clock.set(local("2026-03-20", "11:00").addingTimeInterval(1))
            await server.services.scheduler.tick()
            #expect(await ann.first { $0.type == "desk.status" && $0.string("desk_id") == desk && $0.string("status") == "free" } != nil)

            #expect(try await server.send(.PUT, "/api/v1/desks/\(f.desks[0])/hold", as: f.bob).status == .ok)
            server.clock.advance(by: HoldRules.lifetime + 1)
            await server.services.scheduler.tick()
            let expired = try #require(await ann.first { $0.type == "hold.expired" })
            #expect(expired.string("hold", "desk_id") == f.desks[0].uuidString)
            #expect(await ann.first {
                $0.type == "desk.status" && $0.string("desk_id") == f.desks[0].uuidString && $0.string("status") == "free"
            } != nil)
            // Announced once: later ticks do not repeat it.
            server.clock.advance(by: 5)
            await server.services.scheduler.tick()
            try await Task.sleep(for: .milliseconds(200))
            #expect(ann.messages.filter { $0.type == "hold.expired" }.count == 1)
        }
    }

    @Test("the scheduler releases no-shows once, and the owner hears of it on their own topic")
    func noShows() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo,
                                          json: ["check_in_required": true, "check_in_grace_minutes": 15]).status == .ok)
            let booked = try await server.book(f.desks[0], as: f.ann, day: "2026-03-20", from: "10:00", to: "12:00")
            #expect(booked.status == .created)
            let id = try #require(ResponseBody(booked).string("id"))
            let ann = try await LiveClient.connect(server, as: f.ann)
            #expect(await ann.subscribe("me")?.type == "subscribed")

            server.clock.set(local("2026-03-20", "10:14"))
            await server.services.scheduler.tick()
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/bookings/\(id)", as: f.ann)).string("status") == "confirmed")
            server.clock.set(local("2026-03-20", "10:15"))
            await server.services.scheduler.tick()
            server.clock.advance(by: 60)
            await server.services.scheduler.tick()
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/bookings/\(id)", as: f.ann)).string("status") == "released")
            let released = try #require(await ann.first { $0.type == "booking.released" })
            #expect(released.string("booking", "id") == id)
            let audit = ResponseBody(try await server.send(.GET, "/api/v1/audit?action=booking.released", as: f.admin))
            #expect(audit.array.count == 1)
        }
    }

    @Test("clean-up deletes expired refresh tokens and hold rows past their cool-down, and keeps the rest")
    func cleanup() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            _ = try await server.login("ann", "ann-password")
            #expect(try await server.send(.PUT, "/api/v1/desks/\(f.desks[0])/hold", as: f.bob).status == .ok)
            let sql = server.services.transactor.sql
            func count(_ table: String) async throws -> Int { try await sql.count("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)") }
            #expect(try await count("refresh_tokens") == 1)
            try await server.services.housekeeping.purge()
            #expect(try await count("refresh_tokens") == 1)
            #expect(try await count("holds") == 1)
            server.clock.advance(by: HoldRules.cap + HoldRules.coolDown + 1)
            try await server.services.housekeeping.purge()
            #expect(try await count("holds") == 0)
            #expect(try await count("refresh_tokens") == 1)  // sessions last longer than a hold
            server.clock.advance(by: 400 * 86_400)
            try await server.services.housekeeping.purge()
            #expect(try await count("refresh_tokens") == 0)
            #expect(try await count("access_tokens") == 6)  // personal tokens are kept until revoked
        }
    }
}
