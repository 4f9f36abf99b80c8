import DeskCore
@testable import DeskServer
import Foundation
import Testing
import VaporTesting

@Suite("Bookings")
struct BookingTests {
    @Test("a booking is created, listed as mine, read back and cancelled as history")
    func lifecycle() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let created = try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00",
                                                extra: ["note": "window seat"])
            #expect(created.status == .created)
            let body = ResponseBody(created)
            let id = try #require(body.uuid("id"))
            #expect(body.string("start") == "2026-03-23T08:00:00Z")
            #expect(body.string("status") == "confirmed")
            #expect(body.string("source") == "api")
            #expect(body.string("note") == "window seat")

            let mine = ResponseBody(try await server.send(.GET, "/api/v1/bookings?mine=true", as: f.ann))
            #expect(mine.array.compactMap { $0["id"] as? String } == [id.uuidString])

            let cancelled = try await server.send(.DELETE, "/api/v1/bookings/\(id)", as: f.ann)
            #expect(cancelled.status == .ok)
            #expect(ResponseBody(cancelled).string("status") == "cancelled")
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/bookings?mine=true", as: f.ann)).array.isEmpty)
            let history = ResponseBody(try await server.send(.GET, "/api/v1/bookings?mine=true&status=all", as: f.ann))
            #expect(history.array.count == 1)
            // The freed slot can be booked again.
            let again = try await server.book(f.desks[0], as: f.bob, day: "2026-03-23", from: "09:00", to: "12:00")
            #expect(again.status == .created)
        }
    }

    @Test("an overlapping booking of the same desk is refused with the conflicting interval")
    func overlapRefused() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00").status == .created)
            let clash = try await server.book(f.desks[0], as: f.bob, day: "2026-03-23", from: "11:00", to: "14:00")
            #expect(clash.status == .conflict)
            let problem = ResponseBody(clash)
            #expect(problem.code == "desk_taken")
            #expect(clash.headers.contentType?.description == "application/problem+json")
            let conflicts = try #require(problem["conflicts"] as? [[String: Any]])
            #expect(conflicts.first?["start"] as? String == "2026-03-23T08:00:00Z")
            #expect(conflicts.first?["end"] as? String == "2026-03-23T11:00:00Z")
        }
    }

    @Test("back-to-back bookings of one desk are allowed")
    func backToBack() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00").status == .created)
            #expect(try await server.book(f.desks[0], as: f.bob, day: "2026-03-23", from: "12:00", to: "15:00").status == .created)
            #expect(try await server.book(f.desks[0], as: f.gus, day: "2026-03-23", from: "07:00", to: "09:00").status == .created)
        }
    }

    @Test("one person holds one desk at a time by default, but may book another desk right after")
    func concurrentPerUser() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00").status == .created)
            let second = try await server.book(f.desks[1], as: f.ann, day: "2026-03-23", from: "10:00", to: "11:00")
            #expect(second.status == .conflict)
            #expect(ResponseBody(second).code == "concurrent_limit")
            #expect(try await server.book(f.desks[1], as: f.ann, day: "2026-03-23", from: "12:00", to: "13:00").status == .created)
        }
    }

    @Test("starting in the past is refused; the current slot is still bookable")
    func past() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            server.clock.set(local("2026-03-20", "10:07"))
            let past = try await server.book(f.desks[0], as: f.ann, day: "2026-03-20", from: "09:30", to: "11:00")
            #expect(past.status == .unprocessableEntity)
            #expect(ResponseBody(past).code == "in_the_past")
            #expect(try await server.book(f.desks[0], as: f.ann, day: "2026-03-20", from: "10:00", to: "11:00").status == .created)
            let yesterday = try await server.book(f.desks[1], as: f.bob, day: "2026-03-19", from: "10:00", to: "11:00")
            #expect(ResponseBody(yesterday).code == "in_the_past")
        }
    }

    @Test("an ongoing booking can be extended but keeps its start")
    func extendOngoing() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            server.clock.set(local("2026-03-20", "08:00"))
            let created = try await server.book(f.desks[0], as: f.ann, day: "2026-03-20", from: "09:00", to: "12:00")
            let id = try #require(ResponseBody(created).uuid("id"))
            server.clock.set(local("2026-03-20", "10:15"))
            let extended = try await server.send(.PATCH, "/api/v1/bookings/\(id)", as: f.ann, json: [
                "start": .time(local("2026-03-20", "09:00")), "end": .time(local("2026-03-20", "15:00")),
            ])
            #expect(extended.status == .ok)
            #expect(ResponseBody(extended).string("end") == local("2026-03-20", "15:00").formatted(.iso8601))
            let moved = try await server.send(.PATCH, "/api/v1/bookings/\(id)", as: f.ann, json: [
                "start": .time(local("2026-03-20", "10:30")), "end": .time(local("2026-03-20", "15:00")),
            ])
            #expect(ResponseBody(moved).code == "in_the_past")
            // Shortening to end in the current slot frees the desk for others afterwards.
            let shortened = try await server.send(.PATCH, "/api/v1/bookings/\(id)", as: f.ann, json: [
                "start": .time(local("2026-03-20", "09:00")), "end": .time(local("2026-03-20", "10:30")),
            ])
            #expect(shortened.status == .ok)
            #expect(try await server.book(f.desks[0], as: f.bob, day: "2026-03-20", from: "10:30", to: "12:00").status == .created)
        }
    }

    @Test("bookings across the Berlin DST changes use local wall-clock hours", arguments: [
        ("2026-03-26T09:00:00Z", "2026-03-29", "2026-03-29T05:00:00Z", "2026-03-29T16:00:00Z"),  // spring forward: UTC+2
        ("2026-10-20T09:00:00Z", "2026-10-25", "2026-10-25T06:00:00Z", "2026-10-25T17:00:00Z"),  // fall back: UTC+1
    ])
    func berlinDST(now: String, day: String, expectedStart: String, expectedEnd: String) async throws {
        try await withServer(now: Timestamp.parse(now)!) { server in
            let f = try await Fixture.make(server)
            let created = try await server.book(f.desks[0], as: f.ann, day: day, from: "07:00", to: "18:00")
            #expect(created.status == .created)
            #expect(ResponseBody(created).string("start") == expectedStart)
            #expect(ResponseBody(created).string("end") == expectedEnd)
            // 06:30 local is outside bookable hours on the DST day too.
            let early = try await server.book(f.desks[1], as: f.bob, day: day, from: "06:30", to: "08:00")
            #expect(ResponseBody(early).code == "outside_bookable_hours")
        }
    }

    @Test("bookings across the New York DST changes use local wall-clock hours", arguments: [
        ("2026-03-05T15:00:00Z", "2026-03-08", "2026-03-08T12:00:00Z"),  // spring forward: UTC-4
        ("2026-10-29T15:00:00Z", "2026-11-01", "2026-11-01T13:00:00Z"),  // fall back: UTC-5
    ])
    func newYorkDST(now: String, day: String, expectedStart: String) async throws {
        try await withServer(now: Timestamp.parse(now)!) { server in
            let f = try await Fixture.make(server)
            let created = try await server.book(f.newYorkDesk, as: f.ann, day: day, from: "08:00", to: "17:00", zone: "America/New_York")
            #expect(created.status == .created)
            #expect(ResponseBody(created).string("start") == expectedStart)
            // Times must align to the 30-minute grid in New York's zone.
            let odd = try await server.book(f.newYorkDesk, as: f.bob, day: day, from: "17:15", to: "18:00", zone: "America/New_York")
            #expect(ResponseBody(odd).code == "not_aligned")
        }
    }

    @Test("the booking window closes max_advance_days ahead and moves at release time")
    func window() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await server.book(f.desks[0], as: f.ann, day: "2026-04-03", from: "09:00", to: "10:00").status == .created)
            let late = try await server.book(f.desks[0], as: f.ann, day: "2026-04-04", from: "09:00", to: "10:00")
            #expect(ResponseBody(late).code == "outside_window")
            let policy = try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo, json: ["max_advance_days": 15])
            #expect(policy.status == .ok)
            #expect(try await server.book(f.desks[0], as: f.ann, day: "2026-04-04", from: "09:00", to: "10:00").status == .created)

            // null puts a rule back on the global default; rules left out keep their override.
            _ = try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo, json: ["granularity_minutes": 15])
            let cleared = ResponseBody(try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo,
                                                             json: ["max_advance_days": nil]))
            #expect(cleared["policy_overrides", "max_advance_days"].map { $0 is NSNull } ?? true)
            #expect(cleared["policy_overrides", "granularity_minutes"] as? Int == 15)
            #expect(cleared["policy", "max_advance_days"] as? Int == Policy.defaults.maxAdvanceDays)
            let defaults = ResponseBody(try await server.send(.GET, "/api/v1/policy/defaults", as: f.ann))
            #expect(defaults["max_advance_days"] as? Int == Policy.defaults.maxAdvanceDays)
            #expect(defaults.string("bookable_until") == "20:00")
        }
    }

    @Test("a user cannot change or cancel someone else's booking; the room manager can")
    func othersBookings() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let id = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00")).uuid("id"))
            let patch: JSON = ["start": .time(local("2026-03-23", "09:00")), "end": .time(local("2026-03-23", "13:00"))]
            #expect(try await server.send(.PATCH, "/api/v1/bookings/\(id)", as: f.bob, json: patch).status == .notFound)
            #expect(try await server.send(.DELETE, "/api/v1/bookings/\(id)", as: f.bob).status == .notFound)
            #expect(try await server.send(.PATCH, "/api/v1/bookings/\(id)", as: f.rita, json: patch).status == .ok)
            #expect(try await server.send(.DELETE, "/api/v1/bookings/\(id)", as: f.rita).status == .ok)
        }
    }

    @Test("booker names follow the location's privacy setting")
    func privacy() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            _ = try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00", extra: ["note": "secret"])
            let everyone = ResponseBody(try await server.send(.GET, "/api/v1/bookings?room_id=\(f.openSpace)", as: f.bob))
            #expect((everyone.array.first?["user"] as? [String: Any])?["username"] as? String == "ann")
            _ = try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo, json: ["booker_visibility": "managers"])
            let hidden = ResponseBody(try await server.send(.GET, "/api/v1/bookings?room_id=\(f.openSpace)", as: f.bob))
            #expect(hidden.array.count == 1)
            #expect(hidden.array.first?["user"] == nil || hidden.array.first?["user"] is NSNull)
            #expect(hidden.array.first?["note"] == nil || hidden.array.first?["note"] is NSNull)
            let manager = ResponseBody(try await server.send(.GET, "/api/v1/bookings?room_id=\(f.openSpace)", as: f.rita))
            #expect((manager.array.first?["user"] as? [String: Any])?["username"] as? String == "ann")
        }
    }

    @Test("a booking's note reaches its owner and the room's managers only, also when names are visible to everyone")
    func privateNotes() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let note = "Dentist at noon, back by two"
            #expect(try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo,
                                          json: ["booker_visibility": "everyone"]).status == .ok)
            let created = try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00", extra: ["note": .string(note)])
            #expect(ResponseBody(created).string("note") == note)
            let id = try #require(ResponseBody(created).uuid("id"))
            // Booked for Ann by the room's manager: the manager's answer carries the note; Bob's reads do not.
            let onBehalf = try await server.book(f.desks[1], as: f.rita, day: "2026-03-24", from: "09:00", to: "12:00",
                                                 extra: ["note": .string(note), "user_id": .id(f.ann.userId)])
            #expect(ResponseBody(onBehalf).string("note") == note)
            let second = try #require(ResponseBody(onBehalf).uuid("id"))

            let reads = [
                "/api/v1/bookings/\(id)", "/api/v1/bookings/\(second)",
                "/api/v1/bookings?room_id=\(f.openSpace)", "/api/v1/bookings?location_id=\(f.berlin)", "/api/v1/bookings?desk_id=\(f.desks[0])",
            ]
            // Ann, the room's manager, the location's manager and a superuser read the note; Bob sees who booked, not why.
            for (caller, who, readsNote) in [(f.ann, "ann", true), (f.rita, "rita", true), (f.leo, "leo", true), (f.admin, "admin", true),
                                             (f.bob, "bob", false)] {
                for path in reads {
                    let response = try await server.send(.GET, path, as: caller)
                    #expect(response.status == .ok, "\(who) \(path)")
                    let body = ResponseBody(response)
                    let items = body.array.isEmpty ? [body.value as? [String: Any] ?? [:]] : body.array
                    #expect(!items.isEmpty, "\(who) \(path)")
                    for item in items {
                        #expect((item["user"] as? [String: Any])?["username"] as? String == "ann", "\(who) \(path)")
                        #expect(item["note"] as? String == (readsNote ? note : nil), "\(who) \(path)")
                    }
                    #expect(response.body.string.contains("Dentist") == readsNote, "\(who) \(path)")
                }
                for booking in [id, second] {
                    let ics = try await server.send(.GET, "/api/v1/bookings/\(booking)/ics", as: caller)
                    #expect(ics.status == .ok)
                    #expect(ics.body.string.contains("DESCRIPTION:Dentist at noon\\, back by two") == readsNote, "\(who) .ics")
                }
                // Nor does any other answer about the room carry it.
                let day = "from=\(local("2026-03-23", "00:00").formatted(.iso8601))&to=\(local("2026-03-25", "00:00").formatted(.iso8601))"
                let room = try await server.send(.GET, "/api/v1/rooms/\(f.openSpace)/availability?\(day)", as: caller)
                #expect(room.status == .ok)
                #expect(!room.body.string.contains("Dentist"), "\(who) availability")
            }
            let mine = try await server.send(.GET, "/api/v1/bookings?mine=true", as: f.ann)
            #expect(ResponseBody(mine).array.map { $0["note"] as? String } == [note, note])
            // Changing the note: the owner's answer has it; the audit log records the change, not the text.
            let changed = try await server.send(.PATCH, "/api/v1/bookings/\(id)", as: f.ann, json: ["note": "Dentist moved to one"])
            #expect(ResponseBody(changed).string("note") == "Dentist moved to one")
            let bobsView = ResponseBody(try await server.send(.GET, "/api/v1/bookings/\(id)", as: f.bob))
            #expect(bobsView["note"] == nil || bobsView["note"] is NSNull)
            let audit = try await server.send(.GET, "/api/v1/audit?action=booking", as: f.admin)
            #expect(audit.status == .ok)
            #expect(!audit.body.string.contains("Dentist"))
            // The personal feed is the owner's: her notes are in it.
            let url = try #require(ResponseBody(try await server.send(.POST, "/api/v1/me/calendar-feed", as: f.ann)).string("url"))
            let feed = try await server.send(.GET, try #require(URL(string: url)?.path))
            #expect(feed.body.string.contains("DESCRIPTION:Dentist moved to one"))
        }
    }

    @Test("a manager books on behalf of someone; a user cannot")
    func onBehalf() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let byRita = try await server.book(f.desks[0], as: f.rita, day: "2026-03-23", from: "09:00", to: "12:00", extra: ["user_id": .id(f.ann.userId)])
            #expect(byRita.status == .created)
            #expect(ResponseBody(byRita).uuid("user_id") == f.ann.userId)
            #expect(ResponseBody(byRita).string("source") == "admin")
            let byBob = try await server.book(f.desks[1], as: f.bob, day: "2026-03-23", from: "09:00", to: "12:00", extra: ["user_id": .id(f.gus.userId)])
            #expect(byBob.status == .forbidden)
        }
    }

    @Test("permanent desks are bookable only by their assignee; inactive desks by nobody")
    func permanentAndInactive() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await server.send(.PUT, "/api/v1/desks/\(f.desks[2])/permanent", as: f.rita, json: ["user_id": .id(f.bob.userId)]).status == .ok)
            let ann = try await server.book(f.desks[2], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00")
            #expect(ResponseBody(ann).code == "not_bookable")
            #expect(try await server.book(f.desks[2], as: f.bob, day: "2026-03-23", from: "09:00", to: "12:00").status == .created)
            #expect(try await server.send(.PATCH, "/api/v1/desks/\(f.desks[1])", as: f.rita, json: ["is_active": false]).status == .ok)
            #expect(ResponseBody(try await server.book(f.desks[1], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00")).code == "not_bookable")
        }
    }

    @Test("the upcoming-bookings quota is enforced")
    func quota() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            _ = try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo, json: ["max_upcoming_per_user": 2])
            #expect(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "10:00").status == .created)
            #expect(try await server.book(f.desks[0], as: f.ann, day: "2026-03-24", from: "09:00", to: "10:00").status == .created)
            let third = try await server.book(f.desks[0], as: f.ann, day: "2026-03-25", from: "09:00", to: "10:00")
            #expect(ResponseBody(third).code == "quota_exceeded")
        }
    }

    @Test("listing a location pages over the rooms the viewer may see only")
    func locationPaging() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await server.book(f.labDesk, as: f.gus, day: "2026-03-23", from: "08:00", to: "09:00").status == .created)
            #expect(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "10:00", to: "11:00").status == .created)
            #expect(try await server.book(f.desks[1], as: f.bob, day: "2026-03-24", from: "10:00", to: "11:00").status == .created)
            let first = ResponseBody(try await server.send(.GET, "/api/v1/bookings?location_id=\(f.berlin)&limit=1", as: f.bob))
            #expect(first.array.count == 1)
            #expect((first.array.first?["user"] as? [String: Any])?["username"] as? String == "ann")
            let cursor = try #require(first.string("next_cursor"))
            let second = ResponseBody(try await server.send(.GET, "/api/v1/bookings?location_id=\(f.berlin)&limit=1&cursor=\(cursor)", as: f.bob))
            #expect((second.array.first?["user"] as? [String: Any])?["username"] as? String == "bob")
            // A manager of the location sees the lab booking too.
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/bookings?location_id=\(f.berlin)", as: f.leo)).array.count == 3)
            // A cursor outside the years a database can store is a 422, not a crash.
            let absurd = try await server.send(.GET, "/api/v1/bookings?mine=true&cursor=1e15_\(UUID().uuidString)", as: f.bob)
            #expect(absurd.status == .unprocessableEntity)
        }
    }

    @Test("an owner who lost access to a room cannot move the booking there, but may still cancel it")
    func gateOnChange() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let id = try #require(ResponseBody(try await server.book(f.labDesk, as: f.gus, day: "2026-03-23", from: "09:00", to: "10:00")).uuid("id"))
            #expect(try await server.send(.DELETE, "/api/v1/groups/\(f.engineering)/members/\(f.gus.userId)", as: f.leo).status == .noContent)
            let moved = try await server.send(.PATCH, "/api/v1/bookings/\(id)", as: f.gus, json: [
                "start": .time(local("2026-03-23", "09:00")), "end": .time(local("2026-03-23", "12:00")),
            ])
            #expect(ResponseBody(moved).code == "not_bookable")
            #expect(try await server.send(.DELETE, "/api/v1/bookings/\(id)", as: f.gus).status == .ok)
        }
    }

    @Test("a group that guards a gate cannot be deleted, so deleting it never opens the room")
    func groupInUse() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let refused = try await server.send(.DELETE, "/api/v1/groups/\(f.engineering)", as: f.leo)
            #expect(refused.status == .conflict)
            #expect(ResponseBody(refused).code == "group_in_use")
            #expect(try await server.send(.GET, "/api/v1/rooms/\(f.lab)", as: f.ann).status == .notFound)
            // Managers read the gate they are about to change.
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/rooms/\(f.lab)/gate", as: f.leo))["group_ids"] as? [String]
                    == [f.engineering.uuidString])
            #expect(try await server.send(.PUT, "/api/v1/rooms/\(f.lab)/gate", as: f.leo, json: ["group_ids": []]).status == .ok)
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/rooms/\(f.lab)/gate", as: f.leo))["group_ids"] as? [String] == [])
            #expect(try await server.send(.DELETE, "/api/v1/groups/\(f.engineering)", as: f.leo).status == .noContent)
        }
    }
}
