import DeskCore
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Sends the outbox's due deliveries, on the leader only. It claims due rows (`DeliveryStore.claim`: a claim keeps
/// any other worker off them until it lapses), sends up to `maximumInFlight` at once, claiming more as sends finish,
/// and records every attempt with its outcome: delivered, due again after a backoff (`DeliverySchedule`), or failed.
/// It looks when a write queued deliveries (`wake`, on any instance, through the event bus) and otherwise once a
/// second, which also picks up retries and claims that lapsed when an instance died.
final class DeliveryWorker: BackgroundService {
    struct Settings: Sendable {
        var maximumInFlight = 32
        /// How long a claim keeps others off: longer than any send (a webhook times out after 10 s).
        var claimLease: TimeInterval = 30
        var pollInterval: Duration = .seconds(1)
    }

    private struct State {
        var loop: Task<Void, Never>?
        var rung = false
    }

    private let transactor: Transactor
    private let clock: WallClock
    private let channels: [DeliveryRecord.Channel: any DeliveryChannel]
    private let results: DeliveryResults
    private let isLeader: @Sendable () -> Bool
    private let metrics: ServerMetrics
    private let logger: Logger
    private let settings: Settings
    private let state = NIOLockedValueBox(State())

    init(transactor: Transactor, clock: WallClock, channels: [DeliveryRecord.Channel: any DeliveryChannel], results: DeliveryResults,
         isLeader: @escaping @Sendable () -> Bool, metrics: ServerMetrics, logger: Logger, settings: Settings = Settings()) {
        self.transactor = transactor
        self.clock = clock
        self.channels = channels
        self.results = results
        self.isLeader = isLeader
        self.metrics = metrics
        self.logger = logger
        self.settings = settings
    }

    func start() {
        state.withLockedValue { state in
            guard state.loop == nil else { return }
            state.loop = Task { [self] in
                while !Task.isCancelled {
                    if isLeader() { await deliverDue() }
                    await waitForWork()
                }
            }
        }
    }

    func stop() async {
        let loop = state.withLockedValue { state in
            defer { state.loop = nil }
            return state.loop
        }
        loop?.cancel()
        await loop?.value
    }

    /// Deliveries were queued: look now rather than at the next poll.
    func wake() {
        state.withLockedValue { $0.rung = true }
    }

    /// Sends everything due now, and what becomes due while it runs, until nothing is left; returns when every send it
    /// started is recorded. Tests call this directly.
    func deliverDue() async {
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            var drained = false
            while !Task.isCancelled {
                // Claim in batches: when the queue may hold more and at least half the slots are free.
                if !drained, inFlight <= settings.maximumInFlight / 2 {
                    state.withLockedValue { $0.rung = false }
                    let free = settings.maximumInFlight - inFlight
                    let claimed = await claim(limit: free)
                    drained = claimed.count < free
                    for delivery in claimed {
                        inFlight += 1
                        group.addTask { [self] in await deliver(delivery) }
                    }
                }
                guard inFlight > 0 else { break }
                await group.next()
                inFlight -= 1
                if drained, state.withLockedValue({ $0.rung }) { drained = false }
            }
        }
    }

    private func claim(limit: Int) async -> [DeliveryRecord] {
        let now = clock.now()
        let (until, isPostgres) = (now.addingTimeInterval(settings.claimLease), transactor.isPostgres)
        do {
            return try await transactor.write { sql in
                .unannounced(try await DeliveryStore(sql: sql).claim(limit: limit, now: now, until: until, isPostgres: isPostgres))
            }
        } catch {
            logger.error("claiming deliveries failed: \(error)")
            return []
        }
    }

    private func deliver(_ delivery: DeliveryRecord) async {
        let started = clock.now()
        metrics.deliveryStarted(channel: delivery.channel.rawValue, waited: max(0, started.timeIntervalSince(delivery.nextAttemptAt)))
        guard let channel = channels[delivery.channel] else {
            await record(delivery, .failed("no such channel on this server", permanent: true), at: started, schedule: .email)
            return
        }
        let outcome = await channel.send(delivery)
        await record(delivery, outcome, at: started, schedule: channel.schedule)
    }

    private func record(_ delivery: DeliveryRecord, _ outcome: DeliveryOutcome, at started: Date, schedule: DeliverySchedule) async {
        let attempts = delivery.attempts + 1
        let retryAt = outcome.succeeded || outcome.permanent
            ? nil : schedule.nextAttempt(after: attempts, failedAt: clock.now(), jitter: Double.random(in: -1...1))
        let attempt = DeliveryAttemptRecord(id: UUID(), deliveryId: delivery.id, at: started, succeeded: outcome.succeeded,
                                            statusCode: outcome.statusCode, durationMs: outcome.durationMs,
                                            error: outcome.error.map { String($0.prefix(500)) })
        metrics.delivery(channel: delivery.channel.rawValue,
                         outcome: outcome.succeeded ? "delivered" : retryAt == nil ? "failed" : "retry")
        do {
            try await results.record(attempt, of: delivery, retryAt: retryAt)
        } catch {
            // The claim lapses and the delivery goes out again: at least once, never lost.
            logger.error("recording delivery \(delivery.id) failed: \(error)")
        }
    }

    /// Returns when rung, or after the poll interval.
    private func waitForWork() async {
        let step = Duration.milliseconds(20)
        var waited = Duration.zero
        while waited < settings.pollInterval, !Task.isCancelled {
            if state.withLockedValue({ $0.rung }) { return }
            try? await Task.sleep(for: step)
            waited += step
        }
    }
}
