import Foundation
import Prometheus

/// The server's Prometheus metrics, served at `/metrics`.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// Open live-update sockets on this instance.
    let webSockets: Gauge
    /// Open HTTP connections (WebSockets included).
    let httpConnections: Gauge

    private static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    init() {
        webSockets = registry.makeGauge(descriptor: Self.name("websockets_open", unit: "", "Open live-update WebSocket connections."))
        httpConnections = registry.makeGauge(descriptor: Self.name("http_connections_open", unit: "", "Open HTTP connections, WebSockets included."))
    }

    /// One answered HTTP request; `route` is the matched route pattern, never the raw path (bounded label values).
    func request(method: String, route: String, status: UInt, duration: Duration) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(descriptor: Self.name("http_requests", unit: "total", "HTTP requests answered."), labels: labels)
            .increment()
        registry.makeDurationHistogram(
            descriptor: Self.name("http_request_duration", unit: "seconds", "Time to answer HTTP requests."),
            labels: [("method", method), ("route", route)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    /// A connection closed because a request's head or body came too slowly, or because it sat idle.
    func httpTimeout(_ kind: String) {
        registry.makeCounter(descriptor: Self.name("http_timeouts", unit: "total", "Connections closed by a timeout, by kind (idle, header, body)."),
                             labels: [("kind", kind)]).increment()
    }

    /// A connection answered 503 because the cap was reached and every open connection was busy.
    func httpConnectionRefused() {
        registry.makeCounter(descriptor: Self.name("http_connections_refused", unit: "total", "Connections refused at the connection cap.")).increment()
    }

    /// An idle connection closed to make room for a new one at the cap.
    func httpConnectionEvicted() {
        registry.makeCounter(descriptor: Self.name("http_connections_evicted", unit: "total", "Idle connections closed to make room at the connection cap.")).increment()
    }

    /// Committed events, by type and where they were committed.
    func published(_ events: [DomainEvent], origin: EventOrigin) {
        for event in events {
            registry.makeCounter(descriptor: Self.name("events_published", unit: "total", "Domain events published to live subscribers."),
                                 labels: [("type", event.type), ("origin", origin == .local ? "local" : "remote")]).increment()
            if origin == .local, case .booking(let booking) = event {
                registry.makeCounter(descriptor: Self.name("booking_writes", unit: "total", "Committed booking writes."),
                                     labels: [("change", booking.change.rawValue)]).increment()
            }
        }
    }

    /// A booking creation refused by a rule or a competing write (`desk_taken`, `concurrent_limit`, …).
    func bookingRefused(code: String) {
        registry.makeCounter(descriptor: Self.name("booking_conflicts", unit: "total", "Booking creations refused by a rule or a competing write, by reason."),
                             labels: [("code", code)]).increment()
    }

    /// One run of a background job.
    func job(_ name: String, succeeded: Bool, duration: Duration) {
        registry.makeCounter(descriptor: Self.name("job_runs", unit: "total", "Background job runs."), labels: [("job", name)])
            .increment()
        if !succeeded {
            registry.makeCounter(descriptor: Self.name("job_failures", unit: "total", "Background job runs that failed."),
                                 labels: [("job", name)]).increment()
        }
        registry.makeDurationHistogram(descriptor: Self.name("job_duration", unit: "seconds", "Time a background job run took."),
                                       labels: [("job", name)], buckets: Self.latencyBuckets).record(duration)
    }

    /// A delivery of the outbox begins an attempt, `waited` seconds after it became due (the queue age).
    func deliveryStarted(channel: String, waited: TimeInterval) {
        registry.makeDurationHistogram(
            descriptor: Self.name("delivery_queue_age", unit: "seconds", "Time from a delivery becoming due to its attempt."),
            labels: [("channel", channel)], buckets: Self.latencyBuckets + [.seconds(30), .seconds(60), .seconds(300)]
        ).record(.milliseconds(Int64(waited * 1000)))
    }

    /// An attempt's outcome: `delivered`, `retry` (failed, tried again later) or `failed` (for good).
    func delivery(channel: String, outcome: String) {
        registry.makeCounter(descriptor: Self.name("deliveries", unit: "total", "Delivery attempts of the outbox, by channel and outcome."),
                             labels: [("channel", channel), ("outcome", outcome)]).increment()
    }

    /// Whether this instance runs the background jobs now.
    func leader(_ isLeader: Bool) {
        registry.makeGauge(descriptor: Self.name("leader", unit: "", "1 while this instance runs the background jobs."))
            .set(isLeader ? 1.0 : 0.0)
    }

    private static func name(_ metric: String, unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "deskpilot", metricName: metric, unitName: unit, helpText: help)
    }
}
