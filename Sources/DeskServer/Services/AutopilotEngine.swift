import DeskCore
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Runs autopilot work: each person's work one item after another, different people's side by side on a few workers.
/// Idle, it holds nothing but the days it last saw open per location; a rule costs memory only while it has work, and
/// no thread or task waits per rule or per person.
final class AutopilotEngine: Sendable {
    enum Work: Sendable, Equatable {
        /// File requests for the days the rule targets that have none yet.
        case plan(UUID)
        /// Tell the owner of a watching rule about a desk that came free.
        case watch(rule: UUID, FreedDesk)
    }

    /// A desk free again for a while, because a booking was cancelled, released or shortened.
    struct FreedDesk: Sendable, Equatable {
        let deskId: UUID
        let locationId: UUID
        let range: TimeRange
        /// Whoever freed it; their own rules are not told.
        let freedBy: UUID
    }

    private struct State {
        var queues: [UUID: [Work]] = [:]
        /// People with queued work and no worker on it, in the order their work arrived.
        var ready: [UUID] = []
        var readySet: Set<UUID> = []
        var busy: Set<UUID> = []
        var workers = 0
        /// Request changes to write to activity logs, in commit order.
        var logBatches: [[RequestEvent]] = []
        var logging = false
        /// Changes heard but not yet turned into work; `idle` waits for them too.
        var resolving = 0
        /// Per location, the next day to open as last looked at: a change means a day opened.
        var horizons: [UUID: LocalDate] = [:]
        var stopped = false
    }

    private let state = NIOLockedValueBox(State())
    private let workerLimit: Int
    let logger = Logger(label: "deskpilot.autopilot")

    init(workers: Int = 2) {
        workerLimit = workers
    }

    /// Queues work for a person; it runs after their earlier work, never at the same time.
    func submit(_ work: Work, for userId: UUID, with service: AutopilotService) {
        let startWorker = state.withLockedValue { state -> Bool in
            guard !state.stopped else { return false }
            if !(state.queues[userId]?.contains(work) ?? false) { state.queues[userId, default: []].append(work) }
            if !state.busy.contains(userId), state.readySet.insert(userId).inserted { state.ready.append(userId) }
            guard state.workers < workerLimit else { return false }
            state.workers += 1
            return true
        }
        if startWorker { Task { await self.work(service) } }
    }

    private func work(_ service: AutopilotService) async {
        while let (userId, items) = take() {
            for item in items {
                do {
                    try await service.perform(item, for: userId)
                } catch {
                    // Each item guards its own rule; what escapes is the database failing, reported and not retried here.
                    logger.error("autopilot work for \(userId) failed: \(String(describing: error))")
                }
            }
            state.withLockedValue { state in
                state.busy.remove(userId)
                if !(state.queues[userId]?.isEmpty ?? true), state.readySet.insert(userId).inserted { state.ready.append(userId) }
            }
        }
    }

    private func take() -> (UUID, [Work])? {
        state.withLockedValue { state in
            guard !state.ready.isEmpty else {
                state.workers -= 1
                return nil
            }
            let userId = state.ready.removeFirst()
            state.readySet.remove(userId)
            state.busy.insert(userId)
            return (userId, state.queues.removeValue(forKey: userId) ?? [])
        }
    }

    /// Queues request changes for the activity logs; one writer keeps them in order.
    func log(_ events: [RequestEvent], with service: AutopilotService) {
        let startWriter = state.withLockedValue { state -> Bool in
            state.logBatches.append(events)
            guard !state.logging else { return false }
            state.logging = true
            return true
        }
        guard startWriter else { return }
        Task {
            while let batch = state.withLockedValue({ state -> [RequestEvent]? in
                guard !state.logBatches.isEmpty else {
                    state.logging = false
                    return nil
                }
                return state.logBatches.removeFirst()
            }) {
                do {
                    try await service.writeLog(for: batch)
                } catch {
                    logger.error("autopilot log write failed: \(String(describing: error))")
                }
            }
        }
    }

    /// Runs `body` (which submits work) while `idle` waits for it.
    func resolving(_ body: @escaping @Sendable () async throws -> Void) {
        state.withLockedValue { $0.resolving += 1 }
        Task {
            do {
                try await body()
            } catch {
                logger.error("autopilot trigger failed: \(String(describing: error))")
            }
            state.withLockedValue { $0.resolving -= 1 }
        }
    }

    /// Records the next day to open per location; returns the locations where it moved (all of them the first time).
    func horizonsMoved(_ current: [UUID: LocalDate]) -> [UUID] {
        state.withLockedValue { state in
            let moved = current.filter { state.horizons[$0.key] != $0.value }.map(\.key)
            state.horizons = current
            return moved
        }
    }

    /// Drops queued work and waits for what is running: the database says what is left, and the next start (the
    /// leader's first look at day openings) picks it up.
    func stop() async {
        state.withLockedValue { state in
            state.stopped = true
            state.queues = [:]
            state.ready = []
            state.readySet = []
        }
        await idle()
    }

    /// Returns when no work is queued, running or being resolved.
    func idle() async {
        while state.withLockedValue({ $0.workers > 0 || $0.logging || $0.resolving > 0 }) {
            try? await Task.sleep(for: .milliseconds(2))
        }
    }
}
