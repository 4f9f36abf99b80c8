import DeskCore
import Foundation
import SQLKit

/// The writes to places. Each runs inside the caller's transaction, which also writes the audit entry.
extension PlaceStore {
    /// The levels of the place tree, for what they share: a place is deleted only once it contains nothing.
    enum Level: String, Sendable {
        case country, location, floor, room, desk

        var table: String {
            switch self {
            case .country: "countries"
            case .location: "locations"
            case .floor: "floors"
            case .room: "rooms"
            case .desk: "desks"
            }
        }

        /// What a place of this level contains, as the child table and its column naming the parent. A desk
        /// "contains" its bookings: they keep their history, so a desk with bookings is deactivated instead.
        var children: (table: String, parentColumn: String) {
            switch self {
            case .country: ("locations", "country_id")
            case .location: ("floors", "location_id")
            case .floor: ("rooms", "floor_id")
            case .room: ("desks", "room_id")
            case .desk: ("bookings", "desk_id")
            }
        }
    }

    func insert(_ country: CountryRecord) async throws { try await sql.insert(country, into: "countries") }
    func insert(_ location: LocationRecord) async throws { try await sql.insert(location, into: "locations") }
    func insert(_ floor: FloorRecord) async throws { try await sql.insert(floor, into: "floors") }
    func insert(_ room: RoomRecord) async throws { try await sql.insert(room, into: "rooms") }
    func insert(_ desk: DeskRecord) async throws { try await sql.insert(desk, into: "desks") }

    /// Many desks in a few statements.
    func insert(_ desks: [DeskRecord]) async throws {
        try await sql.insertAll(desks, into: "desks")
    }

    func update(_ country: CountryRecord) async throws {
        try await sql.raw("""
            UPDATE countries SET name = \(bind: country.name), code = \(bind: country.code), lat = \(bind: country.lat),
            lng = \(bind: country.lng) WHERE id = \(bind: country.id)
            """).run()
    }

    /// Everything but the policy, which `setPolicy` merges under a row lock.
    func update(_ location: LocationRecord) async throws {
        try await sql.raw("""
            UPDATE locations SET country_id = \(bind: location.countryId), name = \(bind: location.name),
            address = \(bind: location.address), timezone = \(bind: location.timezone), lat = \(bind: location.lat),
            lng = \(bind: location.lng), room_managers_add_members = \(bind: location.roomManagersAddMembers)
            WHERE id = \(bind: location.id)
            """).run()
    }

    /// - Parameter policy: JSON of `PolicyOverrides`.
    func setPolicy(_ policy: String, ofLocation locationId: UUID) async throws {
        try await sql.raw("UPDATE locations SET policy = \(bind: policy) WHERE id = \(bind: locationId)").run()
    }

    func update(_ floor: FloorRecord) async throws {
        try await sql.raw("UPDATE floors SET name = \(bind: floor.name), level = \(bind: floor.level) WHERE id = \(bind: floor.id)").run()
    }

    /// Name and description; maintenance has `setMaintenance`.
    func update(_ room: RoomRecord) async throws {
        try await sql.raw("UPDATE rooms SET name = \(bind: room.name), description = \(bind: room.description) WHERE id = \(bind: room.id)").run()
    }

    /// - Parameter period: nil removes the room's maintenance.
    func setMaintenance(_ period: MaintenancePeriod?, ofRoom roomId: UUID) async throws {
        try await sql.raw("""
            UPDATE rooms SET maintenance_reason = \(bind: period?.reason), maintenance_from = \(bind: period?.from),
            maintenance_until = \(bind: period?.until) WHERE id = \(bind: roomId)
            """).run()
    }

    /// Rooms whose maintenance starts or ends in `(after, upTo]`, with the periods as stored.
    func maintenanceTransitions(after start: Date, upTo end: Date) async throws -> [RoomRecord] {
        try await sql.all(RoomRecord.self, """
            SELECT * FROM rooms WHERE (maintenance_from > \(bind: start) AND maintenance_from <= \(bind: end))
               OR (maintenance_until > \(bind: start) AND maintenance_until <= \(bind: end))
            """)
    }

    /// Everything a manager edits; the permanent assignee has `setPermanentUser`.
    func update(_ desk: DeskRecord) async throws {
        try await sql.raw("""
            UPDATE desks SET name = \(bind: desk.name), x = \(bind: desk.x), y = \(bind: desk.y),
            orientation = \(bind: desk.orientation), tags = \(bind: desk.tags), is_active = \(bind: desk.isActive)
            WHERE id = \(bind: desk.id)
            """).run()
    }

    /// - Parameter userId: nil clears the assignment.
    func setPermanentUser(_ userId: UUID?, ofDesk deskId: UUID) async throws {
        try await sql.raw("UPDATE desks SET permanent_user_id = \(bind: userId) WHERE id = \(bind: deskId)").run()
    }

    /// Deletes the place when it contains nothing and returns whether it did. A location takes its groups along
    /// (they exist only for it).
    func deleteIfEmpty(_ level: Level, id: UUID) async throws -> Bool {
        let children = level.children
        let count = try await sql.count(
            "SELECT COUNT(*) AS n FROM \(ident: children.table) WHERE \(ident: children.parentColumn) = \(bind: id)")
        guard count == 0 else { return false }
        if level == .location {
            try await sql.raw("DELETE FROM user_groups WHERE location_id = \(bind: id)").run()
        }
        try await sql.raw("DELETE FROM \(ident: level.table) WHERE id = \(bind: id)").run()
        return true
    }
}
