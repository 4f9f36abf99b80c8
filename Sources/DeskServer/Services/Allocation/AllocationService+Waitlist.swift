import DeskCore
import Foundation
import Logging

extension AllocationService {
    /// Offers the desks free on a day to its waitlist, in order: each waiting request in turn takes its best matching
    /// desk, booked as its owner under every booking rule. Requests whose owner may no longer book there fail with
    /// the reason; a day that has ended expires its waitlist.
    func offer(_ target: AllocationDay) async throws {
        guard let location = try await PlaceStore(sql: sql).location(target.locationId) else { return }
        let now = clock.now()
        let isPostgres = transactor.isPostgres
        let actor = Actor(userId: nil, ip: nil)
        try await transactor.write { sql -> Written<Void> in
            let facts = AllocationFactsStore(sql: sql, locationId: target.locationId, day: target.day, status: .waitlisted)
            try await facts.lockRows(isPostgres: isPostgres)
            let requests = RequestStore(sql: sql)
            let waiting = try await requests.requests(.waitlisted, at: target.locationId, on: target.day)
            guard !waiting.isEmpty else { return .unannounced }
            let setting = try await Self.setting(at: location, from: facts, now: now)
            let offer = WaitlistOffer(setting: setting, waiting: AllocationRequestRecord.allocationRequests(waiting))
            let byId = Dictionary(waiting.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

            var events: [DomainEvent] = []
            var notifications: [NotificationRecord] = []
            let formats = try await PreferencesStore(sql: sql).readingFormats(of: Array(Set(waiting.map(\.userId))))
            for ending in offer.endings {
                guard var request = byId[ending.requestId] else { continue }
                let status: RequestStatus = ending.kind == .expired ? .expired : .failed
                try await requests.close(request.id, as: status, reason: ending.reason, at: now)
                (request.status, request.reason, request.updatedAt) = (status, ending.reason, now)
                events.append(.request(request.event))
                notifications.append(NotificationRecord(
                    to: request.userId, .allocationLost, "Your request for \(location.name) on \((formats[request.userId] ?? .standard).day(target.day)) ended: \(ending.reason)",
                    location: location.id, link: NotificationRecord.requestsLink, at: now))
            }
            let notices = NotificationStore(sql: sql)
            events += try await notices.append(notifications)
            let accepted = offer.bookings.compactMap { allocated in
                byId[allocated.requestId].flatMap { request in
                    Self.booking(allocated, for: request, in: setting, locationId: location.id, actor: actor).map { (request, $0) }
                }
            }
            guard !accepted.isEmpty else { return Written(events: events) }
            try await BookingCommitQueue.insert(accepted.map(\.1), now: now, on: sql)
            notifications = []
            for (request, booking) in accepted {
                var won = request
                (won.status, won.deskId, won.bookingId, won.updatedAt) = (.won, booking.record.deskId, booking.record.id, now)
                try await requests.award(request.id, desk: booking.record.deskId, booking: booking.record.id, at: now)
                notifications.append(NotificationRecord(
                    to: request.userId, .allocationOfferTaken,
                    "A desk came free: you got desk \(Self.deskName(booking.record.deskId, in: setting)) at \(location.name) on "
                        + "\((formats[request.userId] ?? .standard).day(target.day)).",
                    booking: booking.record.id, location: location.id, at: now))
                events.append(.booking(BookingEvent(.created, booking.record, roomId: booking.roomId, locationId: location.id)))
                events.append(.request(won.event))
            }
            events += try await notices.append(notifications)
            try await RoundStore(sql: sql).forgiveLoss(of: accepted.map(\.0.userId), at: now)
            return Written(events: events)
        }
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
    func waitingDays(_ named: [(UUID, Date?)]) async throws -> [AllocationDay] {
        let waiting = Set(try await RequestStore(sql: sql).waitlistedDays(at: Array(Set(named.map(\.0)))).map { AllocationDay(locationId: $0.locationId, day: $0.day) })
        var targets: [AllocationDay] = []
        var zones: [UUID: TimeZone] = [:]
        for (locationId, instant) in named {
            guard let instant else {
                targets += waiting.filter { $0.locationId == locationId }
                continue
            }
            if zones[locationId] == nil { zones[locationId] = try await PlaceStore(sql: sql).location(locationId)?.timeZone }
            guard let zone = zones[locationId] else { continue }
            let target = AllocationDay(locationId: locationId, day: ZonedCalendar(timeZone: zone).date(of: instant))
            if waiting.contains(target) { targets.append(target) }
        }
        return targets
    }
}
