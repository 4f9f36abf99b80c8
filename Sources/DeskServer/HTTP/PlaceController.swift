import DeskCore
import Vapor

/// Countries, locations (with policy), floors, rooms and desks.
enum PlaceController {
    struct CountryInput: Decodable {
        let name: String?
        let code: String?
        let lat: Double?
        let lng: Double?

        var service: PlaceService.CountryInput {
            .init(name: name, code: code, lat: lat.map { .some($0) }, lng: lng.map { .some($0) })
        }
    }

    struct LocationInput: Decodable {
        let countryId: UUID?
        let name: String?
        let address: String?
        let timezone: String?
        let lat: Double?
        let lng: Double?
        let roomManagersAddMembers: Bool?
        /// On creation only: the location's first overrides (`PATCH …/policy` changes them later).
        let policy: PolicyOverrides?

        var service: PlaceService.LocationInput {
            .init(countryId: countryId, name: name, address: address, timezone: timezone, lat: lat.map { .some($0) },
                  lng: lng.map { .some($0) }, roomManagersAddMembers: roomManagersAddMembers, policy: policy)
        }
    }

    struct FloorInput: Decodable {
        let name: String?
        let level: Int?
    }

    struct RoomInput: Decodable {
        let name: String?
        let description: String?
    }

    struct DeskInput: Decodable {
        let name: String?
        let x: Double?
        let y: Double?
        let orientation: String?
        let tags: [String]?
        let isActive: Bool?

        var service: PlaceService.DeskInput {
            .init(name: name, x: x, y: y, orientation: orientation, tags: tags, isActive: isActive)
        }
    }

    /// A change of a location's policy overrides: a field sent replaces the override, a field sent as `null` goes
    /// back to the global default, a field left out keeps its override.
    struct PolicyInput: Decodable {
        let patch: PolicyOverrides
        /// The fields sent as `null`, snake_case as the API names them.
        let clearing: Set<String>

        private enum CodingKeys: String, CodingKey {
            case maxAdvanceDays, releaseTime, granularityMinutes, bookableFrom, bookableUntil, minDurationMinutes,
                 maxDurationMinutes, maxConcurrentPerUser, maxUpcomingPerUser, checkInRequired, checkInGraceMinutes,
                 bookerVisibility, openWeekdays
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            var patch = PolicyOverrides()
            var clearing: Set<String> = []
            func read<T: Decodable>(_ key: CodingKeys, _ field: WritableKeyPath<PolicyOverrides, T?>) throws {
                switch try container.decodeNullable(T.self, forKey: key) {
                case nil: break
                case .some(nil): clearing.insert(ProblemMiddleware.snakeCase(key.stringValue))
                case .some(let value?): patch[keyPath: field] = value
                }
            }
            try read(.maxAdvanceDays, \.maxAdvanceDays)
            try read(.releaseTime, \.releaseTime)
            try read(.granularityMinutes, \.granularityMinutes)
            try read(.bookableFrom, \.bookableFrom)
            try read(.bookableUntil, \.bookableUntil)
            try read(.minDurationMinutes, \.minDurationMinutes)
            try read(.maxDurationMinutes, \.maxDurationMinutes)
            try read(.maxConcurrentPerUser, \.maxConcurrentPerUser)
            try read(.maxUpcomingPerUser, \.maxUpcomingPerUser)
            try read(.checkInRequired, \.checkInRequired)
            try read(.checkInGraceMinutes, \.checkInGraceMinutes)
            try read(.bookerVisibility, \.bookerVisibility)
            try read(.openWeekdays, \.openWeekdays)
            self.patch = patch
            self.clearing = clearing
        }
    }

    struct LocationQuery: Decodable {
        let countryId: UUID?

        enum CodingKeys: String, CodingKey { case countryId = "country_id" }
    }

    // MARK: Countries

    @Sendable static func countries(_ req: Request) async throws -> [CountryDTO] {
        _ = try req.requireViewer()
        return try await req.services.places.countries().map(CountryDTO.init)
    }

    @Sendable static func country(_ req: Request) async throws -> CountryDTO {
        _ = try req.requireViewer()
        return CountryDTO(try await req.services.places.country(try req.id()))
    }

    @Sendable static func createCountry(_ req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        let input = try req.body(CountryInput.self)
        return try .created(CountryDTO(try await req.services.places.createCountry(input.service, by: viewer, actor: req.actor)))
    }

    @Sendable static func updateCountry(_ req: Request) async throws -> CountryDTO {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(CountryInput.self)
        return CountryDTO(try await req.services.places.updateCountry(id, input.service, by: viewer, actor: req.actor))
    }

    @Sendable static func deleteCountry(_ req: Request) async throws -> HTTPStatus {
        try await req.services.places.deleteCountry(try req.id(), by: try req.requireViewer(), actor: req.actor)
        return .noContent
    }

    // MARK: Locations

    @Sendable static func locations(_ req: Request) async throws -> [LocationDTO] {
        let viewer = try req.requireViewer()
        let query = try req.decodeQuery(LocationQuery.self)
        return try await req.services.places.locations(countryId: query.countryId, viewer).map(LocationDTO.init)
    }

    @Sendable static func location(_ req: Request) async throws -> LocationDTO {
        LocationDTO(try await req.services.places.visibleLocation(try req.id(), try req.requireViewer()).0)
    }

    @Sendable static func createLocation(_ req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        let input = try req.body(LocationInput.self)
        return try .created(LocationDTO(try await req.services.places.createLocation(input.service, by: viewer, actor: req.actor)))
    }

    @Sendable static func updateLocation(_ req: Request) async throws -> LocationDTO {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(LocationInput.self)
        return LocationDTO(try await req.services.places.updateLocation(id, input.service, by: viewer, actor: req.actor))
    }

    @Sendable static func deleteLocation(_ req: Request) async throws -> HTTPStatus {
        try await req.services.places.deleteLocation(try req.id(), by: try req.requireViewer(), actor: req.actor)
        return .noContent
    }

    @Sendable static func policy(_ req: Request) async throws -> Policy {
        try await req.services.places.visibleLocation(try req.id(), try req.requireViewer()).0.effectivePolicy
    }

    /// The global policy every location starts from.
    @Sendable static func policyDefaults(_ req: Request) async throws -> Policy {
        _ = try req.requireViewer()
        return .defaults
    }

    /// A field given as `null` goes back to the global default; absent fields stay as they are.
    @Sendable static func updatePolicy(_ req: Request) async throws -> LocationDTO {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(PolicyInput.self)
        return LocationDTO(try await req.services.places.updatePolicy(id, input.patch, clearing: input.clearing, by: viewer, actor: req.actor))
    }

    // MARK: Floors

    @Sendable static func floors(_ req: Request) async throws -> [FloorDTO] {
        try await req.services.places.floors(locationId: try req.id(), try req.requireViewer()).map(FloorDTO.init)
    }

    @Sendable static func floor(_ req: Request) async throws -> FloorDTO {
        FloorDTO(try await req.services.places.visibleFloor(try req.id(), try req.requireViewer()).0)
    }

    @Sendable static func createFloor(_ req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(FloorInput.self)
        return try .created(FloorDTO(
            try await req.services.places.createFloor(in: id, name: input.name, level: input.level, by: viewer, actor: req.actor)))
    }

    @Sendable static func updateFloor(_ req: Request) async throws -> FloorDTO {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(FloorInput.self)
        return FloorDTO(try await req.services.places.updateFloor(id, name: input.name, level: input.level, by: viewer, actor: req.actor))
    }

    @Sendable static func deleteFloor(_ req: Request) async throws -> HTTPStatus {
        try await req.services.places.deleteFloor(try req.id(), by: try req.requireViewer(), actor: req.actor)
        return .noContent
    }

    // MARK: Rooms

    @Sendable static func roomsOfFloor(_ req: Request) async throws -> [RoomDTO] {
        let now = req.services.clock.now()
        return try await req.services.places.rooms(floorId: try req.id(), try req.requireViewer()).map { RoomDTO($0, now: now) }
    }

    @Sendable static func roomsOfLocation(_ req: Request) async throws -> [RoomDTO] {
        let now = req.services.clock.now()
        return try await req.services.places.rooms(locationId: try req.id(), try req.requireViewer()).map { RoomDTO($0, now: now) }
    }

    @Sendable static func room(_ req: Request) async throws -> RoomDTO {
        RoomDTO(try await req.services.places.visibleRoom(try req.id(), try req.requireViewer()).0, now: req.services.clock.now())
    }

    @Sendable static func createRoom(_ req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(RoomInput.self)
        return try .created(RoomDTO(try await req.services.places.createRoom(
            on: id, name: input.name, description: input.description, by: viewer, actor: req.actor), now: req.services.clock.now()))
    }

    @Sendable static func updateRoom(_ req: Request) async throws -> RoomDTO {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(RoomInput.self)
        return RoomDTO(try await req.services.places.updateRoom(
            id, name: input.name, description: input.description, by: viewer, actor: req.actor), now: req.services.clock.now())
    }

    @Sendable static func deleteRoom(_ req: Request) async throws -> HTTPStatus {
        try await req.services.places.deleteRoom(try req.id(), by: try req.requireViewer(), actor: req.actor)
        return .noContent
    }

    @Sendable static func map(_ req: Request) async throws -> Response {
        let image = try await req.services.roomMaps.map(of: try req.id(), try req.requireViewer())
        let response = Response(status: .ok, body: .init(data: image.data))
        response.headers.replaceOrAdd(name: .contentType, value: image.contentType)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=60")
        // Uploaded SVGs are sanitised; in case anything slipped through, a map opened on its own still runs nothing,
        // loads nothing but its own embedded images, and is sandboxed into an opaque origin.
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: RoomMapService.contentSecurityPolicy)
        response.headers.replaceOrAdd(name: "Content-Disposition", value: "inline")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }

    @Sendable static func uploadMap(_ req: Request) async throws -> HTTPStatus {
        let viewer = try req.requireViewer()
        let id = try req.id()
        guard let buffer = req.body.data, buffer.readableBytes > 0 else {
            throw DomainError.validation(field: "image", "send the image bytes as the request body")
        }
        try await req.services.roomMaps.setMap(of: id, data: Data(buffer: buffer), by: viewer, actor: req.actor)
        return .noContent
    }

    // MARK: Desks

    @Sendable static func desks(_ req: Request) async throws -> [DeskDTO] {
        try await req.services.places.desks(roomId: try req.id(), try req.requireViewer()).map(DeskDTO.init)
    }

    @Sendable static func desk(_ req: Request) async throws -> DeskDTO {
        DeskDTO(try await req.services.places.visibleDesk(try req.id(), try req.requireViewer()).0)
    }

    @Sendable static func createDesk(_ req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(DeskInput.self)
        return try .created(DeskDTO(try await req.services.places.createDesk(in: id, input.service, by: viewer, actor: req.actor)))
    }

    @Sendable static func updateDesk(_ req: Request) async throws -> DeskDTO {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(DeskInput.self)
        return DeskDTO(try await req.services.places.updateDesk(id, input.service, by: viewer, actor: req.actor))
    }

    @Sendable static func deleteDesk(_ req: Request) async throws -> HTTPStatus {
        try await req.services.places.deleteDesk(try req.id(), by: try req.requireViewer(), actor: req.actor)
        return .noContent
    }
}
