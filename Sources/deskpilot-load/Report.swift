import Foundation

/// The machine-readable result, printed as `RESULT {json}`.
struct ResultLine: Encodable {
    struct Latency: Encodable {
        let p50: Double
        let p90: Double
        let p99: Double
        let max: Double
    }

    struct StatusClasses: Encodable {
        let success: Int
        let clientError: Int
        let serverError: Int
        let other: Int
        let transportErrors: Int

        enum CodingKeys: String, CodingKey {
            case success = "2xx"
            case clientError = "4xx"
            case serverError = "5xx"
            case other
            case transportErrors = "transport_errors"
        }
    }

    let scenario: String
    let baseURL: String
    let timezone: String
    let concurrency: Int
    let requests: Int
    let durationSeconds: Double
    let throughputPerSecond: Double
    let latencyMs: Latency
    let statusClasses: StatusClasses
    let statusCodes: [String: Int]
    let expectedStatus: Int
    let meanResponseBytes: Double
    let warmupSeconds: Double
    let warmupRequests: Int
    let clientsOutOfSlots: Int
    let unexpectedSamples: [String]

    enum CodingKeys: String, CodingKey {
        case scenario
        case baseURL = "base_url"
        case timezone
        case concurrency
        case requests
        case durationSeconds = "duration_s"
        case throughputPerSecond = "throughput_rps"
        case latencyMs = "latency_ms"
        case statusClasses = "status_classes"
        case statusCodes = "status_codes"
        case expectedStatus = "expected_status"
        case meanResponseBytes = "mean_response_bytes"
        case warmupSeconds = "warmup_s"
        case warmupRequests = "warmup_requests"
        case clientsOutOfSlots = "clients_out_of_slots"
        case unexpectedSamples = "unexpected_samples"
    }
}

enum Report {
    static func build(options: LoadOptions, expectedStatus: Int, run: RunOutcome) -> ResultLine {
        var latencies: [Int64] = []
        latencies.reserveCapacity(run.clients.reduce(0) { $0 + $1.latenciesNanoseconds.count })
        var codes: [Int: Int] = [:]
        var transportErrors = 0
        var warmupRequests = 0
        var responseBytes = 0
        var samples: [String] = []
        for client in run.clients {
            latencies.append(contentsOf: client.latenciesNanoseconds)
            codes.merge(client.statusCounts, uniquingKeysWith: +)
            transportErrors += client.transportErrors
            warmupRequests += client.warmupRequests
            responseBytes += client.responseBytes
            for sample in client.samples where samples.count < Runner.sampleLimit && !samples.contains(sample) {
                samples.append(sample)
            }
        }
        latencies.sort()

        func count(_ range: Range<Int>) -> Int {
            codes.filter { range.contains($0.key) }.reduce(0) { $0 + $1.value }
        }
        let success = count(200..<300)
        let clientError = count(400..<500)
        let serverError = count(500..<600)
        let responses = codes.values.reduce(0, +)
        let requests = responses + transportErrors
        let seconds = max(run.measuredSeconds, 0.000_001)

        return ResultLine(
            scenario: options.scenario.rawValue,
            baseURL: options.baseURL,
            timezone: options.timezone,
            concurrency: options.concurrency,
            requests: requests,
            durationSeconds: rounded(run.measuredSeconds, 3),
            throughputPerSecond: rounded(Double(requests) / seconds, 2),
            latencyMs: .init(
                p50: milliseconds(percentile(latencies, 0.50)),
                p90: milliseconds(percentile(latencies, 0.90)),
                p99: milliseconds(percentile(latencies, 0.99)),
                max: milliseconds(latencies.last ?? 0)
            ),
            statusClasses: .init(
                success: success, clientError: clientError, serverError: serverError,
                other: responses - success - clientError - serverError, transportErrors: transportErrors
            ),
            statusCodes: Dictionary(uniqueKeysWithValues: codes.map { (String($0.key), $0.value) }),
            expectedStatus: expectedStatus,
            meanResponseBytes: rounded(Double(responseBytes) / Double(max(responses, 1)), 1),
            warmupSeconds: options.warmup,
            warmupRequests: warmupRequests,
            clientsOutOfSlots: run.clients.filter(\.ranOut).count,
            unexpectedSamples: samples
        )
    }

    static func humanReadable(_ result: ResultLine) -> String {
        let codes = result.statusCodes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        let latency = result.latencyMs
        let classes = result.statusClasses
        var lines = [
            "DeskPilot \(result.scenario) load (\(result.baseURL), timezone \(result.timezone))",
            "  concurrency       \(result.concurrency)",
            "  requests          \(result.requests)  (plus \(result.warmupRequests) during \(result.warmupSeconds) s warmup, not recorded)",
            "  duration          \(fixed(result.durationSeconds, 2)) s",
            "  throughput        \(fixed(result.throughputPerSecond, 1)) req/s",
            "  latency ms        p50 \(fixed(latency.p50, 2))  p90 \(fixed(latency.p90, 2))  "
                + "p99 \(fixed(latency.p99, 2))  max \(fixed(latency.max, 2))",
            "  status classes    2xx \(classes.success)  4xx \(classes.clientError)  5xx \(classes.serverError)  "
                + "other \(classes.other)  transport errors \(classes.transportErrors)",
            "  status codes      \(codes.isEmpty ? "none" : codes.joined(separator: ", "))  "
                + "(expected \(result.expectedStatus))",
            "  response size     mean \(fixed(result.meanResponseBytes, 0)) bytes",
        ]
        if result.clientsOutOfSlots > 0 {
            lines.append("  note              \(result.clientsOutOfSlots) of \(result.concurrency) clients had no request "
                + "left (every slot booked) and stopped early")
        }
        if !result.unexpectedSamples.isEmpty {
            lines.append("  first unexpected responses:")
            lines.append(contentsOf: result.unexpectedSamples.map { "    \($0)" })
        }
        return lines.joined(separator: "\n")
    }

    static func jsonLine(_ result: ResultLine) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return "RESULT " + String(decoding: try encoder.encode(result), as: UTF8.self)
    }

    /// Nearest-rank percentile of an ascending array.
    static func percentile(_ sorted: [Int64], _ fraction: Double) -> Int64 {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    static func milliseconds(_ nanoseconds: Int64) -> Double {
        rounded(Double(nanoseconds) / 1_000_000, 3)
    }

    static func rounded(_ value: Double, _ digits: Int) -> Double {
        let scale = pow(10.0, Double(digits))
        return (value * scale).rounded() / scale
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
