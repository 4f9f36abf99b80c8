import DeskCore
import Vapor

/// Webhook endpoints: the caller's own (`/api/v1/me/webhooks…`) and a location's (`/api/v1/locations/:id/webhooks…`).
enum WebhookController {
    struct Input: Decodable {
        let url: String?
        let description: String?
        let eventTypes: [String]?
        let active: Bool?
    }

    struct PageQuery: Decodable {
        let limit: Int?
        let cursor: String?
    }

    /// Personal routes name the webhook `:id`; a location's name the location `:id` and the webhook `:webhook_id`.
    private static func scope(_ req: Request) throws -> (WebhookService.Scope, webhookParameter: String) {
        guard req.url.path.hasPrefix("/api/v1/locations/") else { return (.personal, "id") }
        return (.location(try req.id("id")), "webhook_id")
    }

    @Sendable static func list(_ req: Request) async throws -> [WebhookDTO] {
        let (scope, _) = try scope(req)
        return try await req.services.webhooks.list(scope, by: try req.requireViewer()).map { WebhookDTO($0) }
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let (scope, _) = try scope(req)
        let viewer = try req.requireViewer()
        let input = try req.body(Input.self)
        let (record, secret) = try await req.services.webhooks.create(
            .init(url: input.url, description: input.description, eventTypes: input.eventTypes), in: scope, by: viewer, actor: req.actor)
        return try .created(WebhookDTO(record, secret: secret))
    }

    @Sendable static func get(_ req: Request) async throws -> WebhookDTO {
        let (scope, parameter) = try scope(req)
        return WebhookDTO(try await req.services.webhooks.get(try req.id(parameter), in: scope, by: try req.requireViewer()))
    }

    @Sendable static func update(_ req: Request) async throws -> WebhookDTO {
        let (scope, parameter) = try scope(req)
        let viewer = try req.requireViewer()
        let input = try req.body(Input.self)
        return WebhookDTO(try await req.services.webhooks.update(
            try req.id(parameter), .init(url: input.url, description: input.description, eventTypes: input.eventTypes, active: input.active),
            in: scope, by: viewer, actor: req.actor))
    }

    @Sendable static func delete(_ req: Request) async throws -> HTTPStatus {
        let (scope, parameter) = try scope(req)
        try await req.services.webhooks.delete(try req.id(parameter), in: scope, by: try req.requireViewer(), actor: req.actor)
        return .noContent
    }

    @Sendable static func deliveries(_ req: Request) async throws -> DeliveryPageDTO {
        let (scope, parameter) = try scope(req)
        let query = try req.decodeQuery(PageQuery.self)
        return DeliveryPageDTO(try await req.services.webhooks.deliveries(
            of: try req.id(parameter), in: scope, by: try req.requireViewer(), limit: try Pagination.limit(query.limit),
            after: try Cursor.parse(query.cursor)))
    }

    @Sendable static func redeliver(_ req: Request) async throws -> Response {
        let (scope, parameter) = try scope(req)
        let entry = try await req.services.webhooks.redeliver(
            try req.id("delivery_id"), of: try req.id(parameter), in: scope, by: try req.requireViewer())
        return try .accepted(DeliveryDTO(entry))
    }

    @Sendable static func test(_ req: Request) async throws -> Response {
        let (scope, parameter) = try scope(req)
        let entry = try await req.services.webhooks.test(try req.id(parameter), in: scope, by: try req.requireViewer())
        return try .accepted(DeliveryDTO(entry))
    }
}

/// The outbox for administrators: `/api/v1/admin/mail…` and `/api/v1/admin/deliveries…`.
enum OutboxController {
    struct TestMail: Decodable {
        let to: String
    }

    struct DeliveriesQuery: Decodable {
        let channel: String?
        let status: String?
        let limit: Int?
        let cursor: String?
    }

    @Sendable static func mailStatus(_ req: Request) async throws -> MailStatusDTO {
        MailStatusDTO(try await req.services.outbox.mailStatus(by: try req.requireViewer()))
    }

    @Sendable static func testMail(_ req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        let input = try req.body(TestMail.self)
        return try .accepted(DeliveryDTO(try await req.services.outbox.queueTestMail(to: input.to, by: viewer, actor: req.actor)))
    }

    @Sendable static func deliveries(_ req: Request) async throws -> DeliveryPageDTO {
        let viewer = try req.requireViewer()
        let query = try req.decodeQuery(DeliveriesQuery.self)
        let channel = try query.channel.map { text in
            guard let channel = DeliveryRecord.Channel(rawValue: text) else { throw DomainError.validation(field: "channel", "email or webhook") }
            return channel
        }
        let status = try query.status.map { text in
            guard let status = DeliveryRecord.Status(rawValue: text) else {
                throw DomainError.validation(field: "status", "pending, delivered or failed")
            }
            return status
        }
        return DeliveryPageDTO(try await req.services.outbox.deliveries(
            channel: channel, status: status, limit: try Pagination.limit(query.limit), after: try Cursor.parse(query.cursor), by: viewer))
    }

    @Sendable static func redeliver(_ req: Request) async throws -> Response {
        let entry = try await req.services.outbox.redeliver(try req.id("id"), by: try req.requireViewer(), actor: req.actor)
        return try .accepted(DeliveryDTO(entry))
    }
}
