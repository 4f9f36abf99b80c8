import DeskCore
import Foundation

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

struct NotificationRecord: Codable, Sendable {
    var id: UUID
    var userId: UUID
    var kind: String
    var message: String
    var bookingId: UUID?
    var createdAt: Date
    var readAt: Date?
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
