import DeskCore
@testable import DeskServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// A small deterministic generator, so a failing seed can be replayed.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What the test knows it created, and the brute-force answers derived from it.
private struct Oracle {
    struct Booking { let id: String; let desk: UUID; let user: UUID; let range: TimeRange }
    var bookings: [Booking] = []
    var holds: [UUID: (user: UUID, expires: Date)] = [:]
    var permanent: [UUID: UUID] = [:]
    /// When the room's open-ended maintenance began.
    var maintenance: Date?

    func status(of desk: UUID, now: Date) -> String {
        if let maintenance, maintenance <= now { return "maintenance" }
        if bookings.contains(where: { $0.desk == desk && $0.range.contains(now) }) { return "booked" }
        if let hold = holds[desk], hold.expires > now { return "held" }
        if permanent[desk] != nil { return "permanent" }
        return "free"
    }

    /// Walks the day's bookable hours minute by minute.
    func day(_ day: String, desk: UUID, viewer: UUID) -> String {
        let open = local(day, "07:00"), close = local(day, "20:00")
        if let maintenance, maintenance <= open { return "unavailable" }
        if permanent[desk].map({ $0 != viewer }) == true { return "unavailable" }
        var longestFree = 0, run = 0, anyBusy = false
        var minute = open
        while minute < close {
            if bookings.contains(where: { $0.desk == desk && $0.range.contains(minute) }) || maintenance.map({ $0 <= minute }) == true {
                anyBusy = true
                run = 0
            } else {
                run += 1
                longestFree = max(longestFree, run)
            }
            minute = minute.addingTimeInterval(60)
        }
        return !anyBusy ? "free" : longestFree >= 30 ? "partly_free" : "full"
    }
}

@Suite("Availability")
struct AvailabilityTests {
    @Test("room and location availability equal a brute-force oracle on random data", arguments: [11, 23, 42] as [UInt64])
    func oracle(seed: UInt64) async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            var random = SplitMix64(state: seed)
            let people = [f.ann, f.bob, f.rita, f.leo, f.admin]
            var desks = f.desks
            for name in ["A4", "A5"] {
                let created = try await server.send(.POST, "/api/v1/rooms/\(f.openSpace)/desks", as: f.rita, json: ["name": .string(name)])
                desks.append(try #require(ResponseBody(created).uuid("id")))
            }
            let days = (0..<5).map { "2026-03-\(20 + $0)" }
            var oracle = Oracle()
            if seed % 2 == 1 {
                // Booker names for managers only: ordinary people see their own bookings' names only.
                _ = try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo, json: ["booker_visibility": "managers"])
                _ = try await server.send(.PUT, "/api/v1/desks/\(desks[4])/permanent", as: f.rita, json: ["user_id": .id(f.bob.userId)])
                oracle.permanent[desks[4]] = f.bob.userId
            }
            for _ in 0..<45 {
                let person = people.randomElement(using: &random)!
                let desk = desks.randomElement(using: &random)!
                let day = days.randomElement(using: &random)!
                let startSlot = Int.random(in: 14..<40, using: &random)  // 07:00 … 19:30
                let slots = Int.random(in: 1...min(8, 40 - startSlot), using: &random)
                let from = String(format: "%02d:%02d", startSlot / 2, startSlot % 2 * 30)
                let to = String(format: "%02d:%02d", (startSlot + slots) / 2, (startSlot + slots) % 2 * 30)
                let response = try await server.book(desk, as: person, day: day, from: from, to: to)
                if response.status == .created {
                    oracle.bookings.append(.init(id: try #require(ResponseBody(response).string("id")), desk: desk, user: person.userId,
                                                 range: TimeRange(uncheckedStart: local(day, from), end: local(day, to))))
                }
            }
            #expect(oracle.bookings.count >= 15, "too few bookings to mean anything")
            for _ in 0..<4 {  // cancel a few
                let index = Int.random(in: 0..<oracle.bookings.count, using: &random)
                let booking = oracle.bookings[index]
                let owner = try #require(people.first { $0.userId == booking.user })
                #expect(try await server.send(.DELETE, "/api/v1/bookings/\(booking.id)", as: owner).status == .ok)
                oracle.bookings.remove(at: index)
            }

            // Later: some bookings are going on now, and two desks are held (one by the viewer).
            let now = local(days.randomElement(using: &random)!, "10:00").addingTimeInterval(TimeInterval(Int.random(in: 0..<600, using: &random) * 60))
            server.clock.set(now)
            for (desk, holder) in [(desks[0], f.bob), (desks[1], f.ann)] {
                if try await server.send(.PUT, "/api/v1/desks/\(desk)/hold", as: holder).status == .ok {
                    oracle.holds[desk] = (holder.userId, now.addingTimeInterval(HoldRules.lifetime))
                }
            }
            if seed == 42 {
                // Kept, the bookings stay as the oracle knows them; the open-ended period takes the rest of today.
                _ = try await server.send(.PUT, "/api/v1/rooms/\(f.openSpace)/maintenance", as: f.rita, json: ["reason": "Cleaning", "affected": "keep"])
                oracle.maintenance = now
            }

            let managersOnly = seed % 2 == 1
            for (viewer, isManager) in [(f.ann, false), (f.rita, true)] {
                for _ in 0..<4 {
                    let start = local(days.randomElement(using: &random)!, "00:00").addingTimeInterval(TimeInterval(Int.random(in: 0..<96, using: &random) * 900))
                    let end = start.addingTimeInterval(TimeInterval(Int.random(in: 1..<400, using: &random) * 900))
                    let query = "from=\(start.formatted(.iso8601))&to=\(end.formatted(.iso8601))"
                    let response = try await server.send(.GET, "/api/v1/rooms/\(f.openSpace)/availability?\(query)", as: viewer)
                    #expect(response.status == .ok)
                    let body = ResponseBody(response)
                    let report = try #require(body["desks"] as? [[String: Any]])
                    let mineBookings = Set(body["mine", "booking_ids"] as? [String] ?? [])
                    let mineHolds = Set(body["mine", "held_desk_ids"] as? [String] ?? [])
                    let named = Set((body["users"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
                    #expect(report.count == desks.count)
                    let window = TimeRange(uncheckedStart: start, end: end)
                    var expectedMine: Set<String> = []
                    for entry in report {
                        let desk = try #require((entry["desk_id"] as? String).flatMap(UUID.init(uuidString:)))
                        #expect(entry["status"] as? String == oracle.status(of: desk, now: now), "desk \(desk) at \(now)")
                        let expected = oracle.bookings.filter { $0.desk == desk && $0.range.overlaps(window) }
                            .sorted { $0.range.start < $1.range.start }
                        expectedMine.formUnion(expected.filter { $0.user == viewer.userId }.map(\.id))
                        let busy = try #require(entry["busy"] as? [[String: Any]])
                        #expect(busy.map { $0["booking_id"] as? String } == expected.map(\.id), "\(query) desk \(desk)")
                        #expect(busy.map { $0["start"] as? String } == expected.map { $0.range.start.formatted(.iso8601) })
                        #expect(busy.map { $0["end"] as? String } == expected.map { $0.range.end.formatted(.iso8601) })
                        // Names follow the privacy setting: everyone, or managers only.
                        let userIds = busy.map { $0["user_id"] as? String }
                        #expect(userIds == expected.map { !managersOnly || isManager ? $0.user.uuidString : nil })
                        #expect(userIds.compactMap { $0 }.allSatisfy(named.contains))
                        let holdActive = oracle.holds[desk].map { $0.expires > now } ?? false
                        #expect((entry["hold_expires_at"] != nil) == holdActive)
                        #expect(mineHolds.contains(desk.uuidString) == (holdActive && oracle.holds[desk]?.user == viewer.userId))
                    }
                    #expect(mineBookings == expectedMine)
                }
                for day in days {
                    let response = try await server.send(.GET, "/api/v1/locations/\(f.berlin)/availability?date=\(day)", as: viewer)
                    let rooms = try #require(ResponseBody(response)["rooms"] as? [[String: Any]])
                    // The Lab is gated: neither viewer sees it.
                    #expect(rooms.map { $0["name"] as? String } == ["Open space"])
                    let room = try #require(rooms.first)
                    let states = desks.map { oracle.day(day, desk: $0, viewer: viewer.userId) }
                    #expect(room["free"] as? Int == states.filter { $0 == "free" }.count, "\(day)")
                    #expect(room["partly_free"] as? Int == states.filter { $0 == "partly_free" }.count, "\(day)")
                    #expect(room["full"] as? Int == states.filter { $0 == "full" }.count, "\(day)")
                    #expect(room["unavailable"] as? Int == states.filter { $0 == "unavailable" }.count, "\(day)")
                    let free = Set(zip(desks, states).filter { $0.1 == "free" }.map(\.0.uuidString))
                    #expect(Set(room["free_desk_ids"] as? [String] ?? []) == free)
                }
            }
        }
    }

    @Test("a room report costs the same number of queries for 3 desks and 1 day as for 60 desks and 7 days")
    func constantQueries() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let small = try await QueryCounter.count(server) {
                server.services.transactor.availability.invalidateAll()
                _ = try await server.send(.GET, "/api/v1/rooms/\(f.openSpace)/availability", as: f.ann)
            }
            for index in 0..<57 {
                _ = try await server.send(.POST, "/api/v1/rooms/\(f.openSpace)/desks", as: f.rita, json: ["name": .string("B\(index)")])
            }
            let people = [f.ann, f.bob, f.rita, f.leo, f.admin]
            for (index, person) in people.enumerated() {
                for day in 23...27 {
                    _ = try await server.book(f.desks[index % 3], as: person, day: "2026-03-\(day)", from: String(format: "%02d:00", 8 + index * 2),
                                              to: String(format: "%02d:00", 9 + index * 2))
                }
            }
            let query = "from=\(local("2026-03-21", "00:00").formatted(.iso8601))&to=\(local("2026-03-28", "00:00").formatted(.iso8601))"
            let large = try await QueryCounter.count(server) {
                server.services.transactor.availability.invalidateAll()
                _ = try await server.send(.GET, "/api/v1/rooms/\(f.openSpace)/availability?\(query)", as: f.ann)
            }
            #expect(small == large)
            #expect((3...8).contains(large), "\(large) statements")
        }
    }

    @Test("a write shows in the next report at once, though reports are shared")
    func freshAfterWrites() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let path = "/api/v1/rooms/\(f.openSpace)/availability?from=\(local("2026-03-23", "00:00").formatted(.iso8601))&to=\(local("2026-03-24", "00:00").formatted(.iso8601))"
            func busyCount() async throws -> Int {
                let desks = ResponseBody(try await server.send(.GET, path, as: f.bob))["desks"] as? [[String: Any]] ?? []
                return desks.reduce(0) { $0 + (($1["busy"] as? [Any])?.count ?? 0) }
            }
            #expect(try await busyCount() == 0)
            let id = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "10:00")).string("id"))
            #expect(try await busyCount() == 1)
            _ = try await server.send(.DELETE, "/api/v1/bookings/\(id)", as: f.ann)
            #expect(try await busyCount() == 0)
            _ = try await server.send(.PUT, "/api/v1/desks/\(f.desks[1])/hold", as: f.ann)
            let held = ResponseBody(try await server.send(.GET, path, as: f.bob))["desks"] as? [[String: Any]] ?? []
            #expect(held.first { $0["desk_id"] as? String == f.desks[1].uuidString }?["status"] as? String == "held")
            _ = try await server.send(.PUT, "/api/v1/rooms/\(f.openSpace)/maintenance", as: f.rita, json: ["reason": "Paint"])
            let closed = ResponseBody(try await server.send(.GET, path, as: f.bob))
            #expect(closed["under_maintenance"] as? Bool == true)
            // Ann's own section differs from Bob's although the rest is shared.
            #expect(ResponseBody(try await server.send(.GET, path, as: f.ann))["mine", "held_desk_ids"] as? [String] == [f.desks[1].uuidString])
            #expect(closed["mine", "held_desk_ids"] as? [String] == [])
        }
    }

    @Test("bad ranges and dates are 422s")
    func badInput() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let month = "from=2026-03-20T00:00:00Z&to=2026-05-20T00:00:00Z"
            #expect(try await server.send(.GET, "/api/v1/rooms/\(f.openSpace)/availability?\(month)", as: f.ann).status == .unprocessableEntity)
            let reversed = "from=2026-03-21T00:00:00Z&to=2026-03-20T00:00:00Z"
            #expect(try await server.send(.GET, "/api/v1/rooms/\(f.openSpace)/availability?\(reversed)", as: f.ann).status == .unprocessableEntity)
            #expect(try await server.send(.GET, "/api/v1/rooms/\(f.openSpace)/availability?from=2026-03-21T00:00:00Z", as: f.ann).status == .unprocessableEntity)
            #expect(try await server.send(.GET, "/api/v1/locations/\(f.berlin)/availability?date=21.03.2026", as: f.ann).status == .unprocessableEntity)
        }
    }
}
