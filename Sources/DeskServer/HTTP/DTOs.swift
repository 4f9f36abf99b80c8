import DeskCore
import Vapor

// Response bodies. Keys become snake_case through `JSONCoding`.

struct UserDTO: Content {
    let id: UUID
    let username: String
    let displayName: String
    /// Present where `AccessRules.mayReadEmail` allows.
    let email: String?
    let isSuperuser: Bool
    let isActive: Bool
    let createdAt: Date

    /// Someone as `viewer` sees them; `listedAsManager` when they are shown as a manager of a place.
    init(_ user: UserRecord, for viewer: Viewer, listedAsManager: Bool = false) {
        self.init(user, showingEmail: AccessRules.mayReadEmail(of: user.id, listedAsManager: listedAsManager, viewer))
    }

    /// The caller's own account (signing in, signing up, `/me`).
    init(ownAccount user: UserRecord) {
        self.init(user, showingEmail: true)
    }

    private init(_ user: UserRecord, showingEmail: Bool) {
        id = user.id
        username = user.username
        displayName = user.displayName
        email = showingEmail ? user.email : nil
        isSuperuser = user.isSuperuser
        isActive = user.isActive
        createdAt = user.createdAt
    }
}

struct MeDTO: Content {
    let user: UserDTO
    let groupIds: [UUID]
    let managedLocationIds: [UUID]
    let managedRoomIds: [UUID]

    init(_ principal: Principal) {
        user = UserDTO(ownAccount: principal.user)
        groupIds = principal.viewer.groupIds.sorted { $0.uuidString < $1.uuidString }
        managedLocationIds = principal.viewer.managedLocationIds.sorted { $0.uuidString < $1.uuidString }
        managedRoomIds = principal.viewer.managedRoomIds.sorted { $0.uuidString < $1.uuidString }
    }
}

struct SessionDTO: Content {
    let user: UserDTO
    /// Echo this in `X-CSRF-Token` on unsafe requests (it is also in the `deskpilot_csrf` cookie).
    let csrfToken: String
    let accessExpiresIn: Int
}

struct TokenDTO: Content {
    let id: UUID
    let name: String
    let scopes: [String]
    let createdAt: Date
    let lastUsedAt: Date?
    /// The secret, present only in the answer to its creation.
    let token: String?

    init(_ record: AccessTokenRecord, secret: String? = nil) {
        id = record.id
        name = record.name
        scopes = record.scopeList
        createdAt = record.createdAt
        lastUsedAt = record.lastUsedAt
        token = secret
    }
}

struct CountryDTO: Content {
    let id: UUID
    let name: String
    let code: String
    let lat: Double?
    let lng: Double?

    init(_ record: CountryRecord) {
        id = record.id
        name = record.name
        code = record.code
        lat = record.lat
        lng = record.lng
    }
}

struct LocationDTO: Content {
    let id: UUID
    let countryId: UUID
    let name: String
    let address: String
    let timezone: String
    let lat: Double?
    let lng: Double?
    let roomManagersAddMembers: Bool
    /// The effective policy: global defaults with this location's overrides.
    let policy: Policy
    let policyOverrides: PolicyOverrides

    init(_ record: LocationRecord) {
        id = record.id
        countryId = record.countryId
        name = record.name
        address = record.address
        timezone = record.timezone
        lat = record.lat
        lng = record.lng
        roomManagersAddMembers = record.roomManagersAddMembers
        policy = record.effectivePolicy
        policyOverrides = record.overrides
    }
}

struct FloorDTO: Content {
    let id: UUID
    let locationId: UUID
    let name: String
    let level: Int

    init(_ record: FloorRecord) {
        id = record.id
        locationId = record.locationId
        name = record.name
        level = record.level
    }
}

struct RoomDTO: Content {
    let id: UUID
    let floorId: UUID
    let locationId: UUID
    let name: String
    let description: String
    let underMaintenance: Bool
    let maintenanceReason: String?

    init(_ record: RoomRecord) {
        id = record.id
        floorId = record.floorId
        locationId = record.locationId
        name = record.name
        description = record.description
        underMaintenance = record.maintenanceReason != nil
        maintenanceReason = record.maintenanceReason
    }
}

struct DeskDTO: Content {
    let id: UUID
    let roomId: UUID
    let locationId: UUID
    let name: String
    let x: Double
    let y: Double
    let orientation: String
    let tags: [String]
    let permanentUserId: UUID?
    let isActive: Bool

    init(_ record: DeskRecord) {
        id = record.id
        roomId = record.roomId
        locationId = record.locationId
        name = record.name
        x = record.x
        y = record.y
        orientation = record.orientation
        tags = record.tagList
        permanentUserId = record.permanentUserId
        isActive = record.isActive
    }
}

struct GroupDTO: Content {
    let id: UUID
    let locationId: UUID
    let name: String
    let description: String

    init(_ record: GroupRecord) {
        id = record.id
        locationId = record.locationId
        name = record.name
        description = record.description
    }
}

struct GateDTO: Content {
    let groupIds: [UUID]
}

struct BookerDTO: Content {
    let username: String
    let displayName: String
}

struct BookingDTO: Content {
    let id: UUID
    let deskId: UUID
    let deskName: String?
    let roomId: UUID?
    let locationId: UUID?
    /// nil when the location's privacy setting hides who booked.
    let userId: UUID?
    let user: BookerDTO?
    let start: Date
    let end: Date
    let status: String
    let source: String
    let createdBy: UUID?
    let createdAt: Date
    let updatedAt: Date
    let checkedInAt: Date?
    /// nil unless the reader owns the booking or manages its room.
    let note: String?
    let isMine: Bool

    init(_ view: BookingView) {
        let booking = view.booking
        let visible = view.booker != nil
        id = booking.id
        deskId = booking.deskId
        deskName = view.deskName
        roomId = view.roomId
        locationId = view.locationId
        userId = visible ? booking.userId : nil
        user = view.booker.map { BookerDTO(username: $0.username, displayName: $0.displayName) }
        start = booking.startAt
        end = booking.endAt
        status = booking.status.rawValue
        source = booking.source.rawValue
        createdBy = visible ? booking.createdBy : nil
        createdAt = booking.createdAt
        updatedAt = booking.updatedAt
        checkedInAt = booking.checkedInAt
        note = view.note
        isMine = view.isMine
    }
}

/// One page of a list; pass `next_cursor` back as `cursor` for the next page.
struct Page<Item: Content>: Content {
    let items: [Item]
    let nextCursor: String?
}

extension Response {
    static func created<T: Content>(_ value: T) throws -> Response {
        let response = Response(status: .created)
        try response.content.encode(value, using: JSONCoding.encoder)
        return response
    }
}
