import DeskCore
@testable import DeskServer
import Foundation
import NIOConcurrencyHelpers
import PostgresKit
import Testing
import Vapor
import VaporTesting

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let box: NIOLockedValueBox<Date>

    init(_ now: Date) {
        box = NIOLockedValueBox(now)
    }

    var now: Date { box.withLockedValue { $0 } }

    func set(_ date: Date) {
        box.withLockedValue { $0 = date }
    }

    func advance(by seconds: TimeInterval) {
        box.withLockedValue { $0 = $0.addingTimeInterval(seconds) }
    }

    var wallClock: WallClock { WallClock { [box] in box.withLockedValue { $0 } } }
}

/// Which database the server tests run on: SQLite by default, PostgreSQL when `DESKPILOT_TEST_POSTGRES_URL` is set.
enum TestDatabase {
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["DESKPILOT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var isPostgres: Bool { postgresURL != nil }
}

/// One application per test on its own database: a fresh SQLite file, or a fresh PostgreSQL schema.
final class TestServer: Sendable {
    let app: Application
    let clock: TestClock
    /// See `QueryCounter`.
    let queryLog: QueryCounter.Box
    private let directory: URL
    private let schema: String?

    private init(app: Application, clock: TestClock, queryLog: QueryCounter.Box, directory: URL, schema: String?) {
        self.app = app
        self.clock = clock
        self.queryLog = queryLog
        self.directory = directory
        self.schema = schema
    }

    static func start(now: Date, registration: RegistrationMode = .closed, configure adjust: (inout AppConfig) -> Void = { _ in }) async throws -> TestServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deskpilot-test-\(UUID().uuidString)")
        var config = try AppConfig.load(from: ["DESKPILOT_DATA_DIR": directory.path])
        config.bcryptCost = 4
        config.registration = registration
        config.jwtSecret = String(repeating: "s", count: 40)
        adjust(&config)
        let clock = TestClock(now)
        let app = try await Application.make(.testing)
        let queryLog = QueryCounter.Box()
        app.logger = Logger(label: "deskpilot-test") { _ in QueryCounter(box: queryLog) }
        var schema: String?
        if let url = TestDatabase.postgresURL {
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            schema = String(name)
            try await PostgresSchemas.create(String(name), url: url)
            config.database = .postgres(url: url + (url.contains("?") ? "&" : "?") + "search_path=\(name),public")
        }
        do {
            try await configure(app, config: config, clock: clock.wallClock)
            try await app.autoMigrate()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return TestServer(app: app, clock: clock, queryLog: queryLog, directory: directory, schema: schema)
    }

    /// Serves over real HTTP on a free loopback port (for WebSocket clients); returns the port.
    func listen() async throws -> Int {
        if let port = localAddress?.port { return port }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        guard let port = localAddress?.port else { throw CommandError("the test server did not bind") }
        return port
    }

    /// Where the application's own HTTP server listens, once started.
    private var localAddress: SocketAddress? { (app.server as? GuardedHTTPServer)?.localAddress }

    func shutdown() async throws {
        if localAddress != nil {
            await app.services.realtime.shutdown()
            await app.server.shutdown()
        }
        try await app.asyncShutdown()
        try? FileManager.default.removeItem(at: directory)
        if let schema, let url = TestDatabase.postgresURL {
            try await PostgresSchemas.drop(schema, url: url)
        }
    }

    var services: AppServices { app.services }
}

/// Runs `body` against a fresh server and always shuts it down.
func withServer<T>(
    now: Date = Fixture.defaultNow, registration: RegistrationMode = .closed, configure adjust: (inout AppConfig) -> Void = { _ in },
    _ body: (TestServer) async throws -> T
) async throws -> T {
    // Swift Testing runs every case at once; a few servers at a time keep PostgreSQL under its connection limit.
    await TestServerSlots.shared.acquire()
    defer { Task { await TestServerSlots.shared.release() } }
    let server = try await TestServer.start(now: now, registration: registration, configure: adjust)
    do {
        let result = try await body(server)
        try await server.shutdown()
        return result
    } catch {
        try? await server.shutdown()
        throw error
    }
}

/// A counting semaphore for running test servers.
actor TestServerSlots {
    static let shared = TestServerSlots(limit: TestDatabase.isPostgres ? 6 : 12)

    private var free: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        free = limit
    }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { free += 1 } else { waiters.removeFirst().resume() }
    }
}

/// Creates and drops the per-test schemas on the PostgreSQL test database.
enum PostgresSchemas {
    static func create(_ name: String, url: String) async throws {
        try await run("CREATE SCHEMA \(name)", url: url)
    }

    static func drop(_ name: String, url: String) async throws {
        try await run("DROP SCHEMA IF EXISTS \(name) CASCADE", url: url)
    }

    private static func run(_ statement: String, url: String) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: try SQLPostgresConfiguration(url: url).coreConfiguration, id: 1, logger: Logger(label: "test-schemas")
        )
        do {
            _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Logger(label: "test-schemas"))
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
