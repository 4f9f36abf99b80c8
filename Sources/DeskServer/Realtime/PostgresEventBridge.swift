import Foundation
import Logging
import NIOConcurrencyHelpers
import PostgresNIO
import SQLKit

/// Carries committed events between instances on one PostgreSQL database: this instance's events go out with
/// NOTIFY, and what other instances NOTIFY is re-published here (origin `.remote`), so their clients hear of it and
/// the caches here drop what it changed.
///
/// Payloads stay under PostgreSQL's 8000-byte limit: events carry only ids and times, and a large batch is split.
/// After the listening connection is lost and restored, everything cached is dropped (events may have been missed).
final class PostgresEventBridge: Sendable {
    static let maximumPayload = 7_000

    private struct Envelope: Codable {
        /// The instance that committed the events; it does not re-publish its own.
        let origin: UUID
        let events: [DomainEvent]
    }

    private let settings: PostgresSettings
    private let bus: EventBus
    private let sql: any SQLDatabase
    private let logger: Logger
    private let instance = UUID()
    private let channel: String
    private let outbox: AsyncStream<[DomainEvent]>
    private let outboxInput: AsyncStream<[DomainEvent]>.Continuation
    private let tasks = NIOLockedValueBox<(sender: Task<Void, Never>?, listener: Task<Void, Never>?)>((nil, nil))
    private let isStarted = NIOLockedValueBox(false)

    init(settings: PostgresSettings, bus: EventBus, sql: any SQLDatabase, logger: Logger) {
        self.settings = settings
        self.bus = bus
        self.sql = sql
        self.logger = logger
        channel = "deskpilot_events_\(String(UInt64(bitPattern: settings.key("events")), radix: 36))"
        (outbox, outboxInput) = AsyncStream.makeStream()
    }

    /// Starts sending this instance's events and listening for the others'.
    func start() {
        guard isStarted.withLockedValue({ started in
            defer { started = true }
            return !started
        }) else { return }
        tasks.withLockedValue { tasks in
            tasks.sender = Task { [self] in
                for await events in outbox { await send(events) }
            }
            tasks.listener = Task { [self] in await listen() }
        }
    }

    /// Queues this instance's own events for the other instances once started (a process that does not serve, a
    /// command, keeps them to itself).
    func forward(_ events: [DomainEvent], origin: EventOrigin) {
        guard origin == .local, isStarted.withLockedValue({ $0 }) else { return }
        outboxInput.yield(events)
    }

    /// Stops listening; the sender first tells the others what is still queued.
    func stop() async {
        outboxInput.finish()
        let (sender, listener) = tasks.withLockedValue { $0 }
        listener?.cancel()
        await listener?.value
        await sender?.value
    }

    private func send(_ events: [DomainEvent]) async {
        for payload in Self.payloads(events, origin: instance) {
            do {
                try await sql.raw("SELECT pg_notify(\(bind: channel), \(bind: payload))").run()
            } catch {
                logger.warning("could not tell other instances about \(events.count) events: \(error)")
            }
        }
    }

    /// The events as NOTIFY payloads, each under `maximumPayload` bytes.
    static func payloads(_ events: [DomainEvent], origin: UUID) -> [String] {
        let encoder = JSONEncoder()
        func encode(_ part: ArraySlice<DomainEvent>) -> String? {
            (try? encoder.encode(Envelope(origin: origin, events: Array(part)))).map { String(decoding: $0, as: UTF8.self) }
        }
        func split(_ part: ArraySlice<DomainEvent>) -> [String] {
            guard let payload = encode(part) else { return [] }
            if payload.utf8.count <= maximumPayload || part.count == 1 { return [payload] }
            let middle = part.startIndex + part.count / 2
            return split(part[part.startIndex..<middle]) + split(part[middle...])
        }
        return split(events[...])
    }

    private func listen() async {
        var reconnecting = false
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: settings.configuration.coreConfiguration, id: 2, logger: logger)
                let listening: Result<Void, any Error>
                do {
                    try await connection.listen(on: channel) { notifications in
                        if reconnecting {
                            // Whatever happened while we were away: drop all cached state and re-check live access.
                            bus.publish([.accessChanged], origin: .remote)
                            logger.notice("listening for other instances' events again")
                        }
                        reconnecting = true
                        for try await notification in notifications {
                            guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(notification.payload.utf8)),
                                  envelope.origin != instance
                            else { continue }
                            bus.publish(envelope.events, origin: .remote)
                        }
                    }
                    listening = .success(())
                } catch {
                    listening = .failure(error)
                }
                // Closed before the next attempt or the end of `stop()`; cancellation does not interrupt closing.
                try? await connection.close()
                try listening.get()
            } catch {
                if Task.isCancelled { return }
                logger.warning("listening for other instances' events failed: \(error)")
            }
            reconnecting = true
            try? await Task.sleep(for: .seconds(1))
        }
    }
}

extension PostgresEventBridge: BackgroundService {}
