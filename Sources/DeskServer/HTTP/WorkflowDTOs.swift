import DeskCore
import Vapor

// Response bodies of holds, bulk and interval edits, maintenance, availability, preferences, stats, calendars,
// allocation requests and rounds, and the audit log: the types generated from `openapi.yaml`, with initialisers from
// domain values (see `DTOs.swift`). The autopilot's are in `AutopilotDTOs.swift`.

typealias HoldDTO = Components.Schemas.Hold
typealias ErrorSummaryDTO = Components.Schemas.ErrorSummary
typealias BulkIntervalDTO = Components.Schemas.BulkInterval
typealias BulkResultDTO = Components.Schemas.BulkResult
typealias IntervalChangeDTO = Components.Schemas.IntervalChange
typealias MaintenanceDTO = Components.Schemas.Maintenance
typealias MaintenancePreviewDTO = Components.Schemas.MaintenancePreview
typealias BusyDTO = Components.Schemas.Busy
typealias BookerRefDTO = Components.Schemas.BookerRef
typealias DeskAvailabilityDTO = Components.Schemas.DeskAvailability
typealias ViewerAvailabilityDTO = Components.Schemas.ViewerAvailability
typealias RoomDayDTO = Components.Schemas.RoomDay
typealias LocationAvailabilityDTO = Components.Schemas.LocationAvailability
typealias NamedRefDTO = Components.Schemas.NamedRef
typealias ActiveBookingDTO = Components.Schemas.ActiveBooking
typealias NextBookingDTO = Components.Schemas.NextBooking
typealias StatsDTO = Components.Schemas.Stats
typealias CalendarFeedDTO = Components.Schemas.CalendarFeed
typealias NotificationDTO = Components.Schemas.Notification
typealias DayWindowDTO = Components.Schemas.DayWindow
typealias AllocationRequestDTO = Components.Schemas.AllocationRequest
typealias RoundLineDTO = Components.Schemas.RoundLine
typealias RoundReportDTO = Components.Schemas.RoundReport
typealias AuditEntryDTO = Components.Schemas.AuditEntry

extension HoldDTO: Content {
    init(_ hold: Hold) {
        self.init(
            capEndsAt: hold.firstAcquiredAt.addingTimeInterval(HoldRules.cap), deskId: hold.deskId.uuidString,
            expiresAt: hold.expiresAt, firstAcquiredAt: hold.firstAcquiredAt)
    }
}

extension ErrorSummaryDTO: Content {}

extension BulkIntervalDTO: Content {
    /// One interval of a bulk request and what became of it.
    init(_ outcome: BookingService.BulkOutcome) {
        self.init(
            booking: outcome.booking.map(BookingDTO.init),
            conflictingDays: outcome.conflictingDays.map(\.description),
            conflicts: (outcome.refusal?.conflicts ?? []).map { .init(end: $0.end, start: $0.start) },
            end: outcome.range.end,
            error: outcome.refusal.map { ErrorSummaryDTO(code: $0.code, detail: $0.detail) },
            start: outcome.range.start,
            status: outcome.booking == nil ? .failed : .created)
    }
}

extension BulkResultDTO: Content {}

/// An atomic bulk request that was refused: the first refusal, with every interval's outcome.
struct BulkRejection: Error {
    let refusal: DomainError
    let intervals: [BulkIntervalDTO]
}

extension IntervalChangeDTO: Content {
    init(_ change: BookingService.IntervalChange) {
        self.init(
            bookings: change.bookings.map(BookingDTO.init), cancelled: change.cancelled.map(\.uuidString),
            created: change.created.map(\.uuidString), updated: change.updated.map(\.uuidString))
    }
}

extension MaintenanceDTO: Content {}
extension MaintenancePreviewDTO: Content {}

extension BusyDTO: Content {}
extension BookerRefDTO: Content {}
extension DeskAvailabilityDTO: Content {}
extension ViewerAvailabilityDTO: Content {}

/// A room's desks over a range: the contract's `RoomAvailability` without its reader's `mine` section. Encoded once
/// per snapshot (`encodeShared`) and sent with the reader's own `mine` put in front (`response`), which is why it is
/// not the generated type (that one needs `mine` to exist).
struct RoomAvailabilityDTO: Encodable {
    let roomId: String
    let from: Date
    let to: Date
    let now: Date
    let underMaintenance: Bool
    let maintenanceReason: String?
    /// The current or scheduled period.
    let maintenance: MaintenancePeriodDTO?
    /// Everyone named in `busy`, once.
    let users: [BookerRefDTO]
    let desks: [DeskAvailabilityDTO]

    static func encodeShared(_ report: AvailabilityService.RoomReport) throws -> [UInt8] {
        var users: [UUID: BookerRefDTO] = [:]
        let desks = report.desks.map { desk in
            DeskAvailabilityDTO(
                busy: desk.busy.map { busy in
                    if let booker = busy.booker {
                        users[busy.userId] = BookerRefDTO(
                            displayName: booker.displayName, id: busy.userId.uuidString, username: booker.username)
                    }
                    return BusyDTO(
                        bookingId: busy.bookingId.uuidString, end: busy.range.end, start: busy.range.start,
                        userId: busy.booker == nil ? nil : busy.userId.uuidString)
                },
                deskId: desk.desk.id.uuidString, holdExpiresAt: desk.hold?.expiresAt, name: desk.desk.name,
                permanent: desk.desk.permanentUserId != nil, status: .init(contract: desk.status.rawValue))
        }
        let maintenance = report.room.maintenanceNotOver(at: report.now)
        let dto = RoomAvailabilityDTO(
            roomId: report.room.id.uuidString, from: report.range.start, to: report.range.end, now: report.now,
            underMaintenance: maintenance?.isActive(at: report.now) == true,
            maintenanceReason: maintenance?.isActive(at: report.now) == true ? maintenance?.reason : nil,
            maintenance: maintenance.map(MaintenancePeriodDTO.init),
            users: users.values.sorted { $0.username < $1.username }, desks: desks
        )
        return Array(try JSONCoding.encoder.encode(dto))
    }

    static func mine(_ report: AvailabilityService.RoomReport, viewerId: UUID) -> ViewerAvailabilityDTO {
        ViewerAvailabilityDTO(
            bookingIds: report.desks.flatMap { $0.busy.filter { $0.userId == viewerId }.map(\.bookingId.uuidString) },
            heldDeskIds: report.desks.filter { $0.hold?.userId == viewerId }.map(\.desk.id.uuidString),
            permanentDeskIds: report.desks.filter { $0.desk.permanentUserId == viewerId }.map(\.desk.id.uuidString),
            userId: viewerId.uuidString
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

extension RoomDayDTO: Content {
    init(_ day: AvailabilityService.RoomDay) {
        self.init(
            desks: day.desks, floorId: day.room.floorId.uuidString, free: day.free.count,
            freeDeskIds: day.free.map(\.uuidString), full: day.full, name: day.room.name,
            partlyFree: day.partlyFree.count, partlyFreeDeskIds: day.partlyFree.map(\.uuidString),
            roomId: day.room.id.uuidString, unavailable: day.unavailable,
            underMaintenance: day.underMaintenance)
    }
}

extension LocationAvailabilityDTO: Content {
    init(_ report: AvailabilityService.LocationReport) {
        self.init(
            closed: report.closed, bookableFrom: report.bookableHours.start, bookableUntil: report.bookableHours.end,
            date: report.date.description, locationId: report.location.id.uuidString,
            rooms: report.rooms.map(RoomDayDTO.init), timezone: report.location.timezone)
    }
}

/// The caller's preferences, every field present: the generated type leaves a nil field out, while a client should
/// see that no zone or default location is set (`null`, as the contract says).
struct PreferencesDTO: Content {
    let preferences: Components.Schemas.Preferences

    init(_ preferences: Preferences) {
        self.preferences = .init(
            dateFormat: .init(contract: preferences.dateFormat.rawValue),
            defaultDurationMinutes: preferences.defaultDurationMinutes,
            defaultLocationId: preferences.defaultLocationId?.uuidString,
            theme: .init(contract: preferences.theme.rawValue),
            timeFormat: .init(contract: preferences.timeFormat.rawValue),
            timezone: preferences.timezone)
    }

    init(from decoder: any Decoder) throws {
        preferences = try Components.Schemas.Preferences(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Components.Schemas.Preferences.CodingKeys.self)
        try container.encode(preferences.dateFormat, forKey: .dateFormat)
        try container.encode(preferences.defaultDurationMinutes, forKey: .defaultDurationMinutes)
        try container.encode(preferences.defaultLocationId, forKey: .defaultLocationId)
        try container.encode(preferences.theme, forKey: .theme)
        try container.encode(preferences.timeFormat, forKey: .timeFormat)
        try container.encode(preferences.timezone, forKey: .timezone)
    }
}

extension NamedRefDTO: Content {}
extension ActiveBookingDTO: Content {}
extension NextBookingDTO: Content {}

extension StatsDTO: Content {
    init(_ report: StatsService.Report) {
        let stats = report.stats
        self.init(
            activeNow: stats.activeNow.map {
                ActiveBookingDTO(bookingId: $0.bookingId.uuidString, endsAt: $0.endsAt, secondsLeft: $0.secondsLeft)
            },
            busiestWeekday: stats.busiestWeekday,
            favouriteDesk: stats.favouriteDeskId.map { NamedRefDTO(id: $0.uuidString, name: report.deskNames[$0] ?? "") },
            favouriteLocation: stats.favouriteLocationId.map {
                NamedRefDTO(id: $0.uuidString, name: report.locationNames[$0] ?? "")
            },
            hoursThisMonth: stats.hoursThisMonth,
            hoursThisWeek: stats.hoursThisWeek,
            nextBooking: report.next.map {
                NextBookingDTO(
                    bookingId: $0.id.uuidString, deskId: $0.deskId.uuidString, deskName: report.deskNames[$0.deskId] ?? "",
                    end: $0.endAt, start: $0.startAt)
            },
            timezone: report.timeZone.identifier,
            upcomingCount: stats.upcomingCount)
    }
}

extension CalendarFeedDTO: Content {}

extension NotificationDTO: Content {
    init(_ record: NotificationRecord) {
        self.init(
            bookingId: record.bookingId?.uuidString, createdAt: record.createdAt, id: record.id.uuidString, kind: record.kind,
            link: record.link, locationId: record.locationId?.uuidString, message: record.message, readAt: record.readAt,
            title: NotificationKind(rawValue: record.kind)?.title ?? "Notification")
    }
}

extension DayWindowDTO: Content {
    init(_ window: DeskCore.DayWindow) {
        self.init(from: window.from.description, until: window.until.description)
    }
}

extension AllocationRequestDTO: Content {
    /// `waitlist_rank` only while waitlisted; no `window` for the location's whole bookable day.
    init(_ record: AllocationRequestRecord) {
        let criteria = record.deskCriteria
        self.init(
            acceptsOtherDesks: criteria.acceptsOtherDesks, bookingId: record.bookingId?.uuidString,
            createdAt: record.createdAt, date: record.day, deskId: record.deskId?.uuidString,
            deskIds: criteria.preferredDesks.map(\.uuidString), floorIds: criteria.floorIds.map(\.uuidString).sorted(),
            id: record.id.uuidString, locationId: record.locationId.uuidString, reason: record.reason,
            roomIds: criteria.roomIds.map(\.uuidString).sorted(), ruleId: record.ruleId?.uuidString,
            source: .init(contract: record.source.rawValue), status: .init(contract: record.status.rawValue),
            tags: criteria.requiredTags.sorted(), updatedAt: record.updatedAt,
            waitlistRank: record.status == .waitlisted ? record.waitlistRank : nil,
            window: record.window.map(DayWindowDTO.init))
    }
}

extension RoundLineDTO: Content {
    init(_ line: DeskServer.RoundReport.Line) {
        let entry = line.entry
        self.init(
            bookingId: entry.bookingId?.uuidString, deskId: entry.deskId?.uuidString, deskName: line.deskName,
            displayName: line.displayName, explanation: line.explanation, outcome: .init(contract: entry.outcome),
            position: entry.position, preferenceRank: entry.preferenceRank, reason: entry.reason,
            recentLosses: entry.losses, requestId: entry.requestId.uuidString, userId: entry.userId.uuidString,
            username: line.username, waitlistPosition: entry.waitlistPosition, weight: entry.weight)
    }
}

extension RoundReportDTO: Content {
    init(_ report: DeskServer.RoundReport) {
        let round = report.round
        self.init(
            date: round.day, id: round.id.uuidString, lines: report.lines.map(RoundLineDTO.init),
            locationId: round.locationId.uuidString, participants: round.participants, ranAt: round.ranAt,
            seed: round.seed, trigger: .init(contract: round.trigger), waitlisted: round.waitlisted,
            winners: round.winners)
    }
}

extension AuditEntryDTO: Content {
    /// `details` as recorded: a JSON object of strings (empty if it cannot be read as one).
    init(_ record: AuditRecord) {
        let details = (try? JSONDecoder().decode([String: String].self, from: Data(record.details.utf8))) ?? [:]
        self.init(
            action: record.action, actorId: record.actorId?.uuidString, at: record.at,
            details: .init(additionalProperties: details), id: record.id.uuidString, ip: record.ip,
            locationId: record.locationId?.uuidString, targetId: record.targetId?.uuidString,
            targetType: record.targetType)
    }
}

typealias NotificationPageDTO = Components.Schemas.NotificationPage
typealias UnreadCountDTO = Components.Schemas.UnreadCount
typealias NotificationSettingsDTO = Components.Schemas.NotificationSettings

extension NotificationPageDTO: Content {}
extension UnreadCountDTO: Content {}

extension NotificationSettingsDTO: Content {
    init(_ settings: NotificationService.Settings) {
        self.init(
            channels: [
                .init(alwaysOn: true, available: true, channel: .inbox),
                .init(alwaysOn: false, available: settings.emailAvailable, channel: .email),
            ],
            kinds: NotificationKind.allCases.map { kind in
                .init(channels: .init(email: settings.emailAvailable && settings.choices.sends(kind, to: .email), inbox: true),
                      group: kind.group, kind: kind.rawValue, title: kind.title)
            })
    }
}
