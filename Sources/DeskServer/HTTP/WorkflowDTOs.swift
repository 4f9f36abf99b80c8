import DeskCore
import Vapor

// Response bodies of holds, bulk and interval edits, maintenance, availability, preferences, stats and calendars.

struct HoldDTO: Content {
    let deskId: UUID
    let expiresAt: Date
    let firstAcquiredAt: Date
    /// The hold cannot be refreshed past this instant.
    let capEndsAt: Date

    init(_ hold: Hold) {
        deskId = hold.deskId
        expiresAt = hold.expiresAt
        firstAcquiredAt = hold.firstAcquiredAt
        capEndsAt = hold.firstAcquiredAt.addingTimeInterval(HoldRules.cap)
    }
}

struct ErrorSummaryDTO: Content {
    let code: String
    let detail: String
}

/// One interval of a bulk request and what became of it.
struct BulkIntervalDTO: Content {
    let start: Date
    let end: Date
    /// `created` or `failed`.
    let status: String
    let booking: BookingDTO?
    let error: ErrorSummaryDTO?
    let conflicts: [Problem.Interval]
    let conflictingDays: [LocalDate]

    init(_ outcome: BookingService.BulkOutcome) {
        start = outcome.range.start
        end = outcome.range.end
        status = outcome.booking == nil ? "failed" : "created"
        booking = outcome.booking.map(BookingDTO.init)
        error = outcome.refusal.map { ErrorSummaryDTO(code: $0.code, detail: $0.detail) }
        conflicts = (outcome.refusal?.conflicts ?? []).map { .init(start: $0.start, end: $0.end) }
        conflictingDays = outcome.conflictingDays
    }
}

struct BulkResultDTO: Content {
    let created: Int
    let failed: Int
    let intervals: [BulkIntervalDTO]
}

/// An atomic bulk request that was refused: the first refusal, with every interval's outcome.
struct BulkRejection: Error {
    let refusal: DomainError
    let intervals: [BulkIntervalDTO]
}

struct IntervalChangeDTO: Content {
    let updated: [UUID]
    let created: [UUID]
    let cancelled: [UUID]
    let bookings: [BookingDTO]

    init(_ change: BookingService.IntervalChange) {
        updated = change.updated
        created = change.created
        cancelled = change.cancelled
        bookings = change.bookings.map(BookingDTO.init)
    }
}

struct MaintenanceDTO: Content {
    let room: RoomDTO
    let affectedBookings: [BookingDTO]
}

struct BusyDTO: Content {
    let bookingId: UUID
    let start: Date
    let end: Date
    /// nil when the location's privacy setting hides who booked; then `users` has no entry either.
    let userId: UUID?
}

struct BookerRefDTO: Content {
    let id: UUID
    let username: String
    let displayName: String
}

struct DeskAvailabilityDTO: Content {
    let deskId: UUID
    let name: String
    /// free, booked, held, permanent, maintenance or inactive.
    let status: String
    let permanent: Bool
    let holdExpiresAt: Date?
    let busy: [BusyDTO]
}

/// What in a room report is the reader's own; the only part that differs between readers.
struct ViewerAvailabilityDTO: Content {
    let userId: UUID
    let bookingIds: [UUID]
    let heldDeskIds: [UUID]
    let permanentDeskIds: [UUID]
}

/// A room's desks over a range. Encoded once per snapshot (`encodeShared`) and sent with the reader's own `mine`
/// section put in front (`response`).
struct RoomAvailabilityDTO: Content {
    let roomId: UUID
    let from: Date
    let to: Date
    let now: Date
    let underMaintenance: Bool
    let maintenanceReason: String?
    /// Everyone named in `busy`, once.
    let users: [BookerRefDTO]
    let desks: [DeskAvailabilityDTO]

    static func encodeShared(_ report: AvailabilityService.RoomReport) throws -> [UInt8] {
        var users: [UUID: BookerRefDTO] = [:]
        let desks = report.desks.map { desk in
            DeskAvailabilityDTO(
                deskId: desk.desk.id, name: desk.desk.name, status: desk.status.rawValue, permanent: desk.desk.permanentUserId != nil,
                holdExpiresAt: desk.hold?.expiresAt,
                busy: desk.busy.map { busy in
                    if let booker = busy.booker {
                        users[busy.userId] = BookerRefDTO(id: busy.userId, username: booker.username, displayName: booker.displayName)
                    }
                    return BusyDTO(bookingId: busy.bookingId, start: busy.range.start, end: busy.range.end,
                                   userId: busy.booker == nil ? nil : busy.userId)
                }
            )
        }
        let dto = RoomAvailabilityDTO(
            roomId: report.room.id, from: report.range.start, to: report.range.end, now: report.now,
            underMaintenance: report.room.maintenanceReason != nil, maintenanceReason: report.room.maintenanceReason,
            users: users.values.sorted { $0.username < $1.username }, desks: desks
        )
        return Array(try JSONCoding.encoder.encode(dto))
    }

    static func mine(_ report: AvailabilityService.RoomReport, viewerId: UUID) -> ViewerAvailabilityDTO {
        ViewerAvailabilityDTO(
            userId: viewerId,
            bookingIds: report.desks.flatMap { $0.busy.filter { $0.userId == viewerId }.map(\.bookingId) },
            heldDeskIds: report.desks.filter { $0.hold?.userId == viewerId }.map(\.desk.id),
            permanentDeskIds: report.desks.filter { $0.desk.permanentUserId == viewerId }.map(\.desk.id)
        )
    }

    /// `{"mine":{…},` followed by the shared object without its opening brace.
    static func response(_ snapshot: AvailabilityService.RoomSnapshot, viewerId: UUID) throws -> Response {
        let mine = try JSONCoding.encoder.encode(Self.mine(snapshot.report, viewerId: viewerId))
        var buffer = ByteBufferAllocator().buffer(capacity: snapshot.json.count + mine.count + 16)
        buffer.writeStaticString(#"{"mine":"#)
        buffer.writeBytes(mine)
        if snapshot.json.count > 2 { buffer.writeStaticString(",") }
        buffer.writeBytes(snapshot.json.dropFirst())
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: buffer))
    }
}

struct RoomDayDTO: Content {
    let roomId: UUID
    let floorId: UUID
    let name: String
    let underMaintenance: Bool
    let desks: Int
    let free: Int
    let partlyFree: Int
    let full: Int
    let unavailable: Int
    let freeDeskIds: [UUID]
    let partlyFreeDeskIds: [UUID]

    init(_ day: AvailabilityService.RoomDay) {
        roomId = day.room.id
        floorId = day.room.floorId
        name = day.room.name
        underMaintenance = day.room.maintenanceReason != nil
        desks = day.desks
        free = day.free.count
        partlyFree = day.partlyFree.count
        full = day.full
        unavailable = day.unavailable
        freeDeskIds = day.free
        partlyFreeDeskIds = day.partlyFree
    }
}

struct LocationAvailabilityDTO: Content {
    let locationId: UUID
    let date: LocalDate
    let timezone: String
    let bookableFrom: Date
    let bookableUntil: Date
    let rooms: [RoomDayDTO]

    init(_ report: AvailabilityService.LocationReport) {
        locationId = report.location.id
        date = report.date
        timezone = report.location.timezone
        bookableFrom = report.bookableHours.start
        bookableUntil = report.bookableHours.end
        rooms = report.rooms.map(RoomDayDTO.init)
    }
}

struct PreferencesDTO: Content {
    let theme: String
    let timezone: String?
    let dateFormat: String
    let timeFormat: String
    let defaultLocationId: UUID?
    let defaultDurationMinutes: Int

    init(_ preferences: Preferences) {
        theme = preferences.theme.rawValue
        timezone = preferences.timezone
        dateFormat = preferences.dateFormat.rawValue
        timeFormat = preferences.timeFormat.rawValue
        defaultLocationId = preferences.defaultLocationId
        defaultDurationMinutes = preferences.defaultDurationMinutes
    }

    /// Null fields are written out: a client should see that no zone or default location is set.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(theme, forKey: .theme)
        try container.encode(timezone, forKey: .timezone)
        try container.encode(dateFormat, forKey: .dateFormat)
        try container.encode(timeFormat, forKey: .timeFormat)
        try container.encode(defaultLocationId, forKey: .defaultLocationId)
        try container.encode(defaultDurationMinutes, forKey: .defaultDurationMinutes)
    }
}

struct NamedRefDTO: Content {
    let id: UUID
    let name: String
}

struct ActiveBookingDTO: Content {
    let bookingId: UUID
    let endsAt: Date
    let secondsLeft: Int
}

struct NextBookingDTO: Content {
    let bookingId: UUID
    let deskId: UUID
    let deskName: String
    let start: Date
    let end: Date
}

struct StatsDTO: Content {
    let timezone: String
    let activeNow: ActiveBookingDTO?
    let nextBooking: NextBookingDTO?
    let hoursThisWeek: Double
    let hoursThisMonth: Double
    let upcomingCount: Int
    let favouriteLocation: NamedRefDTO?
    let favouriteDesk: NamedRefDTO?
    /// ISO weekday, 1 = Monday … 7 = Sunday.
    let busiestWeekday: Int?

    init(_ report: StatsService.Report) {
        let stats = report.stats
        timezone = report.timeZone.identifier
        activeNow = stats.activeNow.map { ActiveBookingDTO(bookingId: $0.bookingId, endsAt: $0.endsAt, secondsLeft: $0.secondsLeft) }
        nextBooking = report.next.map {
            NextBookingDTO(bookingId: $0.id, deskId: $0.deskId, deskName: report.deskNames[$0.deskId] ?? "", start: $0.startAt, end: $0.endAt)
        }
        hoursThisWeek = stats.hoursThisWeek
        hoursThisMonth = stats.hoursThisMonth
        upcomingCount = stats.upcomingCount
        favouriteLocation = stats.favouriteLocationId.map { NamedRefDTO(id: $0, name: report.locationNames[$0] ?? "") }
        favouriteDesk = stats.favouriteDeskId.map { NamedRefDTO(id: $0, name: report.deskNames[$0] ?? "") }
        busiestWeekday = stats.busiestWeekday
    }
}

struct CalendarFeedDTO: Content {
    let url: String
}

struct NotificationDTO: Content {
    let id: UUID
    let kind: String
    let message: String
    let bookingId: UUID?
    let createdAt: Date

    init(_ record: NotificationRecord) {
        id = record.id
        kind = record.kind
        message = record.message
        bookingId = record.bookingId
        createdAt = record.createdAt
    }
}
