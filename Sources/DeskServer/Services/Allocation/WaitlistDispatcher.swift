import DeskCore
import Foundation
import Logging

/// Runs waitlist passes on a keyed serial queue, one lane per location: a location's passes one after another (on
/// PostgreSQL they lock the same desks anyway), locations side by side; each queued day once however many changes
/// named it. Passes of different locations may run together because each pass is one write transaction that locks
/// (PostgreSQL) or serialises (SQLite) everything it decides on, like every booking write.
final class WaitlistDispatcher: Sendable {
    private let queue: KeyedSerialQueue<UUID>
    private let logger: Logger

    /// `locations`: how many locations' passes run at once.
    init(locations: Int = 2) {
        let logger = Logger(label: "deskpilot.waitlist")
        self.logger = logger
        queue = KeyedSerialQueue(limit: locations) { locationId, error in
            logger.error("waitlist work at location \(locationId) failed: \(String(describing: error))")
        }
    }

    /// Queues passes for the waiting days among those a change named (a nil instant: all of the location's). Which days
    /// wait is looked up in the location's lane, ahead of the passes it queues there.
    func trigger(_ named: [(UUID, Date?)], with service: AllocationService, logger: Logger) {
        for (locationId, named) in Dictionary(grouping: named, by: \.0) {
            queue.submit(locationId) { [self] in
                do {
                    for target in try await service.waitingDays(named) {
                        queue.submit(locationId, coalescing: target) { await self.pass(target, with: service) }
                    }
                } catch {
                    logger.error("waitlist trigger failed: \(String(describing: error))")
                }
            }
        }
    }

    /// Queues a pass and returns once it (and everything queued before it at its location) has run.
    func run(_ target: AllocationDay, with service: AllocationService) async {
        await queue.run(target.locationId, coalescing: target) { await self.pass(target, with: service) }
    }

    /// Returns when no change is being resolved and no pass is queued or running.
    func idle() async {
        await queue.idle()
    }

    private func pass(_ target: AllocationDay, with service: AllocationService) async {
        do {
            try await service.offer(target)
        } catch {
            logger.error("waitlist pass for \(target.day) failed: \(String(describing: error))")
        }
    }
}

extension WaitlistDispatcher: BackgroundService {
    /// Works on demand: a worker exists only while there is work.
    func start() {}

    /// Takes no new changes, and runs the passes already queued: nothing else would offer those freed desks.
    func stop() async {
        await queue.stop(finishingQueued: true)
    }
}
