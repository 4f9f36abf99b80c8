import DeskCore
@testable import DeskServer
import Foundation
import SQLKit
import Testing
import VaporTesting

/// The booking invariants under many simultaneous writers, on whichever database the suite runs.
@Suite("Concurrency")
struct ConcurrencyTests {
    @Test("200 concurrent overlapping requests for one desk: exactly one wins, the rest get 409")
    func oneDeskManyUsers() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let callers = try await makeCallers(200, server)
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for (index, caller) in callers.enumerated() {
                    // Every request overlaps every other: they share 12:00-13:00 at least.
                    let start = ["09:00", "10:00", "11:00", "12:00"][index % 4]
                    group.addTask {
                        try await server.book(f.desks[0], as: caller, day: "2026-03-23", from: start, to: "13:00").status.code
                    }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 199)
            #expect(statuses.allSatisfy { $0 < 500 })
            let rows = try await server.services.transactor.sql.count(
                "SELECT COUNT(*) AS n FROM bookings WHERE desk_id = \(bind: f.desks[0]) AND status = 'confirmed'")
            #expect(rows == 1)
        }
    }

    @Test("100 concurrent bookings of different desks by one user at the same time: exactly one wins")
    func oneUserManyDesks() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let root = try await server.services.sessions.viewer(for: try #require(await server.services.users.user(id: f.admin.userId)))
            var desks: [UUID] = []
            for index in 0..<100 {
                desks.append(try await server.services.places.createDesk(
                    in: f.openSpace, .init(name: "C\(index)"), by: root, actor: Actor(userId: nil, ip: nil)).id)
            }
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for desk in desks {
                    group.addTask {
                        try await server.book(desk, as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00").status.code
                    }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 99)
            let rows = try await server.services.transactor.sql.count(
                "SELECT COUNT(*) AS n FROM bookings WHERE user_id = \(bind: f.ann.userId) AND status = 'confirmed'")
            #expect(rows == 1)
        }
    }

    @Test("two bookings stretched concurrently into the same free gap: exactly one succeeds")
    func concurrentChanges() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let first = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "10:00")).uuid("id"))
            let second = try #require(ResponseBody(try await server.book(f.desks[0], as: f.bob, day: "2026-03-23", from: "12:00", to: "13:00")).uuid("id"))
            async let a = server.send(.PATCH, "/api/v1/bookings/\(first)", as: f.ann, json: [
                "start": .time(local("2026-03-23", "09:00")), "end": .time(local("2026-03-23", "11:30")),
            ])
            async let b = server.send(.PATCH, "/api/v1/bookings/\(second)", as: f.bob, json: [
                "start": .time(local("2026-03-23", "11:00")), "end": .time(local("2026-03-23", "13:00")),
            ])
            let statuses = [try await a.status.code, try await b.status.code].sorted()
            #expect(statuses == [200, 409])
        }
    }

    private func makeCallers(_ count: Int, _ server: TestServer) async throws -> [Caller] {
        let services = server.services
        let admin = try await services.users.upsertAdmin(username: "root", password: "root-password")
        let root = try await services.sessions.viewer(for: admin)
        var callers: [Caller] = []
        for index in 0..<count {
            let user = try await services.users.create(
                .init(username: "load\(index)", email: "load\(index)@example.com", password: "load-password", displayName: "Load \(index)"),
                by: root, actor: Actor(userId: nil, ip: nil))
            let principal = Principal(user: user, viewer: try await services.sessions.viewer(for: user), credential: .session)
            let (_, secret) = try await services.sessions.createToken(name: "t", scopes: ["write"], for: principal, actor: Actor(userId: nil, ip: nil))
            callers.append(Caller(userId: user.id, headers: ["Authorization": "Bearer \(secret)"]))
        }
        return callers
    }
}
