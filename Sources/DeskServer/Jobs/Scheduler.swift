import Foundation
import Logging
import NIOConcurrencyHelpers

/// Runs the background jobs on the leader only. Each tick it takes or confirms the lease and runs every job that is
/// due; a job that fails is logged, counted and tried again at its next turn. Due times follow the injected wall
/// clock, so tests drive the jobs by moving the clock and calling `tick()`.
final class Scheduler: Sendable {
    struct Job: Sendable {
        let name: String
        /// Time between runs (by the wall clock).
        let every: TimeInterval
        let run: @Sendable () async throws -> Void
    }

    private struct State {
        var nextRun: [String: Date] = [:]
        var loop: Task<Void, Never>?
        var isLeader = false
    }

    private let jobs: [Job]
    private let lease: any LeaderLease
    private let clock: WallClock
    /// Real time between ticks; also how soon a standby notices that the leader is gone.
    private let tickInterval: Duration
    private let metrics: ServerMetrics
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    init(jobs: [Job], lease: any LeaderLease, clock: WallClock, tickInterval: Duration, metrics: ServerMetrics, logger: Logger) {
        self.jobs = jobs
        self.lease = lease
        self.clock = clock
        self.tickInterval = tickInterval
        self.metrics = metrics
        self.logger = logger
    }

    var isLeader: Bool { state.withLockedValue { $0.isLeader } }

    /// Ticks until `stop()`.
    func start() {
        state.withLockedValue { state in
            guard state.loop == nil else { return }
            state.loop = Task { [self] in
                while !Task.isCancelled {
                    await tick()
                    try? await Task.sleep(for: tickInterval)
                }
            }
        }
    }

    /// Stops ticking, waits for a running job to finish, and gives up the lease.
    func stop() async {
        let loop = state.withLockedValue { state in
            defer { state.loop = nil }
            return state.loop
        }
        loop?.cancel()
        await loop?.value
        await lease.release()
        setLeader(false)
    }

    /// One turn: runs the due jobs when this instance holds the lease.
    func tick() async {
        let leading = await lease.acquire()
        setLeader(leading)
        guard leading else { return }
        for job in jobs {
            let now = clock.now()
            guard state.withLockedValue({ ($0.nextRun[job.name] ?? .distantPast) <= now }) else { continue }
            state.withLockedValue { $0.nextRun[job.name] = now.addingTimeInterval(job.every) }
            let started = ContinuousClock.now
            do {
                try await job.run()
                metrics.job(job.name, succeeded: true, duration: ContinuousClock.now - started)
            } catch {
                metrics.job(job.name, succeeded: false, duration: ContinuousClock.now - started)
                logger.error("job \(job.name) failed: \(error)")
            }
        }
    }

    private func setLeader(_ leading: Bool) {
        let changed = state.withLockedValue { state in
            defer { state.isLeader = leading }
            return state.isLeader != leading
        }
        guard changed else { return }
        metrics.leader(leading)
        logger.notice(leading ? "this instance now runs the background jobs" : "this instance no longer runs the background jobs")
    }
}

extension Scheduler: BackgroundService {}
