import DeskCore
import Vapor

/// The user directory and account administration.
enum UserController {
    struct CreateInput: Decodable {
        let username: String
        let email: String
        let password: String
        let displayName: String
        let isSuperuser: Bool?
    }

    struct PatchInput: Decodable {
        let email: String?
        let displayName: String?
        let password: String?
        let isSuperuser: Bool?
        let isActive: Bool?
    }

    struct SearchQuery: Decodable {
        let q: String?
        let limit: Int?
        let cursor: String?
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        let input = try req.body(CreateInput.self)
        let user = try await req.services.users.create(
            .init(username: input.username, email: input.email, password: input.password, displayName: input.displayName,
                  isSuperuser: input.isSuperuser ?? false),
            by: viewer, actor: req.actor
        )
        return try .created(UserDTO(user, for: viewer))
    }

    @Sendable static func search(_ req: Request) async throws -> Page<UserDTO> {
        let viewer = try req.requireViewer()
        let query = try req.decodeQuery(SearchQuery.self)
        let limit = try Pagination.limit(query.limit)
        let users = try await req.services.users.search(query.q, by: viewer, limit: limit, after: query.cursor)
        return Page(items: users.map { UserDTO($0, for: viewer) },
                    nextCursor: users.count == limit ? users.last?.username : nil)
    }

    @Sendable static func get(_ req: Request) async throws -> UserDTO {
        let viewer = try req.requireViewer()
        guard let user = try await req.services.users.user(id: try req.id()) else { throw DomainError.notFound("User") }
        return UserDTO(user, for: viewer)
    }

    @Sendable static func update(_ req: Request) async throws -> UserDTO {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(PatchInput.self)
        let user = try await req.services.users.update(
            id: id,
            .init(email: input.email, displayName: input.displayName, password: input.password,
                  isSuperuser: input.isSuperuser, isActive: input.isActive),
            by: viewer, actor: req.actor
        )
        return UserDTO(user, for: viewer)
    }
}

enum Pagination {
    static let defaultLimit = 100
    static let maximumLimit = 500

    static func limit(_ requested: Int?) throws -> Int {
        guard let requested else { return defaultLimit }
        guard (1...maximumLimit).contains(requested) else {
            throw DomainError.validation(field: "limit", "between 1 and \(maximumLimit)")
        }
        return requested
    }
}
