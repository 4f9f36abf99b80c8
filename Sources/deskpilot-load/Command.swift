import AsyncHTTPClient
import Foundation

enum LoadCommand {
    static func main(arguments: [String]) async -> Int32 {
        let options: LoadOptions
        do {
            switch try ArgumentParser.parse(arguments) {
            case .help:
                Output.out(Usage.text)
                return 0
            case .run(let parsed):
                options = parsed
            }
        } catch {
            Output.err("error: \(error)\n")
            Output.err(Usage.text)
            return 2
        }

        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(120),
            concurrentHTTP1ConnectionsPerHostSoftLimit: max(options.concurrency + 4, 8)
        )
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(120))
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)

        var status: Int32 = 0
        do {
            try await run(client: client, options: options)
        } catch {
            Output.err("error: \(error)")
            status = 1
        }
        do {
            try await client.shutdown()
        } catch {
            Output.err("error: shutting down the HTTP client: \(error)")
            if status == 0 { status = 1 }
        }
        return status
    }

    static func run(client: HTTPClient, options: LoadOptions) async throws {
        guard let timeZone = TimeZone(identifier: options.timezone) else {
            throw LoadError("unknown time zone \(options.timezone)")
        }
        let api = API(client: client, baseURL: options.baseURL)
        let local = LocalDays(timeZone: timeZone)
        switch options.scenario {
        case .bookings:
            try await measure(client: client, options: options) {
                try await BookingScenario.prepare(api: api, options: options, local: local)
            }
        case .availability:
            try await measure(client: client, options: options) {
                try await AvailabilityScenario.prepare(api: api, options: options, local: local)
            }
        case .fanout:
            try await FanoutScenario.run(client: client, options: options, local: local)
        }
    }

    /// Sets up, runs the workloads and prints the report; generic so each scenario's client loop is specialised.
    static func measure<W: Workload>(client: HTTPClient, options: LoadOptions,
                                     setup: () async throws -> [W]) async throws {
        let clock = ContinuousClock()
        let began = clock.now
        let workloads = try await setup()
        Output.err("setup: done in \(format(seconds: (clock.now - began).seconds, digits: 1)) s")
        Output.err("run: \(workloads.count) clients, warmup \(options.warmup) s, measuring \(options.duration) s")
        let run = await Runner.run(client: client, workloads: workloads, warmup: options.warmup,
                                   duration: options.duration)
        let result = Report.build(options: options, expectedStatus: W.expectedStatus, run: run)
        Output.out(Report.humanReadable(result))
        Output.out(try Report.jsonLine(result))
    }
}
