import DeskCore
import Vapor

/// The inbox and channel choices of the signed-in person: `/api/v1/me/notifications…`.
enum NotificationController {
    struct ListQuery: Decodable {
        let unread: Bool?
        let limit: Int?
        let cursor: String?
    }

    struct ReadInput: Decodable {
        let ids: [UUID]?
        let all: Bool?
    }

    struct SettingsChange: Decodable {
        struct Kind: Decodable {
            let kind: String
            let channels: [String: Bool]
        }

        let kinds: [Kind]
    }

    @Sendable static func list(_ req: Request) async throws -> NotificationPageDTO {
        let viewer = try req.requireViewer()
        let query = try req.decodeQuery(ListQuery.self)
        let page = try await req.services.notifications.page(
            for: viewer, unread: query.unread, limit: try Pagination.limit(query.limit), after: try Cursor.parse(query.cursor))
        return NotificationPageDTO(items: page.items.map(NotificationDTO.init), nextCursor: page.nextCursor?.text,
                                   unreadCount: page.unreadCount)
    }

    @Sendable static func markRead(_ req: Request) async throws -> UnreadCountDTO {
        let viewer = try req.requireViewer()
        let input = try req.body(ReadInput.self)
        let ids: [UUID]?
        switch (input.ids, input.all ?? false) {
        case (let given?, false):
            guard !given.isEmpty, given.count <= 500 else { throw DomainError.validation(field: "ids", "name 1 to 500 notifications") }
            ids = given
        case (nil, true):
            ids = nil
        default:
            throw DomainError.validation(field: "ids", "give either ids or all: true")
        }
        return UnreadCountDTO(unreadCount: try await req.services.notifications.markRead(ids, for: viewer))
    }

    @Sendable static func settings(_ req: Request) async throws -> NotificationSettingsDTO {
        NotificationSettingsDTO(try await req.services.notifications.settings(for: try req.requireViewer()))
    }

    @Sendable static func changeSettings(_ req: Request) async throws -> NotificationSettingsDTO {
        let viewer = try req.requireViewer()
        let input = try req.body(SettingsChange.self)
        guard input.kinds.count <= 100 else { throw DomainError.validation(field: "kinds", "at most 100 at a time") }
        let changes = try input.kinds.enumerated().map { index, change in
            let channels = try Dictionary(uniqueKeysWithValues: change.channels.map { name, enabled in
                guard let channel = NotificationChannel(rawValue: name) else {
                    throw DomainError.validation(field: "kinds[\(index)].channels", "unknown channel \(name)")
                }
                return (channel, enabled)
            })
            return (kind: change.kind, channels: channels)
        }
        return NotificationSettingsDTO(try await req.services.notifications.change(changes, for: viewer))
    }
}
