import DeskCore
import Foundation
import SQLKit

/// A booking as a viewer may see it: the booker's identity where the privacy setting allows, the note only for its
/// owner and the room's managers (`AccessRules.mayReadNote`).
struct BookingView: Sendable {
    let booking: BookingRecord
    let roomId: UUID
    let locationId: UUID
    let deskName: String
    /// nil when the viewer may not see who booked.
    let booker: (username: String, displayName: String)?
    /// nil when the viewer may not read the note; the only form of the note that leaves the server.
    let note: String?
    let isMine: Bool
    /// The room's maintenance, when a confirmed booking was kept through it.
    let maintenance: MaintenancePeriod?

    init(booking: BookingRecord, roomId: UUID, locationId: UUID, deskName: String,
         booker: (username: String, displayName: String)?, readsNote: Bool, isMine: Bool, roomMaintenance: MaintenancePeriod? = nil) {
        self.booking = booking
        self.roomId = roomId
        self.locationId = locationId
        self.deskName = deskName
        self.booker = booker
        note = readsNote ? booking.note : nil
        self.isMine = isMine
        maintenance = roomMaintenance.flatMap { booking.status == .confirmed && $0.overlaps(booking.range) ? $0 : nil }
    }
}

/// The one write path for bookings: every create, change and cancel passes the rules of SPEC §3 here, inside a
/// transaction that serialises competing writers (see `Transactor`); creations are committed in groups by
/// `BookingCommitQueue`.
struct BookingService: Sendable {
    let transactor: Transactor
    let clock: WallClock
    let placeService: PlaceService
    let users: UserService
    let sessions: SessionService
    let commits: BookingCommitQueue

    var sql: any SQLDatabase { transactor.sql }

    struct NewBooking: Sendable {
        var deskId: UUID
        var range: TimeRange
        var note: String
        /// Book for someone else (managers of the desk's room only).
        var onBehalfOf: UUID?
        var source: BookingSource
    }

    static let maxNoteLength = 500

    func create(_ input: NewBooking, by viewer: Viewer, actor: Actor) async throws -> BookingView {
        let claim = try await claim(desk: input.deskId, note: input.note, onBehalfOf: input.onBehalfOf, source: input.source, by: viewer)
        let record = claim.record(for: input.range, now: clock.now())
        // Fail fast, outside the writer, on what cannot change in the meantime; the writer checks everything again.
        try BookingRules.check(claim.request(record, actor: actor).attempt, desk: claim.context.state, policy: claim.policy,
                               timeZone: claim.context.location.timeZone, now: record.createdAt)
        try await commits.submit(claim.request(record, actor: actor))
        return claim.view(record)
    }

    /// Who books which desk, checked once for one booking or a bulk request.
    struct Claim: Sendable {
        let context: DeskContext
        let owner: UserRecord
        let viewer: Viewer
        let note: String
        let source: BookingSource
        /// Set when someone books for another person, who is then told.
        var onBehalf: BookingCommitQueue.OnBehalf?

        var policy: Policy { context.location.effectivePolicy }

        func record(for range: TimeRange, now: Date) -> BookingRecord {
            BookingRecord(id: UUID(), deskId: context.desk.id, userId: owner.id, startAt: range.start, endAt: range.end,
                          status: .confirmed, source: source, createdBy: viewer.userId, createdAt: now, updatedAt: now, note: note)
        }

        func request(_ record: BookingRecord, actor: Actor) -> BookingCommitQueue.Request {
            .init(record: record, roomId: context.room.id, policy: policy, timeZone: context.location.timeZone,
                  locationId: context.location.id, actor: actor, onBehalf: onBehalf)
        }

        func view(_ record: BookingRecord) -> BookingView {
            BookingView(booking: record, roomId: context.room.id, locationId: context.location.id, deskName: context.desk.name,
                        booker: (owner.username, owner.displayName),
                        readsNote: AccessRules.mayReadNote(ofBookingOwnedBy: owner.id, in: context.gate, viewer), isMine: owner.id == viewer.userId)
        }
    }

    /// Checks who may book the desk for whom: the desk must be visible, booking for someone else needs a manager of
    /// the room, and the owner must be active and pass the gates.
    func claim(desk deskId: UUID, note: String, onBehalfOf: UUID?, source: BookingSource, by viewer: Viewer) async throws -> Claim {
        try Self.checkNote(note)
        let context = try await placeService.visibleDeskContext(deskId, viewer)
        var source = source
        let ownerId = onBehalfOf ?? viewer.userId
        if ownerId != viewer.userId {
            guard AccessRules.manages(room: context.gate, viewer) else { throw DomainError.forbidden }
            source = .admin
        }
        guard let (owner, ownerViewer) = try await owner(ownerId, calledBy: viewer) else {
            throw DomainError.validation(field: "user_id", "no such active user")
        }
        guard AccessRules.passes(context.gate, ownerViewer) else { throw DomainError.notBookable("That person may not book in this room.") }
        var claim = Claim(context: context, owner: owner, viewer: viewer, note: note, source: source)
        if ownerId != viewer.userId {
            claim.onBehalf = .init(actorName: try await Self.name(of: viewer.userId, on: sql), notice: Self.notice(for: context),
                                   format: try await PreferencesStore(sql: sql).readingFormat(of: ownerId))
        }
        return claim
    }

    /// Moves, extends or shortens a booking, or edits its note. An ongoing booking keeps its start.
    func change(_ id: UUID, range: TimeRange?, note: String?, by viewer: Viewer, actor: Actor) async throws -> BookingView {
        if let note { try Self.checkNote(note) }
        let (current, context) = try await visibleBooking(id, viewer)
        guard AccessRules.mayModifyBooking(ownedBy: current.userId, in: context.gate, viewer) else { throw DomainError.notFound("Booking") }
        if range != nil {
            // New times are a new claim on the desk: its owner must still pass the gates.
            guard let (_, ownerViewer) = try await owner(current.userId, calledBy: viewer), AccessRules.passes(context.gate, ownerViewer) else {
                throw DomainError.notBookable("The booking's owner may no longer book in this room.")
            }
        }
        let location = context.location
        let policy = location.effectivePolicy
        let now = clock.now()
        try await mappingConstraintFailure(to: .deskTaken([])) {
            try await transactor.write { sql in
                try await transactor.lockRows("desks", ids: [current.deskId], in: sql)
                try await transactor.lockRows("users", ids: [current.userId], in: sql)
                var booking = try await Self.confirmedBooking(id, endingAfter: now, on: sql)
                let previous = booking.range
                var details: [String: String] = [:]
                if let range, range != booking.range {
                    let attempt = BookingAttempt(range: range, ownerId: booking.userId, original: booking.range, requesterId: viewer.userId)
                    var facts = try await BookingStore(sql: sql).ledger(desks: [booking.deskId], users: [booking.userId], overlapping: range,
                                                               excluding: [booking.id], now: now)
                    try facts.admit(attempt, desk: booking.deskId, policy: policy, timeZone: location.timeZone, now: now)
                    details["from"] = "\(booking.startAt.iso8601)/\(booking.endAt.iso8601)"
                    booking.startAt = range.start
                    booking.endAt = range.end
                }
                if let note { booking.note = note }
                booking.updatedAt = now
                try await BookingStore(sql: sql).saveTimesAndNote(of: booking)
                details.merge(Self.auditDetails(booking)) { $1 }
                try await AuditLog(sql: sql).record("booking.changed", target: "booking", id: id, location: location.id, by: actor, at: now,
                                       details: details)
                var events: [DomainEvent] = [.booking(BookingEvent(.changed, booking, roomId: context.room.id, locationId: location.id,
                                                                   previous: previous == booking.range ? nil : previous))]
                if booking.userId != viewer.userId, previous != booking.range {
                    let message = Self.notice(for: context).changedForYou(
                        from: previous, to: booking.range, by: try await Self.name(of: viewer.userId, on: sql),
                        format: try await PreferencesStore(sql: sql).readingFormat(of: booking.userId))
                    events += try await NotificationStore(sql: sql).append([NotificationRecord(
                        to: booking.userId, .bookingChangedForYou, message, booking: booking.id, location: location.id, at: now)])
                }
                return Written(events: events)
            }
        }
        return try await get(id, viewer)
    }

    /// Cancels a booking; the row stays as history.
    func cancel(_ id: UUID, by viewer: Viewer, actor: Actor) async throws -> BookingView {
        let (current, context) = try await visibleBooking(id, viewer)
        guard AccessRules.mayModifyBooking(ownedBy: current.userId, in: context.gate, viewer) else { throw DomainError.notFound("Booking") }
        let now = clock.now()
        try await transactor.write { sql in
            try await transactor.lockRows("bookings", ids: [id], in: sql)
            var booking = try await Self.confirmedBooking(id, endingAfter: now, on: sql)
            booking.status = .cancelled
            booking.updatedAt = now
            try await BookingStore(sql: sql).setStatus(of: [id], to: booking.status, at: now)
            try await AuditLog(sql: sql).record("booking.cancelled", target: "booking", id: id, location: context.location.id, by: actor, at: now,
                                   details: Self.auditDetails(booking))
            var events: [DomainEvent] = [.booking(BookingEvent(.cancelled, booking, roomId: context.room.id, locationId: context.location.id))]
            if booking.userId != viewer.userId {
                let message = Self.notice(for: context).cancelledForYou(
                    booking.range, by: try await Self.name(of: viewer.userId, on: sql),
                    format: try await PreferencesStore(sql: sql).readingFormat(of: booking.userId))
                events += try await NotificationStore(sql: sql).append([NotificationRecord(
                    to: booking.userId, .bookingCancelledForYou, message, booking: booking.id, location: context.location.id, at: now)])
            }
            return Written(events: events)
        }
        return try await get(id, viewer)
    }

    // MARK: Reading

    func get(_ id: UUID, _ viewer: Viewer) async throws -> BookingView {
        let (booking, context) = try await visibleBooking(id, viewer)
        let visible = AccessRules.seesBooker(of: booking.userId, in: context.gate, policy: context.location.effectivePolicy, viewer)
        let owner = visible ? try await users.user(id: booking.userId) : nil
        return BookingView(booking: booking, roomId: context.room.id, locationId: context.location.id, deskName: context.desk.name,
                           booker: owner.map { ($0.username, $0.displayName) },
                           readsNote: AccessRules.mayReadNote(ofBookingOwnedBy: booking.userId, in: context.gate, viewer),
                           isMine: booking.userId == viewer.userId, roomMaintenance: context.room.maintenance)
    }

    struct ListFilter: Sendable {
        enum Scope: Sendable { case mine, desk(UUID), room(UUID), location(UUID) }
        var scope: Scope
        var from: Date?
        var to: Date?
        /// nil means every status.
        var status: BookingStatus? = .confirmed
        var limit: Int = 100
        var after: (start: Date, id: UUID)?
    }

    /// Bookings in one scope. Only rooms the viewer may see are queried, so every row counts toward `limit`.
    func list(_ filter: ListFilter, _ viewer: Viewer) async throws -> [BookingView] {
        /// The visible rooms in scope; empty for `.mine`, where all rows are the viewer's own.
        var gates: [UUID: RoomGate] = [:]
        let places = PlaceStore(sql: sql)
        let scope: BookingStore.Scope
        switch filter.scope {
        case .mine:
            scope = .user(viewer.userId)
        case .desk(let deskId):
            let (_, room, gate) = try await placeService.visibleDesk(deskId, viewer)
            gates[room.id] = gate
            scope = .desk(deskId)
        case .room(let roomId):
            let (room, gate) = try await placeService.visibleRoom(roomId, viewer)
            gates[room.id] = gate
            scope = .rooms([roomId])
        case .location(let locationId):
            let (_, locationGate) = try await placeService.visibleLocation(locationId, viewer)
            let roomGates = try await places.roomGates(inLocation: locationId)
            for room in try await places.rooms(inLocation: locationId) {
                let gate = RoomGate(roomId: room.id, location: locationGate, groupIds: roomGates[room.id] ?? [])
                if AccessRules.passes(gate, viewer) { gates[room.id] = gate }
            }
            guard !gates.isEmpty else { return [] }
            scope = .rooms(Array(gates.keys))
        }
        let listed = try await BookingStore(sql: sql).list(
            scope, from: filter.from, to: filter.to, status: filter.status, limit: filter.limit, after: filter.after)

        var policies: [UUID: Policy] = [:]
        var views: [BookingView] = []
        for entry in listed {
            let booking = entry.booking
            let isMine = booking.userId == viewer.userId
            let gate = gates[entry.roomId]
            if policies[entry.locationId] == nil {
                policies[entry.locationId] = try await places.location(entry.locationId)?.effectivePolicy ?? .defaults
            }
            let policy = policies[entry.locationId]!
            let visible = isMine || gate.map { AccessRules.seesBooker(of: booking.userId, in: $0, policy: policy, viewer) } ?? false
            let readsNote = isMine || gate.map { AccessRules.mayReadNote(ofBookingOwnedBy: booking.userId, in: $0, viewer) } ?? false
            views.append(BookingView(
                booking: booking, roomId: entry.roomId, locationId: entry.locationId, deskName: entry.deskName,
                booker: visible ? (entry.username, entry.displayName) : nil, readsNote: readsNote, isMine: isMine,
                roomMaintenance: entry.roomMaintenance
            ))
        }
        return views
    }

    /// The active person a booking is for, with their access facts (the caller's own when it is theirs).
    func owner(_ ownerId: UUID, calledBy viewer: Viewer) async throws -> (UserRecord, Viewer)? {
        guard let owner = try await users.user(id: ownerId), owner.isActive else { return nil }
        return (owner, ownerId == viewer.userId ? viewer : try await sessions.viewer(for: owner))
    }

    /// The texts about a booking of this desk.
    static func notice(for context: DeskContext) -> BookingNotice {
        BookingNotice(deskName: context.desk.name, locationName: context.location.name, placeZone: context.location.timeZone)
    }

    /// How a person is named to others in notifications.
    static func name(of userId: UUID, on sql: any SQLDatabase) async throws -> String {
        try await UserStore(sql: sql).user(id: userId)?.displayName ?? "Someone"
    }

    static func checkNote(_ note: String) throws(DomainError) {
        guard note.count <= maxNoteLength else { throw .validation(field: "note", "at most \(maxNoteLength) characters") }
        try FieldChecks.checkText(note, field: "note", multiline: true)
    }

    /// The booking as it stands inside a write transaction; refused unless it is confirmed and (when `now` is given)
    /// has not ended.
    static func confirmedBooking(_ id: UUID, endingAfter now: Date?, on sql: any SQLDatabase) async throws -> BookingRecord {
        guard let booking = try await BookingStore(sql: sql).booking(id) else { throw DomainError.notFound("Booking") }
        guard booking.status == .confirmed else {
            throw DomainError.conflict(code: "booking_not_active", "This booking is \(booking.status.rawValue).")
        }
        if let now, booking.endAt <= now { throw DomainError.conflict(code: "booking_ended", "This booking has already ended.") }
        return booking
    }

    /// The booking with its desk's context, when the viewer owns it or may see its room; 404 otherwise.
    func visibleBooking(_ id: UUID, _ viewer: Viewer) async throws -> (BookingRecord, DeskContext) {
        guard let booking = try await BookingStore(sql: sql).booking(id),
              let context = try await placeService.deskContext(booking.deskId),
              booking.userId == viewer.userId || AccessRules.passes(context.gate, viewer)
        else { throw DomainError.notFound("Booking") }
        return (booking, context)
    }

    static func auditDetails(_ booking: BookingRecord) -> [String: String] {
        ["desk_id": booking.deskId.uuidString, "user_id": booking.userId.uuidString,
         "start": booking.startAt.iso8601, "end": booking.endAt.iso8601, "source": booking.source.rawValue]
    }
}

extension Date {
    var iso8601: String { Timestamp.format(self) }
}
