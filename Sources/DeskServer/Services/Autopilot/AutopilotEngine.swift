import DeskCore
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Runs autopilot work on a keyed serial queue: each person's work one item after another, different people's side by
/// side on a few workers. Idle, it holds nothing but the days it last saw open per location; a rule costs memory only
/// while it has work, and no thread or task waits per rule or per person.
final class AutopilotEngine: Sendable {
    enum Work: Sendable, Hashable {
        /// File requests for the days the rule targets that have none yet.
        case plan(UUID)
        /// Tell the owner of a watching rule about a desk that came free.
        case watch(rule: UUID, FreedDesk)
    }

    /// A desk free again for a while, because a booking was cancelled, released or shortened.
    struct FreedDesk: Sendable, Hashable {
        let deskId: UUID
        let locationId: UUID
        let range: TimeRange
        /// Whoever freed it; their own rules are not told.
        let freedBy: UUID
    }

    /// What a lane of the engine's queue runs: one person's work, or turning freed desks into watch work.
    enum Lane: Hashable, Sendable {
        case person(UUID)
        case watchers
    }

    private let work: KeyedSerialQueue<Lane>
    /// Request changes to write to activity logs, in commit order (one lane: one writer).
    private let logs: KeyedSerialQueue<ActivityLog>
    private enum ActivityLog: Hashable, Sendable { case writer }
    /// Per location, the next day to open as last looked at: a change means a day opened.
    private let horizons = NIOLockedValueBox<[UUID: LocalDate]>([:])
    let logger: Logger

    /// `workers`: how many lanes run at once (people, and the look-up of watching rules).
    init(workers: Int = 3) {
        let logger = Logger(label: "deskpilot.autopilot")
        self.logger = logger
        work = KeyedSerialQueue(limit: workers) { [logger] lane, error in
            switch lane {
            // Each item guards its own rule; what escapes is the database failing, reported and not retried here.
            case .person(let userId): logger.error("autopilot work for \(userId) failed: \(String(describing: error))")
            case .watchers: logger.error("autopilot trigger failed: \(String(describing: error))")
            }
        }
        logs = KeyedSerialQueue(limit: 1) { [logger] _, error in
            logger.error("autopilot log write failed: \(String(describing: error))")
        }
    }

    /// Queues work for a person; it runs after their earlier work, never at the same time. Work equal to some of theirs
    /// still waiting is done once.
    func submit(_ work: Work, for userId: UUID, with service: AutopilotService) {
        self.work.submit(.person(userId), coalescing: work) { try await service.perform(work, for: userId) }
    }

    /// Queues request changes for the activity logs; one writer keeps them in order.
    func log(_ events: [RequestEvent], with service: AutopilotService) {
        logs.submit(.writer) { try await service.writeLog(for: events) }
    }

    /// Runs `body` (which submits work) in a lane of its own, so that `idle` waits for it and the work it submits.
    func resolving(_ body: @escaping @Sendable () async throws -> Void) {
        work.submit(.watchers, body)
    }

    /// Records the next day to open per location; returns the locations where it moved (all of them the first time).
    func horizonsMoved(_ current: [UUID: LocalDate]) -> [UUID] {
        horizons.withLockedValue { horizons in
            let moved = current.filter { horizons[$0.key] != $0.value }.map(\.key)
            horizons = current
            return moved
        }
    }

    /// Drops queued work and waits for what is running: the database says what is left, and the next start (the
    /// leader's first look at day openings) picks it up. Request changes already heard still reach the logs.
    func stop() async {
        await work.stop(finishingQueued: false)
        await logs.stop(finishingQueued: true)
    }

    /// Returns when no work is queued, running or being resolved, and the logs are written.
    func idle() async {
        // Work writes logs; log writes cause no work: so work first.
        await work.idle()
        await logs.idle()
    }
}

extension AutopilotEngine: BackgroundService {
    /// Works on demand: a worker exists only while there is work.
    func start() {}
}
