import DeskCore
@testable import DeskServer
import Foundation
import Testing
import VaporTesting

// The fixture's clock stands on Friday 2026-03-20; 03-21/22 and 03-28/29 are a weekend, 04-04 (a Saturday) opens next.

private func interval(_ day: String, _ from: String, _ to: String) -> JSON {
    ["start": .time(local(day, from)), "end": .time(local(day, to))]
}

private func fieldErrors(_ body: ResponseBody) -> [String] {
    body.array(at: "errors").compactMap { $0["field"] as? String }
}

extension TestServer {
    /// Opens Berlin on these weekdays only, as its manager.
    func openBerlin(_ f: Fixture, on days: [Int]) async throws {
        let response = try await send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo,
                                      json: ["open_weekdays": .array(days.map { .int($0) })])
        #expect(response.status == .ok)
    }
}

@Suite("Opening weekdays")
struct OpeningWeekdayTests {
    @Test("the policy takes open_weekdays, returns them in order, refuses bad lists, and null goes back to Monday–Friday")
    func policyRoundTrip() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let changed = ResponseBody(try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo,
                                                             json: ["open_weekdays": [6, 1, 2]]))
            #expect(changed["policy", "open_weekdays"] as? [Int] == [1, 2, 6])
            #expect(changed["policy_overrides", "open_weekdays"] as? [Int] == [1, 2, 6])
            let read = ResponseBody(try await server.send(.GET, "/api/v1/locations/\(f.berlin)/policy", as: f.ann))
            #expect(read["open_weekdays"] as? [Int] == [1, 2, 6])

            for bad: JSON in [[], [0], [8], [1, 1], [1, 2, 3, 4, 5, 6, 7, 7]] {
                let refused = try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo, json: ["open_weekdays": bad])
                #expect(refused.status == .unprocessableEntity, "\(bad.text)")
                #expect(fieldErrors(ResponseBody(refused)) == ["open_weekdays"], "\(bad.text)")
            }
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/locations/\(f.berlin)/policy", as: f.ann))["open_weekdays"] as? [Int] == [1, 2, 6])

            let cleared = ResponseBody(try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo,
                                                             json: ["open_weekdays": nil]))
            #expect(cleared["policy", "open_weekdays"] as? [Int] == [1, 2, 3, 4, 5])
            #expect(cleared["policy_overrides", "open_weekdays"].map { $0 is NSNull } ?? true)
            let defaults = ResponseBody(try await server.send(.GET, "/api/v1/policy/defaults", as: f.ann))
            #expect(defaults["open_weekdays"] as? [Int] == [1, 2, 3, 4, 5])
        }
    }

    @Test("a new location opens Monday–Friday unless its creation names other days")
    func newLocationDefaults() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let plain = ResponseBody(try await server.send(.POST, "/api/v1/locations", as: f.admin,
                                                           json: ["country_id": .id(f.germany), "name": "Hamburg", "timezone": "Europe/Berlin"]))
            #expect(plain["policy", "open_weekdays"] as? [Int] == [1, 2, 3, 4, 5])
            #expect(plain["policy_overrides", "open_weekdays"] == nil)

            let given = try await server.send(.POST, "/api/v1/locations", as: f.admin, json: [
                "country_id": .id(f.germany), "name": "Munich", "timezone": "Europe/Berlin",
                "policy": ["open_weekdays": [6, 1, 2, 3, 4, 5], "max_advance_days": 7],
            ])
            #expect(given.status == .created)
            #expect(ResponseBody(given)["policy", "open_weekdays"] as? [Int] == [1, 2, 3, 4, 5, 6])
            #expect(ResponseBody(given)["policy", "max_advance_days"] as? Int == 7)

            let bad = try await server.send(.POST, "/api/v1/locations", as: f.admin, json: [
                "country_id": .id(f.germany), "name": "Cologne", "timezone": "Europe/Berlin", "policy": ["open_weekdays": []],
            ])
            #expect(bad.status == .unprocessableEntity)
            #expect(fieldErrors(ResponseBody(bad)) == ["policy.open_weekdays"])
        }
    }

    @Test("create, bulk and change refuse a day the location does not open with 422 location_closed")
    func bookingsRefused() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            try await server.openBerlin(f, on: [1, 2, 3, 4, 5])

            let saturday = try await server.book(f.desks[0], as: f.ann, day: "2026-03-21", from: "09:00", to: "12:00")
            #expect(saturday.status == .unprocessableEntity)
            #expect(ResponseBody(saturday).code == "location_closed")
            #expect(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00").status == .created)
            // New York keeps its own policy: open every day.
            #expect(try await server.book(f.newYorkDesk, as: f.bob, day: "2026-03-21", from: "09:00", to: "12:00",
                                          zone: "America/New_York").status == .created)

            let bulk = ResponseBody(try await server.send(.POST, "/api/v1/bookings/bulk", as: f.bob, json: [
                "desk_id": .id(f.desks[1]),
                "intervals": [interval("2026-03-27", "09:00", "17:00"), interval("2026-03-28", "09:00", "17:00")],
            ]))
            let results = bulk.array(at: "intervals")
            #expect(results.map { $0["status"] as? String } == ["created", "failed"])
            #expect((results.last?["error"] as? [String: Any])?["code"] as? String == "location_closed")

            let atomic = try await server.send(.POST, "/api/v1/bookings/bulk", as: f.gus, json: [
                "desk_id": .id(f.desks[2]), "atomic": true,
                "intervals": [interval("2026-03-24", "09:00", "17:00"), interval("2026-03-29", "09:00", "17:00")],
            ])
            #expect(atomic.status == .unprocessableEntity)
            #expect(ResponseBody(atomic).code == "location_closed")

            let friday = try #require(ResponseBody(try await server.book(f.desks[2], as: f.ann, day: "2026-03-27", from: "09:00", to: "10:00")).uuid("id"))
            let moved = try await server.send(.PATCH, "/api/v1/bookings/\(friday)", as: f.ann, json: [
                "start": .time(local("2026-03-28", "09:00")), "end": .time(local("2026-03-28", "10:00")),
            ])
            #expect(moved.status == .unprocessableEntity)
            #expect(ResponseBody(moved).code == "location_closed")
        }
    }

    @Test("availability shows a closed day as closed, with no desk free")
    func availabilityClosed() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            try await server.openBerlin(f, on: [1, 2, 3, 4, 5])
            let saturday = ResponseBody(try await server.send(.GET, "/api/v1/locations/\(f.berlin)/availability?date=2026-03-21", as: f.ann))
            #expect(saturday["closed"] as? Bool == true)
            #expect(saturday.array(at: "rooms").allSatisfy { $0["free"] as? Int == 0 && $0["partly_free"] as? Int == 0 })
            let monday = ResponseBody(try await server.send(.GET, "/api/v1/locations/\(f.berlin)/availability?date=2026-03-23", as: f.ann))
            #expect(monday["closed"] as? Bool == false)
            #expect(monday.array(at: "rooms").contains { ($0["free"] as? Int ?? 0) > 0 })
        }
    }

    @Test("a request for a closed day is refused; one waiting when its day closed fails instead of getting a round")
    func requestsAndRounds() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            // 2026-04-04 is a Saturday and the next day to open.
            let patched = try await server.send(.PATCH, "/api/v1/me/preferences", as: f.ann, json: ["date_format": "DD.MM.YYYY"])
            #expect(patched.status == .ok, "\(patched.body.string)")
            let filed = try await server.request(f.ann, location: f.berlin, day: "2026-04-04")
            #expect(ResponseBody(filed).string("status") == "pending")

            try await server.openBerlin(f, on: [1, 2, 3, 4, 5])
            let refused = try await server.request(f.bob, location: f.berlin, day: "2026-04-04")
            #expect(refused.status == .unprocessableEntity)
            #expect(ResponseBody(refused).code == "location_closed")
            #expect(try await server.request(f.bob, location: f.berlin, day: "2026-04-06").status == .created)

            let manual = try await server.send(.POST, "/api/v1/admin/locations/\(f.berlin)/rounds", as: f.leo, json: ["date": "2026-04-04"])
            #expect(manual.status == .unprocessableEntity)
            #expect(ResponseBody(manual).code == "location_closed")

            server.clock.set(Timestamp.parse("2026-04-03T22:00:00Z")!)
            await server.services.scheduler.tick()
            await server.services.scheduler.tick()
            let mine = ResponseBody(try await server.send(.GET, "/api/v1/me/requests", as: f.ann)).array
            #expect(mine.first?["status"] as? String == "failed")
            #expect((mine.first?["reason"] as? String)?.contains("closed on Saturdays") == true)
            // Ann is told in her own date format.
            let notices = ResponseBody(try await server.send(.GET, "/api/v1/me/notifications", as: f.ann)).array
            #expect(notices.first?["message"] as? String == "Your request for Berlin on Sat 04.04.2026 ended: Berlin is closed on Saturdays.")
            #expect(try await server.services.transactor.sql.count("SELECT COUNT(*) AS n FROM allocation_rounds WHERE day = '2026-04-04'") == 0)
            #expect(try await server.requestStatuses(f.bob) == ["won"])  // Monday's round ran as usual
        }
    }

    @Test("the migration keeps locations that existed before open every day, and leaves chosen days and other fields alone")
    func migrationKeepsExistingLocationsOpen() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let store = PlaceStore(sql: server.services.transactor.sql)
            func old(_ name: String, policy: String) async throws -> UUID {
                let record = LocationRecord(id: UUID(), countryId: f.germany, name: name, address: "", timezone: "Europe/Berlin",
                                            policy: policy, roomManagersAddMembers: false)
                try await store.insert(record)
                return record.id
            }
            let plain = try await old("Old plain", policy: "{}")
            let tuned = try await old("Old tuned", policy: #"{"max_advance_days":7,"some_future_field":true}"#)
            let chosen = try await old("Old chosen", policy: #"{"open_weekdays":[1,2]}"#)
            // As before the migration ran, these follow the new global default.
            #expect(try await store.location(plain)?.effectivePolicy.openWeekdays == [1, 2, 3, 4, 5])

            try await KeepLocationsOpenEveryDay().prepare(on: server.app.db)

            #expect(try await store.location(plain)?.effectivePolicy.openWeekdays == Policy.everyWeekday)
            let tunedRecord = try #require(try await store.location(tuned))
            #expect(tunedRecord.effectivePolicy.openWeekdays == Policy.everyWeekday)
            #expect(tunedRecord.effectivePolicy.maxAdvanceDays == 7)
            #expect(tunedRecord.policy.contains("some_future_field"))
            #expect(try await store.location(chosen)?.effectivePolicy.openWeekdays == [1, 2])
        }
    }
}
