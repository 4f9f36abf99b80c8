import DeskCore
@testable import DeskServer
import Foundation
import NIOConcurrencyHelpers
import Testing
import VaporTesting

/// Maintenance as a period in the Fixture's open space (Berlin). The clock stands at Friday 2026-03-20 10:00 Berlin.
@Suite("Maintenance periods")
struct MaintenanceTests {
    /// Monday 23 March 07:00 until Tuesday 24 March 07:00, Berlin.
    static let from = local("2026-03-23", "07:00"), until = local("2026-03-24", "07:00")

    private func put(_ server: TestServer, _ f: Fixture, _ body: [String: JSON]) async throws -> TestingHTTPResponse {
        try await server.send(.PUT, "/api/v1/rooms/\(f.openSpace)/maintenance", as: f.rita, json: .object(body))
    }

    private func booking(_ server: TestServer, _ id: UUID, as caller: Caller) async throws -> ResponseBody {
        ResponseBody(try await server.send(.GET, "/api/v1/bookings/\(id)", as: caller))
    }

    @Test("upgrading: a room under maintenance before periods existed stays under it, open-ended from the upgrade")
    func upgradeKeepsMaintenance() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let sql = server.services.transactor.sql
            // The data as it was: maintenance was a reason on the room, set or not, with no period columns filled.
            try await sql.raw("UPDATE rooms SET maintenance_reason = 'Old flag' WHERE id = \(bind: f.openSpace)").run()
            let upgraded = local("2026-03-20", "09:30")
            try await AddMaintenancePeriods.keepRoomsUnderMaintenance(sql, from: upgraded)

            let store = PlaceStore(sql: sql)
            let kept = try #require(try await store.room(f.openSpace)?.maintenance)
            #expect(kept == MaintenancePeriod(reason: "Old flag", from: upgraded, until: nil))
            #expect(try await store.room(f.lab)?.maintenance == nil)
            // The room is under maintenance now (10:00): bookings in it are refused.
            let refused = try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00")
            #expect(refused.status == .conflict && ResponseBody(refused).code == "not_bookable", "\(refused.body.string)")
        }
    }

    @Test("a bad period answers 4xx with the field: start in the past, end not after start, no zone, an unknown choice")
    func validation() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            func fields(_ body: [String: JSON]) async throws -> [String] {
                let response = try await put(server, f, body)
                #expect(response.status == .unprocessableEntity)
                return (ResponseBody(response)["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            }
            #expect(try await fields(["reason": "Paint", "from": .time(local("2026-03-20", "09:00"))]) == ["from"])
            #expect(try await fields(["reason": "Paint", "from": .time(Self.until), "until": .time(Self.from)]) == ["until"])
            #expect(try await fields(["reason": " ", "until": .time(Self.until)]) == ["reason"])
            #expect(try await put(server, f, ["reason": "Paint", "affected": "maybe"]).status == .unprocessableEntity)
            let zoneless = try await put(server, f, ["reason": "Paint", "from": "2026-03-23T07:00:00"])
            #expect(zoneless.status == .badRequest)
            let preview = try await server.send(.GET, "/api/v1/rooms/\(f.openSpace)/maintenance/affected?from=2026-03-23T07:00:00", as: f.rita)
            #expect(preview.status == .badRequest && ResponseBody(preview).code == "invalid_timestamp")
            let backwards = try await server.send(
                .GET, "/api/v1/rooms/\(f.openSpace)/maintenance/affected?from=\(Self.until.formatted(.iso8601))&until=\(Self.from.formatted(.iso8601))",
                as: f.rita)
            #expect(backwards.status == .unprocessableEntity)
            // Nothing was stored.
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/rooms/\(f.openSpace)", as: f.ann))["maintenance"] == nil)
        }
    }

    @Test("a start beyond ten years is a 422 on the field, for the period and its preview, and nothing is stored")
    func farFutureStart() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let response = try await put(server, f, ["reason": "Paint", "from": "9999-12-31T23:00:00Z"])
            #expect(response.status == .unprocessableEntity)
            #expect((ResponseBody(response)["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } == ["from"])
            let preview = try await server.send(.GET, "/api/v1/rooms/\(f.openSpace)/maintenance/affected?from=9999-12-31T23:00:00Z", as: f.rita)
            #expect(preview.status == .unprocessableEntity)
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/rooms/\(f.openSpace)", as: f.ann))["maintenance"] == nil)
        }
    }

    @Test("the preview lists exactly the room's active bookings overlapping the period, and changes nothing")
    func preview() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let inside = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00")).uuid("id"))
            let late = try #require(ResponseBody(try await server.book(f.desks[1], as: f.bob, day: "2026-03-23", from: "17:00", to: "20:00")).uuid("id"))
            let cancelled = try #require(ResponseBody(try await server.book(f.desks[2], as: f.gus, day: "2026-03-23", from: "09:00", to: "10:00")).uuid("id"))
            #expect(try await server.send(.DELETE, "/api/v1/bookings/\(cancelled)", as: f.gus).status == .ok)
            // Not affected: the day after, a booking ending as the period starts, another room.
            _ = try await server.book(f.desks[0], as: f.ann, day: "2026-03-24", from: "09:00", to: "12:00")
            _ = try await server.book(f.desks[1], as: f.ann, day: "2026-03-22", from: "18:00", to: "20:00")
            _ = try await server.book(f.labDesk, as: f.gus, day: "2026-03-23", from: "09:00", to: "12:00")

            let path = "/api/v1/rooms/\(f.openSpace)/maintenance/affected?from=\(Self.from.formatted(.iso8601))&until=\(Self.until.formatted(.iso8601))"
            let response = try await server.send(.GET, path, as: f.rita)
            #expect(response.status == .ok)
            let body = ResponseBody(response)
            #expect(body.array(at: "affected_bookings").compactMap { $0["id"] as? String } == [inside.uuidString, late.uuidString])
            #expect(body.array(at: "affected_bookings").first?["user"].flatMap { ($0 as? [String: Any])?["display_name"] as? String } == "Ann")
            #expect(body.string("until") == Self.until.formatted(.iso8601))
            #expect(try await booking(server, inside, as: f.ann).string("status") == "confirmed")
            #expect(try await server.send(.GET, path, as: f.ann).status == .forbidden)
        }
    }

    @Test("cancel: each overlapping booking is cancelled with the reason; new bookings are refused inside the period only")
    func cancel() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let inside = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00")).uuid("id"))
            let after = try #require(ResponseBody(try await server.book(f.desks[1], as: f.bob, day: "2026-03-24", from: "09:00", to: "12:00")).uuid("id"))

            let response = try await put(server, f, ["reason": "  New carpet ", "from": .time(Self.from), "until": .time(Self.until)])
            #expect(response.status == .ok)
            let body = ResponseBody(response)
            #expect(body.string("affected") == "cancel")
            #expect(body.string("maintenance", "reason") == "New carpet")
            #expect(body.string("maintenance", "from") == Self.from.formatted(.iso8601))
            #expect(body["room", "under_maintenance"] as? Bool == false)
            let affected = body.array(at: "affected_bookings")
            #expect(affected.compactMap { $0["id"] as? String } == [inside.uuidString])
            #expect(affected.first?["status"] as? String == "cancelled")

            let cancelled = try await booking(server, inside, as: f.ann)
            #expect(cancelled.string("status") == "cancelled")
            #expect(cancelled.string("cancel_reason") == "Open space is under maintenance: New carpet")
            let listed = ResponseBody(try await server.send(.GET, "/api/v1/bookings?mine=true&status=cancelled", as: f.ann)).array
            #expect(listed.first?["cancel_reason"] as? String == "Open space is under maintenance: New carpet")
            #expect(try await booking(server, after, as: f.bob).string("status") == "confirmed")
            #expect(try await booking(server, after, as: f.bob)["cancel_reason"] == nil)

            let refused = try await server.book(f.desks[2], as: f.gus, day: "2026-03-23", from: "13:00", to: "15:00")
            #expect(refused.status == .conflict && ResponseBody(refused).code == "not_bookable")
            #expect(try await server.book(f.desks[2], as: f.gus, day: "2026-03-24", from: "07:00", to: "09:00").status == .created)
            #expect(try await server.book(f.desks[2], as: f.gus, day: "2026-03-21", from: "09:00", to: "12:00").status == .created)

            let audit = ResponseBody(try await server.send(.GET, "/api/v1/audit?target_id=\(f.openSpace)", as: f.admin)).array
            #expect(audit.contains { $0["action"] as? String == "room.maintenance_on" })
        }
    }

    @Test("keep: overlapping bookings stay confirmed and carry the period; they cannot be extended into it")
    func keep() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let kept = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-24", from: "09:00", to: "12:00")).uuid("id"))
            let response = try await put(server, f, ["reason": "Window cleaning", "from": .time(local("2026-03-24", "12:00")),
                                                     "until": .time(local("2026-03-24", "18:00")), "affected": "keep"])
            #expect(response.status == .ok)
            // Back to back with the period: not affected, and shown without a mark.
            #expect(ResponseBody(response).array(at: "affected_bookings").isEmpty)
            #expect(try await booking(server, kept, as: f.ann)["maintenance"] == nil)

            let overlapping = try await put(server, f, ["reason": "Window cleaning", "from": .time(local("2026-03-24", "11:00")),
                                                        "until": .time(local("2026-03-24", "18:00")), "affected": "keep"])
            #expect(ResponseBody(overlapping).array(at: "affected_bookings").compactMap { $0["status"] as? String } == ["confirmed"])
            let marked = try await booking(server, kept, as: f.ann)
            #expect(marked.string("status") == "confirmed")
            #expect(marked.string("maintenance", "reason") == "Window cleaning")
            #expect(marked.string("maintenance", "until") == local("2026-03-24", "18:00").formatted(.iso8601))
            let longer = try await server.send(.PATCH, "/api/v1/bookings/\(kept)", as: f.ann, json: [
                "start": .time(local("2026-03-24", "09:00")), "end": .time(local("2026-03-24", "14:00")),
            ])
            #expect(longer.status == .conflict && ResponseBody(longer).code == "not_bookable")
            let shorter = try await server.send(.PATCH, "/api/v1/bookings/\(kept)", as: f.ann, json: [
                "start": .time(local("2026-03-24", "09:00")), "end": .time(local("2026-03-24", "11:00")),
            ])
            #expect(shorter.status == .ok)
            let notes = ResponseBody(try await server.send(.GET, "/api/v1/me/notifications", as: f.ann)).array
            #expect((notes.first?["message"] as? String)?.contains("stays booked, but Open space is under maintenance") == true)
        }
    }

    @Test("a scheduled period shows in the room's answers but takes effect only when it begins; ending it before removes it")
    func scheduled() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await put(server, f, ["reason": "Paint", "from": .time(Self.from), "until": .time(Self.until)]).status == .ok)
            let room = ResponseBody(try await server.send(.GET, "/api/v1/rooms/\(f.openSpace)", as: f.ann))
            #expect(room["under_maintenance"] as? Bool == false && room["maintenance_reason"] == nil)
            #expect(room.string("maintenance", "reason") == "Paint")
            #expect(room.string("maintenance", "until") == Self.until.formatted(.iso8601))
            let statuses = { (caller: Caller) async throws -> [String] in
                let body = ResponseBody(try await server.send(.GET, "/api/v1/rooms/\(f.openSpace)/availability", as: caller))
                return (body["desks"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
            }
            #expect(try await statuses(f.ann) == ["free", "free", "free"])
            #expect(try await server.book(f.desks[0], as: f.ann, day: "2026-03-20", from: "11:00", to: "12:00").status == .created)

            server.clock.set(local("2026-03-23", "08:00"))
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/rooms/\(f.openSpace)", as: f.ann))["under_maintenance"] as? Bool == true)
            #expect(try await statuses(f.bob) == ["maintenance", "maintenance", "maintenance"])
            server.clock.set(local("2026-03-24", "07:00"))
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/rooms/\(f.openSpace)", as: f.ann))["maintenance"] == nil)

            // A new scheduled period, called off before it starts: nothing is left of it.
            #expect(try await put(server, f, ["reason": "Paint", "from": .time(local("2026-03-25", "07:00"))]).status == .ok)
            let ended = try await server.send(.DELETE, "/api/v1/rooms/\(f.openSpace)/maintenance", as: f.rita)
            #expect(ended.status == .ok && ResponseBody(ended)["maintenance"] == nil)
            #expect(try await server.book(f.desks[0], as: f.ann, day: "2026-03-25", from: "09:00", to: "12:00").status == .created)
        }
    }

    @Test("each owner is told once, in their own zone and formats, about all their affected bookings")
    func notifications() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let patched = try await server.send(.PATCH, "/api/v1/me/preferences", as: f.ann,
                                                json: ["timezone": "America/New_York", "date_format": "MM/DD/YYYY", "time_format": "12h"])
            #expect(patched.status == .ok)
            _ = try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00")
            _ = try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "13:00", to: "14:00")
            _ = try await server.book(f.desks[1], as: f.bob, day: "2026-03-23", from: "09:00", to: "17:00")
            #expect(try await put(server, f, ["reason": "New carpet", "from": .time(Self.from), "until": .time(Self.until)]).status == .ok)

            let ann = ResponseBody(try await server.send(.GET, "/api/v1/me/notifications", as: f.ann)).array
            #expect(ann.count == 1)
            #expect(ann.first?["message"] as? String ==
                "Your bookings of desk A1 on Mon 03/23/2026, 9:00 AM–12:00 PM (Berlin time; 4:00 AM–7:00 AM New York time) and "
                + "desk A1 on Mon 03/23/2026, 1:00 PM–2:00 PM (Berlin time; 8:00 AM–9:00 AM New York time) were cancelled: "
                + "Open space is under maintenance from Mon 03/23/2026 7:00 AM until Tue 03/24/2026 7:00 AM (Berlin time): New carpet.")
            let bob = ResponseBody(try await server.send(.GET, "/api/v1/me/notifications", as: f.bob)).array
            #expect(bob.first?["message"] as? String ==
                "Your booking of desk A2 on Mon 2026-03-23, 09:00–17:00 (Berlin time) was cancelled: "
                + "Open space is under maintenance from Mon 2026-03-23 07:00 until Tue 2026-03-24 07:00 (Berlin time): New carpet.")
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/me/notifications", as: f.gus)).array.isEmpty)
        }
    }

    @Test("ending a period offers its desks to the waitlist; a period beginning or ending by the clock is announced")
    func endAndTransitions() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let heard = NIOLockedValueBox<[MaintenanceEvent]>([])
            server.services.transactor.events.subscribe { events, _ in
                for case .maintenance(let event) in events { heard.withLockedValue { $0.append(event) } }
            }
            // Scheduled over Monday: bob's request for Monday morning waits; calling the period off gives him a desk.
            #expect(try await put(server, f, ["reason": "Paint", "from": .time(Self.from), "until": .time(Self.until)]).status == .ok)
            let waiting = try await server.request(f.bob, location: f.berlin, day: "2026-03-23", rooms: [f.openSpace], window: ("09:00", "12:00"))
            #expect(ResponseBody(waiting).string("status") == "waitlisted")
            #expect(try await server.send(.DELETE, "/api/v1/rooms/\(f.openSpace)/maintenance", as: f.rita).status == .ok)
            await server.services.allocation.waitlist.idle()
            #expect(try await server.requestStatuses(f.bob) == ["won"])

            // Scheduled again; the clock passes its start, then its end: each is announced once.
            #expect(try await put(server, f, ["reason": "Paint", "from": .time(local("2026-03-24", "07:00")),
                                              "until": .time(local("2026-03-24", "20:00"))]).status == .ok)
            heard.withLockedValue { $0.removeAll() }
            server.clock.set(local("2026-03-24", "06:59"))
            try await server.services.timeline.announceMaintenanceTransitions()
            server.clock.set(local("2026-03-24", "07:00"))
            try await server.services.timeline.announceMaintenanceTransitions()
            #expect(heard.withLockedValue { $0 }.map(\.reason) == ["Paint"])
            server.clock.set(local("2026-03-24", "20:00"))
            try await server.services.timeline.announceMaintenanceTransitions()
            #expect(heard.withLockedValue { $0 }.map(\.reason) == ["Paint", nil])
            #expect(heard.withLockedValue { $0 }.last?.period == nil)
        }
    }
}
