import DeskCore
import Foundation
import SQLKit

/// Turning one booking into a set of intervals on the same desk.
extension BookingService {
    struct IntervalChange: Sendable {
        let updated: [UUID]
        let created: [UUID]
        let cancelled: [UUID]
        /// The owner's resulting bookings of this change, by start.
        let bookings: [BookingView]
    }

    /// Replaces a booking by the merged intervals: the booking keeps one of them, the others become new bookings,
    /// and the owner's bookings of the desk that overlap them are absorbed (cancelled). Bookings in the gaps stay.
    /// An empty list cancels the booking. All or nothing: any refusal leaves everything as it was.
    func replaceIntervals(of id: UUID, with ranges: [TimeRange], by viewer: Viewer, actor: Actor) async throws -> IntervalChange {
        try Self.checkIntervals(ranges, allowOverlaps: true)
        let (current, context) = try await visibleBooking(id, viewer)
        guard AccessRules.mayModifyBooking(ownedBy: current.userId, in: context.gate, viewer) else { throw DomainError.notFound("Booking") }
        guard let (owner, ownerViewer) = try await owner(current.userId, calledBy: viewer), AccessRules.passes(context.gate, ownerViewer) else {
            throw DomainError.notBookable("The booking's owner may no longer book in this room.")
        }
        let intervals = TimeRange.merged(ranges)
        let location = context.location
        let policy = location.effectivePolicy
        let now = clock.now()
        let change = try await mappingConstraintFailure(to: .deskTaken([])) {
            try await transactor.write { sql in
                try await transactor.lockRows("desks", ids: [current.deskId], in: sql)
                try await transactor.lockRows("users", ids: [current.userId], in: sql)
                let booking = try await Self.confirmedBooking(id, endingAfter: now, on: sql)
                let span = TimeRange(uncheckedStart: min(booking.startAt, intervals.first?.start ?? booking.startAt),
                                     end: max(booking.endAt, intervals.last?.end ?? booking.endAt))
                let store = BookingStore(sql: sql)
                let own = try await store.ownBookings(onDesk: booking.deskId, of: booking.userId, overlapping: span, excluding: id)
                let plan = IntervalReplacement.plan(target: .init(id: id, range: booking.range),
                                                    ownerBookingsOnDesk: own.map { .init(id: $0.id, range: $0.range) },
                                                    intervals: intervals)
                var facts = try await BookingStore(sql: sql).ledger(desks: [booking.deskId], users: [booking.userId], overlapping: span,
                                                           excluding: plan.cancelled + [id], now: now)
                if let kept = plan.kept {
                    try facts.admit(BookingAttempt(range: kept.range, ownerId: booking.userId, original: booking.range, requesterId: viewer.userId),
                                    desk: booking.deskId, policy: policy, timeZone: location.timeZone, now: now)
                }
                for range in plan.created {
                    try facts.admit(BookingAttempt(range: range, ownerId: booking.userId, requesterId: viewer.userId),
                                    desk: booking.deskId, policy: policy, timeZone: location.timeZone, now: now)
                }

                var results: [BookingRecord] = []
                if let kept = plan.kept {
                    var updated = booking
                    (updated.startAt, updated.endAt, updated.updatedAt) = (kept.range.start, kept.range.end, now)
                    try await store.saveTimesAndNote(of: updated)
                    results.append(updated)
                }
                try await store.setStatus(of: plan.cancelled, to: .cancelled, at: now)
                let created = plan.created.map { range in
                    BookingRecord(id: UUID(), deskId: booking.deskId, userId: booking.userId, startAt: range.start, endAt: range.end,
                                  status: .confirmed, source: booking.source, createdBy: viewer.userId, createdAt: now, updatedAt: now,
                                  note: booking.note)
                }
                if !created.isEmpty { try await store.insert(created) }
                results += created
                try await AuditLog(sql: sql).record("booking.intervals_replaced", target: "booking", id: id, location: location.id, by: actor, at: now,
                                       details: [
                                           "desk_id": booking.deskId.uuidString, "user_id": booking.userId.uuidString,
                                           "from": "\(booking.startAt.iso8601)/\(booking.endAt.iso8601)",
                                           "intervals": intervals.map { "\($0.start.iso8601)/\($0.end.iso8601)" }.joined(separator: ","),
                                           "created": created.map(\.id.uuidString).joined(separator: ","),
                                           "cancelled": plan.cancelled.map(\.uuidString).joined(separator: ","),
                                       ])
                let absorbed = own.filter { plan.cancelled.contains($0.id) }
                    + (plan.kept == nil ? [booking] : [])
                var events = absorbed.map { BookingEvent(.cancelled, $0, roomId: context.room.id, locationId: location.id) }
                events += results.map { record in
                    record.id == id ? BookingEvent(.changed, record, roomId: context.room.id, locationId: location.id, previous: booking.range)
                        : BookingEvent(.created, record, roomId: context.room.id, locationId: location.id)
                }
                return Written((plan, results.sorted { $0.startAt < $1.startAt }), events: events.map(DomainEvent.booking))
            }
        }
        let visible = AccessRules.seesBooker(of: owner.id, in: context.gate, policy: policy, viewer)
        let readsNote = AccessRules.mayReadNote(ofBookingOwnedBy: owner.id, in: context.gate, viewer)
        return IntervalChange(
            updated: change.0.kept.map { [$0.id] } ?? [], created: change.1.map(\.id).filter { $0 != id }, cancelled: change.0.cancelled,
            bookings: change.1.map { record in
                BookingView(booking: record, roomId: context.room.id, locationId: location.id, deskName: context.desk.name,
                            booker: visible ? (owner.username, owner.displayName) : nil, readsNote: readsNote,
                            isMine: record.userId == viewer.userId)
            }
        )
    }
}
