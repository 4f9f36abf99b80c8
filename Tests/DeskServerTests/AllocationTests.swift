import DeskCore
@testable import DeskServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// 2026-04-04 opens at Berlin's midnight (22:00 UTC the day before, in summer time): the fixture's clock stands two
/// weeks before, so that day is the next one to open.
private let nextDay = "2026-04-04"
private let releaseInstant = Timestamp.parse("2026-04-03T22:00:00Z")!

extension TestServer {
    /// Files a request through the API.
    func request(_ caller: Caller, location: UUID, day: String = nextDay, desks: [UUID] = [], rooms: [UUID] = [], others: Bool = true,
                 window: (String, String)? = ("08:00", "12:00")) async throws -> TestingHTTPResponse {
        var body: [String: JSON] = ["location_id": .id(location), "date": .string(day), "desk_ids": .array(desks.map(JSON.id)),
                                    "room_ids": .array(rooms.map(JSON.id)), "accepts_other_desks": .bool(others)]
        if let window { body["window"] = ["from": .string(window.0), "until": .string(window.1)] }
        return try await send(.POST, "/api/v1/requests", as: caller, json: .object(body))
    }

    func roundReport(_ location: UUID, day: String = nextDay, as caller: Caller) async throws -> ResponseBody {
        ResponseBody(try await send(.GET, "/api/v1/locations/\(location)/rounds?date=\(day)", as: caller))
    }

    /// The statuses of a person's requests, newest first.
    func requestStatuses(_ caller: Caller) async throws -> [String] {
        ResponseBody(try await send(.GET, "/api/v1/me/requests", as: caller)).array.compactMap { $0["status"] as? String }
    }
}

@Suite("Requests and allocation rounds")
struct AllocationRoundServerTests {
    @Test("at the release time the round runs once; first-come booking of the day waits for it, then opens")
    func releaseRound() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            // Four people for the three desks of the open space; ann asks twice.
            for caller in [f.ann, f.bob, f.rita, f.leo] {
                let filed = try await server.request(caller, location: f.berlin, rooms: [f.openSpace])
                #expect(filed.status == .created)
                #expect(ResponseBody(filed).string("status") == "pending")
            }
            let twice = try await server.request(f.ann, location: f.berlin, rooms: [f.openSpace])
            #expect(twice.status == .conflict && ResponseBody(twice).code == "request_exists")
            #expect(try await server.book(f.desks[0], as: f.admin, day: nextDay, from: "14:00", to: "16:00").status == .unprocessableEntity)

            server.clock.set(releaseInstant)
            let early = try await server.book(f.desks[0], as: f.admin, day: nextDay, from: "14:00", to: "16:00")
            #expect(early.status == .conflict && ResponseBody(early).code == "round_pending")
            #expect(try await server.roundReport(f.berlin, as: f.leo).code == "not_found")

            await server.services.scheduler.tick()
            await server.services.scheduler.tick()
            let report = try await server.roundReport(f.berlin, as: f.leo)
            let lines = report.array(at: "lines")
            #expect(lines.count == 4)
            #expect(lines.map { $0["position"] as? Int } == [0, 1, 2, 3])
            #expect(lines.filter { $0["outcome"] as? String == "matching" }.count == 3)
            let loser = try #require(lines.first { $0["outcome"] as? String == "waitlisted" })
            #expect((loser["explanation"] as? String)?.contains("number 1 on the waitlist") == true)
            #expect(try await server.services.transactor.sql.count("SELECT COUNT(*) AS n FROM allocation_rounds") == 1)
            #expect(try await server.services.transactor.sql.count("""
                SELECT COUNT(*) AS n FROM bookings WHERE status = 'confirmed' AND source = 'api'
                """) == 3)

            // Each winner has the booking; the loser has a waitlisted request and a debt of one lost round.
            for caller in [f.ann, f.bob, f.rita, f.leo] {
                let statuses = try await server.requestStatuses(caller)
                let mine = ResponseBody(try await server.send(.GET, "/api/v1/bookings?mine=true", as: caller)).array
                if caller.userId.uuidString == loser["user_id"] as? String {
                    #expect(statuses == ["waitlisted"] && mine.isEmpty)
                } else {
                    #expect(statuses == ["won"] && mine.count == 1)
                }
            }
            #expect(try await server.services.transactor.sql.count("SELECT COUNT(*) AS n FROM allocation_debts WHERE losses = 1") == 1)

            // A participant sees only their own line; after the round the day is open to first come.
            #expect(try await server.roundReport(f.berlin, as: f.ann).array(at: "lines").count == 1)
            #expect(try await server.book(f.desks[0], as: f.admin, day: nextDay, from: "14:00", to: "16:00").status == .created)
            // A later request for the now open day joins the end of the waitlist: nothing in the open space is free 08–12.
            let late = try await server.request(f.gus, location: f.berlin, rooms: [f.openSpace])
            #expect(ResponseBody(late).string("status") == "waitlisted")
            #expect(ResponseBody(late)["waitlist_rank"] as? Int == 1)

            // The stored seed replays to the same draw and the same desks.
            let replayed = try await server.services.allocation.replay(AllocationDay(locationId: f.berlin, day: LocalDate(parsing: nextDay)!))
            #expect(replayed.order.map(\.uuidString) == lines.compactMap { $0["request_id"] as? String })
            for line in lines {
                let request = try #require(UUID(uuidString: line["request_id"] as! String))
                #expect(replayed.assignments[request]?.uuidString == line["desk_id"] as? String)
            }
        }
    }

    @Test("a freed desk goes to the first waiting request it matches; the booking is made and the owner told")
    func waitlistOffers() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let day = "2026-03-23"  // already open: requests take what is free, else wait
            let first = try await server.request(f.ann, location: f.berlin, day: day, desks: [f.desks[0]], others: false)
            #expect(ResponseBody(first).string("status") == "won")
            let annBooking = try #require(ResponseBody(first).uuid("booking_id"))
            // bob wants only desk A3 (taken), rita anything in the open space, leo desk A1 first: all wait, in that order.
            #expect(try await server.book(f.desks[2], as: f.gus, day: day, from: "08:00", to: "12:00").status == .created)
            #expect(try await server.book(f.desks[1], as: f.admin, day: day, from: "08:00", to: "12:00").status == .created)
            let bob = try await server.request(f.bob, location: f.berlin, day: day, desks: [f.desks[2]], others: false)
            let rita = try await server.request(f.rita, location: f.berlin, day: day, rooms: [f.openSpace])
            let leo = try await server.request(f.leo, location: f.berlin, day: day, desks: [f.desks[0]], rooms: [f.openSpace])
            for response in [bob, rita, leo] { #expect(ResponseBody(response).string("status") == "waitlisted") }

            // ann cancels desk A1: bob does not want it, so rita (next in line) gets it; leo keeps waiting.
            #expect(try await server.send(.DELETE, "/api/v1/bookings/\(annBooking)", as: f.ann).status == .ok)
            await server.services.allocation.waitlist.idle()
            #expect(try await server.requestStatuses(f.rita) == ["won"])
            #expect(try await server.requestStatuses(f.bob) == ["waitlisted"])
            #expect(try await server.requestStatuses(f.leo) == ["waitlisted"])
            let ritaBookings = ResponseBody(try await server.send(.GET, "/api/v1/bookings?mine=true", as: f.rita)).array
            #expect(ritaBookings.map { $0["desk_id"] as? String } == [f.desks[0].uuidString])
            let told = ResponseBody(try await server.send(.GET, "/api/v1/me/notifications", as: f.rita)).array
            #expect(told.contains { ($0["message"] as? String)?.contains("A desk came free") == true })

            // gus cancels desk A3: bob, who waits for that desk only, gets it ahead of leo.
            let gusBooking = try #require(ResponseBody(try await server.send(.GET, "/api/v1/bookings?mine=true", as: f.gus)).array.first?["id"] as? String)
            #expect(try await server.send(.DELETE, "/api/v1/bookings/\(gusBooking)", as: f.gus).status == .ok)
            await server.services.allocation.waitlist.idle()
            #expect(try await server.requestStatuses(f.bob) == ["won"])
            #expect(try await server.requestStatuses(f.leo) == ["waitlisted"])

            // Once the day has ended everywhere, the clean-up closes its waitlist.
            server.clock.set(Timestamp.parse("2026-03-25T09:00:00Z")!)
            await server.services.scheduler.tick()
            #expect(try await server.requestStatuses(f.leo) == ["expired"])
        }
    }

    @Test("a room back from maintenance and a released no-show offer their desks to the waitlist")
    func waitlistTriggers() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            // The open space is under maintenance on an open day: bob's request waits, then gets a desk when it ends.
            #expect(try await server.send(.PUT, "/api/v1/rooms/\(f.openSpace)/maintenance", as: f.rita, json: ["reason": "Painting"]).status == .ok)
            let waiting = try await server.request(f.bob, location: f.berlin, day: "2026-03-23", rooms: [f.openSpace])
            #expect(ResponseBody(waiting).string("status") == "waitlisted")
            #expect(try await server.send(.DELETE, "/api/v1/rooms/\(f.openSpace)/maintenance", as: f.rita).status == .ok)
            await server.services.allocation.waitlist.idle()
            #expect(try await server.requestStatuses(f.bob) == ["won"])

            // Today, with check-in required: every desk of the room is booked from 10:00 and rita waits. Nobody checks
            // in; when the no-shows are released, the first freed desk goes to her.
            let policy = try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo,
                                               json: ["check_in_required": true, "check_in_grace_minutes": 15])
            #expect(policy.status == .ok)
            for (desk, caller) in zip(f.desks, [f.ann, f.gus, f.admin]) {
                #expect(try await server.book(desk, as: caller, day: "2026-03-20", from: "10:00", to: "12:00").status == .created)
            }
            let today = try await server.request(f.rita, location: f.berlin, day: "2026-03-20", rooms: [f.openSpace], window: ("10:00", "12:00"))
            #expect(ResponseBody(today).string("status") == "waitlisted")
            server.clock.advance(by: 20 * 60)
            await server.services.scheduler.tick()
            await server.services.allocation.waitlist.idle()
            #expect(try await server.requestStatuses(f.rita) == ["won"])
            let ritas = ResponseBody(try await server.send(.GET, "/api/v1/bookings?mine=true", as: f.rita)).array
            #expect(ritas.count == 1)
        }
    }

    @Test("requests are private: another person's answer 404, and the round report shows them only their own line")
    func isolation() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let annRequest = try #require(ResponseBody(try await server.request(f.ann, location: f.berlin, rooms: [f.openSpace])).uuid("id"))
            #expect(try await server.send(.GET, "/api/v1/requests/\(annRequest)", as: f.bob).status == .notFound)
            #expect(try await server.send(.DELETE, "/api/v1/requests/\(annRequest)", as: f.bob).status == .notFound)
            #expect(try await server.requestStatuses(f.bob).isEmpty)
            #expect(try await server.requestStatuses(f.ann) == ["pending"])
            // The gated lab is invisible to bob: naming its desk is refused like a desk of another location.
            for elsewhere in [f.berlin, f.newYork] {
                #expect(try await server.request(f.bob, location: elsewhere, day: "2026-04-30", desks: [f.labDesk]).status == .unprocessableEntity)
            }
            #expect(try await server.request(f.gus, location: f.berlin, day: "2026-04-30", desks: [f.labDesk]).status == .created)
            let cancelled = try await server.send(.DELETE, "/api/v1/requests/\(annRequest)", as: f.ann)
            #expect(ResponseBody(cancelled).string("status") == "cancelled")
            #expect(try await server.send(.DELETE, "/api/v1/requests/\(annRequest)", as: f.ann).status == .conflict)
        }
    }

    @Test("someone who lost access to a room before the round is not given a desk there")
    func lostAccess() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await server.request(f.gus, location: f.berlin, desks: [f.labDesk], others: false).status == .created)
            #expect(try await server.send(.DELETE, "/api/v1/groups/\(f.engineering)/members/\(f.gus.userId)", as: f.admin).status == .noContent)
            let ran = try await server.send(.POST, "/api/v1/admin/locations/\(f.berlin)/rounds", as: f.leo, json: ["date": .string(nextDay)])
            #expect(ran.status == .created)
            let line = try #require(ResponseBody(ran).array(at: "lines").first)
            #expect(line["outcome"] as? String == "waitlisted")
            #expect(try await server.services.transactor.sql.count("SELECT COUNT(*) AS n FROM bookings") == 0)
        }
    }

    @Test("an operator runs a round early, exactly once under concurrent calls; the day itself stays closed to first come")
    func adminRound() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let later = "2026-04-06"
            for caller in [f.ann, f.bob] { _ = try await server.request(caller, location: f.berlin, day: later, rooms: [f.openSpace]) }
            let path = "/api/v1/admin/locations/\(f.berlin)/rounds"
            #expect(try await server.send(.POST, path, as: f.ann, json: ["date": .string(later)]).status == .forbidden)
            #expect(try await server.send(.POST, path, as: f.leo, json: ["date": .string("2026-04-07")]).status == .conflict)
            #expect(try await server.send(.GET, "/api/v1/locations/\(f.berlin)/rounds", as: f.leo).status == .unprocessableEntity)

            async let one = server.send(.POST, path, as: f.leo, json: ["date": .string(later)])
            async let two = server.send(.POST, path, as: f.admin, json: ["date": .string(later)])
            let answers = try await [one, two]
            #expect(Set(answers.map(\.status.code)) == [200, 201])
            #expect(Set(answers.compactMap { ResponseBody($0).string("id") }).count == 1)
            #expect(try await server.services.transactor.sql.count("SELECT COUNT(*) AS n FROM bookings WHERE status = 'confirmed'") == 2)
            #expect(try await server.services.transactor.sql.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'round.ran'") == 1)
            let refused = try await server.book(f.desks[2], as: f.admin, day: later, from: "14:00", to: "16:00")
            #expect(ResponseBody(refused).code == "outside_window")
        }
    }
}
