import DeskCore
import Foundation
import SQLKit

/// Countries, locations, floors, rooms and desks, together with the gate facts that decide who may see them.
/// Writes are in `PlaceStore+Changes.swift`.
struct PlaceStore: Sendable {
    let sql: any SQLDatabase

    func countries() async throws -> [CountryRecord] {
        try await sql.all(CountryRecord.self, "SELECT * FROM countries ORDER BY name")
    }

    func country(_ id: UUID) async throws -> CountryRecord? {
        try await sql.first(CountryRecord.self, "SELECT * FROM countries WHERE id = \(bind: id)")
    }

    /// Locations by name, of one country or of all.
    func locations(inCountry countryId: UUID?) async throws -> [LocationRecord] {
        if let countryId {
            return try await sql.all(LocationRecord.self, "SELECT * FROM locations WHERE country_id = \(bind: countryId) ORDER BY name")
        }
        return try await sql.all(LocationRecord.self, "SELECT * FROM locations ORDER BY name")
    }

    func floors(inLocation locationId: UUID) async throws -> [FloorRecord] {
        try await sql.all(FloorRecord.self, "SELECT * FROM floors WHERE location_id = \(bind: locationId) ORDER BY level, name")
    }

    func rooms(onFloor floorId: UUID) async throws -> [RoomRecord] {
        try await sql.all(RoomRecord.self, "SELECT * FROM rooms WHERE floor_id = \(bind: floorId) ORDER BY name")
    }

    func rooms(inLocation locationId: UUID) async throws -> [RoomRecord] {
        try await sql.all(RoomRecord.self, "SELECT * FROM rooms WHERE location_id = \(bind: locationId) ORDER BY name")
    }

    func desks(inRoom roomId: UUID) async throws -> [DeskRecord] {
        try await sql.all(DeskRecord.self, "SELECT * FROM desks WHERE room_id = \(bind: roomId) ORDER BY name")
    }

    func desks(inLocation locationId: UUID) async throws -> [DeskRecord] {
        try await sql.all(DeskRecord.self, "SELECT * FROM desks WHERE location_id = \(bind: locationId) ORDER BY name")
    }

    /// The desk row as it is now (read-modify-write inside a transaction; reads elsewhere use `deskContext`).
    func desk(_ id: UUID) async throws -> DeskRecord? {
        try await sql.first(DeskRecord.self, "SELECT * FROM desks WHERE id = \(bind: id)")
    }

    func location(_ id: UUID) async throws -> LocationRecord? {
        try await sql.first(LocationRecord.self, "SELECT * FROM locations WHERE id = \(bind: id)")
    }

    func floor(_ id: UUID) async throws -> FloorRecord? {
        try await sql.first(FloorRecord.self, "SELECT * FROM floors WHERE id = \(bind: id)")
    }

    func room(_ id: UUID) async throws -> RoomRecord? {
        try await sql.first(RoomRecord.self, "SELECT * FROM rooms WHERE id = \(bind: id)")
    }

    /// A desk with its room, location and gates, in two queries: what every booking write needs to know first.
    func deskContext(_ deskId: UUID) async throws -> DeskContext? {
        guard let row = try await sql.raw("""
            SELECT d.*, r.id AS r_id, r.floor_id AS r_floor_id, r.location_id AS r_location_id, r.name AS r_name,
                   r.description AS r_description, r.maintenance_reason AS r_maintenance_reason,
                   r.maintenance_from AS r_maintenance_from, r.maintenance_until AS r_maintenance_until,
                   l.id AS l_id, l.country_id AS l_country_id, l.name AS l_name, l.address AS l_address,
                   l.timezone AS l_timezone, l.lat AS l_lat, l.lng AS l_lng, l.policy AS l_policy,
                   l.room_managers_add_members AS l_room_managers_add_members
            FROM desks d JOIN rooms r ON r.id = d.room_id JOIN locations l ON l.id = d.location_id
            WHERE d.id = \(bind: deskId)
            """).first() else { return nil }
        let desk = try row.decode(model: DeskRecord.self, keyDecodingStrategy: .convertFromSnakeCase)
        let room = try row.decode(model: RoomRecord.self, prefix: "r_", keyDecodingStrategy: .convertFromSnakeCase)
        let location = try row.decode(model: LocationRecord.self, prefix: "l_", keyDecodingStrategy: .convertFromSnakeCase)
        let gates = try await sql.raw("""
            SELECT 'l' AS kind, group_id FROM location_gate_groups WHERE location_id = \(bind: location.id)
            UNION ALL SELECT 'r', group_id FROM room_gate_groups WHERE room_id = \(bind: room.id)
            """).all()
        var locationGroups = Set<UUID>(), roomGroups = Set<UUID>()
        for gate in gates {
            let group = try gate.decode(column: "group_id", as: UUID.self)
            if try gate.decode(column: "kind", as: String.self) == "l" { locationGroups.insert(group) } else { roomGroups.insert(group) }
        }
        let gate = RoomGate(roomId: room.id, location: LocationGate(locationId: location.id, groupIds: locationGroups), groupIds: roomGroups)
        return DeskContext(desk: desk, room: room, location: location, gate: gate)
    }

    func roomContext(_ roomId: UUID) async throws -> RoomContext? {
        guard let room = try await room(roomId), let location = try await location(room.locationId) else { return nil }
        return RoomContext(room: room, location: location, gate: try await roomGate(room))
    }

    /// Gate groups of the given locations (all locations when `ids` is nil).
    func locationGates(_ ids: [UUID]? = nil) async throws -> [UUID: Set<UUID>] {
        let rows: [any SQLRow]
        if let ids {
            guard !ids.isEmpty else { return [:] }
            rows = try await sql.raw("SELECT location_id AS owner, group_id FROM location_gate_groups WHERE location_id IN (\(binds: ids))").all()
        } else {
            rows = try await sql.raw("SELECT location_id AS owner, group_id FROM location_gate_groups").all()
        }
        return try Self.grouped(rows)
    }

    /// Gate groups of the rooms of one location.
    func roomGates(inLocation locationId: UUID) async throws -> [UUID: Set<UUID>] {
        try Self.grouped(try await sql.raw("""
            SELECT g.room_id AS owner, g.group_id FROM room_gate_groups g JOIN rooms r ON r.id = g.room_id
            WHERE r.location_id = \(bind: locationId)
            """).all())
    }

    func locationGate(_ locationId: UUID) async throws -> LocationGate {
        LocationGate(locationId: locationId, groupIds: try await locationGates([locationId])[locationId] ?? [])
    }

    func roomGate(_ room: RoomRecord) async throws -> RoomGate {
        let rows = try await sql.raw("SELECT room_id AS owner, group_id FROM room_gate_groups WHERE room_id = \(bind: room.id)").all()
        return RoomGate(
            roomId: room.id, location: try await locationGate(room.locationId),
            groupIds: try Self.grouped(rows)[room.id] ?? []
        )
    }

    private static func grouped(_ rows: [any SQLRow]) throws -> [UUID: Set<UUID>] {
        var result: [UUID: Set<UUID>] = [:]
        for row in rows {
            result[try row.decode(column: "owner", as: UUID.self), default: []].insert(try row.decode(column: "group_id", as: UUID.self))
        }
        return result
    }
}
