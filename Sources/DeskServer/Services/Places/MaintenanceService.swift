import DeskCore
import Foundation
import SQLKit

/// Rooms under maintenance for a period (SPEC §3). While it lasts no new booking may overlap it (the booking rules see
/// the period in `DeskState`); the active bookings it overlaps are cancelled with the maintenance as their reason, or
/// kept and marked, as the manager chooses after previewing them; each affected owner is told in their own formats.
struct MaintenanceService: Sendable {
    let transactor: Transactor
    let clock: WallClock
    let placeService: PlaceService

    /// A period written, with the bookings it affected as they now stand (cancelled or kept), by start.
    struct Outcome: Sendable {
        let room: RoomRecord
        let period: MaintenancePeriod
        let choice: AffectedBookingsChoice
        let affected: [BookingStore.Listed]
    }

    /// What a manager reviews before confirming: the period as it would be stored and the bookings it overlaps.
    struct Preview: Sendable {
        let period: MaintenancePeriod
        let affected: [BookingView]
    }

    /// The room's active bookings a period from `from` (default now) until `until` would affect, for its manager.
    func preview(room roomId: UUID, from: Date?, until: Date?, by viewer: Viewer) async throws -> Preview {
        let (room, gate) = try await placeService.visibleRoom(roomId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        let (start, end) = try MaintenancePeriod.requestedSpan(from: from, until: until, now: clock.now())
        let period = MaintenancePeriod(reason: "", from: start, until: end)
        let affected = try await Self.affectedBookings(of: roomId, during: period, on: transactor.sql)
        return Preview(period: period, affected: affected.map { Self.view($0, room: room, gate: gate, viewer) })
    }

    /// `schedule` for a manager of the room, with the affected bookings as they see them.
    func start(
        room roomId: UUID, from: Date?, until: Date?, reason: String, affected choice: AffectedBookingsChoice,
        by viewer: Viewer, actor: Actor
    ) async throws -> (Outcome, [BookingView]) {
        let (_, gate) = try await placeService.visibleRoom(roomId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        let outcome = try await schedule(room: roomId, from: from, until: until, reason: reason, affected: choice, actor: actor)
        return (outcome, outcome.affected.map { Self.view($0, room: outcome.room, gate: gate, viewer) })
    }

    /// Puts a room under maintenance from `from` (default now) until `until` (nil: open-ended), replacing any current
    /// or scheduled period, in one transaction with its consequences: the affected bookings cancelled (each with
    /// `cancel_reason`) or kept, one notification per affected owner, the audit entries, and the events (a cancelled
    /// booking reaches live views, the waitlist and the autopilot like any other). Callers check access.
    func schedule(
        room roomId: UUID, from: Date?, until: Date?, reason: String, affected choice: AffectedBookingsChoice = .cancel,
        actor: Actor
    ) async throws -> Outcome {
        let now = clock.now()
        let period = try MaintenancePeriod.requested(reason: reason, from: from, until: until, now: now)
        try FieldChecks.checkText(period.reason, field: "reason", multiline: true)
        return try await transactor.write { sql in
            let places = PlaceStore(sql: sql)
            try await transactor.lockRows("rooms", ids: [roomId], in: sql)
            guard var room = try await places.room(roomId), let location = try await places.location(room.locationId) else {
                throw DomainError.notFound("Room")
            }
            // Booking writes lock their desk: one waiting here sees the period once this commits, and one ahead of
            // this write is among the affected.
            try await transactor.lockRows("desks", ids: try await places.desks(inRoom: roomId).map(\.id), in: sql)
            var affected = try await Self.affectedBookings(of: roomId, during: period, on: sql)
            let notice = MaintenanceNotice(roomName: room.name, period: period, placeZone: location.timeZone)

            try await places.setMaintenance(period, ofRoom: roomId)
            room.maintenance = period
            var events: [DomainEvent] = [.accessChanged, .maintenance(Self.event(room, now: now))]
            var audit = [Audit.entry(
                "room.maintenance_on", target: "room", id: roomId, location: room.locationId, by: actor, at: now,
                details: ["reason": period.reason, "from": Timestamp.format(period.from),
                          "until": period.until.map(Timestamp.format) ?? "open-ended",
                          "affected": choice.rawValue, "affected_bookings": String(affected.count)])]
            if choice == .cancel {
                let cancelled = Set(try await BookingStore(sql: sql).cancel(affected.map(\.booking.id), reason: notice.cancelReason, at: now))
                affected = affected.filter { cancelled.contains($0.booking.id) }.map { listed in
                    var listed = listed
                    listed.booking.status = .cancelled
                    listed.booking.cancelReason = notice.cancelReason
                    listed.booking.updatedAt = now
                    return listed
                }
                for listed in affected {
                    events.append(.booking(BookingEvent(.cancelled, listed.booking, roomId: roomId, locationId: room.locationId)))
                    audit.append(Audit.entry("booking.cancelled", target: "booking", id: listed.booking.id, location: room.locationId,
                                             by: actor, at: now, details: ["reason": notice.cancelReason]))
                }
            }
            try await AuditLog(sql: sql).append(audit)
            events += try await Self.notifyOwners(of: affected, notice: notice, cancelled: choice == .cancel, location: room.locationId,
                                                  at: now, on: sql)
            return Written(Outcome(room: room, period: period, choice: choice, affected: affected), events: events)
        }
    }

    /// Ends the room's maintenance now, or removes a scheduled period that has not started; the room books as usual
    /// again and its freed desks are offered to the waitlist. Bookings it cancelled stay cancelled.
    func end(room roomId: UUID, by viewer: Viewer, actor: Actor) async throws -> RoomRecord {
        let (_, gate) = try await placeService.visibleRoom(roomId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        return try await end(room: roomId, actor: actor)
    }

    /// `end` without the access check.
    func end(room roomId: UUID, actor: Actor) async throws -> RoomRecord {
        let now = clock.now()
        return try await transactor.write { sql in
            let places = PlaceStore(sql: sql)
            try await transactor.lockRows("rooms", ids: [roomId], in: sql)
            guard var room = try await places.room(roomId) else { throw DomainError.notFound("Room") }
            let previous = room.maintenanceNotOver(at: now)
            try await places.setMaintenance(nil, ofRoom: roomId)
            room.maintenance = nil
            var details: [String: String] = [:]
            if let previous {
                details = ["reason": previous.reason, "ended": previous.isActive(at: now) ? "now" : "before it started"]
            }
            try await AuditLog(sql: sql).record("room.maintenance_off", target: "room", id: roomId, location: room.locationId, by: actor,
                                                at: now, details: details)
            return Written(room, events: [.accessChanged, .maintenance(Self.event(room, now: now))])
        }
    }

    /// What live views hear: the reason while the period is in effect (nil otherwise), and the period not yet over.
    static func event(_ room: RoomRecord, now: Date) -> MaintenanceEvent {
        let period = room.maintenanceNotOver(at: now)
        return MaintenanceEvent(roomId: room.id, locationId: room.locationId,
                                reason: period?.isActive(at: now) == true ? period?.reason : nil, period: period)
    }

    /// Active bookings of the room that overlap the period and have not ended, by start.
    private static func affectedBookings(
        of roomId: UUID, during period: MaintenancePeriod, on sql: any SQLDatabase
    ) async throws -> [BookingStore.Listed] {
        try await BookingStore(sql: sql).list(.rooms([roomId]), from: period.from, to: period.until, status: .confirmed,
                                              limit: Int.max, after: nil)
    }

    /// One notification per owner, worded in their own zone and formats, linked to their first affected booking.
    private static func notifyOwners(
        of affected: [BookingStore.Listed], notice: MaintenanceNotice, cancelled: Bool, location locationId: UUID, at now: Date,
        on sql: any SQLDatabase
    ) async throws -> [DomainEvent] {
        let byOwner = Dictionary(grouping: affected, by: \.booking.userId)
        var notifications: [NotificationRecord] = []
        for (ownerId, bookings) in byOwner.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            let format = try await PreferencesStore(sql: sql).readingFormat(of: ownerId)
            let message = notice.message(
                for: bookings.map { MaintenanceNotice.Booking(deskName: $0.deskName, range: $0.booking.range) },
                cancelled: cancelled, format: format)
            notifications.append(NotificationRecord(to: ownerId, .maintenance, message, booking: bookings.first?.booking.id,
                                                    location: locationId, at: now))
        }
        return try await NotificationStore(sql: sql).append(notifications)
    }

    /// A booking as the room's manager sees it.
    private static func view(_ listed: BookingStore.Listed, room: RoomRecord, gate: RoomGate, _ viewer: Viewer) -> BookingView {
        let booking = listed.booking
        return BookingView(booking: booking, roomId: room.id, locationId: room.locationId, deskName: listed.deskName,
                           booker: (listed.username, listed.displayName),
                           readsNote: AccessRules.mayReadNote(ofBookingOwnedBy: booking.userId, in: gate, viewer),
                           isMine: booking.userId == viewer.userId, roomMaintenance: room.maintenance)
    }
}
