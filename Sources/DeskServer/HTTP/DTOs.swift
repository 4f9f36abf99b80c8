import DeskCore
import Vapor

// Response bodies: the types generated from `openapi.yaml` (`Generated/`, by `scripts/generate-openapi.sh`), named
// as the handlers know them, with initialisers that build them from records and domain values. The generated types
// carry their JSON names (snake_case) in their coding keys; `JSONCoding`'s encoder leaves such keys as they are.

typealias UserDTO = Components.Schemas.User
typealias MeDTO = Components.Schemas.Me
typealias SessionDTO = Components.Schemas.Session
typealias TokenDTO = Components.Schemas.Token
typealias CountryDTO = Components.Schemas.Country
typealias LocationDTO = Components.Schemas.Location
typealias FloorDTO = Components.Schemas.Floor
typealias RoomDTO = Components.Schemas.Room
typealias DeskDTO = Components.Schemas.Desk
typealias GroupDTO = Components.Schemas.Group
typealias GateDTO = Components.Schemas.Gate
typealias BookerDTO = Components.Schemas.Booker
typealias BookingDTO = Components.Schemas.Booking
typealias MaintenancePeriodDTO = Components.Schemas.MaintenancePeriod

extension UserDTO: Content {
    /// Someone as `viewer` sees them; `listedAsManager` when they are shown as a manager of a place.
    init(_ user: UserRecord, for viewer: Viewer, listedAsManager: Bool = false) {
        self.init(user, showingEmail: AccessRules.mayReadEmail(of: user.id, listedAsManager: listedAsManager, viewer))
    }

    /// The caller's own account (signing in, signing up, `/me`).
    init(ownAccount user: UserRecord) {
        self.init(user, showingEmail: true)
    }

    private init(_ user: UserRecord, showingEmail: Bool) {
        self.init(
            createdAt: user.createdAt, displayName: user.displayName, email: showingEmail ? user.email : nil,
            id: user.id.uuidString, isActive: user.isActive, isSuperuser: user.isSuperuser, username: user.username)
    }
}

extension MeDTO: Content {
    init(_ principal: Principal) {
        self.init(
            groupIds: Self.sorted(principal.viewer.groupIds),
            managedLocationIds: Self.sorted(principal.viewer.managedLocationIds),
            managedRoomIds: Self.sorted(principal.viewer.managedRoomIds),
            user: UserDTO(ownAccount: principal.user))
    }

    private static func sorted(_ ids: some Sequence<UUID>) -> [String] { ids.map(\.uuidString).sorted() }
}

extension SessionDTO: Content {
    init(user: UserDTO, csrfToken: String, accessExpiresIn: Int) {
        self.init(accessExpiresIn: accessExpiresIn, csrfToken: csrfToken, user: user)
    }
}

extension TokenDTO: Content {
    /// `secret` only in the answer to the token's creation.
    init(_ record: AccessTokenRecord, secret: String? = nil) {
        self.init(
            createdAt: record.createdAt, id: record.id.uuidString, lastUsedAt: record.lastUsedAt, name: record.name,
            scopes: record.scopeList.map { .init(contract: $0) }, token: secret)
    }
}

extension CountryDTO: Content {
    init(_ record: CountryRecord) {
        self.init(code: record.code, id: record.id.uuidString, lat: record.lat, lng: record.lng, name: record.name)
    }
}

extension LocationDTO: Content {
    /// With the effective policy: global defaults with this location's overrides.
    init(_ record: LocationRecord) {
        self.init(
            address: record.address, countryId: record.countryId.uuidString, id: record.id.uuidString, lat: record.lat,
            lng: record.lng, name: record.name, policy: record.effectivePolicy, policyOverrides: record.overrides,
            roomManagersAddMembers: record.roomManagersAddMembers, timezone: record.timezone)
    }
}

extension FloorDTO: Content {
    init(_ record: FloorRecord) {
        self.init(id: record.id.uuidString, level: record.level, locationId: record.locationId.uuidString, name: record.name)
    }
}

extension RoomDTO: Content {
    /// `maintenance` shows a current or scheduled period; `under_maintenance` and `maintenance_reason` only one in
    /// effect at `now`.
    init(_ record: RoomRecord, now: Date) {
        let period = record.maintenanceNotOver(at: now)
        let active = period?.isActive(at: now) == true
        self.init(
            description: record.description, floorId: record.floorId.uuidString, id: record.id.uuidString,
            locationId: record.locationId.uuidString, maintenance: period.map(MaintenancePeriodDTO.init),
            maintenanceReason: active ? period?.reason : nil, name: record.name, underMaintenance: active)
    }
}

extension MaintenancePeriodDTO: Content {
    init(_ period: MaintenancePeriod) {
        self.init(from: period.from, reason: period.reason, until: period.until)
    }
}

extension DeskDTO: Content {
    init(_ record: DeskRecord) {
        self.init(
            id: record.id.uuidString, isActive: record.isActive, locationId: record.locationId.uuidString,
            name: record.name, orientation: .init(contract: record.orientation),
            permanentUserId: record.permanentUserId?.uuidString, roomId: record.roomId.uuidString, tags: record.tagList,
            x: record.x, y: record.y)
    }
}

extension GroupDTO: Content {
    init(_ record: GroupRecord) {
        self.init(
            description: record.description, id: record.id.uuidString, locationId: record.locationId.uuidString,
            name: record.name)
    }
}

extension GateDTO: Content {
    init(groupIds: [UUID]) {
        self.init(groupIds: groupIds.map(\.uuidString))
    }
}

extension BookerDTO: Content {
    init(username: String, displayName: String) {
        self.init(displayName: displayName, username: username)
    }
}

extension BookingDTO: Content {
    /// The booker, and who created the booking, only where the location's privacy setting lets the reader see them;
    /// the note only for its owner and the room's managers.
    init(_ view: BookingView) {
        let booking = view.booking
        let visible = view.booker != nil
        self.init(
            cancelReason: booking.cancelReason, checkedInAt: booking.checkedInAt, createdAt: booking.createdAt,
            createdBy: visible ? booking.createdBy.uuidString : nil, deskId: booking.deskId.uuidString,
            deskName: view.deskName, end: booking.endAt, id: booking.id.uuidString, isMine: view.isMine,
            locationId: view.locationId.uuidString, maintenance: view.maintenance.map(MaintenancePeriodDTO.init), note: view.note,
            roomId: view.roomId.uuidString,
            source: .init(contract: booking.source.rawValue), start: booking.startAt,
            status: .init(contract: booking.status.rawValue),
            updatedAt: booking.updatedAt, user: view.booker.map { BookerDTO(username: $0.username, displayName: $0.displayName) },
            userId: visible ? booking.userId.uuidString : nil)
    }
}

extension RawRepresentable where RawValue == String {
    /// The generated enumeration's case for a value the server holds as text (a record's column, a domain enum's raw
    /// value). `ContractMappingTests` checks that every such value has its case, so this never fails at run time.
    init(contract value: String) {
        guard let known = Self(rawValue: value) else {
            preconditionFailure("openapi.yaml has no \(Self.self) value \(value)")
        }
        self = known
    }
}

/// One page of a list; pass `next_cursor` back as `cursor` for the next page.
struct Page<Item: Content>: Content {
    let items: [Item]
    let nextCursor: String?
}

extension Response {
    static func accepted<T: Content>(_ value: T) throws -> Response {
        let response = Response(status: .accepted)
        try response.content.encode(value, using: JSONCoding.encoder)
        return response
    }

    static func created<T: Content>(_ value: T) throws -> Response {
        let response = Response(status: .created)
        try response.content.encode(value, using: JSONCoding.encoder)
        return response
    }
}
