import DeskCore
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Publishes the status now of desks that a committed change on this instance affects: a booking that covers now,
/// a hold, maintenance or a permanent assignment. (Bookings starting and ending as time passes are the scheduler's.)
///
/// Look-ups run one at a time, so an earlier change's status never overtakes a later one's. Changes heard while a
/// look-up waits join it: it reads the status of every desk named so far, as it is when it runs.
final class DeskStatusWatcher: Sendable {
    private enum Lane: Hashable, Sendable { case statuses }

    let transactor: Transactor
    let clock: WallClock
    let logger: Logger
    private let queue: KeyedSerialQueue<Lane>
    /// Desks and rooms named since the last look-up started.
    private let named = NIOLockedValueBox((desks: Set<UUID>(), rooms: Set<UUID>()))

    init(transactor: Transactor, clock: WallClock, logger: Logger) {
        self.transactor = transactor
        self.clock = clock
        self.logger = logger
        // `publish` reports its own failures.
        queue = KeyedSerialQueue(limit: 1) { _, _ in }
    }

    func react(to events: [DomainEvent], origin: EventOrigin) {
        // Another instance publishes the statuses its own changes cause.
        guard origin == .local else { return }
        let now = clock.now()
        var desks = Set<UUID>(), rooms = Set<UUID>()
        for event in events {
            switch event {
            case .booking(let booking) where booking.ranges.contains(where: { $0.contains(now) }): desks.insert(booking.deskId)
            case .hold(let hold): desks.insert(hold.deskId)
            case .permanent(let permanent): desks.insert(permanent.deskId)
            case .maintenance(let maintenance): rooms.insert(maintenance.roomId)
            case .booking, .deskStatus, .request, .round, .autopilot, .accessChanged, .notification, .deliveriesQueued, .webhooksChanged: break
            }
        }
        guard !desks.isEmpty || !rooms.isEmpty else { return }
        named.withLockedValue { named in
            named.desks.formUnion(desks)
            named.rooms.formUnion(rooms)
        }
        queue.submit(.statuses, coalescing: Lane.statuses) { [self] in
            let (desks, rooms) = named.withLockedValue { named in
                defer { named = ([], []) }
                return named
            }
            guard !desks.isEmpty || !rooms.isEmpty else { return }
            await publish(desks: Array(desks), rooms: Array(rooms))
        }
    }

    /// Reads and publishes the current status of these desks and of every desk in these rooms.
    func publish(desks: [UUID], rooms: [UUID]) async {
        do {
            let statuses = try await DeskStatusQueries.current(desks: desks, rooms: rooms, now: clock.now(), on: transactor.sql)
            transactor.announce(statuses.map(DomainEvent.deskStatus))
        } catch {
            logger.warning("desk status update failed: \(error)")
        }
    }
}

extension DeskStatusWatcher: BackgroundService {
    /// Works on demand: a worker exists only while there is work.
    func start() {}

    /// Publishes what is queued (a few reads), then takes no more.
    func stop() async {
        await queue.stop(finishingQueued: true)
    }

    /// Returns when every queued status is published.
    func idle() async {
        await queue.idle()
    }
}
