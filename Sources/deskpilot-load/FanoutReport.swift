import Foundation

/// The machine-readable fan-out result, printed as `RESULT {json}`. Latencies in milliseconds; a round's figures are
/// over its clients, the summary is the median over the recorded rounds.
struct FanoutResultLine: Encodable {
    struct Delivery: Encodable {
        let first: Double
        let p50: Double
        let p99: Double
        let max: Double
    }

    struct Created: Encodable {
        let median: Double
        let max: Double
    }

    struct RoundLine: Encodable {
        let round: Int
        let status: Int
        let createdMs: Double
        let firstMs: Double
        let p50Ms: Double
        let p99Ms: Double
        let maxMs: Double
        let received: Int
        let missed: Int

        enum CodingKeys: String, CodingKey {
            case round, status, received, missed
            case createdMs = "created_ms"
            case firstMs = "first_ms"
            case p50Ms = "p50_ms"
            case p99Ms = "p99_ms"
            case maxMs = "max_ms"
        }
    }

    let scenario: String
    let baseURL: String
    let timezone: String
    let clients: Int
    let rounds: Int
    let warmupRounds: Int
    let intervalMs: Int
    let connectSeconds: Double
    /// Medians over the recorded rounds of each round's first, p50, p99 and max delivery latency.
    let deliveryMs: Delivery
    /// The worst recorded round's p99 and max.
    let worstRoundMs: Delivery
    /// Every recorded delivery of every round together.
    let allDeliveriesMs: ResultLine.Latency
    /// Sending the booking until its 201 had been read.
    let createdMs: Created
    /// Deliveries that did not arrive within their round, all rounds (warm-up included).
    let missedDeliveries: Int
    /// Of those, the ones that arrived later, before the sockets were closed.
    let lateDeliveries: Int
    /// Clients that missed at least one event.
    let clientsMissingEvents: Int
    let failedBookings: Int
    let bookingStatusCodes: [String: Int]
    let otherFrames: Int
    let socketsClosedByServer: Int
    let roundDetails: [RoundLine]
    let unexpectedSamples: [String]

    enum CodingKeys: String, CodingKey {
        case scenario
        case baseURL = "base_url"
        case timezone
        case clients
        case rounds
        case warmupRounds = "warmup_rounds"
        case intervalMs = "interval_ms"
        case connectSeconds = "connect_s"
        case deliveryMs = "delivery_ms"
        case worstRoundMs = "worst_round_ms"
        case allDeliveriesMs = "all_deliveries_ms"
        case createdMs = "created_ms"
        case missedDeliveries = "missed_deliveries"
        case lateDeliveries = "late_deliveries"
        case clientsMissingEvents = "clients_missing_events"
        case failedBookings = "failed_bookings"
        case bookingStatusCodes = "booking_status_codes"
        case otherFrames = "other_frames"
        case socketsClosedByServer = "sockets_closed_by_server"
        case roundDetails = "round_details"
        case unexpectedSamples = "unexpected_samples"
    }
}

enum FanoutReport {
    static func build(options: LoadOptions, rounds: [FanoutScenario.Round], connectSeconds: Double,
                      lateDeliveries: Int, clientsMissingEvents: Int, otherFrames: Int,
                      closedEarly: Int) -> FanoutResultLine {
        let recorded = rounds.filter { $0.recorded && $0.bookingId != nil }
        let lines = recorded.map { round in
            FanoutResultLine.RoundLine(
                round: round.number, status: round.status,
                createdMs: Report.milliseconds(round.createdNanoseconds),
                firstMs: Report.milliseconds(round.latencies.first ?? 0),
                p50Ms: Report.milliseconds(Report.percentile(round.latencies, 0.50)),
                p99Ms: Report.milliseconds(Report.percentile(round.latencies, 0.99)),
                maxMs: Report.milliseconds(round.latencies.last ?? 0),
                received: round.latencies.count, missed: round.missed)
        }
        var pooled: [Int64] = recorded.flatMap(\.latencies)
        pooled.sort()
        var codes: [String: Int] = [:]
        for round in rounds { codes[String(round.status), default: 0] += 1 }
        var samples: [String] = []
        for round in rounds {
            if let problem = round.problem, samples.count < Runner.sampleLimit, !samples.contains(problem) {
                samples.append(problem)
            }
        }
        return FanoutResultLine(
            scenario: options.scenario.rawValue,
            baseURL: options.baseURL,
            timezone: options.timezone,
            clients: options.clients,
            rounds: options.rounds,
            warmupRounds: options.warmupRounds,
            intervalMs: options.intervalMilliseconds,
            connectSeconds: Report.rounded(connectSeconds, 2),
            deliveryMs: .init(first: median(lines.map(\.firstMs)), p50: median(lines.map(\.p50Ms)),
                              p99: median(lines.map(\.p99Ms)), max: median(lines.map(\.maxMs))),
            worstRoundMs: .init(first: lines.map(\.firstMs).max() ?? 0, p50: lines.map(\.p50Ms).max() ?? 0,
                                p99: lines.map(\.p99Ms).max() ?? 0, max: lines.map(\.maxMs).max() ?? 0),
            allDeliveriesMs: .init(
                p50: Report.milliseconds(Report.percentile(pooled, 0.50)),
                p90: Report.milliseconds(Report.percentile(pooled, 0.90)),
                p99: Report.milliseconds(Report.percentile(pooled, 0.99)),
                max: Report.milliseconds(pooled.last ?? 0)),
            createdMs: .init(median: median(lines.map(\.createdMs)), max: lines.map(\.createdMs).max() ?? 0),
            missedDeliveries: rounds.reduce(0) { $0 + $1.missed },
            lateDeliveries: lateDeliveries,
            clientsMissingEvents: clientsMissingEvents,
            failedBookings: rounds.filter { $0.bookingId == nil }.count,
            bookingStatusCodes: codes,
            otherFrames: otherFrames,
            socketsClosedByServer: closedEarly,
            roundDetails: lines,
            unexpectedSamples: samples
        )
    }

    /// One round's progress line.
    static func describe(_ round: FanoutScenario.Round, clients: Int) -> String {
        let ms = { (nanoseconds: Int64) in Report.fixed(Report.milliseconds(nanoseconds), 1) }
        var text = "201 after \(ms(round.createdNanoseconds)) ms; delivered to \(round.latencies.count)/\(clients): "
            + "first \(ms(round.latencies.first ?? 0))  p50 \(ms(Report.percentile(round.latencies, 0.50)))  "
            + "p99 \(ms(Report.percentile(round.latencies, 0.99)))  max \(ms(round.latencies.last ?? 0)) ms"
        if round.missed > 0 { text += "  MISSED \(round.missed)" }
        return text
    }

    static func humanReadable(_ result: FanoutResultLine) -> String {
        let f = { (value: Double) in Report.fixed(value, 2) }
        let delivery = result.deliveryMs
        let worst = result.worstRoundMs
        let pooled = result.allDeliveriesMs
        let codes = result.bookingStatusCodes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        var lines = [
            "DeskPilot \(result.scenario) load (\(result.baseURL), timezone \(result.timezone))",
            "  clients           \(result.clients) WebSocket clients on one room, subscribed in "
                + "\(Report.fixed(result.connectSeconds, 1)) s",
            "  rounds            \(result.roundDetails.count) recorded bookings (plus \(result.warmupRounds) warm-up), "
                + "\(result.intervalMs) ms apart",
            "  delivery ms       median over rounds: first \(f(delivery.first))  p50 \(f(delivery.p50))  "
                + "p99 \(f(delivery.p99))  max \(f(delivery.max))",
            "  worst round ms    p50 \(f(worst.p50))  p99 \(f(worst.p99))  max \(f(worst.max))",
            "  all deliveries ms p50 \(f(pooled.p50))  p90 \(f(pooled.p90))  p99 \(f(pooled.p99))  max \(f(pooled.max))",
            "  booking 201 ms    median \(f(result.createdMs.median))  max \(f(result.createdMs.max))",
            "  missed            \(result.missedDeliveries) deliveries (\(result.lateDeliveries) arrived late), "
                + "\(result.clientsMissingEvents) clients missed an event",
            "  bookings          \(codes.joined(separator: ", ")) (expected 201), \(result.failedBookings) failed",
            "  other frames      \(result.otherFrames)  sockets closed by the server \(result.socketsClosedByServer)",
            "  per round ms      (created / first / p50 / p99 / max)",
        ]
        for round in result.roundDetails {
            lines.append("    \(round.round): \(f(round.createdMs)) / \(f(round.firstMs)) / \(f(round.p50Ms)) / "
                + "\(f(round.p99Ms)) / \(f(round.maxMs))" + (round.missed > 0 ? "  missed \(round.missed)" : ""))
        }
        if !result.unexpectedSamples.isEmpty {
            lines.append("  failed bookings:")
            lines.append(contentsOf: result.unexpectedSamples.map { "    \($0)" })
        }
        return lines.joined(separator: "\n")
    }

    static func jsonLine(_ result: FanoutResultLine) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return "RESULT " + String(decoding: try encoder.encode(result), as: UTF8.self)
    }

    /// The median; the mean of the middle two for an even count.
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        let value = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        return Report.rounded(value, 3)
    }
}
