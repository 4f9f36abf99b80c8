import DeskCore
import Foundation
import SQLKit

/// Countries, locations, floors, rooms and desks, with who may see and change each.
struct PlaceService: Sendable {
    let transactor: Transactor
    let clock: WallClock

    private var sql: any SQLDatabase { transactor.sql }
    private var places: PlaceStore { PlaceStore(sql: sql) }

    // MARK: Lookups that answer 404 for what the viewer may not see

    func visibleLocation(_ id: UUID, _ viewer: Viewer) async throws -> (LocationRecord, LocationGate) {
        guard let location = try await places.location(id) else { throw DomainError.notFound("Location") }
        let gate = try await places.locationGate(id)
        try AccessRules.requireVisible(gate, viewer)
        return (location, gate)
    }

    func visibleFloor(_ id: UUID, _ viewer: Viewer) async throws -> (FloorRecord, LocationGate) {
        guard let floor = try await places.floor(id) else { throw DomainError.notFound("Floor") }
        let gate = try await places.locationGate(floor.locationId)
        guard AccessRules.passes(gate, viewer) else { throw DomainError.notFound("Floor") }
        return (floor, gate)
    }

    func visibleRoom(_ id: UUID, _ viewer: Viewer) async throws -> (RoomRecord, RoomGate) {
        guard let room = try await places.room(id) else { throw DomainError.notFound("Room") }
        let gate = try await places.roomGate(room)
        try AccessRules.requireVisible(gate, viewer)
        return (room, gate)
    }

    /// A room with its location and gate (cached like desk contexts), when the viewer may see it.
    func visibleRoomContext(_ id: UUID, _ viewer: Viewer) async throws -> RoomContext {
        guard let context = try await roomContext(id) else { throw DomainError.notFound("Room") }
        try AccessRules.requireVisible(context.gate, viewer)
        return context
    }

    /// A room with its location and gates, whoever asks (callers check access).
    func roomContext(_ id: UUID) async throws -> RoomContext? {
        if let cached = transactor.facts.room(id) { return cached }
        let generation = transactor.facts.generation
        let context = try await places.roomContext(id)
        if let context { transactor.facts.remember(context, from: generation) }
        return context
    }

    func visibleDesk(_ id: UUID, _ viewer: Viewer) async throws -> (DeskRecord, RoomRecord, RoomGate) {
        let context = try await visibleDeskContext(id, viewer)
        return (context.desk, context.room, context.gate)
    }

    func visibleDeskContext(_ id: UUID, _ viewer: Viewer) async throws -> DeskContext {
        guard let context = try await deskContext(id), AccessRules.passes(context.gate, viewer) else {
            throw DomainError.notFound("Desk")
        }
        return context
    }

    /// A desk with its room, location and gates, whoever asks (callers check access).
    func deskContext(_ id: UUID) async throws -> DeskContext? {
        if let cached = transactor.facts.desk(id) { return cached }
        let generation = transactor.facts.generation
        let context = try await places.deskContext(id)
        if let context { transactor.facts.remember(context, from: generation) }
        return context
    }

    // MARK: Countries

    struct CountryInput: Sendable {
        var name: String?
        var code: String?
        var lat: Double??
        var lng: Double??
    }

    func countries() async throws -> [CountryRecord] {
        try await places.countries()
    }

    func country(_ id: UUID) async throws -> CountryRecord {
        guard let country = try await places.country(id) else {
            throw DomainError.notFound("Country")
        }
        return country
    }

    func createCountry(_ input: CountryInput, by viewer: Viewer, actor: Actor) async throws -> CountryRecord {
        try AccessRules.requireSuperuser(viewer)
        var record = CountryRecord(id: UUID(), name: "", code: "")
        try Self.apply(input, to: &record, creating: true)
        let created = record
        try await write("country.created", target: "country", id: created.id, actor: actor, taken: "That country exists already.") { sql in
            try await PlaceStore(sql: sql).insert(created)
        }
        return created
    }

    func updateCountry(_ id: UUID, _ input: CountryInput, by viewer: Viewer, actor: Actor) async throws -> CountryRecord {
        try AccessRules.requireSuperuser(viewer)
        var record = try await country(id)
        try Self.apply(input, to: &record, creating: false)
        let updated = record
        try await write("country.updated", target: "country", id: id, actor: actor, taken: "That country exists already.") { sql in
            try await PlaceStore(sql: sql).update(updated)
        }
        return updated
    }

    func deleteCountry(_ id: UUID, by viewer: Viewer, actor: Actor) async throws {
        try AccessRules.requireSuperuser(viewer)
        _ = try await country(id)
        try await deleteEmpty(.country, id: id, actor: actor)
    }

    private static func apply(_ input: CountryInput, to record: inout CountryRecord, creating: Bool) throws(DomainError) {
        var checks = FieldChecks()
        checks.name(input.name, into: &record.name, creating: creating)
        if let code = input.code?.uppercased() {
            if code.count == 2, code.allSatisfy({ $0.isASCII && $0.isLetter }) { record.code = code } else {
                checks.fail("code", "an ISO 3166-1 alpha-2 code such as DE")
            }
        } else if creating { checks.fail("code", "is required") }
        applyCoordinates(lat: input.lat, lng: input.lng, to: &record.lat, &record.lng, checks: &checks)
        try checks.throwIfAny()
    }

    // MARK: Locations

    struct LocationInput: Sendable {
        var countryId: UUID?
        var name: String?
        var address: String?
        var timezone: String?
        var lat: Double??
        var lng: Double??
        var roomManagersAddMembers: Bool?
        /// The overrides a new location starts with; without them it follows the global defaults (which open
        /// Monday–Friday). Ignored on change: the policy has its own endpoint.
        var policy: PolicyOverrides? = nil
    }

    func locations(countryId: UUID?, _ viewer: Viewer) async throws -> [LocationRecord] {
        let rows = try await places.locations(inCountry: countryId)
        let gates = try await places.locationGates()
        return rows.filter { AccessRules.passes(LocationGate(locationId: $0.id, groupIds: gates[$0.id] ?? []), viewer) }
    }

    func createLocation(_ input: LocationInput, by viewer: Viewer, actor: Actor) async throws -> LocationRecord {
        try AccessRules.requireSuperuser(viewer)
        guard let countryId = input.countryId else { throw DomainError.validation(field: "country_id", "is required") }
        guard try await places.country(countryId) != nil else {
            throw DomainError.validation(field: "country_id", "no such country")
        }
        var record = LocationRecord(id: UUID(), countryId: countryId, name: "", address: "", timezone: "",
                                    policy: "{}", roomManagersAddMembers: false)
        try Self.apply(input, to: &record, creating: true)
        if let overrides = input.policy {
            let initial = PolicyOverrides().merged(with: overrides)
            let problems = initial.applied(to: .defaults).problems()
            guard problems.isEmpty else { throw DomainError.validation(problems.map { FieldError(field: "policy.\($0.field)", message: $0.message) }) }
            record.policy = String(decoding: try JSONEncoder.snakeCase.encode(initial), as: UTF8.self)
        }
        let created = record
        try await write("location.created", target: "location", id: created.id, location: created.id, actor: actor,
                        taken: "A location with that name exists in this country.") { sql in
            try await PlaceStore(sql: sql).insert(created)
        }
        return created
    }

    func updateLocation(_ id: UUID, _ input: LocationInput, by viewer: Viewer, actor: Actor) async throws -> LocationRecord {
        var (record, gate) = try await visibleLocation(id, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        if input.countryId != nil && input.countryId != record.countryId {
            try AccessRules.requireSuperuser(viewer)
            guard try await places.country(input.countryId!) != nil else {
                throw DomainError.validation(field: "country_id", "no such country")
            }
            record.countryId = input.countryId!
        }
        try Self.apply(input, to: &record, creating: false)
        let updated = record
        try await write("location.updated", target: "location", id: id, location: id, actor: actor,
                        taken: "A location with that name exists in this country.") { sql in
            try await PlaceStore(sql: sql).update(updated)
        }
        return updated
    }

    func deleteLocation(_ id: UUID, by viewer: Viewer, actor: Actor) async throws {
        _ = try await visibleLocation(id, viewer)
        try AccessRules.requireSuperuser(viewer)
        try await deleteEmpty(.location, id: id, actor: actor)
    }

    /// Sets the fields of `patch` and puts the fields named in `clearing` back on the global defaults.
    func updatePolicy(_ id: UUID, _ patch: PolicyOverrides, clearing: Set<String> = [], by viewer: Viewer, actor: Actor) async throws -> LocationRecord {
        let (_, gate) = try await visibleLocation(id, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        var details = ["changes": String(decoding: try JSONEncoder.snakeCase.encode(patch), as: UTF8.self)]
        if !clearing.isEmpty { details["cleared"] = clearing.sorted().joined(separator: ",") }
        return try await write("location.policy_changed", target: "location", id: id, location: id, actor: actor,
                               details: details) { sql in
            // Merged into the overrides as they are now, so two managers' changes to different fields both stay.
            try await transactor.lockRows("locations", ids: [id], in: sql)
            let places = PlaceStore(sql: sql)
            guard var record = try await places.location(id) else {
                throw DomainError.notFound("Location")
            }
            let merged = record.overrides.merged(with: patch).clearing(clearing)
            let problems = merged.applied(to: .defaults).problems()
            guard problems.isEmpty else { throw DomainError.validation(problems) }
            record.policy = String(decoding: try JSONEncoder.snakeCase.encode(merged), as: UTF8.self)
            try await places.setPolicy(record.policy, ofLocation: id)
            return record
        }
    }

    private static func apply(_ input: LocationInput, to record: inout LocationRecord, creating: Bool) throws(DomainError) {
        var checks = FieldChecks()
        checks.name(input.name, into: &record.name, creating: creating)
        if let zone = input.timezone {
            if TimeZone.isKnownIANA(zone) { record.timezone = zone } else {
                checks.fail("timezone", "an IANA time zone such as Europe/Berlin")
            }
        } else if creating { checks.fail("timezone", "is required") }
        if let address = input.address, checks.text(address, field: "address", multiline: true) {
            if address.count <= 500 { record.address = address } else { checks.fail("address", "at most 500 characters") }
        }
        if let value = input.roomManagersAddMembers { record.roomManagersAddMembers = value }
        applyCoordinates(lat: input.lat, lng: input.lng, to: &record.lat, &record.lng, checks: &checks)
        try checks.throwIfAny()
    }

    // MARK: Floors

    func floors(locationId: UUID, _ viewer: Viewer) async throws -> [FloorRecord] {
        _ = try await visibleLocation(locationId, viewer)
        return try await places.floors(inLocation: locationId)
    }

    func createFloor(in locationId: UUID, name: String?, level: Int?, by viewer: Viewer, actor: Actor) async throws -> FloorRecord {
        let (_, gate) = try await visibleLocation(locationId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        var record = FloorRecord(id: UUID(), locationId: locationId, name: "", level: 0)
        try Self.applyFloor(name: name, level: level, to: &record, creating: true)
        let created = record
        try await write("floor.created", target: "floor", id: created.id, location: locationId, actor: actor,
                        taken: "A floor with that name exists here.") { sql in
            try await PlaceStore(sql: sql).insert(created)
        }
        return created
    }

    func updateFloor(_ id: UUID, name: String?, level: Int?, by viewer: Viewer, actor: Actor) async throws -> FloorRecord {
        var (record, gate) = try await visibleFloor(id, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        try Self.applyFloor(name: name, level: level, to: &record, creating: false)
        let updated = record
        try await write("floor.updated", target: "floor", id: id, location: record.locationId, actor: actor,
                        taken: "A floor with that name exists here.") { sql in
            try await PlaceStore(sql: sql).update(updated)
        }
        return updated
    }

    func deleteFloor(_ id: UUID, by viewer: Viewer, actor: Actor) async throws {
        let (floor, gate) = try await visibleFloor(id, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        try await deleteEmpty(.floor, id: id, actor: actor, location: floor.locationId)
    }

    private static func applyFloor(name: String?, level: Int?, to record: inout FloorRecord, creating: Bool) throws(DomainError) {
        var checks = FieldChecks()
        checks.name(name, into: &record.name, creating: creating)
        if let level {
            if (-100...500).contains(level) { record.level = level } else { checks.fail("level", "between -100 and 500") }
        }
        try checks.throwIfAny()
    }

    // MARK: Rooms

    func rooms(floorId: UUID, _ viewer: Viewer) async throws -> [RoomRecord] {
        let (floor, _) = try await visibleFloor(floorId, viewer)
        let rows = try await places.rooms(onFloor: floorId)
        return try await filterVisible(rows, locationId: floor.locationId, viewer)
    }

    func rooms(locationId: UUID, _ viewer: Viewer) async throws -> [RoomRecord] {
        _ = try await visibleLocation(locationId, viewer)
        let rows = try await places.rooms(inLocation: locationId)
        return try await filterVisible(rows, locationId: locationId, viewer)
    }

    private func filterVisible(_ rooms: [RoomRecord], locationId: UUID, _ viewer: Viewer) async throws -> [RoomRecord] {
        let locationGate = try await places.locationGate(locationId)
        let gates = try await places.roomGates(inLocation: locationId)
        return rooms.filter { AccessRules.passes(RoomGate(roomId: $0.id, location: locationGate, groupIds: gates[$0.id] ?? []), viewer) }
    }

    func createRoom(on floorId: UUID, name: String?, description: String?, by viewer: Viewer, actor: Actor) async throws -> RoomRecord {
        let (floor, gate) = try await visibleFloor(floorId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        var record = RoomRecord(id: UUID(), floorId: floorId, locationId: floor.locationId, name: "", description: "")
        try Self.applyRoom(name: name, description: description, to: &record, creating: true)
        let created = record
        try await write("room.created", target: "room", id: created.id, location: floor.locationId, actor: actor,
                        taken: "A room with that name exists on this floor.") { sql in
            try await PlaceStore(sql: sql).insert(created)
        }
        return created
    }

    func updateRoom(_ id: UUID, name: String?, description: String?, by viewer: Viewer, actor: Actor) async throws -> RoomRecord {
        var (record, gate) = try await visibleRoom(id, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        try Self.applyRoom(name: name, description: description, to: &record, creating: false)
        let updated = record
        try await write("room.updated", target: "room", id: id, location: record.locationId, actor: actor,
                        taken: "A room with that name exists on this floor.") { sql in
            try await PlaceStore(sql: sql).update(updated)
        }
        return updated
    }

    func deleteRoom(_ id: UUID, by viewer: Viewer, actor: Actor) async throws {
        let (room, gate) = try await visibleRoom(id, viewer)
        try AccessRules.requireManager(of: gate.location, viewer)
        try await deleteEmpty(.room, id: id, actor: actor, location: room.locationId)
    }

    private static func applyRoom(name: String?, description: String?, to record: inout RoomRecord, creating: Bool) throws(DomainError) {
        var checks = FieldChecks()
        checks.name(name, into: &record.name, creating: creating)
        if let description, checks.text(description, field: "description", multiline: true) {
            if description.count <= 2000 { record.description = description } else {
                checks.fail("description", "at most 2000 characters")
            }
        }
        try checks.throwIfAny()
    }

    // MARK: Desks

    struct DeskInput: Sendable {
        var name: String?
        var x: Double?
        var y: Double?
        var orientation: String?
        var tags: [String]?
        var isActive: Bool?
    }

    static let orientations: Set<String> = ["top", "bottom", "left", "right"]

    func desks(roomId: UUID, _ viewer: Viewer) async throws -> [DeskRecord] {
        _ = try await visibleRoom(roomId, viewer)
        return try await places.desks(inRoom: roomId)
    }

    func createDesk(in roomId: UUID, _ input: DeskInput, by viewer: Viewer, actor: Actor) async throws -> DeskRecord {
        let (room, gate) = try await visibleRoom(roomId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        var record = DeskRecord(id: UUID(), roomId: roomId, locationId: room.locationId, name: "", x: 0.5, y: 0.5,
                                orientation: "bottom", tags: "[]", isActive: true)
        try Self.apply(input, to: &record, creating: true)
        let created = record
        try await write("desk.created", target: "desk", id: created.id, location: room.locationId, actor: actor,
                        taken: "A desk with that name exists in this room.") { sql in
            try await PlaceStore(sql: sql).insert(created)
        }
        return created
    }

    func updateDesk(_ id: UUID, _ input: DeskInput, by viewer: Viewer, actor: Actor) async throws -> DeskRecord {
        var (record, _, gate) = try await visibleDesk(id, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        try Self.apply(input, to: &record, creating: false)  // validates before writing
        return try await write("desk.updated", target: "desk", id: id, location: record.locationId, actor: actor,
                               taken: "A desk with that name exists in this room.") { sql in
            // Applied to the row as it is now, not to a cached copy, so a concurrent change is not overwritten.
            try await transactor.lockRows("desks", ids: [id], in: sql)
            let places = PlaceStore(sql: sql)
            guard var desk = try await places.desk(id) else { throw DomainError.notFound("Desk") }
            try Self.apply(input, to: &desk, creating: false)
            try await places.update(desk)
            return desk
        }
    }

    func deleteDesk(_ id: UUID, by viewer: Viewer, actor: Actor) async throws {
        let (desk, _, gate) = try await visibleDesk(id, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        try await deleteEmpty(.desk, id: id, actor: actor, location: desk.locationId,
                              refusal: "This desk has bookings; deactivate it instead (is_active: false) to keep their history.")
    }

    private static func apply(_ input: DeskInput, to record: inout DeskRecord, creating: Bool) throws(DomainError) {
        var checks = FieldChecks()
        checks.name(input.name, into: &record.name, creating: creating, length: 1...50)
        for (field, value) in [("x", input.x), ("y", input.y)] {
            guard let value else { continue }
            if (0...1).contains(value) {
                if field == "x" { record.x = value } else { record.y = value }
            } else { checks.fail(field, "a fraction of the map between 0 and 1") }
        }
        if let orientation = input.orientation {
            if orientations.contains(orientation) { record.orientation = orientation } else {
                checks.fail("orientation", "one of top, bottom, left, right")
            }
        }
        if let tags = input.tags {
            let cleaned = Array(Set(tags.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })).sorted()
            let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
            if cleaned.count <= 20, cleaned.allSatisfy({ (1...30).contains($0.count) && $0.allSatisfy(allowed.contains) }) {
                record.tags = String(decoding: try! JSONEncoder().encode(cleaned), as: UTF8.self)
            } else {
                checks.fail("tags", "up to 20 tags of 1-30 characters: a-z, 0-9 and '-'")
            }
        }
        if let active = input.isActive { record.isActive = active }
        try checks.throwIfAny()
    }

    // MARK: Shared write helpers

    @discardableResult
    private func write<T: Sendable>(
        _ action: String, target: String, id: UUID, location: UUID? = nil, actor: Actor,
        taken: String = "That exists already.", details: [String: String] = [:],
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await transactor.auditedWrite(action, target: target, id: id, location: location, by: actor, at: clock.now(),
                                          details: details, conflict: .conflict(code: "already_exists", taken), body)
    }

    /// Deletes a place that has no children; one with children answers 409 `not_empty`.
    private func deleteEmpty(
        _ level: PlaceStore.Level, id: UUID, actor: Actor, location: UUID? = nil, refusal: String? = nil
    ) async throws {
        let now = clock.now()
        let message = refusal ?? "Delete or move what it contains first."
        let deleted: Bool = try await mappingConstraintFailure(to: .conflict(code: "not_empty", message)) {
            try await transactor.write { sql in
                guard try await PlaceStore(sql: sql).deleteIfEmpty(level, id: id) else { return .unannounced(false) }
                try await AuditLog(sql: sql).record("\(level.rawValue).deleted", target: level.rawValue, id: id, location: location,
                                                    by: actor, at: now)
                return .changingAccess(true)
            }
        }
        guard deleted else { throw DomainError.conflict(code: "not_empty", message) }
    }

    private static func applyCoordinates(
        lat: Double??, lng: Double??, to storedLat: inout Double?, _ storedLng: inout Double?, checks: inout FieldChecks
    ) {
        if let lat {
            if lat.map({ (-90...90).contains($0) }) ?? true { storedLat = lat } else { checks.fail("lat", "between -90 and 90") }
        }
        if let lng {
            if lng.map({ (-180...180).contains($0) }) ?? true { storedLng = lng } else { checks.fail("lng", "between -180 and 180") }
        }
    }
}

extension TimeZone {
    /// Accepts IANA names only (not abbreviations such as "CET" or offsets such as "GMT+1").
    static func isKnownIANA(_ identifier: String) -> Bool {
        TimeZone.knownTimeZoneIdentifiers.contains(identifier) || ["UTC", "Etc/UTC"].contains(identifier)
    }
}
