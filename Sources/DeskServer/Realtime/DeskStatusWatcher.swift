import DeskCore
import Foundation
import Logging

/// Publishes the status now of desks that a committed change on this instance affects: a booking that covers now,
/// a hold, maintenance or a permanent assignment. (Bookings starting and ending as time passes are the scheduler's.)
struct DeskStatusWatcher: Sendable {
    let transactor: Transactor
    let clock: WallClock
    let logger: Logger

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
            case .booking, .deskStatus, .request, .round, .autopilot, .accessChanged: break
            }
        }
        guard !desks.isEmpty || !rooms.isEmpty else { return }
        Task { await publish(desks: Array(desks), rooms: Array(rooms)) }
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
