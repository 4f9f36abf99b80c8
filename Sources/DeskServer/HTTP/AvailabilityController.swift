import DeskCore
import Vapor

/// What is free in a room over a range, and in a location's rooms on a day.
enum AvailabilityController {
    struct RoomQuery: Decodable {
        let from: String?
        let to: String?
    }

    struct LocationQuery: Decodable {
        let date: String?
    }

    @Sendable static func room(_ req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        let query = try req.decodeQuery(RoomQuery.self)
        var range: TimeRange?
        if query.from != nil || query.to != nil {
            guard let fromText = query.from, let toText = query.to else {
                throw DomainError.validation(field: query.from == nil ? "from" : "to", "send from and to together")
            }
            let from = try QueryTimestamp.parse(fromText, field: "from")
            let to = try QueryTimestamp.parse(toText, field: "to")
            guard to > from else { throw DomainError.validation(field: "to", "must be after from") }
            range = TimeRange(uncheckedStart: from, end: to)
        }
        let snapshot = try await req.services.availability.room(try req.id(), range: range, viewer)
        return try RoomAvailabilityDTO.response(snapshot, viewerId: viewer.userId)
    }

    @Sendable static func location(_ req: Request) async throws -> LocationAvailabilityDTO {
        let viewer = try req.requireViewer()
        let query = try req.decodeQuery(LocationQuery.self)
        let date = try query.date.map { try QueryDate.parse($0, field: "date") }
        return LocationAvailabilityDTO(try await req.services.availability.location(try req.id(), date: date, viewer))
    }
}
