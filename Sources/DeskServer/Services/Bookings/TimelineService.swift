import DeskCore
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// Changes that happen by the clock alone — bookings starting and ending, holds lapsing — announced as events so that
/// room plans flip without polling. Each announcement covers the time since the previous one; announcing something
/// twice (after a restart or a failover the first run looks back a little) is harmless.
final class TimelineService: Sendable {
    let transactor: Transactor
    let clock: WallClock
    /// How far back an announcement reaches at most: a fresh leader covers what the previous one may have missed.
    static let lookBack: TimeInterval = 60

    private let announcedHoldsUntil = NIOLockedValueBox<Date?>(nil)
    private let announcedBookingsUntil = NIOLockedValueBox<Date?>(nil)
    private let announcedMaintenanceUntil = NIOLockedValueBox<Date?>(nil)

    init(transactor: Transactor, clock: WallClock) {
        self.transactor = transactor
        self.clock = clock
    }

    /// Where an announcement starts: after the previous one, but never further back than `lookBack` (an instance that
    /// leads again after a while does not replay what the leader in between announced).
    private static func start(after previous: Date?, now: Date) -> Date {
        max(previous ?? .distantPast, now.addingTimeInterval(-lookBack))
    }

    /// `hold.expired` for every hold that lapsed since the last call, and the new status of its desk.
    func announceExpiredHolds() async throws {
        let now = clock.now()
        let since = Self.start(after: announcedHoldsUntil.withLockedValue { $0 }, now: now)
        guard now > since else { return }
        let expired = try await HoldStore(sql: transactor.sql).lapsed(after: since, upTo: now).map { lapsed in
            HoldEvent(.expired, lapsed.hold, roomId: lapsed.roomId, locationId: lapsed.locationId)
        }
        let statuses = try await DeskStatusQueries.current(desks: expired.map(\.deskId), rooms: [], now: now, on: transactor.sql)
        transactor.announce(expired.map(DomainEvent.hold) + statuses.map(DomainEvent.deskStatus))
        announcedHoldsUntil.withLockedValue { $0 = now }
    }

    /// The status of every desk where a confirmed booking started or ended since the last call.
    func announceBookingTransitions() async throws {
        let now = clock.now()
        let since = Self.start(after: announcedBookingsUntil.withLockedValue { $0 }, now: now)
        guard now > since else { return }
        let desks = try await BookingStore(sql: transactor.sql).desksWithTransitions(after: since, upTo: now)
        let statuses = try await DeskStatusQueries.current(desks: desks, rooms: [], now: now, on: transactor.sql)
        transactor.announce(statuses.map(DomainEvent.deskStatus))
        announcedBookingsUntil.withLockedValue { $0 = now }
    }

    /// `room.maintenance` for every room whose maintenance period began or ended since the last call: its desks'
    /// status follows (`DeskStatusWatcher`), and desks freed by an ended period are offered to the waitlist.
    func announceMaintenanceTransitions() async throws {
        let now = clock.now()
        let since = Self.start(after: announcedMaintenanceUntil.withLockedValue { $0 }, now: now)
        guard now > since else { return }
        let rooms = try await PlaceStore(sql: transactor.sql).maintenanceTransitions(after: since, upTo: now)
        if !rooms.isEmpty { transactor.announce([.accessChanged] + rooms.map { .maintenance(MaintenanceService.event($0, now: now)) }) }
        announcedMaintenanceUntil.withLockedValue { $0 = now }
    }
}
