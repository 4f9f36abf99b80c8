import DeskCore
import Foundation
import SQLKit

/// Groups and their members, managers, gates and permanent desks: everything that changes who may do what.
struct AccessService: Sendable {
    let transactor: Transactor
    let clock: WallClock
    let placeService: PlaceService

    private var sql: any SQLDatabase { transactor.sql }
    private var places: PlaceStore { PlaceStore(sql: sql) }
    private var access: AccessStore { AccessStore(sql: sql) }

    // MARK: Groups

    /// Managers of the location, and room managers in it, see its groups (they edit gates and members).
    func groups(locationId: UUID, _ viewer: Viewer) async throws -> [GroupRecord] {
        let (_, gate) = try await placeService.visibleLocation(locationId, viewer)
        guard AccessRules.manages(location: gate.locationId, viewer) || viewer.roomManagerLocationIds.contains(locationId) else {
            throw DomainError.forbidden
        }
        return try await access.groups(inLocation: locationId)
    }

    func createGroup(in locationId: UUID, name: String?, description: String?, by viewer: Viewer, actor: Actor) async throws -> GroupRecord {
        let (_, gate) = try await placeService.visibleLocation(locationId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        var record = GroupRecord(id: UUID(), locationId: locationId, name: "", description: "")
        try Self.apply(name: name, description: description, to: &record, creating: true)
        let created = record
        try await write("group.created", target: "group", id: created.id, location: locationId, actor: actor) { sql in
            try await AccessStore(sql: sql).insert(created)
        }
        return created
    }

    func updateGroup(_ id: UUID, name: String?, description: String?, by viewer: Viewer, actor: Actor) async throws -> GroupRecord {
        var (record, gate) = try await managedGroup(id, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        try Self.apply(name: name, description: description, to: &record, creating: false)
        let updated = record
        try await write("group.updated", target: "group", id: id, location: record.locationId, actor: actor) { sql in
            try await AccessStore(sql: sql).update(updated)
        }
        return updated
    }

    func deleteGroup(_ id: UUID, by viewer: Viewer, actor: Actor) async throws {
        let (record, gate) = try await managedGroup(id, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        try await write("group.deleted", target: "group", id: id, location: record.locationId, actor: actor) { sql in
            // Deleting the only group of a gate would open the place to everyone: take it out of the gate first.
            let access = AccessStore(sql: sql)
            guard try await !access.guardsAnyGate(id) else {
                throw DomainError.conflict(code: "group_in_use", "This group guards a location or room; remove it from those gates first.")
            }
            try await access.delete(group: id)
        }
    }

    func members(of groupId: UUID, _ viewer: Viewer) async throws -> [UserRecord] {
        _ = try await managedGroup(groupId, viewer)
        return try await access.members(ofGroup: groupId)
    }

    func setMember(_ userId: UUID, of groupId: UUID, present: Bool, by viewer: Viewer, actor: Actor) async throws {
        let (group, gate) = try await managedGroup(groupId, viewer)
        guard let location = try await places.location(group.locationId) else { throw DomainError.notFound("Group") }
        guard AccessRules.mayChangeMember(userId, adding: present, ofGroupIn: gate,
                                          roomManagersMayAddMembers: location.roomManagersAddMembers, viewer) else {
            throw DomainError.forbidden
        }
        try await requireUser(userId)
        try await write(present ? "group.member_added" : "group.member_removed", target: "group", id: groupId,
                        location: group.locationId, actor: actor, details: ["user_id": userId.uuidString]) { sql in
            try await AccessStore(sql: sql).setMember(userId, ofGroup: groupId, present: present)
        }
    }

    /// The group, when the viewer may see its location and is one of its managers (room managers included).
    private func managedGroup(_ id: UUID, _ viewer: Viewer) async throws -> (GroupRecord, LocationGate) {
        guard let group = try await access.group(id) else { throw DomainError.notFound("Group") }
        let gate = try await places.locationGate(group.locationId)
        guard AccessRules.passes(gate, viewer) else { throw DomainError.notFound("Group") }
        guard AccessRules.manages(location: group.locationId, viewer) || viewer.roomManagerLocationIds.contains(group.locationId) else {
            throw DomainError.forbidden
        }
        return (group, gate)
    }

    private static func apply(name: String?, description: String?, to record: inout GroupRecord, creating: Bool) throws(DomainError) {
        var checks = FieldChecks()
        checks.name(name, into: &record.name, creating: creating)
        if let description, checks.text(description, field: "description", multiline: true) {
            if description.count <= 1000 { record.description = description } else {
                checks.fail("description", "at most 1000 characters")
            }
        }
        try checks.throwIfAny()
    }

    // MARK: Managers

    func locationManagers(_ locationId: UUID, _ viewer: Viewer) async throws -> [UserRecord] {
        let (_, gate) = try await placeService.visibleLocation(locationId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        return try await access.managers(ofLocation: locationId)
    }

    /// Only superusers appoint location managers.
    func setLocationManager(_ userId: UUID, of locationId: UUID, present: Bool, by viewer: Viewer, actor: Actor) async throws {
        _ = try await placeService.visibleLocation(locationId, viewer)
        try AccessRules.requireSuperuser(viewer)
        try await requireUser(userId)
        try await write(present ? "location.manager_added" : "location.manager_removed", target: "location", id: locationId,
                        location: locationId, actor: actor, details: ["user_id": userId.uuidString]) { sql in
            try await AccessStore(sql: sql).setManager(userId, ofLocation: locationId, present: present)
        }
    }

    func roomManagers(_ roomId: UUID, _ viewer: Viewer) async throws -> [UserRecord] {
        let (_, gate) = try await placeService.visibleRoom(roomId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        return try await access.managers(ofRoom: roomId)
    }

    /// Location managers appoint room managers.
    func setRoomManager(_ userId: UUID, of roomId: UUID, present: Bool, by viewer: Viewer, actor: Actor) async throws {
        let (room, gate) = try await placeService.visibleRoom(roomId, viewer)
        try AccessRules.requireManager(of: gate.location, viewer)
        try await requireUser(userId)
        try await write(present ? "room.manager_added" : "room.manager_removed", target: "room", id: roomId,
                        location: room.locationId, actor: actor, details: ["user_id": userId.uuidString]) { sql in
            try await AccessStore(sql: sql).setManager(userId, ofRoom: roomId, present: present)
        }
    }

    // MARK: Gates

    /// The groups a location is limited to (empty: open to everyone), for its managers.
    func locationGate(_ locationId: UUID, _ viewer: Viewer) async throws -> [UUID] {
        let (_, gate) = try await placeService.visibleLocation(locationId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        return gate.groupIds.sorted { $0.uuidString < $1.uuidString }
    }

    /// The groups a room is limited to (empty: open to everyone who sees its location), for its managers.
    func roomGate(_ roomId: UUID, _ viewer: Viewer) async throws -> [UUID] {
        let (_, gate) = try await placeService.visibleRoom(roomId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        return gate.groupIds.sorted { $0.uuidString < $1.uuidString }
    }

    func setLocationGate(_ locationId: UUID, groupIds: [UUID], by viewer: Viewer, actor: Actor) async throws -> [UUID] {
        let (_, gate) = try await placeService.visibleLocation(locationId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        let ids = try await requireGroups(groupIds, in: locationId)
        try await write("location.gate_changed", target: "location", id: locationId, location: locationId, actor: actor,
                        details: ["group_ids": ids.map(\.uuidString).joined(separator: ",")]) { sql in
            try await AccessStore(sql: sql).setGate(ofLocation: locationId, to: ids)
        }
        return ids
    }

    func setRoomGate(_ roomId: UUID, groupIds: [UUID], by viewer: Viewer, actor: Actor) async throws -> [UUID] {
        let (room, gate) = try await placeService.visibleRoom(roomId, viewer)
        try AccessRules.requireManager(of: gate.location, viewer)
        let ids = try await requireGroups(groupIds, in: room.locationId)
        try await write("room.gate_changed", target: "room", id: roomId, location: room.locationId, actor: actor,
                        details: ["group_ids": ids.map(\.uuidString).joined(separator: ",")]) { sql in
            try await AccessStore(sql: sql).setGate(ofRoom: roomId, to: ids)
        }
        return ids
    }

    // MARK: Permanent desks

    /// Room managers give a desk to one person; `userId == nil` clears it.
    func setPermanent(desk deskId: UUID, userId: UUID?, by viewer: Viewer, actor: Actor) async throws -> DeskRecord {
        let context = try await placeService.visibleDeskContext(deskId, viewer)
        var (desk, room, gate) = (context.desk, context.room, context.gate)
        try AccessRules.requireManager(of: gate, viewer)
        if let userId { try await requireUser(userId, field: "user_id") }
        desk.permanentUserId = userId
        let deskName = desk.name
        let event = PermanentEvent(deskId: deskId, roomId: room.id, locationId: desk.locationId, userId: userId)
        let now = clock.now()
        let location = context.location
        try await transactor.write { sql in
            try await PlaceStore(sql: sql).setPermanentUser(userId, ofDesk: deskId)
            try await AuditLog(sql: sql).record(userId == nil ? "desk.permanent_cleared" : "desk.permanent_assigned", target: "desk",
                                                id: deskId, location: location.id, by: actor, at: now,
                                                details: ["user_id": userId?.uuidString ?? ""])
            guard let userId else { return Written(events: [.accessChanged, .permanent(event)]) }
            // Bookings of others stay (the desk was theirs when they booked) but their owners should know.
            let notice = BookingNotice(deskName: deskName, locationName: location.name, placeZone: location.timeZone)
            var notifications: [NotificationRecord] = []
            for booking in try await BookingStore(sql: sql).unfinishedBookings(onDesk: deskId, notOwnedBy: userId, now: now) {
                let format = try await PreferencesStore(sql: sql).readingFormat(of: booking.userId)
                notifications.append(NotificationRecord(to: booking.userId, .permanentAssignment,
                                                        notice.permanentlyAssigned(booking.range, format: format),
                                                        booking: booking.id, location: location.id, at: now))
            }
            return Written(events: [.accessChanged, .permanent(event)] + (try await NotificationStore(sql: sql).append(notifications)))
        }
        return desk
    }

    // MARK: Helpers

    private func requireUser(_ id: UUID, field: String? = nil) async throws {
        guard try await UserStore(sql: sql).exists(id: id) else {
            if let field { throw DomainError.validation(field: field, "no such user") }
            throw DomainError.notFound("User")
        }
    }

    private func requireGroups(_ ids: [UUID], in locationId: UUID) async throws -> [UUID] {
        let unique = Array(Set(ids)).sorted { $0.uuidString < $1.uuidString }
        guard !unique.isEmpty else { return [] }
        guard try await access.countGroups(unique, inLocation: locationId) == unique.count else { throw DomainError.validation(field: "group_ids", "every group must belong to this location") }
        return unique
    }

    private func write(
        _ action: String, target: String, id: UUID, location: UUID, actor: Actor, details: [String: String] = [:],
        announcing events: [DomainEvent] = [], _ body: @escaping @Sendable (any SQLDatabase) async throws -> Void
    ) async throws {
        try await transactor.auditedWrite(action, target: target, id: id, location: location, by: actor, at: clock.now(),
                                          details: details, conflict: .conflict(code: "already_exists", "A group with that name exists here."),
                                          announcing: events, body)
    }
}
