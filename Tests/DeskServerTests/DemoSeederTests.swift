import DeskCore
@testable import DeskServer
import Foundation
import SQLKit
import Testing

@Suite("Demo data")
struct DemoSeederTests {
    @Test("the demo organisation is realistic, loads once and its people can sign in")
    func demo() async throws {
        try await withServer { server in
            _ = try await server.services.users.upsertAdmin(username: "admin", password: "admin-password")
            let summary = try await DemoSeeder(services: server.services).seed()
            #expect(summary.contains("Demo organisation loaded"))
            let sql = server.services.transactor.sql
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM countries") >= 2)
            #expect(try await sql.count("SELECT COUNT(DISTINCT timezone) AS n FROM locations") >= 3)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM desks") >= 150)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM users") >= 21)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM group_members") >= 20)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM location_gate_groups") >= 1)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM room_gate_groups") >= 1)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM room_maps") == (try await sql.count("SELECT COUNT(*) AS n FROM rooms")))
            let now = server.clock.now
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM bookings WHERE end_at < \(bind: now)") > 100)
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM bookings WHERE start_at > \(bind: now) AND status = 'confirmed'") > 100)
            // The generated bookings respect the invariants the write path enforces.
            let overlaps = try await sql.count("""
                SELECT COUNT(*) AS n FROM bookings a JOIN bookings b ON a.id < b.id AND a.status = 'confirmed' AND b.status = 'confirmed'
                AND a.start_at < b.end_at AND b.start_at < a.end_at AND (a.desk_id = b.desk_id OR a.user_id = b.user_id)
                """)
            #expect(overlaps == 0)

            #expect(try await DemoSeeder(services: server.services).seed().contains("already"))
            #expect(try await sql.count("SELECT COUNT(*) AS n FROM countries") == 3)
            let (login, session) = try await server.login("anna.schmidt", DemoSeeder.password)
            #expect(login.status == .ok)
            let maps = try await server.send(.GET, "/api/v1/locations", as: session.caller())
            #expect(ResponseBody(maps).array.count >= 3)
        }
    }
}
