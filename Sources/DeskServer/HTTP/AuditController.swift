import DeskCore
import Vapor

/// `GET /api/v1/audit`: who did what, newest first.
enum AuditController {
    struct Query: Decodable {
        let action: String?
        let userId: UUID?
        let locationId: UUID?
        let from: String?
        let to: String?
        let limit: Int?
        let cursor: String?

        enum CodingKeys: String, CodingKey {
            case action, from, to, limit, cursor
            case userId = "user_id", locationId = "location_id"
        }
    }

    @Sendable static func list(_ req: Request) async throws -> Page<AuditEntryDTO> {
        let viewer = try req.requireViewer()
        let query = try req.decodeQuery(Query.self)
        var filter = AuditService.Filter(action: query.action, userId: query.userId, locationId: query.locationId)
        filter.from = try query.from.map { try QueryTimestamp.parse($0, field: "from") }
        filter.to = try query.to.map { try QueryTimestamp.parse($0, field: "to") }
        filter.limit = try Pagination.limit(query.limit)
        if let position = try Cursor.parse(query.cursor) { filter.before = (position.instant, position.id) }
        let entries = try await req.services.audit.entries(filter, viewer)
        let next = entries.count == filter.limit ? entries.last.map { Cursor(instant: $0.at, id: $0.id).text } : nil
        return Page(items: entries.map(AuditEntryDTO.init), nextCursor: next)
    }
}
