import DeskCore
import Foundation
import SQLKit

/// Groups and their members, location and room managers, and the gates: the rows every access decision reads.
struct AccessStore: Sendable {
    let sql: any SQLDatabase

    // MARK: What a person may do

    /// A person's group memberships and managed places, as the access rules take them.
    func viewer(for user: UserRecord) async throws -> Viewer {
        // One query, three kinds of rows; only room rows use the third column (the others repeat the id to fill it).
        let rows = try await sql.raw("""
            SELECT 'g' AS kind, group_id AS id, group_id AS location_id FROM group_members WHERE user_id = \(bind: user.id)
            UNION ALL SELECT 'l', location_id, location_id FROM location_managers WHERE user_id = \(bind: user.id)
            UNION ALL SELECT 'r', rm.room_id, r.location_id FROM room_managers rm JOIN rooms r ON r.id = rm.room_id
                WHERE rm.user_id = \(bind: user.id)
            """).all()
        var groups = Set<UUID>(), locations = Set<UUID>(), rooms = Set<UUID>(), roomLocations = Set<UUID>()
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            switch try row.decode(column: "kind", as: String.self) {
            case "g": groups.insert(id)
            case "l": locations.insert(id)
            default:
                rooms.insert(id)
                roomLocations.insert(try row.decode(column: "location_id", as: UUID.self))
            }
        }
        return Viewer(userId: user.id, isSuperuser: user.isSuperuser, groupIds: groups, managedLocationIds: locations,
                      managedRoomIds: rooms, roomManagerLocationIds: roomLocations)
    }

    // MARK: Groups

    func group(_ id: UUID) async throws -> GroupRecord? {
        try await sql.first(GroupRecord.self, "SELECT * FROM user_groups WHERE id = \(bind: id)")
    }

    func groups(inLocation locationId: UUID) async throws -> [GroupRecord] {
        try await sql.all(GroupRecord.self, "SELECT * FROM user_groups WHERE location_id = \(bind: locationId) ORDER BY name")
    }

    /// How many of `ids` are groups of the location.
    func countGroups(_ ids: [UUID], inLocation locationId: UUID) async throws -> Int {
        try await sql.count("""
            SELECT COUNT(*) AS n FROM user_groups WHERE location_id = \(bind: locationId) AND id IN (\(binds: ids))
            """)
    }

    func insert(_ group: GroupRecord) async throws {
        try await sql.insert(group, into: "user_groups")
    }

    func update(_ group: GroupRecord) async throws {
        try await sql.raw("UPDATE user_groups SET name = \(bind: group.name), description = \(bind: group.description) WHERE id = \(bind: group.id)").run()
    }

    /// Whether the group is in the gate of any location or room.
    func guardsAnyGate(_ groupId: UUID) async throws -> Bool {
        try await sql.count("""
            SELECT (SELECT COUNT(*) FROM location_gate_groups WHERE group_id = \(bind: groupId))
                 + (SELECT COUNT(*) FROM room_gate_groups WHERE group_id = \(bind: groupId)) AS n
            """) > 0
    }

    func delete(group groupId: UUID) async throws {
        try await sql.raw("DELETE FROM user_groups WHERE id = \(bind: groupId)").run()
    }

    /// By username.
    func members(ofGroup groupId: UUID) async throws -> [UserRecord] {
        try await people(in: .groupMembers, of: groupId)
    }

    /// Adds (`present`) or removes a member; either is a no-op when it is so already.
    func setMember(_ userId: UUID, ofGroup groupId: UUID, present: Bool) async throws {
        try await set(userId, in: .groupMembers, of: groupId, present: present)
    }

    // MARK: Managers

    /// By username.
    func managers(ofLocation locationId: UUID) async throws -> [UserRecord] {
        try await people(in: .locationManagers, of: locationId)
    }

    func setManager(_ userId: UUID, ofLocation locationId: UUID, present: Bool) async throws {
        try await set(userId, in: .locationManagers, of: locationId, present: present)
    }

    /// By username.
    func managers(ofRoom roomId: UUID) async throws -> [UserRecord] {
        try await people(in: .roomManagers, of: roomId)
    }

    func setManager(_ userId: UUID, ofRoom roomId: UUID, present: Bool) async throws {
        try await set(userId, in: .roomManagers, of: roomId, present: present)
    }

    /// A table that links people to a group, a location or a room.
    private struct Link {
        let table: String
        let column: String

        static let groupMembers = Link(table: "group_members", column: "group_id")
        static let locationManagers = Link(table: "location_managers", column: "location_id")
        static let roomManagers = Link(table: "room_managers", column: "room_id")
    }

    private func people(in link: Link, of id: UUID) async throws -> [UserRecord] {
        try await sql.all(UserRecord.self, """
            SELECT u.* FROM users u JOIN \(ident: link.table) m ON m.user_id = u.id WHERE m.\(ident: link.column) = \(bind: id)
            ORDER BY u.username
            """)
    }

    private func set(_ userId: UUID, in link: Link, of id: UUID, present: Bool) async throws {
        try await sql.raw("DELETE FROM \(ident: link.table) WHERE \(ident: link.column) = \(bind: id) AND user_id = \(bind: userId)").run()
        if present {
            try await sql.raw("INSERT INTO \(ident: link.table) (\(ident: link.column), user_id) VALUES (\(bind: id), \(bind: userId))").run()
        }
    }

    // MARK: Gates (read with the places, in `PlaceStore`)

    /// Limits the location to members of `groupIds`; none opens it to everyone.
    func setGate(ofLocation locationId: UUID, to groupIds: [UUID]) async throws {
        try await sql.raw("DELETE FROM location_gate_groups WHERE location_id = \(bind: locationId)").run()
        for id in groupIds {
            try await sql.raw("INSERT INTO location_gate_groups (location_id, group_id) VALUES (\(bind: locationId), \(bind: id))").run()
        }
    }

    /// Limits the room to members of `groupIds`; none opens it to everyone who sees its location.
    func setGate(ofRoom roomId: UUID, to groupIds: [UUID]) async throws {
        try await sql.raw("DELETE FROM room_gate_groups WHERE room_id = \(bind: roomId)").run()
        for id in groupIds {
            try await sql.raw("INSERT INTO room_gate_groups (room_id, group_id) VALUES (\(bind: roomId), \(bind: id))").run()
        }
    }
}
