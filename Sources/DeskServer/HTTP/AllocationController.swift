import DeskCore
import Vapor

/// Requests for days not yet open, and the rounds that allocate them.
enum AllocationController {
    struct RequestInput: Decodable {
        let locationId: UUID
        let date: LocalDate
        /// Ranked, best first.
        let deskIds: [UUID]?
        let tags: [String]?
        let roomIds: [UUID]?
        let floorIds: [UUID]?
        let acceptsOtherDesks: Bool?
        /// Absent or `null`: the location's whole bookable day.
        let window: DayWindow?

        private enum CodingKeys: String, CodingKey {
            case locationId, date, deskIds, tags, roomIds, floorIds, acceptsOtherDesks, window
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            locationId = try container.decode(UUID.self, forKey: .locationId)
            date = try container.decode(LocalDate.self, forKey: .date)
            deskIds = try container.decodeIfPresent([UUID].self, forKey: .deskIds)
            tags = try container.decodeIfPresent([String].self, forKey: .tags)
            roomIds = try container.decodeIfPresent([UUID].self, forKey: .roomIds)
            floorIds = try container.decodeIfPresent([UUID].self, forKey: .floorIds)
            acceptsOtherDesks = try container.decodeIfPresent(Bool.self, forKey: .acceptsOtherDesks)
            window = try container.decodeNullable(DayWindow.self, forKey: .window) ?? nil
        }
    }

    struct MineQuery: Decodable {
        let from: String?
        let status: String?
        let limit: Int?
    }

    struct DateQuery: Decodable {
        let date: String?
    }

    struct RoundInput: Decodable {
        let date: LocalDate
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let input = try req.body(RequestInput.self)
        let criteria = DeskCriteria(roomIds: Set(input.roomIds ?? []), floorIds: Set(input.floorIds ?? []), preferredDesks: input.deskIds ?? [],
                                    requiredTags: Set(input.tags ?? []), acceptsOtherDesks: input.acceptsOtherDesks ?? true)
        let record = try await req.services.allocation.file(
            .init(locationId: input.locationId, day: input.date, criteria: criteria, window: input.window,
                  source: principal.credential == .session ? .web : .api),
            by: principal.viewer, actor: req.actor)
        return try .created(AllocationRequestDTO(record))
    }

    @Sendable static func mine(_ req: Request) async throws -> [AllocationRequestDTO] {
        let viewer = try req.requireViewer()
        let query = try req.decodeQuery(MineQuery.self)
        let from = try query.from.map { try QueryDate.parse($0, field: "from") }
        let status = try query.status.map { try QueryChoice.parse($0, field: "status", as: RequestStatus.self) }
        let limit = query.limit ?? 100
        guard (1...500).contains(limit) else { throw DomainError.validation(field: "limit", "between 1 and 500") }
        return try await req.services.allocation.mine(viewer, from: from, status: status, limit: limit).map(AllocationRequestDTO.init)
    }

    @Sendable static func get(_ req: Request) async throws -> AllocationRequestDTO {
        AllocationRequestDTO(try await req.services.allocation.request(try req.id(), of: try req.requireViewer()))
    }

    @Sendable static func cancel(_ req: Request) async throws -> AllocationRequestDTO {
        AllocationRequestDTO(try await req.services.allocation.cancel(try req.id(), by: try req.requireViewer(), actor: req.actor))
    }

    @Sendable static func round(_ req: Request) async throws -> RoundReportDTO {
        let viewer = try req.requireViewer()
        let locationId = try req.id()
        guard let text = try req.decodeQuery(DateQuery.self).date else { throw DomainError.validation(field: "date", "is required") }
        let target = AllocationDay(locationId: locationId, day: try QueryDate.parse(text, field: "date"))
        return RoundReportDTO(try await req.services.allocation.report(target, for: viewer))
    }

    /// 201 when the round ran now, 200 when it had run already (it never runs twice).
    @Sendable static func runRound(_ req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        let locationId = try req.id()
        let input = try req.body(RoundInput.self)
        let (outcome, report) = try await req.services.allocation.runRound(
            AllocationDay(locationId: locationId, day: input.date), by: viewer, actor: req.actor)
        let dto = RoundReportDTO(report)
        if case .ran = outcome { return try .created(dto) }
        return try await dto.encodeResponse(for: req)
    }
}
