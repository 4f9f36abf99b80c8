import DeskCore
import Foundation
import SQLKit

// Rows as stored, decoded straight from SQL (snake_case columns). They stay inside DeskServer.

struct UserRecord: Codable, Sendable {
    var id: UUID
    var username: String
    var email: String
    var displayName: String
    var passwordHash: String
    var isSuperuser: Bool
    var isActive: Bool
    var createdAt: Date
}

struct RefreshTokenRecord: Codable, Sendable {
    var id: UUID
    var userId: UUID
    var familyId: UUID
    var tokenHash: String
    var createdAt: Date
    var expiresAt: Date
    var usedAt: Date?
    var revokedAt: Date?
}

struct AccessTokenRecord: Codable, Sendable {
    var id: UUID
    var userId: UUID
    var name: String
    var tokenHash: String
    var scopes: String
    var createdAt: Date
    var lastUsedAt: Date?
    var revokedAt: Date?

    var scopeList: [String] { scopes.split(separator: " ").map(String.init) }
}

struct CountryRecord: Codable, Sendable {
    var id: UUID
    var name: String
    var code: String
    var lat: Double?
    var lng: Double?
}

struct LocationRecord: Codable, Sendable {
    var id: UUID
    var countryId: UUID
    var name: String
    var address: String
    var timezone: String
    var lat: Double?
    var lng: Double?
    /// JSON of `PolicyOverrides`.
    var policy: String
    var roomManagersAddMembers: Bool
}

struct FloorRecord: Codable, Sendable {
    var id: UUID
    var locationId: UUID
    var name: String
    var level: Int
}

struct RoomRecord: Codable, Sendable {
    var id: UUID
    var floorId: UUID
    var locationId: UUID
    var name: String
    var description: String
    var maintenanceReason: String?
    var maintenanceFrom: Date?
    var maintenanceUntil: Date?

    /// The room's maintenance period, current, scheduled or (until cleared) past.
    var maintenance: MaintenancePeriod? {
        get {
            guard let maintenanceReason, let maintenanceFrom else { return nil }
            return MaintenancePeriod(reason: maintenanceReason, from: maintenanceFrom, until: maintenanceUntil)
        }
        set {
            maintenanceReason = newValue?.reason
            maintenanceFrom = newValue?.from
            maintenanceUntil = newValue?.until
        }
    }

    /// The period that has not ended at `now`, current or scheduled.
    func maintenanceNotOver(at now: Date) -> MaintenancePeriod? {
        maintenance.flatMap { $0.hasEnded(at: now) ? nil : $0 }
    }
}

struct DeskRecord: Codable, Sendable {
    var id: UUID
    var roomId: UUID
    var locationId: UUID
    var name: String
    var x: Double
    var y: Double
    var orientation: String
    /// JSON array of tag strings.
    var tags: String
    var permanentUserId: UUID?
    var isActive: Bool
}

struct GroupRecord: Codable, Sendable {
    var id: UUID
    var locationId: UUID
    var name: String
    var description: String
}

enum BookingStatus: String, Codable, Sendable, CaseIterable {
    case confirmed, cancelled, released
}

enum BookingSource: String, Codable, Sendable, CaseIterable {
    case web, api, autopilot, chat, admin
}

struct BookingRecord: Codable, Sendable {
    var id: UUID
    var deskId: UUID
    var userId: UUID
    var startAt: Date
    var endAt: Date
    var status: BookingStatus
    var source: BookingSource
    var createdBy: UUID
    var createdAt: Date
    var updatedAt: Date
    var checkedInAt: Date?
    var note: String
    /// Why a cancelled booking was cancelled, when it was not its owner's own choice (maintenance).
    var cancelReason: String?

    var range: TimeRange { TimeRange(uncheckedStart: startAt, end: endAt) }
}

struct AuditRecord: Codable, Sendable {
    var id: UUID
    var at: Date
    var actorId: UUID?
    var action: String
    var targetType: String
    var targetId: UUID?
    var locationId: UUID?
    var ip: String?
    /// JSON object with what changed.
    var details: String
}

struct HoldRecord: Codable, Sendable {
    var deskId: UUID
    var userId: UUID
    var firstAcquiredAt: Date
    var expiresAt: Date

    init(_ hold: Hold) {
        (deskId, userId, firstAcquiredAt, expiresAt) = (hold.deskId, hold.userId, hold.firstAcquiredAt, hold.expiresAt)
    }

    var hold: Hold { Hold(deskId: deskId, userId: userId, firstAcquiredAt: firstAcquiredAt, expiresAt: expiresAt) }
}

/// A notification: the inbox entry of one person, and the cause of its other deliveries (the outbox).
struct NotificationRecord: Codable, Sendable, Equatable {
    var id: UUID
    var userId: UUID
    var kind: String
    var message: String
    var bookingId: UUID?
    var createdAt: Date
    var readAt: Date?
    /// Where in the web app it leads (a path of ours), e.g. the booking or the rule it is about.
    var link: String?
    /// The location it is about, so that the location's webhooks may hear of it.
    var locationId: UUID?

    init(id: UUID = UUID(), to userId: UUID, _ kind: NotificationKind, _ message: String, booking bookingId: UUID? = nil,
         location locationId: UUID? = nil, link: String? = nil, at createdAt: Date) {
        self.id = id
        self.userId = userId
        self.kind = kind.rawValue
        self.message = message
        self.bookingId = bookingId
        self.createdAt = createdAt
        self.readAt = nil
        self.locationId = locationId
        self.link = link ?? bookingId.map { NotificationRecord.bookingLink($0) }
    }

    static func bookingLink(_ id: UUID) -> String { "/bookings?booking=\(id.uuidString.lowercased())" }
    static let autopilotLink = "/autopilot"
    static let requestsLink = "/autopilot#requests"
    static let webhooksLink = "/settings#webhooks"
}

struct PreferencesRecord: Codable, Sendable {
    var userId: UUID
    var theme: String
    var timezone: String?
    var dateFormat: String
    var timeFormat: String
    var defaultLocationId: UUID?
    var defaultDurationMinutes: Int
}

enum RequestStatus: String, Codable, Sendable, CaseIterable {
    /// Waiting for the day's round.
    case pending
    /// Has a desk: `booking_id`.
    case won
    /// Waiting for a desk to free up, in `waitlist_rank` order.
    case waitlisted
    case cancelled
    /// The day ended while waiting.
    case expired
    /// Could not be served: `reason` says why.
    case failed
    /// Taken back by the autopilot rule that filed it (paused, changed, suspended or deleted); the rule may file the
    /// day again, unlike a request its owner cancelled.
    case withdrawn

    /// Statuses still waiting for a desk.
    static let open: [RequestStatus] = [.pending, .waitlisted]
}

struct AllocationRequestRecord: Codable, Sendable {
    var id: UUID
    var userId: UUID
    var locationId: UUID
    /// `yyyy-MM-dd` in the location's time zone.
    var day: String
    /// JSON of `DeskCriteria`.
    var criteria: String
    /// Minutes after local midnight; nil for the location's whole bookable day.
    var windowFrom: Int?
    var windowUntil: Int?
    var source: BookingSource
    var ruleId: UUID?
    var status: RequestStatus
    var reason: String?
    var deskId: UUID?
    var bookingId: UUID?
    var waitlistRank: Int?
    var createdAt: Date
    var updatedAt: Date
}

extension AllocationRequestRecord {
    /// Decodes column by column: a large round reads ten thousand requests, and the keyed decoder's snake-case key
    /// conversion costs several times the reading itself.
    init(row: any SQLRow) throws {
        func value<T: Decodable>(_ column: String, _ type: T.Type = T.self) throws -> T { try row.decode(column: column, as: T.self) }
        self.init(
            id: try value("id"), userId: try value("user_id"), locationId: try value("location_id"), day: try value("day"),
            criteria: try value("criteria"), windowFrom: try value("window_from"), windowUntil: try value("window_until"),
            source: try value("source"), ruleId: try value("rule_id"), status: try value("status"), reason: try value("reason"),
            deskId: try value("desk_id"), bookingId: try value("booking_id"), waitlistRank: try value("waitlist_rank"),
            createdAt: try value("created_at"), updatedAt: try value("updated_at"))
    }
}

struct AllocationRoundRecord: Codable, Sendable {
    var id: UUID
    var locationId: UUID
    var day: String
    /// The seed as a decimal `UInt64` (PostgreSQL has no unsigned 64-bit integer).
    var seed: String
    /// JSON of `FairnessWeights`.
    var weights: String
    /// JSON of the desks the round allocated from (`RoundDesk`), for replaying it.
    var desks: String
    var trigger: String
    var ranAt: Date
    var participants: Int
    var winners: Int
    var waitlisted: Int
}

struct AllocationEntryRecord: Codable, Sendable {
    var roundId: UUID
    var requestId: UUID
    var userId: UUID
    /// Turn in the draw; nil when the request was excluded before it.
    var position: Int?
    var weight: Double
    var drawKey: Double?
    var losses: Int
    /// preferred, matching, waitlisted, duplicate or excluded.
    var outcome: String
    var preferenceRank: Int?
    var deskId: UUID?
    var bookingId: UUID?
    var waitlistPosition: Int?
    /// JSON array of the rooms of the location this person may not book in, when the round ran.
    var deniedRooms: String
    var windowStart: Date?
    var windowEnd: Date?
    var reason: String?
}
