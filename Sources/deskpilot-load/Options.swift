import Foundation

/// What a run measures.
enum Scenario: String, Sendable, CaseIterable {
    /// `POST /api/v1/bookings`, each client booking its own desk slot after slot.
    case bookings
    /// `GET /api/v1/rooms/{id}/availability` for a 7-day window of one half-booked 100-desk room.
    case availability
    /// Many live-update sockets (`GET /api/v1/ws`) following one room while bookings are made in it, one at a time.
    case fanout
}

/// Settings of one `deskpilot-load` run.
struct LoadOptions: Sendable {
    var scenario = Scenario.bookings
    var baseURL = "http://127.0.0.1:8080"
    var adminUser = "admin"
    var adminPassword = ""
    var concurrency = 16
    var duration = 10.0
    var warmup = 2.0
    var timezone = "UTC"
    /// fanout: WebSocket clients, each with its own user.
    var clients = 1000
    /// fanout: recorded bookings, one at a time.
    var rounds = 20
    /// fanout: unrecorded bookings before the recorded ones.
    var warmupRounds = 2
    /// fanout: pause between the end of one round and the next booking.
    var intervalMilliseconds = 300
}

enum ParseOutcome {
    case help
    case run(LoadOptions)
}

struct UsageError: Error, CustomStringConvertible {
    let description: String
}

enum Usage {
    static let text = """
    usage: deskpilot-load [bookings|availability|fanout] --admin-password <password> [options]

    Measures throughput and latency of a running DeskPilot server over HTTP on
    loopback. Creates its own country, location, room, desks and users (random
    names), then runs the clients for the given time.

    scenarios:
      bookings       each client books its own desk, 30-minute slot after slot
                     (POST /api/v1/bookings; one desk and one user per client)
      availability   each client reads a 7-day availability window of one room
                     with 100 desks, about half of its desk-days booked
                     (GET /api/v1/rooms/{id}/availability)
      fanout         --clients WebSocket clients (GET /api/v1/ws, one user each)
                     follow one room; one more user books a desk in it once per
                     round (POST /api/v1/bookings); measures, per client, the
                     time from sending the booking to receiving its
                     booking.created frame

    options:
      --scenario <name>         bookings, availability or fanout (default bookings; may also
                                be given as the first argument)
      --base-url <url>          server address, loopback only (default http://127.0.0.1:8080)
      --admin-user <name>       administrator username (default admin)
      --admin-password <pw>     administrator password (required)
      --concurrency <n>         parallel clients, each with its own user (default 16, 1-1024)
      --duration <seconds>      measured time (default 10)
      --warmup <seconds>        unrecorded time before measuring (default 2)
      --timezone <identifier>   time zone of the created location (default UTC)

    fanout options (--concurrency, --duration and --warmup do not apply):
      --clients <n>             WebSocket clients, each with its own user (default 1000,
                                1-20000; needs about that many file descriptors)
      --rounds <n>              recorded bookings, one at a time (default 20, 1-1000)
      --warmup-rounds <n>       unrecorded bookings before them (default 2, 0-100)
      --interval-ms <ms>        pause between rounds (default 300, 0-60000)
      -h, --help                show this help

    Output: a human-readable summary and one line "RESULT {json}" on stdout;
    progress on stderr. Exit status 0 on a completed run (whatever the
    response codes), 1 when setup or the server fails, 2 on bad arguments.
    """
}

enum ArgumentParser {
    static func parse(_ arguments: [String]) throws -> ParseOutcome {
        if arguments.contains("-h") || arguments.contains("--help") || arguments.first == "help" {
            return .help
        }
        var options = LoadOptions()
        var rest = arguments[...]
        // The scenario as a leading word keeps `deskpilot-load bookings …` working.
        var positionalScenario: Scenario?
        if let first = rest.first, !first.hasPrefix("--") {
            positionalScenario = try scenario(named: first)
            rest = rest.dropFirst()
        }
        var optionScenario: Scenario?
        var passwordGiven = false
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--") else {
                throw UsageError(description: "unexpected argument '\(argument)'")
            }
            let name: String
            let value: String
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            } else {
                name = argument
                guard let next = rest.popFirst() else {
                    throw UsageError(description: "\(name) needs a value")
                }
                value = next
            }
            switch name {
            case "--scenario":
                optionScenario = try scenario(named: value)
            case "--base-url":
                options.baseURL = value
            case "--admin-user":
                options.adminUser = value
            case "--admin-password":
                options.adminPassword = value
                passwordGiven = true
            case "--concurrency":
                options.concurrency = try integer(value, for: name, in: 1...1024)
            case "--duration":
                guard let seconds = Double(value), seconds > 0, seconds <= 3600 else {
                    throw UsageError(description: "--duration must be a number of seconds in (0, 3600]")
                }
                options.duration = seconds
            case "--warmup":
                guard let seconds = Double(value), seconds >= 0, seconds <= 600 else {
                    throw UsageError(description: "--warmup must be a number of seconds in [0, 600]")
                }
                options.warmup = seconds
            case "--clients":
                options.clients = try integer(value, for: name, in: 1...20_000)
            case "--rounds":
                options.rounds = try integer(value, for: name, in: 1...1000)
            case "--warmup-rounds":
                options.warmupRounds = try integer(value, for: name, in: 0...100)
            case "--interval-ms":
                options.intervalMilliseconds = try integer(value, for: name, in: 0...60_000)
            case "--timezone":
                guard TimeZone(identifier: value) != nil else {
                    throw UsageError(description: "--timezone '\(value)' is not a known time zone identifier")
                }
                options.timezone = value
            default:
                throw UsageError(description: "unknown option '\(name)'")
            }
        }
        guard passwordGiven, !options.adminPassword.isEmpty else {
            throw UsageError(description: "--admin-password is required")
        }
        guard !options.adminUser.isEmpty else {
            throw UsageError(description: "--admin-user must not be empty")
        }
        if let positionalScenario, let optionScenario, positionalScenario != optionScenario {
            throw UsageError(description: "scenario '\(positionalScenario.rawValue)' contradicts "
                + "--scenario \(optionScenario.rawValue)")
        }
        options.scenario = optionScenario ?? positionalScenario ?? .bookings
        options.baseURL = try loopbackBaseURL(options.baseURL)
        return .run(options)
    }

    /// An integer option within its range.
    private static func integer(_ value: String, for name: String, in range: ClosedRange<Int>) throws -> Int {
        guard let number = Int(value), range.contains(number) else {
            throw UsageError(description: "\(name) must be an integer between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    static func scenario(named name: String) throws -> Scenario {
        guard let scenario = Scenario(rawValue: name) else {
            let known = Scenario.allCases.map(\.rawValue).joined(separator: ", ")
            throw UsageError(description: "unknown scenario '\(name)' (known: \(known))")
        }
        return scenario
    }

    /// Accepts only http(s) URLs whose host is 127.0.0.1, localhost or ::1; returns it without a trailing slash.
    static func loopbackBaseURL(_ raw: String) throws -> String {
        var text = raw.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") {
            text.removeLast()
        }
        guard let url = URL(string: text),
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let rawHost = url.host, !rawHost.isEmpty
        else {
            throw UsageError(description: "--base-url '\(raw)' is not an http URL like http://127.0.0.1:8080")
        }
        guard url.user == nil, url.password == nil, url.query == nil, url.fragment == nil else {
            throw UsageError(description: "--base-url '\(raw)' must not contain credentials, a query or a fragment")
        }
        var host = rawHost.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        guard ["127.0.0.1", "localhost", "::1"].contains(host) else {
            throw UsageError(description: "refusing --base-url '\(raw)': host '\(host)' is not loopback (allowed: 127.0.0.1, localhost, ::1)")
        }
        return text
    }
}
