import DeskCore
import Fluent
import Foundation
import Vapor

/// The `deskpilot` command line: serve (default), migrate, create-admin, seed-demo, rotate-key, bench-round, seed-autopilot, simulate-fairness.
public enum DeskPilot {
    static let usage = """
        usage: deskpilot [command] [options]

        commands:
          serve [--demo] [--hostname H] [--port P]   run the server (default); migrations run first
          migrate                                   apply database migrations and exit
          create-admin --username U --password P    create a superuser or reset one's password
          seed-demo                                 load the demo organisation into an empty database
          rotate-key                                add a key to the vault and seal every stored secret with it
                                                    (safe while the server runs; see README)
          bench-round [--requests N] [--desks M]    time one allocation round of N requests over M desks
          seed-autopilot [--rules N] [--desks M]    fill an empty database with N people with one autopilot rule each
                                                    (default 10000 and 2000) in an empty database
          simulate-fairness [--users N] [--desks M] [--weeks W] [--seed S] [--per-loss P]
                                                    desk-days per person under allocation rounds and first-come
                                                    booking (default 200 people, 100 desks, 8 weeks, seed 2026); no
                                                    database. --per-loss adds rounds with weight 1 + P × losses

        settings come from the environment: DESKPILOT_HOST, DESKPILOT_PORT, DESKPILOT_BASE_URL, DESKPILOT_DATA_DIR,
        DATABASE_URL, DESKPILOT_REGISTRATION, DESKPILOT_ADMIN_USERNAME, DESKPILOT_ADMIN_PASSWORD, DESKPILOT_SMTP_URL,
        DESKPILOT_MAIL_FROM, DESKPILOT_SECRET_KEYS, DESKPILOT_WEBHOOK_ALLOW_PRIVATE (see README)
        """

    public static func main(arguments: [String]) async -> Int32 {
        var rest = Array(arguments.dropFirst())
        let command = rest.first.flatMap { $0.hasPrefix("-") ? nil : $0 } ?? "serve"
        if rest.first == command { rest.removeFirst() }
        if rest.contains("--help") || rest.contains("-h") || command == "help" {
            print(usage)
            return 0
        }
        guard ["serve", "migrate", "create-admin", "seed-demo", "rotate-key", "bench-round", "seed-autopilot", "simulate-fairness"].contains(command) else {
            FileHandle.standardError.write(Data("deskpilot: unknown command '\(command)'\n\n\(usage)\n".utf8))
            return 2
        }
        if command == "simulate-fairness" { return simulateFairness(rest) }
        let demo = rest.contains("--demo")
        rest.removeAll { $0 == "--demo" }

        let config: AppConfig
        do {
            config = try AppConfig.load(from: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("deskpilot: \(error)\n".utf8))
            return 2
        }

        let app: Application
        do {
            var environment = try Environment.detect(arguments: [arguments.first ?? "deskpilot"])
            environment.arguments = [arguments.first ?? "deskpilot"] + (command == "serve" ? ["serve"] + rest : [])
            switch config.logFormat {
            case .text:
                try LoggingSystem.bootstrap(from: &environment)
            case .json:
                let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
                LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
            }
            app = try await Application.make(environment)
        } catch {
            FileHandle.standardError.write(Data("deskpilot: \(error)\n".utf8))
            return 1
        }
        do {
            // Loading the demo sets the clock to moments of the demo's past; otherwise it is the wall clock.
            let demoClock = DemoClock()
            let seedsDemo = demo || command == "seed-demo"
            try await configure(app, config: config, clock: seedsDemo ? demoClock.wallClock : .system)
            switch command {
            case "serve":
                try await app.autoMigrate()
                try await announceAdmin(app, config: config)
                if demo { print(try await DemoSeeder(services: app.services, travel: { demoClock.set($0) }).seed()) }
                try await serve(app)
            case "migrate":
                try await app.autoMigrate()
                print("migrations applied")
            case "create-admin":
                try await app.autoMigrate()
                guard let username = option("--username", in: rest) ?? config.adminUsername,
                      let password = option("--password", in: rest) ?? config.adminPassword
                else {
                    throw CommandError("create-admin needs --username and --password (or DESKPILOT_ADMIN_USERNAME/PASSWORD)")
                }
                let user = try await app.services.users.upsertAdmin(username: username, password: password)
                print("superuser '\(user.username)' is ready")
            case "seed-demo":
                try await app.autoMigrate()
                try await announceAdmin(app, config: config)
                print(try await DemoSeeder(services: app.services, travel: { demoClock.set($0) }).seed())
            case "rotate-key":
                try await app.autoMigrate()
                print(try await KeyRotation(transactor: app.services.transactor, config: config).run())
            case "bench-round":
                try await app.autoMigrate()
                guard let requests = Int(option("--requests", in: rest) ?? "10000"), let desks = Int(option("--desks", in: rest) ?? "2000"),
                      requests > 0, desks > 0
                else { throw CommandError("--requests and --desks take positive numbers") }
                print(try await RoundBenchmark(services: app.services).run(requests: requests, desks: desks, seed: 2026))
            case "seed-autopilot":
                try await app.autoMigrate()
                guard let rules = Int(option("--rules", in: rest) ?? "10000"), let desks = Int(option("--desks", in: rest) ?? "2000"),
                      rules >= 0, desks > 0
                else { throw CommandError("--rules takes a number of at least 0, --desks a positive number") }
                print(try await AutopilotSeeder(services: app.services).seed(rules: rules, desks: desks))
            default:
                break
            }
            try await app.asyncShutdown()
            return 0
        } catch {
            FileHandle.standardError.write(Data("deskpilot: \(error)\n".utf8))
            try? await app.asyncShutdown()
            return 1
        }
    }

    /// Serves until SIGTERM or SIGINT, then stops without losing work. First it drains: `/readyz` fails and every
    /// answer closes its connection, while the server still accepts and answers for `DESKPILOT_DRAIN_SECONDS`, so
    /// that load balancers and clients move to another instance without a failed request. Then it stops accepting,
    /// tells live sockets to go away (1001) so that clients reconnect elsewhere, finishes the requests under way
    /// (within `DESKPILOT_SHUTDOWN_TIMEOUT`), closes idle connections, finishes the background jobs and gives up their
    /// lease. The databases close after that.
    private static func serve(_ app: Application) async throws {
        try await app.startup()
        app.services.background.start(.serving)
        try await app.running?.onStop.get()
        let limits = app.services.config.http
        app.services.drain.begin()
        app.logger.notice("shutting down: draining for \(limits.drainPeriod) s")
        try? await Task.sleep(for: .milliseconds(Int(limits.drainPeriod * 1000)))
        app.logger.notice("shutting down: finishing in-flight requests")
        async let serverStopped: Void = app.server.shutdown()
        // Sockets go away first, so that the server is not kept waiting for them; the hub's later stop finds it done.
        await app.services.realtime.shutdown()
        await serverStopped
        await app.services.background.stop()
        app.logger.notice("stopped")
    }

    /// On first run without configured credentials, the generated admin password is printed exactly once.
    private static func announceAdmin(_ app: Application, config: AppConfig) async throws {
        guard let (user, generated) = try await app.services.users.ensureAdmin(
            username: config.adminUsername, password: config.adminPassword) else { return }
        if let generated {
            print("""
                Created the first administrator. Sign in with:
                  username: \(user.username)
                  password: \(generated)
                This password is shown only once; change it after signing in.
                """)
        } else {
            print("Created the first administrator '\(user.username)' from DESKPILOT_ADMIN_USERNAME/PASSWORD.")
        }
    }

    /// Pure computation: needs no configuration, database or application.
    private static func simulateFairness(_ arguments: [String]) -> Int32 {
        let standard = FairnessWeights.standard
        guard let users = Int(option("--users", in: arguments) ?? "200"), let desks = Int(option("--desks", in: arguments) ?? "100"),
              let weeks = Int(option("--weeks", in: arguments) ?? "8"), let seed = UInt64(option("--seed", in: arguments) ?? "2026"),
              let perLoss = Double(option("--per-loss", in: arguments) ?? String(standard.perLoss)),
              (1...1_000_000).contains(users), (1...1_000_000).contains(desks), (1...520).contains(weeks), perLoss >= 0, perLoss.isFinite
        else {
            FileHandle.standardError.write(Data("""
                deskpilot: --users and --desks take 1 to 1000000, --weeks 1 to 520, --seed a non-negative integer, \
                --per-loss a non-negative number

                """.utf8))
            return 2
        }
        let settings = FairnessSimulation.Settings(users: users, desks: desks, weeks: weeks, seed: seed)
        var weights = standard
        weights.perLoss = perLoss
        print(FairnessSimulationCommand(settings: settings, alternativeWeights: weights).run())
        return 0
    }

    private static func option(_ name: String, in arguments: [String]) -> String? {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }
}

struct CommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
