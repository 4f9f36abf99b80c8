import DeskCore
import Foundation
import Logging
import NIOConcurrencyHelpers
import SQLKit

extension AllocationService {
    /// Offers the desks free on a day to its waitlist, in order: each waiting request in turn takes its best matching
    /// desk, booked as its owner under every booking rule. Requests whose owner may no longer book there fail with
    /// the reason; a day that has ended expires its waitlist.
    func offer(_ target: AllocationDay) async throws {
        guard let location = try await PlaceRepository(sql: sql).location(target.locationId) else { return }
        let now = clock.now()
        let isPostgres = transactor.isPostgres
        let actor = Actor(userId: nil, ip: nil)
        try await transactor.write { sql -> Written<Void> in
            let queries = AllocationQueries(sql: sql, locationId: target.locationId, day: target.day, status: .waitlisted)
            try await queries.lockRows(isPostgres: isPostgres)
            let waiting = try await queries.requests()
            guard !waiting.isEmpty else { return .unannounced }
            let setting = try await AllocationSetting(location: location, day: target.day, queries: queries, now: now)
            var closed: [(AllocationRequestRecord, RequestStatus, String)] = []
            if now >= setting.daySpan.end {
                closed = waiting.map { ($0, .expired, "The day ended before a desk you asked for came free.") }
                return Written(events: try await Self.close(closed, setting: setting, on: sql))
            }

            var ranges: [UUID: TimeRange] = [:]
            var builder = ParticipantBuilder(desks: setting.desks)
            var participants: [AllocationParticipant] = []
            for request in waiting {
                switch setting.standing(of: request) {
                case .eligible(let range, let denied):
                    ranges[request.id] = range
                    participants.append(builder.participant(
                        requestId: request.id, userId: request.userId, criteria: request.deskCriteria,
                        window: request.window == nil ? nil : range, losses: 0, deniedRooms: denied))
                case .excluded(let reason):
                    closed.append((request, .failed, reason))
                }
            }
            let byId = Dictionary(waiting.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            var facts = setting.facts
            var accepted: [(AllocationRequestRecord, BookingCommitQueue.Request)] = []
            for (requestId, outcome) in AllocationRound.offer(to: participants, desks: setting.desks.map(\.allocationDesk)) {
                guard let request = byId[requestId], let range = ranges[requestId], let desk = outcome.desk,
                      let booking = setting.booking(for: request, desk: desk, range: range, actor: actor) else { continue }
                do throws(DomainError) {
                    try facts.admit(booking.attempt, desk: desk, policy: setting.policy, timeZone: location.timeZone, now: now)
                    accepted.append((request, booking))
                } catch {
                    // A rule about the person (they booked elsewhere meanwhile, their quota is full) ends the wait.
                    closed.append((request, .failed, error.detail))
                }
            }
            var events = try await Self.close(closed, setting: setting, on: sql)
            guard !accepted.isEmpty else { return Written(events: events) }
            try await BookingCommitQueue.insert(accepted.map(\.1), now: now, on: sql)
            var notifications: [NotificationRecord] = []
            for (request, booking) in accepted {
                var won = request
                (won.status, won.deskId, won.bookingId, won.updatedAt) = (.won, booking.record.deskId, booking.record.id, now)
                try await sql.raw("""
                    UPDATE allocation_requests SET status = 'won', desk_id = \(bind: won.deskId), booking_id = \(bind: won.bookingId),
                    updated_at = \(bind: now) WHERE id = \(bind: request.id)
                    """).run()
                notifications.append(NotificationRecord(
                    id: UUID(), userId: request.userId, kind: "allocation.won",
                    message: "A desk came free: you got desk \(setting.deskName(booking.record.deskId)) at \(location.name) on \(target.day).",
                    bookingId: booking.record.id, createdAt: now, readAt: nil))
                events.append(.booking(BookingEvent(.created, booking.record, roomId: booking.roomId, locationId: location.id)))
                events.append(.request(won.event))
            }
            try await sql.insertAll(notifications, into: "notifications")
            // A desk after all: the lost round no longer counts against them.
            try await sql.raw("""
                UPDATE allocation_debts SET losses = losses - 1, updated_at = \(bind: now)
                WHERE losses > 0 AND user_id IN (\(binds: accepted.map(\.0.userId)))
                """).run()
            return Written(events: events)
        }
    }

    /// Ends requests that will not get a desk, telling their owners why.
    private static func close(
        _ closed: [(AllocationRequestRecord, RequestStatus, String)], setting: AllocationSetting, on sql: any SQLDatabase
    ) async throws -> [DomainEvent] {
        var events: [DomainEvent] = []
        for (request, status, reason) in closed {
            try await sql.raw("""
                UPDATE allocation_requests SET status = \(bind: status), reason = \(bind: reason), updated_at = \(bind: setting.now)
                WHERE id = \(bind: request.id)
                """).run()
            var updated = request
            (updated.status, updated.reason, updated.updatedAt) = (status, reason, setting.now)
            events.append(.request(updated.event))
        }
        try await sql.insertAll(closed.map { request, status, reason in
            NotificationRecord(id: UUID(), userId: request.userId, kind: "allocation.\(status.rawValue)",
                               message: "Your request for \(setting.location.name) on \(setting.day) ended: \(reason)",
                               bookingId: nil, createdAt: setting.now, readAt: nil)
        }, into: "notifications")
        return events
    }

    /// Listens for desks coming free and queues a waitlist pass for their day: cancelled or released bookings, a
    /// shortened booking, a room back from maintenance, a desk no longer permanent, a hold let go. Only this
    /// instance's own changes: each instance handles what it did, so no pass runs twice for one change.
    func offerFreedDesks(after events: [DomainEvent], origin: EventOrigin, logger: Logger) {
        guard origin == .local else { return }
        var days: [(UUID, Date?)] = []
        for event in events {
            switch event {
            case .booking(let e) where e.change == .cancelled || e.change == .released:
                days.append((e.locationId, e.range.start))
            case .booking(let e) where e.change == .changed:
                if let previous = e.previous { days.append((e.locationId, previous.start)) }
            case .maintenance(let e) where e.reason == nil:
                days.append((e.locationId, nil))
            case .permanent(let e) where e.userId == nil:
                days.append((e.locationId, nil))
            case .hold(let e) where e.change == .released || e.change == .expired:
                days.append((e.locationId, nil))
            default:
                break
            }
        }
        guard !days.isEmpty else { return }
        waitlist.trigger(days, with: self, logger: logger)
    }

    /// The days with a waitlist among those named (a nil instant: every waiting day of the location).
    fileprivate func waitingDays(_ named: [(UUID, Date?)]) async throws -> [AllocationDay] {
        let rows = try await sql.raw("""
            SELECT DISTINCT location_id, day FROM allocation_requests WHERE status = 'waitlisted'
            AND location_id IN (\(binds: Array(Set(named.map(\.0)))))
            """).all()
        var waiting = Set<AllocationDay>()
        for row in rows {
            if let day = LocalDate(parsing: try row.decode(column: "day", as: String.self)) {
                waiting.insert(AllocationDay(locationId: try row.decode(column: "location_id", as: UUID.self), day: day))
            }
        }
        var targets: [AllocationDay] = []
        var zones: [UUID: TimeZone] = [:]
        for (locationId, instant) in named {
            guard let instant else {
                targets += waiting.filter { $0.locationId == locationId }
                continue
            }
            if zones[locationId] == nil { zones[locationId] = try await PlaceRepository(sql: sql).location(locationId)?.timeZone }
            guard let zone = zones[locationId] else { continue }
            let target = AllocationDay(locationId: locationId, day: ZonedCalendar(timeZone: zone).date(of: instant))
            if waiting.contains(target) { targets.append(target) }
        }
        return targets
    }
}

/// Runs waitlist passes one after another, each queued day once however many changes named it.
actor WaitlistDispatcher {
    private var queued: [AllocationDay] = []
    private var draining: Task<Void, Never>?
    /// Changes heard but not yet turned into queued days; `idle` waits for them too.
    private nonisolated let resolving = NIOLockedValueBox(0)
    private let logger = Logger(label: "deskpilot.waitlist")

    /// Queues passes for the waiting days among those a change named (a nil instant: all of the location's).
    nonisolated func trigger(_ named: [(UUID, Date?)], with service: AllocationService, logger: Logger) {
        resolving.withLockedValue { $0 += 1 }
        Task {
            do {
                for target in try await service.waitingDays(named) { await self.schedule(target, with: service) }
            } catch {
                logger.error("waitlist trigger failed: \(String(describing: error))")
            }
            resolving.withLockedValue { $0 -= 1 }
        }
    }

    func schedule(_ target: AllocationDay, with service: AllocationService) {
        if !queued.contains(target) { queued.append(target) }
        if draining == nil { draining = Task { await drain(service) } }
    }

    /// Queues a pass and returns once it (and everything queued before it) has run.
    func run(_ target: AllocationDay, with service: AllocationService) async {
        schedule(target, with: service)
        await idle()
    }

    /// Returns when no change is being resolved and no pass is queued or running.
    func idle() async {
        while true {
            if let draining {
                await draining.value
            } else if resolving.withLockedValue({ $0 }) > 0 {
                try? await Task.sleep(for: .milliseconds(2))
            } else {
                return
            }
        }
    }

    private func drain(_ service: AllocationService) async {
        while !queued.isEmpty {
            let target = queued.removeFirst()
            do {
                try await service.offer(target)
            } catch {
                logger.error("waitlist pass for \(target.day) failed: \(String(describing: error))")
            }
        }
        draining = nil
    }
}
