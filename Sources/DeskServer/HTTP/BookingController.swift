import DeskCore
import Vapor

/// Create, list, read, change and cancel bookings.
enum BookingController {
    struct CreateInput: Decodable {
        let deskId: UUID
        let start: Date
        let end: Date
        let note: String?
        /// Book for someone else (managers of the desk's room only).
        let userId: UUID?
    }

    struct BulkInput: Decodable {
        let deskId: UUID
        let intervals: [TimeRange]
        let atomic: Bool?
        let note: String?
        let userId: UUID?
    }

    struct IntervalsInput: Decodable {
        let intervals: [TimeRange]
    }

    struct PatchInput: Decodable {
        let start: Date?
        let end: Date?
        let note: String?
    }

    struct ListQuery: Decodable {
        let mine: Bool?
        let deskId: UUID?
        let roomId: UUID?
        let locationId: UUID?
        let from: String?
        let to: String?
        let status: String?
        let limit: Int?
        let cursor: String?

        enum CodingKeys: String, CodingKey {
            case mine, from, to, status, limit, cursor
            case deskId = "desk_id", roomId = "room_id", locationId = "location_id"
        }
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let input = try req.body(CreateInput.self)
        let range = try TimeRange(start: input.start, end: input.end)
        let source: BookingSource = principal.credential == .session ? .web : .api
        let view = try await req.services.bookings.create(
            .init(deskId: input.deskId, range: range, note: input.note ?? "", onBehalfOf: input.userId, source: source),
            by: principal.viewer, actor: req.actor
        )
        return try .created(BookingDTO(view))
    }

    /// 201 when every interval was created, 200 with each interval's outcome otherwise; a refused atomic request is
    /// a problem with the first refusal and every interval's outcome.
    @Sendable static func bulk(_ req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let input = try req.body(BulkInput.self)
        let atomic = input.atomic ?? false
        let outcomes = try await req.services.bookings.createMany(
            desk: input.deskId, ranges: input.intervals, note: input.note ?? "", atomic: atomic, onBehalfOf: input.userId,
            source: principal.credential == .session ? .web : .api, by: principal.viewer, actor: req.actor
        )
        let intervals = outcomes.map(BulkIntervalDTO.init)
        let failed = outcomes.filter { $0.booking == nil }
        if atomic, let first = failed.first(where: { $0.refusal != BookingCommitQueue.withdrawn })?.refusal ?? failed.first?.refusal {
            throw BulkRejection(refusal: first, intervals: intervals)
        }
        let result = BulkResultDTO(created: outcomes.count - failed.count, failed: failed.count, intervals: intervals)
        if failed.isEmpty { return try .created(result) }
        let response = Response(status: .ok)
        try response.content.encode(result, using: JSONCoding.encoder)
        return response
    }

    @Sendable static func replaceIntervals(_ req: Request) async throws -> IntervalChangeDTO {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(IntervalsInput.self)
        return IntervalChangeDTO(try await req.services.bookings.replaceIntervals(of: id, with: input.intervals, by: viewer, actor: req.actor))
    }

    @Sendable static func checkIn(_ req: Request) async throws -> BookingDTO {
        BookingDTO(try await req.services.bookings.checkIn(try req.id(), by: try req.requireViewer(), actor: req.actor))
    }

    @Sendable static func list(_ req: Request) async throws -> Page<BookingDTO> {
        let viewer = try req.requireViewer()
        let query = try req.decodeQuery(ListQuery.self)
        let scopes = [query.deskId.map(BookingService.ListFilter.Scope.desk), query.roomId.map(BookingService.ListFilter.Scope.room),
                      query.locationId.map(BookingService.ListFilter.Scope.location)].compactMap { $0 }
        guard scopes.count <= 1, !(query.mine == true && !scopes.isEmpty) else {
            throw DomainError.validation(field: "mine", "use one of mine, desk_id, room_id or location_id")
        }
        var filter = BookingService.ListFilter(scope: scopes.first ?? .mine)
        filter.from = try query.from.map { try QueryTimestamp.parse($0, field: "from") }
        filter.to = try query.to.map { try QueryTimestamp.parse($0, field: "to") }
        if let from = filter.from, let to = filter.to, to <= from {
            throw DomainError.validation(field: "to", "must be after from")
        }
        switch query.status {
        case nil: filter.status = .confirmed
        case "all": filter.status = nil
        case let text?:
            guard let status = BookingStatus(rawValue: text) else {
                throw DomainError.validation(field: "status", "one of confirmed, cancelled, released, all")
            }
            filter.status = status
        }
        filter.limit = try Pagination.limit(query.limit)
        if let position = try Cursor.parse(query.cursor) { filter.after = (position.instant, position.id) }
        let views = try await req.services.bookings.list(filter, viewer)
        let next = views.count == filter.limit ? views.last.map { Cursor(instant: $0.booking.startAt, id: $0.booking.id).text } : nil
        return Page(items: views.map(BookingDTO.init), nextCursor: next)
    }

    @Sendable static func get(_ req: Request) async throws -> BookingDTO {
        BookingDTO(try await req.services.bookings.get(try req.id(), try req.requireViewer()))
    }

    @Sendable static func update(_ req: Request) async throws -> BookingDTO {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(PatchInput.self)
        var range: TimeRange?
        if input.start != nil || input.end != nil {
            guard let start = input.start, let end = input.end else {
                throw DomainError.validation(field: input.start == nil ? "start" : "end", "send start and end together")
            }
            range = try TimeRange(start: start, end: end)
        }
        return BookingDTO(try await req.services.bookings.change(id, range: range, note: input.note, by: viewer, actor: req.actor))
    }

    @Sendable static func cancel(_ req: Request) async throws -> BookingDTO {
        BookingDTO(try await req.services.bookings.cancel(try req.id(), by: try req.requireViewer(), actor: req.actor))
    }
}
