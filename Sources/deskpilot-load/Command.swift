import AsyncHTTPClient
import Foundation

enum LoadCommand {
    static func main(arguments: [String]) async -> Int32 {
        let options: BookingsOptions
        do {
            switch try ArgumentParser.parse(arguments) {
            case .help:
                Output.out(Usage.text)
                return 0
            case .bookings(let parsed):
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
            try await bookings(client: client, options: options)
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

    static func bookings(client: HTTPClient, options: BookingsOptions) async throws {
        guard let timeZone = TimeZone(identifier: options.timezone) else {
            throw LoadError("unknown time zone \(options.timezone)")
        }
        let api = API(client: client, baseURL: options.baseURL)
        let fixture = try await Setup.prepare(api: api, options: options)
        let slots = Slots.make(timeZone: timeZone)
        guard let first = slots.first, let last = slots.last else {
            throw LoadError("no booking slots could be computed for time zone \(options.timezone)")
        }
        Output.err("run: \(options.concurrency) clients, warmup \(options.warmup) s, measuring \(options.duration) s, "
            + "\(slots.count) slots per client from \(first.start) to \(last.end)")
        let run = await Runner.run(client: client, baseURL: options.baseURL, fixture: fixture, slots: slots,
                                   warmup: options.warmup, duration: options.duration)
        let result = Report.build(options: options, run: run)
        Output.out(Report.humanReadable(result))
        Output.out(try Report.jsonLine(result))
    }
}
