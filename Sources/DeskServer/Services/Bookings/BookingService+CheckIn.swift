import DeskCore
import Foundation
import SQLKit

/// Check-in, and releasing the bookings nobody checked in to.
extension BookingService {
    /// The owner checks in within the window the location's policy allows.
    func checkIn(_ id: UUID, by viewer: Viewer, actor: Actor) async throws -> BookingView {
        let (current, context) = try await visibleBooking(id, viewer)
        guard current.userId == viewer.userId else {
            throw DomainError(.forbidden, code: "forbidden", detail: "Only the person who has the desk can check in.")
        }
        let policy = context.location.effectivePolicy
        let now = clock.now()
        try await transactor.write { sql in
            try await transactor.lockRows("bookings", ids: [id], in: sql)
            let booking = try await Self.confirmedBooking(id, endingAfter: nil, on: sql)
            try CheckInRules.check(booking: booking.range, checkedInAt: booking.checkedInAt, policy: policy, now: now)
            try await BookingStore(sql: sql).markCheckedIn(id, at: now)
            try await AuditLog(sql: sql).record("booking.checked_in", target: "booking", id: id, location: context.location.id, by: actor, at: now,
                                   details: Self.auditDetails(booking))
            return .unannounced
        }
        return try await get(id, viewer)
    }

    /// Reminds owners to check in when check-in opens for a booking that requires it. Repeat-safe: a booking's reminder
    /// is a notification, written once.
    func remindCheckIns() async throws {
        let now = clock.now()
        let locations = try await PlaceStore(sql: sql).locations(inCountry: nil).filter { $0.effectivePolicy.checkInRequired }
        guard !locations.isEmpty else { return }
        let byId = Dictionary(uniqueKeysWithValues: locations.map { ($0.id, $0) })
        try await transactor.write { sql in
            let due = try await BookingStore(sql: sql).awaitingReminder(
                startingIn: TimeRange(uncheckedStart: now, end: now.addingTimeInterval(CheckInRules.opensBefore)), inLocations: Array(byId.keys))
            var notifications: [NotificationRecord] = []
            for (booking, deskName, locationId) in due {
                guard let location = byId[locationId], CheckInRules.remindsNow(
                    booking: booking.range, createdAt: booking.createdAt, checkedInAt: booking.checkedInAt,
                    policy: location.effectivePolicy, now: now) else { continue }
                let notice = BookingNotice(deskName: deskName, locationName: location.name, placeZone: location.timeZone)
                let format = try await PreferencesStore(sql: sql).readingFormat(of: booking.userId)
                notifications.append(NotificationRecord(
                    to: booking.userId, .checkInReminder,
                    notice.checkInReminder(booking.range, deadline: CheckInRules.deadline(of: booking.range, policy: location.effectivePolicy),
                                           format: format),
                    booking: booking.id, location: locationId, at: now))
            }
            return Written(events: try await NotificationStore(sql: sql).append(notifications))
        }
    }

    /// Releases every booking whose owner did not check in within the grace period where the policy requires it.
    /// Idempotent: a booking is released once, whoever runs this and however often. Returns the released ids.
    @discardableResult
    func releaseNoShows() async throws -> [UUID] {
        let now = clock.now()
        let locations = try await PlaceStore(sql: sql).locations(inCountry: nil)
            .filter { $0.effectivePolicy.checkInRequired }
        guard !locations.isEmpty else { return [] }
        let policies = Dictionary(uniqueKeysWithValues: locations.map { ($0.id, $0.effectivePolicy) })
        let byId = Dictionary(uniqueKeysWithValues: locations.map { ($0.id, $0) })
        let shortestGrace = TimeInterval(policies.values.map(\.checkInGraceMinutes).min()! * 60)
        let released = try await transactor.write { sql in
            let store = BookingStore(sql: sql)
            // Bookings started at least the shortest grace ago and at most a day ago (older ones are long over).
            let candidates = try await store.unattended(
                startedBetween: TimeRange(uncheckedStart: now.addingTimeInterval(-BookingRules.longestBooking),
                                          end: now.addingTimeInterval(-shortestGrace)),
                inLocations: Array(policies.keys))
            var released: [BookingEvent] = []
            var notifications: [NotificationRecord] = []
            for (booking, roomId, locationId) in candidates {
                guard let policy = policies[locationId],
                      CheckInRules.isNoShow(booking: booking.range, checkedInAt: booking.checkedInAt, policy: policy, now: now)
                else { continue }
                guard try await store.releaseUnattended(booking.id, at: now) else { continue }
                released.append(BookingEvent(.released, booking, roomId: roomId, locationId: locationId))
                try await AuditLog(sql: sql).record("booking.released", target: "booking", id: booking.id, location: locationId,
                                       by: Actor(userId: nil, ip: nil), at: now, details: Self.auditDetails(booking))
                guard let location = byId[locationId] else { continue }
                let notice = BookingNotice(deskName: try await PlaceStore(sql: sql).desk(booking.deskId)?.name ?? "",
                                           locationName: location.name, placeZone: location.timeZone)
                let format = try await PreferencesStore(sql: sql).readingFormat(of: booking.userId)
                notifications.append(NotificationRecord(
                    to: booking.userId, .noShowRelease, notice.released(booking.range, graceMinutes: policy.checkInGraceMinutes, format: format),
                    booking: booking.id, location: locationId, at: now))
            }
            let notified = try await NotificationStore(sql: sql).append(notifications)
            return Written(released, events: released.map(DomainEvent.booking) + notified)
        }
        return released.map(\.bookingId)
    }
}
