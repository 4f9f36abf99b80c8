import DeskCore
import Foundation
import SQLKit

/// What is free where: a room's desks over a time range, and a location's rooms on one day. Each answer costs a
/// fixed number of queries, however many desks and days it covers.
struct AvailabilityService: Sendable {
    let transactor: Transactor
    let clock: WallClock
    let placeService: PlaceService

    /// The longest range a room report covers.
    static let maximumRange: TimeInterval = 31 * 86_400

    /// A confirmed booking; `booker` is nil when the location's privacy setting hides who booked from this report's
    /// readers.
    struct Busy: Sendable {
        let bookingId: UUID
        let userId: UUID
        let range: TimeRange
        let booker: (username: String, displayName: String)?
    }

    struct DeskReport: Sendable {
        let desk: DeskRecord
        let status: DeskStatus
        let busy: [Busy]
        let hold: Hold?
    }

    /// A room's availability as every reader with the same right to see booker names sees it; what is the reader's
    /// own is picked out per request (`RoomAvailabilityDTO.mine`).
    struct RoomReport: Sendable {
        let room: RoomRecord
        let range: TimeRange
        let now: Date
        let desks: [DeskReport]
    }

    /// A report with its JSON, computed once and shared through `AvailabilityCache`: encoding hundreds of intervals
    /// costs more than serving them.
    struct RoomSnapshot: Sendable {
        let report: RoomReport
        let json: [UInt8]
    }

    func room(_ roomId: UUID, range requested: TimeRange?, _ viewer: Viewer) async throws -> RoomSnapshot {
        let context = try await placeService.visibleRoomContext(roomId, viewer)
        let now = clock.now()
        let range = requested ?? Self.today(in: context.location, now: now)
        guard range.duration <= Self.maximumRange else {
            throw DomainError.validation(field: "to", "at most \(Int(Self.maximumRange / 86_400)) days after from")
        }
        let showsBookers = AccessRules.seesBooker(of: UUID(), in: context.gate, policy: context.location.effectivePolicy, viewer)
        let key = AvailabilityCache.Key(roomId: roomId, from: range.start, to: range.end, showsBookers: showsBookers)
        return try await transactor.availability.snapshot(key) {
            let report = try await report(context.room, range: range, showsBookers: showsBookers, now: now)
            return RoomSnapshot(report: report, json: try RoomAvailabilityDTO.encodeShared(report))
        }
    }

    private func report(_ room: RoomRecord, range: TimeRange, showsBookers: Bool, now: Date) async throws -> RoomReport {
        let sql = transactor.sql
        let desks = try await PlaceStore(sql: sql).desks(inRoom: room.id)
        guard !desks.isEmpty else { return RoomReport(room: room, range: range, now: now, desks: []) }
        let deskIds = desks.map(\.id)
        let occupied = try await BookingStore(sql: sql).occupying(desks: deskIds, during: range, orAt: now)
        let holds = Dictionary(try await HoldStore(sql: sql).active(on: deskIds, at: now).map { ($0.deskId, $0) },
                               uniquingKeysWith: { first, _ in first })

        var busyByDesk: [UUID: [Busy]] = [:]
        var nowByDesk: [UUID: [TimeRange]] = [:]
        for booking in occupied {
            if booking.range.contains(now) { nowByDesk[booking.deskId, default: []].append(booking.range) }
            guard booking.range.overlaps(range) else { continue }
            busyByDesk[booking.deskId, default: []].append(Busy(
                bookingId: booking.id, userId: booking.userId, range: booking.range,
                booker: showsBookers ? (booking.username, booking.displayName) : nil
            ))
        }
        let reports = desks.map { desk in
            let state = DeskState(deskId: desk.id, isActive: desk.isActive, maintenance: room.maintenance?.range,
                                  permanentAssigneeId: desk.permanentUserId)
            return DeskReport(desk: desk,
                              status: Availability.status(desk: state, bookings: nowByDesk[desk.id] ?? [], holdActive: holds[desk.id] != nil, now: now),
                              busy: busyByDesk[desk.id] ?? [], hold: holds[desk.id])
        }
        return RoomReport(room: room, range: range, now: now, desks: reports)
    }

    struct RoomDay: Sendable {
        let room: RoomRecord
        let desks: Int
        let free: [UUID]
        let partlyFree: [UUID]
        let full: Int
        let unavailable: Int
        /// Whether the room's maintenance takes part of the day's bookable hours.
        var underMaintenance = false
    }

    /// A room's desks with their confirmed bookings: how full it is on a day follows for each person.
    struct RoomDayFacts: Sendable {
        let room: RoomRecord
        let desks: [DeskRecord]
        /// Confirmed bookings by desk (may hold other desks' too).
        let busy: [UUID: [TimeRange]]
        let policy: Policy
        let calendar: ZonedCalendar

        /// The only people who see this room differently from everyone else: their permanent desk is free for them.
        var assignees: Set<UUID> { Set(desks.compactMap(\.permanentUserId)) }

        func day(_ date: LocalDate, viewerId: UUID) -> RoomDay {
            var free: [UUID] = [], partly: [UUID] = [], full = 0, unavailable = 0
            for desk in desks {
                let state = DeskState(deskId: desk.id, isActive: desk.isActive, maintenance: room.maintenance?.range,
                                      permanentAssigneeId: desk.permanentUserId)
                switch Availability.day(date, desk: state, viewerId: viewerId, busy: busy[desk.id] ?? [], policy: policy, calendar: calendar) {
                case .free: free.append(desk.id)
                case .partlyFree: partly.append(desk.id)
                case .full: full += 1
                case .unavailable: unavailable += 1
                }
            }
            let hours = Availability.bookableHours(on: date, policy: policy, calendar: calendar)
            return RoomDay(room: room, desks: desks.count, free: free, partlyFree: partly, full: full, unavailable: unavailable,
                           underMaintenance: room.maintenance?.overlaps(hours) == true)
        }
    }

    struct LocationReport: Sendable {
        let location: LocationRecord
        let date: LocalDate
        let bookableHours: TimeRange
        /// The location does not open on this weekday: every desk counts as unavailable.
        let closed: Bool
        let rooms: [RoomDay]
    }

    /// Free desks per visible room on one local day (the location's bookable hours).
    func location(_ locationId: UUID, date requested: LocalDate?, _ viewer: Viewer) async throws -> LocationReport {
        let (location, _) = try await placeService.visibleLocation(locationId, viewer)
        let calendar = ZonedCalendar(timeZone: location.timeZone)
        let date = requested ?? calendar.date(of: clock.now())
        let policy = location.effectivePolicy
        let hours = Availability.bookableHours(on: date, policy: policy, calendar: calendar)
        let rooms = try await placeService.rooms(locationId: locationId, viewer)
        let desks = try await PlaceStore(sql: transactor.sql).desks(inLocation: locationId)
        let busy = try await BookingStore(sql: transactor.sql).busy(inLocation: locationId, during: hours)
        let desksByRoom = Dictionary(grouping: desks, by: \.roomId)
        let days = rooms.map { room in
            RoomDayFacts(room: room, desks: desksByRoom[room.id] ?? [], busy: busy, policy: policy, calendar: calendar)
                .day(date, viewerId: viewer.userId)
        }
        return LocationReport(location: location, date: date, bookableHours: hours, closed: !policy.isOpen(on: date), rooms: days)
    }

    /// A room's desks and bookings on some local days (for live updates of the location view).
    func roomDays(_ context: RoomContext, dates: [LocalDate]) async throws -> RoomDayFacts {
        let policy = context.location.effectivePolicy
        let calendar = ZonedCalendar(timeZone: context.location.timeZone)
        let desks = try await PlaceStore(sql: transactor.sql).desks(inRoom: context.room.id)
        var busy: [UUID: [TimeRange]] = [:]
        let hours = dates.map { Availability.bookableHours(on: $0, policy: policy, calendar: calendar) }
        if !desks.isEmpty, let start = hours.map(\.start).min(), let end = hours.map(\.end).max() {
            busy = try await BookingStore(sql: transactor.sql).busy(desks: desks.map(\.id), during: TimeRange(uncheckedStart: start, end: end))
        }
        return RoomDayFacts(room: context.room, desks: desks, busy: busy, policy: policy, calendar: calendar)
    }

    /// Without a range: today in the location's zone.
    private static func today(in location: LocationRecord, now: Date) -> TimeRange {
        let calendar = ZonedCalendar(timeZone: location.timeZone)
        let today = calendar.date(of: now)
        return TimeRange(uncheckedStart: calendar.startOfDay(today), end: calendar.startOfDay(calendar.adding(days: 1, to: today)))
    }
}
