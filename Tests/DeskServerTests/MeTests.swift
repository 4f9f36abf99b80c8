import DeskCore
@testable import DeskServer
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite("Preferences")
struct PreferencesTests {
    @Test("defaults, validation with IANA zone names only, partial updates and clearing with null")
    func preferences() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let defaults = ResponseBody(try await server.send(.GET, "/api/v1/me/preferences", as: f.ann))
            #expect(defaults.string("theme") == "auto")
            #expect(defaults["timezone"] is NSNull)

            for zone in ["EST", "GMT+2", "Mars/Olympus", "europe/berlin"] {
                let refused = try await server.send(.PATCH, "/api/v1/me/preferences", as: f.ann, json: ["timezone": .string(zone)])
                #expect(refused.status == .unprocessableEntity, "\(zone)")
                #expect((ResponseBody(refused)["errors"] as? [[String: Any]])?.first?["field"] as? String == "timezone")
            }
            let several = try await server.send(.PATCH, "/api/v1/me/preferences", as: f.ann,
                                                json: ["theme": "neon", "default_duration_minutes": 7, "time_format": "12h"])
            #expect(Set((ResponseBody(several)["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? [])
                    == ["theme", "default_duration_minutes"])
            // A refused request changes nothing, not even its valid fields.
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/me/preferences", as: f.ann)).string("time_format") == "24h")

            let updated = ResponseBody(try await server.send(.PATCH, "/api/v1/me/preferences", as: f.ann, json: [
                "theme": "dark", "timezone": "America/New_York", "date_format": "DD.MM.YYYY", "default_location_id": .id(f.berlin),
                "default_duration_minutes": 240,
            ]))
            #expect(updated.string("timezone") == "America/New_York")
            #expect(updated["default_duration_minutes"] as? Int == 240)
            let partial = ResponseBody(try await server.send(.PATCH, "/api/v1/me/preferences", as: f.ann, json: ["timezone": nil]))
            #expect(partial["timezone"] is NSNull)
            #expect(partial.string("theme") == "dark")
            #expect(partial.string("default_location_id") == f.berlin.uuidString)
            // Someone else's preferences are untouched.
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/me/preferences", as: f.bob)).string("theme") == "auto")
            let gated = try await server.send(.PATCH, "/api/v1/me/preferences", as: f.ann, json: ["default_location_id": .id(UUID())])
            #expect(gated.status == .unprocessableEntity)
        }
    }
}

@Suite("Stats")
struct StatsTests {
    @Test("hours this week and month, active and next booking, across week, month and DST boundaries")
    func stats() async throws {
        // Thursday 2026-03-26, 10:00 Berlin (CET); the clocks go forward on Sunday the 29th.
        try await withServer(now: local("2026-03-26", "10:00")) { server in
            let f = try await Fixture.make(server)
            _ = try await server.send(.PATCH, "/api/v1/me/preferences", as: f.ann, json: ["timezone": "Europe/Berlin"])
            let bookings: [(String, String, String)] = [
                ("2026-03-26", "09:00", "12:00"),  // Thursday, going on now: 3 h
                ("2026-03-29", "07:00", "20:00"),  // Sunday, the DST day: 13 h of wall clock = 13 h
                ("2026-03-30", "09:00", "17:00"),  // Monday of the next week: 8 h
                ("2026-04-01", "09:00", "11:00"),  // April: 2 h
            ]
            server.clock.set(local("2026-03-26", "08:00"))
            var ids: [String] = []
            for (day, from, to) in bookings {
                let response = try await server.book(f.desks[0], as: f.ann, day: day, from: from, to: to)
                #expect(response.status == .created)
                ids.append(try #require(ResponseBody(response).string("id")))
            }
            server.clock.set(local("2026-03-26", "10:00"))
            var stats = ResponseBody(try await server.send(.GET, "/api/v1/me/stats", as: f.ann))
            #expect(stats.string("timezone") == "Europe/Berlin")
            #expect(stats["hours_this_week"] as? Double == 16)
            #expect(stats["hours_this_month"] as? Double == 24)
            #expect(stats["upcoming_count"] as? Int == 4)
            #expect(stats["active_now", "booking_id"] as? String == ids[0])
            #expect(stats["active_now", "seconds_left"] as? Int == 7200)
            #expect(stats["next_booking", "booking_id"] as? String == ids[1])
            #expect(stats["favourite_desk", "name"] as? String == "A1")
            #expect(stats["favourite_location", "name"] as? String == "Berlin")
            #expect(stats["busiest_weekday"] as? Int == 4)

            // Monday after DST: a new week (8 + 2 h) in the same month; the Thursday booking is history.
            server.clock.set(local("2026-03-30", "18:00"))
            stats = ResponseBody(try await server.send(.GET, "/api/v1/me/stats", as: f.ann))
            #expect(stats["hours_this_week"] as? Double == 10)
            #expect(stats["hours_this_month"] as? Double == 24)
            #expect(stats["upcoming_count"] as? Int == 1)
            #expect(stats["active_now"] == nil)
            // April: only its own hours count for the month; the week still spans the month boundary.
            server.clock.set(local("2026-04-01", "12:00"))
            stats = ResponseBody(try await server.send(.GET, "/api/v1/me/stats", as: f.ann))
            #expect(stats["hours_this_month"] as? Double == 2)
            #expect(stats["hours_this_week"] as? Double == 10)
            #expect(stats["next_booking"] == nil)
        }
    }

    @Test("each booking counts in its location's week, whatever zone the person prefers")
    func zone() async throws {
        try await withServer(now: local("2026-03-26", "08:00")) { server in
            let f = try await Fixture.make(server)
            // Monday 30 March 07:00–08:00 in Berlin is still Sunday 29 March, 19:00–20:00, in Honolulu: a person who
            // prefers Honolulu time still sees it in Berlin's next week, as every page shows it on Berlin's Monday.
            #expect(try await server.book(f.desks[0], as: f.ann, day: "2026-03-30", from: "07:00", to: "08:00").status == .created)
            server.clock.set(local("2026-03-27", "12:00"))
            for preferred in ["Pacific/Honolulu", "Europe/Berlin", "Asia/Tokyo"] {
                _ = try await server.send(.PATCH, "/api/v1/me/preferences", as: f.ann, json: ["timezone": .string(preferred)])
                let stats = ResponseBody(try await server.send(.GET, "/api/v1/me/stats", as: f.ann))
                #expect(stats["hours_this_week"] as? Double == 0, "preferring \(preferred)")
                #expect(stats["hours_this_month"] as? Double == 1, "preferring \(preferred)")
                #expect(stats["busiest_weekday"] == nil)
                #expect(stats.string("timezone") == preferred)
            }
            // On Monday in Berlin (Sunday evening in Honolulu) it is this week's booking.
            server.clock.set(local("2026-03-30", "07:30"))
            _ = try await server.send(.PATCH, "/api/v1/me/preferences", as: f.ann, json: ["timezone": "Pacific/Honolulu"])
            let monday = ResponseBody(try await server.send(.GET, "/api/v1/me/stats", as: f.ann))
            #expect(monday["hours_this_week"] as? Double == 1)
        }
    }
}

/// Reads an iCalendar document as a test would check it: CRLF lines, unfolded, as (name, value) pairs.
private func parseICalendar(_ text: String) throws -> [(name: String, value: String)] {
    #expect(text.hasSuffix("\r\n"))
    let physical = text.components(separatedBy: "\r\n").dropLast()
    var lines: [String] = []
    for line in physical {
        #expect(line.utf8.count <= 75, "line longer than 75 octets: \(line)")
        #expect(!line.contains("\n") && !line.contains("\r"))
        if line.hasPrefix(" ") { lines[lines.count - 1] += line.dropFirst() } else { lines.append(line) }
    }
    return try lines.map { line in
        let colon = try #require(line.firstIndex(of: ":"))
        return (String(line[..<colon].split(separator: ";")[0]), String(line[line.index(after: colon)...]))
    }
}

@Suite("Calendar")
struct CalendarTests {
    @Test("a secret, rotatable feed of one's bookings, with cancellations, in UTC")
    func feed() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let kept = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00",
                                                                      extra: ["note": "Quarterly planning, room; bring laptop"])).string("id"))
            let cancelled = try #require(ResponseBody(try await server.book(f.desks[1], as: f.ann, day: "2026-03-24", from: "09:00", to: "12:00")).string("id"))
            _ = try await server.send(.DELETE, "/api/v1/bookings/\(cancelled)", as: f.ann)
            _ = try await server.book(f.desks[2], as: f.bob, day: "2026-03-23", from: "09:00", to: "12:00")

            let url = try #require(ResponseBody(try await server.send(.POST, "/api/v1/me/calendar-feed", as: f.ann)).string("url"))
            let path = try #require(URL(string: url)?.path)
            #expect(path.hasPrefix("/calendar/") && path.hasSuffix(".ics"))
            let response = try await server.send(.GET, path)
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.description.hasPrefix("text/calendar") == true)
            let lines = try parseICalendar(response.body.string)
            #expect(lines.first?.name == "BEGIN" && lines.first?.value == "VCALENDAR")
            #expect(lines.last?.name == "END" && lines.last?.value == "VCALENDAR")
            #expect(lines.contains { $0.name == "VERSION" && $0.value == "2.0" })
            #expect(lines.contains { $0.name == "PRODID" })
            // One event per booking of hers (not Bob's), each with a stable UID.
            let uids = lines.filter { $0.name == "UID" }.map(\.value)
            #expect(Set(uids) == ["\(kept.lowercased())@deskpilot", "\(cancelled.lowercased())@deskpilot"])
            #expect(lines.filter { $0.name == "BEGIN" && $0.value == "VEVENT" }.count == 2)
            #expect(lines.filter { $0.name == "STATUS" }.map(\.value).sorted() == ["CANCELLED", "CONFIRMED"])
            #expect(lines.contains { $0.name == "DTSTART" && $0.value == "20260323T080000Z" })
            #expect(lines.contains { $0.name == "DESCRIPTION" && $0.value == #"Quarterly planning\, room\; bring laptop"# })

            // Rotating makes the old address useless.
            let rotated = try #require(ResponseBody(try await server.send(.POST, "/api/v1/me/calendar-feed", as: f.ann)).string("url"))
            #expect(rotated != url)
            #expect(try await server.send(.GET, path).status == .notFound)
            #expect(try await server.send(.GET, "/calendar/not-a-token.ics").status == .notFound)
            #expect(try await server.send(.GET, "/calendar/whatever").status == .notFound)
        }
    }

    @Test("one booking as an .ics file; its UID matches the feed's")
    func booking() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let id = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00")).string("id"))
            let response = try await server.send(.GET, "/api/v1/bookings/\(id)/ics", as: f.ann)
            let lines = try parseICalendar(response.body.string)
            #expect(lines.filter { $0.name == "UID" }.map(\.value) == ["\(id.lowercased())@deskpilot"])
            #expect(lines.contains { $0.name == "DTEND" && $0.value == "20260323T110000Z" })
            #expect(lines.contains { $0.name == "SUMMARY" && $0.value.contains("A1") })
        }
    }
}
