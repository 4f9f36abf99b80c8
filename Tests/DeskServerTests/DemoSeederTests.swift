import DeskCore
@testable import DeskServer
import Foundation
import SQLKit
import Testing

@Suite("Demo data")
struct DemoSeederTests {
    /// A Wednesday, 10:30 in London and 11:30 in Berlin: offices are busy, New York has not opened yet.
    static let wednesday = Timestamp.parse("2026-03-11T10:30:00Z")!

    @Test("the demo office is lived in: busy midweek, quiet on Monday and Friday, closed at the weekend, with today under way")
    func livedIn() async throws {
        try await withServer(now: Self.wednesday) { server in
            _ = try await server.services.users.upsertAdmin(username: "admin", password: "admin-password")
            let started = Date()
            let summary = try await DemoSeeder(services: server.services, travel: { server.clock.set($0 ?? Self.wednesday) }).seed()
            let seconds = Date().timeIntervalSince(started)
            #expect(summary.contains("Demo organisation loaded"), "\(summary)")
            // The clock runs on from the present again.
            #expect(server.clock.now == Self.wednesday)
            let sql = server.services.transactor.sql
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM countries") == 3)
            #expect(try await sql.count("SELECT COUNT(DISTINCT timezone) AS n FROM locations") == 3)
            let desks = try await sql.count("SELECT COUNT(*) AS n FROM desks")
            #expect(desks >= 140)
            // A person per desk, and everyone has been in.
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM users WHERE NOT is_superuser") == desks)
            #expect(try await sql.count("""
                SELECT COUNT(*) AS n FROM users u WHERE NOT u.is_superuser AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.user_id = u.id)
                """) == 0)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM location_gate_groups") >= 1)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM room_gate_groups") >= 1)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM room_maps") == (try await sql.count("SELECT COUNT(*) AS n FROM rooms")))

            // Share of desks taken per local day of the past week (Monday 2 to Sunday 8 March), all offices together.
            let locations = try await sql.raw("SELECT id, timezone FROM locations").all().map {
                (try $0.decode(column: "id", as: UUID.self), ZonedCalendar(timeZone: TimeZone(identifier: try $0.decode(column: "timezone", as: String.self))!))
            }
            var share: [Int: Double] = [:]
            for offset in 0..<7 {
                let day = LocalDate(daysSinceEpoch: LocalDate(year: 2026, month: 3, day: 2).daysSinceEpoch + offset)
                var taken = 0
                for (location, calendar) in locations {
                    taken += try await sql.count("""
                        SELECT COUNT(DISTINCT b.desk_id) AS n FROM bookings b JOIN desks d ON d.id = b.desk_id
                        WHERE b.status = 'confirmed' AND d.location_id = \(bind: location)
                        AND b.start_at >= \(bind: calendar.startOfDay(day)) AND b.start_at < \(bind: calendar.startOfDay(calendar.adding(days: 1, to: day)))
                        """)
                }
                share[day.isoWeekday] = Double(taken) / Double(desks)
            }
            for midweek in [2, 3, 4] { #expect(share[midweek]! >= 0.7, "\(share)") }
            for edge in [1, 5] { #expect(share[edge]! <= 0.6 && share[edge]! < share[2]! - 0.2, "\(share)") }
            #expect(share[6] == 0 && share[7] == 0, "\(share)")
            // Two weeks ahead are booked too, fewer further out; the history goes back three weeks.
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM bookings WHERE start_at > \(bind: Self.wednesday.addingTimeInterval(7 * 86_400))") > 100)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM bookings WHERE start_at < \(bind: Self.wednesday.addingTimeInterval(-14 * 86_400))") > 300)

            // Today: bookings under way, some checked in; London requires check-in, so its no-shows were released.
            let now = Self.wednesday
            let utc = ZonedCalendar(timeZone: TimeZone(identifier: "UTC")!)
            let dayStart = utc.startOfDay(utc.date(of: now))
            #expect(try await sql.count("""
                SELECT COUNT(*) AS n FROM bookings WHERE status = 'confirmed' AND start_at <= \(bind: now) AND end_at > \(bind: now)
                """) > 40)
            #expect(try await sql.count("""
                SELECT COUNT(*) AS n FROM bookings WHERE checked_in_at IS NOT NULL AND start_at >= \(bind: dayStart)
                """) > 20)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM bookings WHERE checked_in_at > \(bind: now)") == 0)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM bookings WHERE status = 'released'") > 5)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM bookings WHERE status = 'cancelled'") > 10)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM bookings WHERE created_at > \(bind: now)") == 0)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM desks WHERE permanent_user_id IS NOT NULL") >= 4)
            // Permanent desks are booked by their owners only.
            #expect(try await sql.count("""
                SELECT COUNT(*) AS n FROM bookings b JOIN desks d ON d.id = b.desk_id
                WHERE d.permanent_user_id IS NOT NULL AND b.user_id <> d.permanent_user_id
                """) == 0)

            // The autopilot has been at work: rules, their requests with outcomes, and a log for each person.
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM autopilot_rules") >= 6)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM autopilot_rules WHERE status = 'paused'") == 1)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM allocation_requests WHERE rule_id IS NOT NULL AND status = 'won'") > 20)
            #expect(try await sql.count("SELECT COUNT(DISTINCT user_id) AS n FROM autopilot_log") >= 5)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM autopilot_log WHERE at > \(bind: now)") == 0)
            #expect(try await sql.count("SELECT COUNT(DISTINCT at) AS n FROM autopilot_log") > 20)

            // A round next week had more requests than desks: winners booked, the others wait in draw order.
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM allocation_rounds WHERE waitlisted > 0 AND winners > 0") >= 1)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM allocation_requests WHERE status = 'waitlisted'") >= 2)

            // Maintenance is scheduled (not yet begun) and cancelled the bookings it overlaps, saying why.
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM rooms WHERE maintenance_from > \(bind: now)") == 1)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM bookings WHERE cancel_reason IS NOT NULL") > 0)

            // Nothing the write path would refuse: no overlaps on a desk or for a person.
            let overlaps = try await sql.count("""
                SELECT COUNT(*) AS n FROM bookings a JOIN bookings b ON a.id < b.id AND a.status = 'confirmed' AND b.status = 'confirmed'
                AND a.start_at < b.end_at AND b.start_at < a.end_at AND (a.desk_id = b.desk_id OR a.user_id = b.user_id)
                """)
            #expect(overlaps == 0)
            print("demo seeded in \(String(format: "%.1f", seconds)) s: \(summary)")

            #expect(try await DemoSeeder(services: server.services, travel: { server.clock.set($0 ?? Self.wednesday) }).seed().contains("already"))
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM countries") == 3)
            let (login, session) = try await server.login("anna.schmidt", DemoSeeder.password)
            #expect(login.status == .ok)
            let visible = try await server.send(.GET, "/api/v1/locations", as: session.caller())
            #expect(ResponseBody(visible).array.count >= 3)
        }
    }

    @Test("the demo's plans draw rooms, not desks: no furniture under a desk, no desk names in the image")
    func plansLeaveDesksToMarkers() async throws {
        for layout in [DemoRoomLayout.openPlan, .quietRoom, .projectRoom] {
            for desk in layout.desks {
                let (x, y) = (desk.x * DemoRoomLayout.width, desk.y * DemoRoomLayout.height)
                #expect(!layout.items.contains { $0.covers(x: x, y: y) }, "furniture under the desk at \(x), \(y)")
                #expect(x - DemoRoomLayout.clearance.x > 20 && x + DemoRoomLayout.clearance.x < 980, "desk at \(x) touches a wall")
            }
        }
        try await withServer(now: Self.wednesday) { server in
            _ = try await server.services.users.upsertAdmin(username: "admin", password: "admin-password")
            _ = try await DemoSeeder(services: server.services, travel: { server.clock.set($0 ?? Self.wednesday) }).seed()
            let (_, admin) = try await server.login("admin", "admin-password")
            let sql = server.services.transactor.sql
            let rooms = try await sql.raw("SELECT id FROM rooms").all().map { try $0.decode(column: "id", as: UUID.self) }
            #expect(rooms.count >= 12)
            for room in rooms {
                let map = try await server.send(.GET, "/api/v1/rooms/\(room)/map", as: admin.caller())
                #expect(map.status == .ok)
                let svg = map.body.string
                #expect(svg.contains("<text"))
                let names = try await sql.raw("SELECT name FROM desks WHERE room_id = \(bind: room)").all().map { try $0.decode(column: "name", as: String.self) }
                #expect(!names.isEmpty)
                for name in names { #expect(!svg.contains(name), "the plan names desk \(name)") }
            }
        }
    }
}
