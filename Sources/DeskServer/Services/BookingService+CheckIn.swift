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
            try await sql.raw("UPDATE bookings SET checked_in_at = \(bind: now), updated_at = \(bind: now) WHERE id = \(bind: id)").run()
            try await Audit.record("booking.checked_in", target: "booking", id: id, location: context.location.id, by: actor, at: now,
                                   details: Self.auditDetails(booking), on: sql)
            return .unannounced
        }
        return try await get(id, viewer)
    }

    /// Releases every booking whose owner did not check in within the grace period where the policy requires it.
    /// Idempotent: a booking is released once, whoever runs this and however often. Returns the released ids.
    @discardableResult
    func releaseNoShows() async throws -> [UUID] {
        let now = clock.now()
        let locations = try await sql.all(LocationRecord.self, "SELECT * FROM locations")
            .filter { $0.effectivePolicy.checkInRequired }
        guard !locations.isEmpty else { return [] }
        let policies = Dictionary(uniqueKeysWithValues: locations.map { ($0.id, $0.effectivePolicy) })
        let shortestGrace = TimeInterval(policies.values.map(\.checkInGraceMinutes).min()! * 60)
        let released = try await transactor.write { sql in
            // Bookings started at least the shortest grace ago and at most a day ago (older ones are long over).
            let rows = try await sql.raw("""
                SELECT b.*, d.location_id AS location_id, d.room_id AS room_id FROM bookings b JOIN desks d ON d.id = b.desk_id
                WHERE b.status = 'confirmed' AND b.checked_in_at IS NULL
                  AND b.start_at <= \(bind: now.addingTimeInterval(-shortestGrace))
                  AND b.start_at > \(bind: now.addingTimeInterval(-BookingRules.longestBooking))
                  AND d.location_id IN (\(binds: Array(policies.keys)))
                """).all()
            var released: [BookingEvent] = []
            for row in rows {
                let booking = try row.decode(model: BookingRecord.self, keyDecodingStrategy: .convertFromSnakeCase)
                let locationId = try row.decode(column: "location_id", as: UUID.self)
                let roomId = try row.decode(column: "room_id", as: UUID.self)
                guard let policy = policies[locationId],
                      CheckInRules.isNoShow(booking: booking.range, checkedInAt: booking.checkedInAt, policy: policy, now: now)
                else { continue }
                // The status condition makes a second run (or another instance) a no-op for this booking.
                let updated = try await sql.raw("""
                    UPDATE bookings SET status = 'released', updated_at = \(bind: now)
                    WHERE id = \(bind: booking.id) AND status = 'confirmed' AND checked_in_at IS NULL RETURNING id
                    """).all()
                guard !updated.isEmpty else { continue }
                released.append(BookingEvent(.released, booking, roomId: roomId, locationId: locationId))
                try await Audit.record("booking.released", target: "booking", id: booking.id, location: locationId,
                                       by: Actor(userId: nil, ip: nil), at: now, details: Self.auditDetails(booking), on: sql)
                try await Notifications.record(
                    "booking_released", to: booking.userId,
                    "Your booking from \(booking.startAt.iso8601) was released: nobody checked in within \(policy.checkInGraceMinutes) minutes.",
                    booking: booking.id, at: now, on: sql)
            }
            return Written(released, events: released.map(DomainEvent.booking))
        }
        return released.map(\.bookingId)
    }
}
