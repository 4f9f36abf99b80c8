import DeskCore
@testable import DeskServer
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Berlin's next day to open is 2026-04-04 (a Saturday); it opens at 22:00 UTC the day before.
private let releaseInstant = Timestamp.parse("2026-04-03T22:00:00Z")!

extension TestServer {
    func rule(_ caller: Caller, _ fields: [String: JSON]) async throws -> TestingHTTPResponse {
        try await send(.POST, "/api/v1/me/autopilot/rules", as: caller, json: .object(fields))
    }

    /// Creates a rule that must be accepted and returns its id.
    func ruleId(_ caller: Caller, _ fields: [String: JSON]) async throws -> String {
        let created = try await rule(caller, fields)
        try #require(created.status == .created, "creating a rule: \(created.body.string)")
        return try #require(ResponseBody(created).string("id"))
    }

    /// Waits until the autopilot engine, the waitlist and the activity logs have nothing left to do.
    func settle() async {
        for _ in 0..<3 {
            await services.autopilot.engine.idle()
            await services.allocation.waitlist.idle()
        }
    }

    func count(_ query: SQLQueryString) async throws -> Int {
        try await services.transactor.sql.count(query)
    }

    /// A person's requests as (date, status), oldest day first.
    func requestDays(_ caller: Caller) async throws -> [(String, String)] {
        ResponseBody(try await send(.GET, "/api/v1/me/requests?limit=500", as: caller)).array
            .compactMap { request in (request["date"] as? String).flatMap { day in (request["status"] as? String).map { (day, $0) } } }
            .sorted { $0.0 < $1.0 }
    }

    func logMessages(_ caller: Caller) async throws -> [String] {
        ResponseBody(try await send(.GET, "/api/v1/me/autopilot/log", as: caller)).array.compactMap { $0["message"] as? String }
    }
}

@Suite("Autopilot")
struct AutopilotTests {
    static let everyDay: JSON = [1, 2, 3, 4, 5, 6, 7]
    static let weekdays: JSON = [1, 2, 3, 4, 5]
    static let morning: JSON = ["from": "08:00", "until": "12:00"]

    @Test("a rule takes free desks on open days at once and asks for the next day to open, for its owner only")
    func booksForItsOwner() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let annRule = try await server.ruleId(f.ann, ["location_id": .id(f.berlin), "weekdays": Self.everyDay, "window": Self.morning,
                                                          "desk_ids": [.id(f.desks[0])], "name": "Mornings"])
            let bobRule = try await server.ruleId(f.bob, ["location_id": .id(f.berlin), "weekdays": Self.weekdays, "window": Self.morning,
                                                          "desk_ids": [.id(f.desks[1])]])
            await server.settle()

            // Today (Friday, 10:00 in Berlin) to 2026-04-03 are open: booked at once; 2026-04-04 waits for its round.
            let ann = try await server.requestDays(f.ann)
            #expect(ann.count == 16)
            #expect(ann.filter { $0.1 == "won" }.count == 15)
            #expect(ann.last! == ("2026-04-04", "pending"))
            let bob = try await server.requestDays(f.bob)
            #expect(bob.count == 11 && bob.allSatisfy { $0.1 == "won" })  // weekdays only; 2026-04-04 is a Saturday
            #expect(try await server.count("""
                SELECT COUNT(*) AS n FROM bookings WHERE source = 'autopilot' AND user_id = \(bind: f.ann.userId)
                AND desk_id = \(bind: f.desks[0])
                """) == 15)

            // Nothing a rule filed or booked belongs to anyone but the rule's owner.
            #expect(try await server.count("""
                SELECT COUNT(*) AS n FROM allocation_requests r JOIN autopilot_rules a ON a.id = r.rule_id WHERE r.user_id <> a.user_id
                """) == 0)
            #expect(try await server.count("""
                SELECT COUNT(*) AS n FROM bookings b JOIN allocation_requests r ON r.booking_id = b.id WHERE b.user_id <> r.user_id
                """) == 0)
            #expect(try await server.count("SELECT COUNT(*) AS n FROM allocation_requests WHERE rule_id IS NOT NULL") == 27)

            // The owner's log says what happened, in words; the counters add it up.
            let log = try await server.logMessages(f.ann)
            #expect(log.filter { $0.hasPrefix("Booked desk A1 at Berlin") }.count == 15)
            #expect(log.contains("Asked for a desk at Berlin on 2026-04-04; the round runs when the day opens for booking."))
            let rule = ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot/rules/\(annRule)", as: f.ann))
            #expect(rule["counters", "won"] as? Int == 15 && rule["counters", "pending"] as? Int == 1)
            let history = ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot/history?rule_id=\(annRule)", as: f.ann))
            #expect(history.array(at: "items").count == 16)

            // bob sees nothing of ann's autopilot and can change none of it.
            for (method, path) in [(HTTPMethod.GET, ""), (.PATCH, ""), (.DELETE, ""), (.POST, "/pause"), (.POST, "/resume")] {
                let response = try await server.send(method, "/api/v1/me/autopilot/rules/\(annRule)\(path)", as: f.bob,
                                                     json: method == .PATCH ? ["name": "Mine now"] : nil)
                #expect(response.status == .notFound)
            }
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot/rules", as: f.bob)).array.map { $0["id"] as? String }
                == [bobRule])
            let bobHistory = ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot/history?rule_id=\(annRule)", as: f.bob))
            #expect(bobHistory.array(at: "items").isEmpty)
            #expect(try await server.logMessages(f.bob).allSatisfy { !$0.contains("A1") })

            // Two weeks on, 2026-04-04 opens: its round gives ann desk A1, and her rule takes the days open since and asks
            // for the one next to open now.
            server.clock.set(releaseInstant)
            await server.services.scheduler.tick()
            await server.settle()
            let after = try await server.requestDays(f.ann)
            #expect(after.first { $0.0 == "2026-04-04" }?.1 == "won")
            #expect(after.filter { $0.0 > "2026-04-04" }.map(\.1) == Array(repeating: "won", count: 14) + ["pending"])
            #expect(after.last!.0 == "2026-04-19")
            #expect(try await server.logMessages(f.ann).contains("Asked for a desk at Berlin on 2026-04-19; the round runs when the day opens for booking."))
        }
    }

    @Test("a rule whose owner loses access stops with the error, and other rules go on")
    func failingRuleStopsAlone() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            // gus (Engineering) books the gated lab desk; a second rule of his and one of bob's ask for the open space.
            let labRule = try await server.ruleId(f.gus, ["location_id": .id(f.berlin), "weekdays": Self.everyDay, "window": Self.morning,
                                                          "desk_ids": [.id(f.labDesk)], "accepts_other_desks": false])
            let sundayRule = try await server.ruleId(f.gus, ["location_id": .id(f.berlin), "extra_dates": ["2026-04-05"], "window": Self.morning,
                                                             "room_ids": [.id(f.openSpace)]])
            _ = try await server.ruleId(f.bob, ["location_id": .id(f.berlin), "weekdays": Self.everyDay, "window": Self.morning])
            await server.settle()
            #expect(try await server.requestDays(f.gus).last! == ("2026-04-04", "pending"))

            #expect(try await server.send(.DELETE, "/api/v1/groups/\(f.engineering)/members/\(f.gus.userId)", as: f.admin).status == .noContent)
            server.clock.set(releaseInstant)
            await server.services.scheduler.tick()
            await server.settle()

            // The round refuses the lab desk; the rule stops with the reason and tells its owner.
            #expect(try await server.count("""
                SELECT COUNT(*) AS n FROM bookings WHERE desk_id = \(bind: f.labDesk) AND start_at >= \(bind: releaseInstant)
                """) == 0)
            let stopped = ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot/rules/\(labRule)", as: f.gus))
            #expect(stopped.string("status") == "error")
            #expect(stopped.string("status_reason")?.contains("desk_ids: must all be places you can book") == true)
            #expect(try await server.logMessages(f.gus).contains { $0.hasPrefix("Rule “Berlin” stopped") })
            let told = ResponseBody(try await server.send(.GET, "/api/v1/me/notifications", as: f.gus)).array
            #expect(told.contains { $0["kind"] as? String == "autopilot.error" })

            // gus's other rule and bob's took the newly reachable days all the same.
            let sunday = try await server.requestDays(f.gus).filter { $0.0 == "2026-04-05" }
            #expect(sunday.map(\.1) == ["won"])
            #expect(try await server.count("""
                SELECT COUNT(*) AS n FROM allocation_requests WHERE rule_id = \(bind: UUID(uuidString: sundayRule)!) AND day = '2026-04-05'
                """) == 1)
            #expect(try await server.requestDays(f.bob).last! == ("2026-04-19", "pending"))

            // Fixing the rule (here: any desk in the open space instead) makes it active again.
            let fixed = try await server.send(.PATCH, "/api/v1/me/autopilot/rules/\(labRule)", as: f.gus,
                                              json: ["desk_ids": [], "room_ids": [.id(f.openSpace)], "accepts_other_desks": true])
            #expect(ResponseBody(fixed).string("status") == "active")
        }
    }

    @Test("pausing withdraws waiting requests and resuming files them again; a suspension is the administrator's to lift")
    func lifecycle() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let rule = try await server.ruleId(f.ann, ["location_id": .id(f.berlin), "weekdays": [6], "window": Self.morning])
            await server.settle()
            #expect(try await server.requestDays(f.ann).map(\.1) == ["won", "won", "pending"])

            let paused = try await server.send(.POST, "/api/v1/me/autopilot/rules/\(rule)/pause", as: f.ann)
            #expect(ResponseBody(paused).string("status") == "paused")
            await server.settle()
            #expect(try await server.requestDays(f.ann).map(\.1) == ["won", "won", "withdrawn"])

            #expect(ResponseBody(try await server.send(.POST, "/api/v1/me/autopilot/rules/\(rule)/resume", as: f.ann)).string("status") == "active")
            await server.settle()
            #expect(try await server.requestDays(f.ann).filter { $0.0 == "2026-04-04" }.map(\.1).sorted() == ["pending", "withdrawn"])

            // The owner cancels the day's request: the rule leaves that day alone from then on.
            let pending = ResponseBody(try await server.send(.GET, "/api/v1/me/requests?status=pending", as: f.ann)).array
            #expect(try await server.send(.DELETE, "/api/v1/requests/\(pending[0]["id"] as! String)", as: f.ann).status == .ok)
            _ = try await server.send(.PATCH, "/api/v1/me/autopilot/rules/\(rule)", as: f.ann, json: ["name": "Saturdays"])
            await server.settle()
            #expect(try await server.requestDays(f.ann).filter { $0.0 == "2026-04-04" }.map(\.1).sorted() == ["cancelled", "withdrawn"])

            // Suspended with a reason the owner sees; only an administrator resumes it.
            let suspended = try await server.send(.POST, "/api/v1/admin/autopilot/rules/\(rule)/suspend", as: f.admin,
                                                  json: ["reason": "Books desks nobody uses"])
            #expect(ResponseBody(suspended).string("status") == "suspended")
            let seen = ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot/rules/\(rule)", as: f.ann))
            #expect(seen.string("status") == "suspended" && seen.string("status_reason") == "Books desks nobody uses")
            for action in ["resume", "pause"] {
                let refused = try await server.send(.POST, "/api/v1/me/autopilot/rules/\(rule)/\(action)", as: f.ann)
                #expect(refused.status == .conflict && ResponseBody(refused).code == "rule_suspended")
            }
            #expect(try await server.send(.POST, "/api/v1/admin/autopilot/rules/\(rule)/suspend", as: f.admin, json: ["reason": ""]).status
                == .unprocessableEntity)
            #expect(ResponseBody(try await server.send(.POST, "/api/v1/admin/autopilot/rules/\(rule)/resume", as: f.admin)).string("status")
                == "active")
            #expect(try await server.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'autopilot.rule_suspended'") == 1)

            // Deleting the rule keeps its history.
            #expect(try await server.send(.DELETE, "/api/v1/me/autopilot/rules/\(rule)", as: f.ann).status == .noContent)
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot/history", as: f.ann)).array(at: "items").count >= 4)
        }
    }

    @Test("limits per person and per server are enforced with clear errors; an administrator can change a person's")
    func limits() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let watch: [String: JSON] = ["location_id": .id(f.berlin), "weekdays": [1], "mode": "watch"]
            for _ in 0..<5 { _ = try await server.ruleId(f.ann, watch) }
            let sixth = try await server.rule(f.ann, watch)
            #expect(sixth.status == .conflict && ResponseBody(sixth).code == "rule_limit_reached")
            #expect(ResponseBody(sixth).string("detail")?.contains("may have 5") == true)

            let raised = ResponseBody(try await server.send(.PUT, "/api/v1/admin/users/\(f.ann.userId)/limits", as: f.admin, json: ["max_rules": 6]))
            #expect(raised["max_rules"] as? Int == 6 && raised["is_own"] as? Bool == true)
            #expect(try await server.rule(f.ann, watch).status == .created)
            let overview = ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot", as: f.ann))
            #expect(overview["max_rules"] as? Int == 6 && overview.array(at: "rules").count == 6)
            let reset = ResponseBody(try await server.send(.PUT, "/api/v1/admin/users/\(f.ann.userId)/limits", as: f.admin, json: ["max_rules": nil]))
            #expect(reset["max_rules"] as? Int == 5 && reset["is_own"] as? Bool == false)
            #expect(try await server.send(.PUT, "/api/v1/admin/users/\(UUID())/limits", as: f.admin, json: ["max_rules": 3]).status == .notFound)

            // Bad rules are refused field by field.
            let bad = try await server.rule(f.bob, ["location_id": .id(f.berlin), "weekdays": [0, 9], "window": ["from": "21:00", "until": "23:00"]])
            #expect(bad.status == .unprocessableEntity)
            let fields = ResponseBody(bad).array(at: "errors").compactMap { $0["field"] as? String }
            #expect(fields.contains("weekdays") && fields.contains("window"))
            // No day at all is named once; reversed windows and ranges are named fields too, not unreadable bodies.
            let noDay = try await server.rule(f.bob, ["location_id": .id(f.berlin)])
            #expect(noDay.status == .unprocessableEntity)
            #expect(ResponseBody(noDay).array(at: "errors").count == 1)
            let reversed = try await server.rule(f.bob, ["location_id": .id(f.berlin), "weekdays": [1],
                                                         "window": ["from": "12:00", "until": "09:00"]])
            #expect(ResponseBody(reversed).array(at: "errors").compactMap { $0["field"] as? String } == ["window"])
            let backwards = try await server.rule(f.bob, ["location_id": .id(f.berlin), "weekdays": [1],
                                                          "blacklist_ranges": [["from": "2026-05-10", "to": "2026-05-01"]]])
            #expect(ResponseBody(backwards).array(at: "errors").compactMap { $0["field"] as? String } == ["blacklist_ranges"])
            #expect(try await server.rule(f.bob, ["location_id": .id(f.berlin), "weekdays": [1], "mode": "sometimes"]).status.code / 100 == 4)
            // A desk behind a gate bob does not pass is refused like an unknown one.
            #expect(try await server.rule(f.bob, ["location_id": .id(f.berlin), "weekdays": [1], "desk_ids": [.id(f.labDesk)]]).status
                == .unprocessableEntity)
        }
        try await withServer(configure: { $0.autopilotRulesTotal = 2 }) { server in
            let f = try await Fixture.make(server)
            let watch: [String: JSON] = ["location_id": .id(f.berlin), "weekdays": [1], "mode": "watch"]
            _ = try await server.ruleId(f.ann, watch)
            _ = try await server.ruleId(f.bob, watch)
            let third = try await server.rule(f.rita, watch)
            #expect(third.status == .conflict && ResponseBody(third).code == "server_rule_limit_reached")
        }
    }

    @Test("a watching rule tells its owner when a matching desk they could book comes free, and books nothing")
    func watching() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            _ = try await server.ruleId(f.bob, ["location_id": .id(f.berlin), "mode": "watch", "weekdays": Self.everyDay, "window": Self.morning])
            _ = try await server.ruleId(f.ann, ["location_id": .id(f.berlin), "mode": "watch", "weekdays": Self.everyDay])
            let live = try await LiveClient.connect(server, as: f.bob)
            #expect(await live.subscribe("me")?.type == "subscribed")

            let booked = try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "10:00", to: "14:00")
            let lab = try await server.book(f.labDesk, as: f.gus, day: "2026-03-23", from: "09:00", to: "11:00")
            for (booking, owner) in [(booked, f.ann), (lab, f.gus)] {
                #expect(try await server.send(.DELETE, "/api/v1/bookings/\(ResponseBody(booking).string("id")!)", as: owner).status == .ok)
            }
            await server.settle()

            let expected = "Desk A1 (Open space, Berlin) came free on 2026-03-23, 10:00–12:00."
            #expect(try await server.logMessages(f.bob) == [expected])  // not the lab desk: bob may not book there
            #expect(try await server.logMessages(f.ann).isEmpty)  // her own cancellation is no news to her
            let pushed = await live.first { $0.type == "autopilot.log" && $0.topic == "me" }
            #expect(pushed?.string("entry", "message") == expected)
            let told = ResponseBody(try await server.send(.GET, "/api/v1/me/notifications", as: f.bob)).array
            #expect(told.contains { $0["kind"] as? String == "autopilot.watch" })
            #expect(try await server.requestDays(f.bob).isEmpty)
            await live.close()
        }
    }

    @Test("administrators list, filter and page all rules, look at one person's autopilot (audited) and read the numbers")
    func oversight() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let first = try await server.ruleId(f.ann, ["location_id": .id(f.berlin), "weekdays": [6], "window": Self.morning])
            _ = try await server.ruleId(f.ann, ["location_id": .id(f.newYork), "weekdays": [1], "mode": "watch"])
            _ = try await server.ruleId(f.bob, ["location_id": .id(f.berlin), "weekdays": [6], "window": Self.morning])
            await server.settle()
            _ = try await server.send(.POST, "/api/v1/me/autopilot/rules/\(first)/pause", as: f.ann)

            let all = ResponseBody(try await server.send(.GET, "/api/v1/admin/autopilot/rules", as: f.admin)).array(at: "items")
            #expect(all.count == 3)
            let anns = ResponseBody(try await server.send(.GET, "/api/v1/admin/autopilot/rules?user_id=\(f.ann.userId)", as: f.admin))
            #expect(anns.array(at: "items").count == 2)
            let paused = ResponseBody(try await server.send(.GET, "/api/v1/admin/autopilot/rules?status=paused", as: f.admin)).array(at: "items")
            #expect(paused.map { $0["id"] as? String } == [first])
            let page = ResponseBody(try await server.send(.GET, "/api/v1/admin/autopilot/rules?limit=2", as: f.admin))
            let cursor = try #require(page.string("next_cursor"))
            let rest = ResponseBody(try await server.send(.GET, "/api/v1/admin/autopilot/rules?limit=2&cursor=\(cursor)", as: f.admin))
            #expect(Set((page.array(at: "items") + rest.array(at: "items")).compactMap { $0["id"] as? String }).count == 3)
            #expect(try await server.send(.GET, "/api/v1/admin/autopilot/rules?status=sleeping", as: f.admin).status == .unprocessableEntity)

            let inspected = ResponseBody(try await server.send(.GET, "/api/v1/admin/users/\(f.bob.userId)/autopilot", as: f.admin))
            #expect(inspected.array(at: "rules").count == 1 && !inspected.array(at: "history").isEmpty)
            #expect(try await server.count("""
                SELECT COUNT(*) AS n FROM audit_log WHERE action = 'autopilot.viewed' AND target_id = \(bind: f.bob.userId)
                """) == 1)

            let stats = ResponseBody(try await server.send(.GET, "/api/v1/admin/stats", as: f.admin))
            #expect(stats["users_with_active_rules"] as? Int == 2)
            #expect(stats["rules_by_status", "paused"] as? Int == 1 && stats["rules_by_status", "active"] as? Int == 2)
            #expect(stats["requests_per_day", "2026-04-04", "pending"] as? Int == 1)
            #expect(stats["requests_per_day", "2026-04-04", "withdrawn"] as? Int == 1)
        }
    }

    @Test("the activity log is bounded: the clean-up keeps each person's newest entries")
    func boundedLog() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let autopilot = server.services.autopilot
            let start = server.clock.now
            for (caller, count) in [(f.ann, AutopilotService.logLength + 30), (f.bob, 3)] {
                try await autopilot.appendLog((0..<count).map { index in
                    AutopilotLogRecord(id: UUID(), userId: caller.userId, ruleId: nil, requestId: nil,
                                       at: start.addingTimeInterval(Double(index)), level: .info, message: "entry \(index)")
                })
            }
            try await autopilot.trimLogs()
            #expect(try await server.count("SELECT COUNT(*) AS n FROM autopilot_log WHERE user_id = \(bind: f.ann.userId)") == AutopilotService.logLength)
            #expect(try await server.count("SELECT COUNT(*) AS n FROM autopilot_log WHERE user_id = \(bind: f.bob.userId)") == 3)
            let newest = try await server.logMessages(f.ann)
            #expect(newest.first == "entry \(AutopilotService.logLength + 29)" && newest.last == "entry 30")
        }
    }

    @Test("after a restart the engine picks up from the database what it had not done")
    func resumesAfterRestart() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let rule = try await server.ruleId(f.ann, ["location_id": .id(f.berlin), "weekdays": [6], "window": Self.morning])
            await server.settle()
            // As if the process had stopped after the change committed and before the engine acted on it.
            let sql = server.services.transactor.sql
            try await sql.raw("DELETE FROM allocation_requests WHERE user_id = \(bind: f.ann.userId) AND status = 'pending'").run()
            try await sql.raw("UPDATE autopilot_rules SET revision = revision + 1 WHERE id = \(bind: UUID(uuidString: rule)!)").run()

            let services = server.services
            let restarted = AutopilotService(transactor: services.transactor, clock: services.clock, placeService: services.places,
                                             allocation: services.allocation, sessions: services.sessions, limits: .init())
            try await restarted.planOpenedDays()
            await restarted.engine.idle()
            #expect(try await server.requestDays(f.ann).last! == ("2026-04-04", "pending"))
            // Planned now: a second look finds nothing to do.
            try await restarted.planOpenedDays()
            #expect(try await server.count("SELECT COUNT(*) AS n FROM autopilot_rules WHERE planned_revision <> revision") == 0)
        }
    }

    /// A rule's outlook days by date: (state, desk name, waitlist position).
    private static func outlookDays(_ rule: ResponseBody) -> [String: (String, String?, Int?)] {
        let days = (rule["outlook", "days"] as? [[String: Any]]) ?? []
        return Dictionary(uniqueKeysWithValues: days.compactMap { day in
            (day["date"] as? String).map { ($0, (day["state"] as? String ?? "", (day["desk"] as? [String: Any])?["name"] as? String,
                                                 day["waitlist_position"] as? Int)) }
        })
    }

    private static func logEntries(_ server: TestServer, _ caller: Caller, kind: String) async throws -> [[String: Any]] {
        ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot/log", as: caller)).array.filter { $0["kind"] as? String == kind }
    }

    @Test("each rule tells which of its days are booked, won, waitlisted or waiting, and when it asks for the next day, in the location's zone")
    func outlook() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            // ann booked Tuesday 03-24 herself; on Wednesday 03-25 every desk is taken and the administrator waits first.
            #expect(try await server.book(f.desks[1], as: f.ann, day: "2026-03-24", from: "09:00", to: "17:00").status == .created)
            for (desk, person) in zip(f.desks, [f.bob, f.leo, f.rita]) {
                #expect(try await server.book(desk, as: person, day: "2026-03-25", from: "08:00", to: "12:00").status == .created)
            }
            let waiting = ResponseBody(try await server.request(f.admin, location: f.berlin, day: "2026-03-25", desks: [f.desks[0]], others: false))
            #expect(waiting.string("status") == "waitlisted")

            let created = try await server.rule(f.ann, ["location_id": .id(f.berlin), "weekdays": [2, 3, 4], "window": Self.morning,
                                                        "desk_ids": [.id(f.desks[0])]])
            #expect(created.status == .created)
            // The answer already knows what the rule will leave alone.
            #expect(Self.outlookDays(ResponseBody(created))["2026-03-24"]?.0 == "booked")
            let ruleId = try #require(ResponseBody(created).string("id"))
            await server.settle()

            var rule = ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot/rules/\(ruleId)", as: f.ann))
            let days = Self.outlookDays(rule)
            #expect(days["2026-03-24"]! == ("booked", "A2", nil))
            #expect(days["2026-03-25"]! == ("waitlisted", nil, 2))
            for won in ["2026-03-26", "2026-03-31", "2026-04-01", "2026-04-02"] { #expect(days[won]! == ("won", "A1", nil), "\(won)") }
            #expect(days.count == 6)
            // Tuesday 04-07 is asked for when Monday 04-06 opens, at Berlin's midnight.
            #expect(rule.string("outlook", "next_ask", "date") == "2026-04-07")
            #expect(rule.string("outlook", "next_ask", "asks_at") == "2026-03-22T23:00:00Z")
            #expect(rule.string("outlook", "next_ask", "opens_at") == "2026-03-23T23:00:00Z")

            // The administrator gives up: ann is next on the waitlist. The list answers the same as the rule.
            #expect(try await server.send(.DELETE, "/api/v1/requests/\(waiting.string("id")!)", as: f.admin).status == .ok)
            let listed = ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot/rules", as: f.ann)).array
            #expect(((listed.first?["outlook"] as? [String: Any])?["days"] as? [[String: Any]])?
                .first { $0["date"] as? String == "2026-03-25" }?["waitlist_position"] as? Int == 1)

            // Monday after midnight 04-06 has opened: the rule asked for 04-07, which waits for its draw at the next midnight.
            server.clock.set(Timestamp.parse("2026-03-23T09:00:00Z")!)
            await server.services.scheduler.tick()
            await server.settle()
            rule = ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot/rules/\(ruleId)", as: f.ann))
            let pending = ((rule["outlook", "days"] as? [[String: Any]]) ?? []).first { $0["date"] as? String == "2026-04-07" }
            #expect(pending?["state"] as? String == "waiting" && pending?["opens_at"] as? String == "2026-03-23T23:00:00Z")
            #expect(pending?["asked_by_this_rule"] as? Bool == true)
            #expect(rule.string("outlook", "next_ask", "date") == "2026-04-08")

            // After the change to summer time the openings stay at Berlin's midnight: 22:00 UTC.
            server.clock.set(Timestamp.parse("2026-03-27T09:00:00Z")!)
            rule = ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot/rules/\(ruleId)", as: f.ann))
            #expect(rule.string("outlook", "next_ask", "date") == "2026-04-14")
            #expect(rule.string("outlook", "next_ask", "asks_at") == "2026-03-29T22:00:00Z")
            #expect(rule.string("outlook", "next_ask", "opens_at") == "2026-03-30T22:00:00Z")

            // Paused, it asks for nothing ahead; the overview carries the outlook too.
            let paused = ResponseBody(try await server.send(.POST, "/api/v1/me/autopilot/rules/\(ruleId)/pause", as: f.ann))
            #expect(paused["outlook", "next_ask"] == nil && paused["outlook", "days"] != nil)
            let overview = ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot", as: f.ann))
            #expect((overview.array(at: "rules").first?["outlook"] as? [String: Any])?["days"] != nil)
        }
    }

    @Test("days the owner covered without the rule are noted in its log once per rule and day, however often it looks")
    func coveredDaysNotedOnce() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await server.book(f.desks[1], as: f.ann, day: "2026-03-24", from: "09:00", to: "17:00").status == .created)
            #expect(try await server.request(f.ann, location: f.berlin, day: "2026-04-04").status == .created)
            let rule = try await server.ruleId(f.ann, ["location_id": .id(f.berlin), "weekdays": [2, 6], "window": Self.morning])
            await server.settle()

            func check() async throws {
                let booked = try await Self.logEntries(server, f.ann, kind: "already_booked")
                #expect(booked.count == 1)
                #expect(booked.first?["day"] as? String == "2026-03-24" && booked.first?["rule_id"] as? String == rule)
                #expect(booked.first?["message"] as? String == "Already booked at Berlin on 2026-03-24: desk A2, 09:00–17:00. Nothing to ask for.")
                let requested = try await Self.logEntries(server, f.ann, kind: "already_requested")
                #expect(requested.map { $0["day"] as? String } == ["2026-04-04"])
                #expect(requested.first?["message"] as? String
                    == "You already asked for a desk at Berlin on 2026-04-04; this rule leaves that day to it.")
            }
            try await check()
            #expect(try await server.requestDays(f.ann).filter { ["2026-03-24", "2026-04-04"].contains($0.0) }.count == 1)
            var outlook = Self.outlookDays(ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot/rules/\(rule)", as: f.ann)))
            #expect(outlook["2026-03-24"]?.0 == "booked" && outlook["2026-04-04"]?.0 == "waiting")

            // More passes over the same days: a change of the rule, and a day opening.
            #expect(try await server.send(.PATCH, "/api/v1/me/autopilot/rules/\(rule)", as: f.ann,
                                          json: ["window": ["from": "08:00", "until": "13:00"]]).status == .ok)
            await server.settle()
            server.clock.set(Timestamp.parse("2026-03-20T23:30:00Z")!)
            await server.services.scheduler.tick()
            await server.settle()
            try await check()
            // 04-04 opened and its round gave ann a desk for her own request: booked, not by the rule.
            outlook = Self.outlookDays(ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot/rules/\(rule)", as: f.ann)))
            #expect(outlook["2026-04-04"]?.0 == "booked")
        }
    }

    @Test("with a permanent desk at the location a rule asks for nothing and says so once; a rule with no day yet says when it asks")
    func permanentDeskAndNothingYet() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await server.send(.PUT, "/api/v1/desks/\(f.desks[2])/permanent", as: f.rita, json: ["user_id": .id(f.ann.userId)]).status == .ok)
            let rule = try await server.ruleId(f.ann, ["location_id": .id(f.berlin), "weekdays": Self.everyDay])
            await server.settle()
            #expect(try await server.patchAndSettle(rule, as: f.ann))
            #expect(try await server.requestDays(f.ann).isEmpty)
            let permanent = try await Self.logEntries(server, f.ann, kind: "permanent_desk")
            #expect(permanent.map { $0["message"] as? String }
                == ["Desk A3 at Berlin is yours permanently, so this rule asks for nothing there."])
            let outlook = ResponseBody(try await server.send(.GET, "/api/v1/me/autopilot/rules/\(rule)", as: f.ann))
            #expect(outlook.string("outlook", "permanent_desk", "name") == "A3" && outlook["outlook", "next_ask"] == nil)

            _ = try await server.ruleId(f.bob, ["location_id": .id(f.berlin), "weekdays": [], "extra_dates": ["2026-05-04"]])
            await server.settle()
            let next = try await Self.logEntries(server, f.bob, kind: "nothing_yet")
            #expect(next.map { $0["message"] as? String } == [
                "Nothing to ask for yet. Next: Berlin on 2026-05-04, asked for on 2026-04-19 at 00:00 (Berlin time); "
                    + "its draw runs when the day opens on 2026-04-20 at 00:00.",
            ])
            #expect(next.first?["day"] as? String == "2026-05-04")
        }
    }
}

extension TestServer {
    /// Changes a rule's window (a new revision: the engine looks at all its days again) and waits for the engine.
    fileprivate func patchAndSettle(_ rule: String, as caller: Caller) async throws -> Bool {
        let changed = try await send(.PATCH, "/api/v1/me/autopilot/rules/\(rule)", as: caller, json: ["window": ["from": "09:00", "until": "12:00"]])
        await settle()
        return changed.status == .ok
    }
}
