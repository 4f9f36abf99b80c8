import DeskCore
@testable import DeskServer
import Foundation
import Testing
import Vapor
import VaporTesting

private func interval(_ day: String, _ from: String, _ to: String) -> JSON {
    ["start": .time(local(day, from)), "end": .time(local(day, to))]
}

@Suite("Holds")
struct HoldTests {
    @Test("two people take a hold at once: exactly one wins, and the other cannot book the desk")
    func race() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            async let annTry = server.send(.PUT, "/api/v1/desks/\(f.desks[0])/hold", as: f.ann)
            async let bobTry = server.send(.PUT, "/api/v1/desks/\(f.desks[0])/hold", as: f.bob)
            let results = try await [(f.ann, annTry), (f.bob, bobTry)]
            #expect(results.filter { $0.1.status == .ok }.count == 1)
            #expect(results.filter { $0.1.status == .locked }.count == 1)
            let winner = try #require(results.first { $0.1.status == .ok }).0
            let loser = try #require(results.first { $0.1.status == .locked }).0
            #expect(ResponseBody(try #require(results.first { $0.1.status == .locked }).1).code == "desk_held")

            let refused = try await server.book(f.desks[0], as: loser, day: "2026-03-23", from: "09:00", to: "12:00")
            #expect(refused.status == .locked)
            #expect(ResponseBody(refused).code == "desk_held")
            #expect(refused.headers.first(name: .retryAfter) != nil)
            // The holder's booking consumes the hold: the other person may hold the desk right away.
            #expect(try await server.book(f.desks[0], as: winner, day: "2026-03-23", from: "09:00", to: "12:00").status == .created)
            #expect(try await server.send(.PUT, "/api/v1/desks/\(f.desks[0])/hold", as: loser).status == .ok)
        }
    }

    @Test("refreshing every 25 seconds stops at 5 minutes from the first acquisition")
    func cap() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let start = server.clock.now
            let first = try await server.send(.PUT, "/api/v1/desks/\(f.desks[0])/hold", as: f.ann)
            #expect(ResponseBody(first).string("expires_at") == start.addingTimeInterval(60).formatted(.iso8601))
            #expect(ResponseBody(first).string("cap_ends_at") == start.addingTimeInterval(300).formatted(.iso8601))
            var lastExpiry: String?
            for _ in 1...11 {  // 275 s
                server.clock.advance(by: 25)
                let refreshed = try await server.send(.PUT, "/api/v1/desks/\(f.desks[0])/hold", as: f.ann)
                #expect(refreshed.status == .ok)
                lastExpiry = ResponseBody(refreshed).string("expires_at")
            }
            #expect(lastExpiry == start.addingTimeInterval(300).formatted(.iso8601))
            // Releasing and re-acquiring does not restart the clock either.
            #expect(try await server.send(.DELETE, "/api/v1/desks/\(f.desks[0])/hold", as: f.ann).status == .noContent)
            server.clock.advance(by: 10)  // 285 s
            let again = try await server.send(.PUT, "/api/v1/desks/\(f.desks[0])/hold", as: f.ann)
            #expect(ResponseBody(again).string("expires_at") == start.addingTimeInterval(300).formatted(.iso8601))
            server.clock.set(start.addingTimeInterval(300))
            let capped = try await server.send(.PUT, "/api/v1/desks/\(f.desks[0])/hold", as: f.ann)
            #expect(capped.status == .conflict)
            #expect(ResponseBody(capped).code == "hold_limit_reached")
            // The desk is free for others, who may hold it, and (hold or not) the first person may still book it.
            #expect(try await server.send(.PUT, "/api/v1/desks/\(f.desks[0])/hold", as: f.bob).status == .ok)
            let audit = try await server.services.transactor.sql.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'hold.taken_over'")
            #expect(audit == 1)
        }
    }

    @Test("a page's beacon releases the hold with the CSRF token in the query")
    func beacon() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let (_, session) = try await server.login("ann", "ann-password")
            let page = session.caller(userId: f.ann.userId)
            #expect(try await server.send(.PUT, "/api/v1/desks/\(f.desks[0])/hold", as: page).status == .ok)
            let noToken = session.caller(userId: f.ann.userId, csrf: false)
            #expect(try await server.send(.POST, "/api/v1/desks/\(f.desks[0])/hold/release", as: noToken).status == .forbidden)
            // The query parameter is only honoured on the beacon route.
            let token = try #require(session.cookies["deskpilot_csrf"])
            #expect(try await server.send(.DELETE, "/api/v1/desks/\(f.desks[0])/hold?csrf_token=\(token)", as: noToken).status == .forbidden)
            #expect(try await server.send(.PUT, "/api/v1/desks/\(f.desks[0])/hold", as: f.bob).status == .locked)
            let released = try await server.send(.POST, "/api/v1/desks/\(f.desks[0])/hold/release?csrf_token=\(token)", as: noToken)
            #expect(released.status == .noContent)
            #expect(try await server.send(.PUT, "/api/v1/desks/\(f.desks[0])/hold", as: f.bob).status == .ok)
        }
    }
}

@Suite("Bulk and interval edits")
struct BulkTests {
    @Test("bulk without atomic creates what it can and reports each interval with its conflicting days")
    func partial() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await server.book(f.desks[0], as: f.bob, day: "2026-03-24", from: "10:00", to: "11:00").status == .created)
            let response = try await server.send(.POST, "/api/v1/bookings/bulk", as: f.ann, json: [
                "desk_id": .id(f.desks[0]),
                "intervals": [interval("2026-03-23", "09:00", "17:00"), interval("2026-03-24", "09:00", "17:00"),
                              interval("2026-03-25", "09:00", "17:00")],
            ])
            #expect(response.status == .ok)
            let body = ResponseBody(response)
            #expect(body["created"] as? Int == 2)
            #expect(body["failed"] as? Int == 1)
            let intervals = try #require(body["intervals"] as? [[String: Any]])
            #expect(intervals.map { $0["status"] as? String } == ["created", "failed", "created"])
            #expect((intervals[1]["error"] as? [String: Any])?["code"] as? String == "desk_taken")
            #expect(intervals[1]["conflicting_days"] as? [String] == ["2026-03-24"])
            let mine = ResponseBody(try await server.send(.GET, "/api/v1/bookings?mine=true", as: f.ann))
            #expect(mine.array.count == 2)
        }
    }

    @Test("atomic bulk creates all or nothing")
    func atomic() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await server.book(f.desks[0], as: f.bob, day: "2026-03-24", from: "10:00", to: "11:00").status == .created)
            let refused = try await server.send(.POST, "/api/v1/bookings/bulk", as: f.ann, json: [
                "desk_id": .id(f.desks[0]), "atomic": true,
                "intervals": [interval("2026-03-23", "09:00", "17:00"), interval("2026-03-24", "09:00", "17:00")],
            ])
            #expect(refused.status == .conflict)
            let problem = ResponseBody(refused)
            #expect(problem.code == "desk_taken")
            #expect((problem["conflicts"] as? [[String: Any]])?.count == 1)
            let intervals = try #require(problem["intervals"] as? [[String: Any]])
            #expect(intervals.map { ($0["error"] as? [String: Any])?["code"] as? String } == ["not_attempted", "desk_taken"])
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/bookings?mine=true", as: f.ann)).array.isEmpty)

            let accepted = try await server.send(.POST, "/api/v1/bookings/bulk", as: f.ann, json: [
                "desk_id": .id(f.desks[0]), "atomic": true,
                "intervals": [interval("2026-03-23", "09:00", "17:00"), interval("2026-03-25", "09:00", "17:00")],
            ])
            #expect(accepted.status == .created)
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/bookings?mine=true", as: f.ann)).array.count == 2)
        }
    }

    @Test("overlapping intervals inside one request are a 422")
    func overlappingInRequest() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let response = try await server.send(.POST, "/api/v1/bookings/bulk", as: f.ann, json: [
                "desk_id": .id(f.desks[0]),
                "intervals": [interval("2026-03-23", "09:00", "12:00"), interval("2026-03-23", "11:00", "14:00")],
            ])
            #expect(response.status == .unprocessableEntity)
            #expect((ResponseBody(response)["errors"] as? [[String: Any]])?.first?["field"] as? String == "intervals[1]")
            let empty = try await server.send(.POST, "/api/v1/bookings/bulk", as: f.ann, json: ["desk_id": .id(f.desks[0]), "intervals": []])
            #expect(empty.status == .unprocessableEntity)
        }
    }

    @Test("replacing intervals splits a booking, absorbs overlapping own bookings and never touches one in a gap")
    func gap() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            // Ann has 09–10 (edited), 12–13 (in the gap between the new intervals) and 15–16 (inside a new interval).
            let target = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "10:00")).uuid("id"))
            let inGap = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "12:00", to: "13:00")).uuid("id"))
            let absorbed = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "15:00", to: "16:00")).uuid("id"))
            let response = try await server.send(.POST, "/api/v1/bookings/\(target)/intervals", as: f.ann, json: [
                "intervals": [interval("2026-03-23", "10:00", "11:00"), interval("2026-03-23", "09:00", "10:00"),
                              interval("2026-03-23", "14:00", "17:00")],
            ])
            #expect(response.status == .ok)
            let body = ResponseBody(response)
            #expect(body["updated"] as? [String] == [target.uuidString])
            #expect(body["cancelled"] as? [String] == [absorbed.uuidString])
            #expect((body["created"] as? [String])?.count == 1)
            let mine = ResponseBody(try await server.send(.GET, "/api/v1/bookings?mine=true", as: f.ann)).array
            let ranges = mine.map { "\($0["start"] as! String)/\($0["end"] as! String)" }
            #expect(ranges == [
                "\(local("2026-03-23", "09:00").formatted(.iso8601))/\(local("2026-03-23", "11:00").formatted(.iso8601))",
                "\(local("2026-03-23", "12:00").formatted(.iso8601))/\(local("2026-03-23", "13:00").formatted(.iso8601))",
                "\(local("2026-03-23", "14:00").formatted(.iso8601))/\(local("2026-03-23", "17:00").formatted(.iso8601))",
            ])
            #expect(mine.contains { $0["id"] as? String == inGap.uuidString })
        }
    }

    @Test("replacing intervals over someone else's booking changes nothing; an empty list cancels")
    func conflictAndEmpty() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let target = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "10:00")).uuid("id"))
            #expect(try await server.book(f.desks[0], as: f.bob, day: "2026-03-23", from: "14:00", to: "15:00").status == .created)
            let refused = try await server.send(.POST, "/api/v1/bookings/\(target)/intervals", as: f.ann, json: [
                "intervals": [interval("2026-03-23", "09:00", "11:00"), interval("2026-03-23", "13:00", "16:00")],
            ])
            #expect(refused.status == .conflict)
            #expect(ResponseBody(refused).code == "desk_taken")
            let unchanged = ResponseBody(try await server.send(.GET, "/api/v1/bookings/\(target)", as: f.ann))
            #expect(unchanged.string("end") == local("2026-03-23", "10:00").formatted(.iso8601))
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/bookings?mine=true", as: f.ann)).array.count == 1)

            let emptied = try await server.send(.POST, "/api/v1/bookings/\(target)/intervals", as: f.ann, json: ["intervals": []])
            #expect(ResponseBody(emptied)["cancelled"] as? [String] == [target.uuidString])
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/bookings/\(target)", as: f.ann)).string("status") == "cancelled")
        }
    }
}

@Suite("Room state")
struct RoomStateTests {
    @Test("maintenance refuses new bookings, lists the affected ones and notifies their owners")
    func maintenance() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let booked = try #require(ResponseBody(try await server.book(f.desks[1], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00")).uuid("id"))
            let on = try await server.send(.PUT, "/api/v1/rooms/\(f.openSpace)/maintenance", as: f.rita, json: ["reason": "New carpet"])
            #expect(on.status == .ok)
            let body = ResponseBody(on)
            #expect(body["room", "maintenance_reason"] as? String == "New carpet")
            #expect((body["affected_bookings"] as? [[String: Any]])?.map { $0["id"] as? String } == [booked.uuidString])

            let refused = try await server.book(f.desks[0], as: f.bob, day: "2026-03-24", from: "09:00", to: "12:00")
            #expect(refused.status == .conflict)
            #expect(ResponseBody(refused).code == "not_bookable")
            let notes = ResponseBody(try await server.send(.GET, "/api/v1/me/notifications", as: f.ann))
            #expect(notes.array.map { $0["kind"] as? String } == ["booking.maintenance"])
            #expect(notes.array.first?["booking_id"] as? String == booked.uuidString)

            #expect(try await server.send(.DELETE, "/api/v1/rooms/\(f.openSpace)/maintenance", as: f.rita).status == .ok)
            #expect(try await server.book(f.desks[0], as: f.bob, day: "2026-03-24", from: "09:00", to: "12:00").status == .created)
            let empty = try await server.send(.PUT, "/api/v1/rooms/\(f.openSpace)/maintenance", as: f.rita, json: ["reason": "  "])
            #expect(empty.status == .unprocessableEntity)
        }
    }

    @Test("a permanent desk takes bookings from its assignee only")
    func permanent() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let earlier = try #require(ResponseBody(try await server.book(f.desks[2], as: f.bob, day: "2026-03-25", from: "09:00", to: "12:00")).string("id"))
            #expect(try await server.send(.PUT, "/api/v1/desks/\(f.desks[2])/permanent", as: f.rita, json: ["user_id": .id(f.ann.userId)]).status == .ok)
            // Bob's booking from before stands, and he is told the desk is now someone's.
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/bookings/\(earlier)", as: f.bob)).string("status") == "confirmed")
            let notes = ResponseBody(try await server.send(.GET, "/api/v1/me/notifications", as: f.bob)).array
            #expect(notes.map { $0["kind"] as? String } == ["desk.permanent_assigned"])
            #expect(notes.first?["booking_id"] as? String == earlier)
            let bob = try await server.book(f.desks[2], as: f.bob, day: "2026-03-23", from: "09:00", to: "12:00")
            #expect(bob.status == .conflict)
            #expect(ResponseBody(bob).code == "not_bookable")
            #expect(try await server.send(.PUT, "/api/v1/desks/\(f.desks[2])/hold", as: f.bob).status == .conflict)
            #expect(try await server.book(f.desks[2], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00").status == .created)
            #expect(try await server.send(.DELETE, "/api/v1/desks/\(f.desks[2])/permanent", as: f.rita).status == .ok)
            #expect(try await server.book(f.desks[2], as: f.bob, day: "2026-03-24", from: "09:00", to: "12:00").status == .created)
        }
    }
}

@Suite("Check-in and no-shows")
struct CheckInTests {
    private static func requireCheckIn(_ server: TestServer, _ f: Fixture) async throws {
        let policy = try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo,
                                           json: ["check_in_required": true, "check_in_grace_minutes": 30])
        #expect(policy.status == .ok)
    }

    @Test("the owner checks in within the window; others cannot, and not too early")
    func window() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            try await Self.requireCheckIn(server, f)
            let id = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-20", from: "11:00", to: "13:00")).uuid("id"))
            server.clock.set(local("2026-03-20", "10:44"))
            #expect(ResponseBody(try await server.send(.POST, "/api/v1/bookings/\(id)/check-in", as: f.ann)).code == "check_in_not_open")
            server.clock.set(local("2026-03-20", "10:45"))
            #expect(try await server.send(.POST, "/api/v1/bookings/\(id)/check-in", as: f.bob).status == .forbidden)
            let checked = try await server.send(.POST, "/api/v1/bookings/\(id)/check-in", as: f.ann)
            #expect(checked.status == .ok)
            #expect(ResponseBody(checked).string("checked_in_at") == local("2026-03-20", "10:45").formatted(.iso8601))
            #expect(ResponseBody(try await server.send(.POST, "/api/v1/bookings/\(id)/check-in", as: f.ann)).code == "already_checked_in")
        }
    }

    @Test("a no-show is released once, and only after the grace period")
    func noShow() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            try await Self.requireCheckIn(server, f)
            let missing = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-20", from: "10:30", to: "12:00")).uuid("id"))
            let present = try #require(ResponseBody(try await server.book(f.desks[1], as: f.bob, day: "2026-03-20", from: "10:30", to: "12:00")).uuid("id"))
            // New York does not require check-in: its bookings are never released.
            let elsewhere = try #require(ResponseBody(try await server.book(f.newYorkDesk, as: f.gus, day: "2026-03-20", from: "07:00", to: "08:00",
                                                                            zone: "America/New_York")).uuid("id"))
            server.clock.set(local("2026-03-20", "10:20"))
            #expect(try await server.send(.POST, "/api/v1/bookings/\(present)/check-in", as: f.bob).status == .ok)

            server.clock.set(local("2026-03-20", "10:59"))
            #expect(try await server.services.bookings.releaseNoShows() == [])
            server.clock.set(local("2026-03-20", "11:00"))
            #expect(try await server.services.bookings.releaseNoShows() == [missing])
            #expect(try await server.services.bookings.releaseNoShows() == [])
            server.clock.set(local("2026-03-20", "13:30"))
            #expect(try await server.services.bookings.releaseNoShows() == [])

            #expect(ResponseBody(try await server.send(.GET, "/api/v1/bookings/\(missing)", as: f.ann)).string("status") == "released")
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/bookings/\(present)", as: f.bob)).string("status") == "confirmed")
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/bookings/\(elsewhere)", as: f.gus)).string("status") == "confirmed")
            let notes = ResponseBody(try await server.send(.GET, "/api/v1/me/notifications", as: f.ann))
            #expect(notes.array.map { $0["kind"] as? String } == ["check_in.released"])
            let sql = server.services.transactor.sql
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'booking.released'") == 1)
        }
    }
}
