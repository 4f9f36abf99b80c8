import DeskCore
@testable import DeskServer
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

/// A delivery as the API shows it (`GET /api/v1/admin/deliveries`, `GET …/webhooks/{id}/deliveries`).
struct DeliveryView: Decodable, Sendable {
    struct Attempt: Decodable, Sendable {
        let succeeded: Bool
        let statusCode: Int?
        let error: String?
    }

    let id: UUID
    let channel: String
    let status: String
    let attempts: Int
    let eventType: String
    let lastError: String?
    let lastStatusCode: Int?
    let nextAttemptAt: Date?
    let webhookId: UUID?
    let recipient: String?
    /// Newest first.
    let attemptLog: [Attempt]

    static func page(_ response: TestingHTTPResponse) throws -> [DeliveryView] {
        struct Page: Decodable { let items: [DeliveryView] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = Timestamp.parse(text) else { throw CommandError("not a timestamp: \(text)") }
            return date
        }
        var body = response.body
        return try decoder.decode(Page.self, from: body.readData(length: body.readableBytes) ?? Data()).items
    }
}

/// A webhook endpoint made through the API (personal or a location's), pointing at a receiver that knows the secret
/// the API returned when the endpoint was made.
struct ReceivingEndpoint: Sendable {
    let id: UUID
    let secret: String
    let receiver: WebhookReceiver
    /// `/api/v1/me/webhooks/<id>` or `/api/v1/locations/<id>/webhooks/<id>`.
    let path: String
    let url: String
}

/// Processes a test started, stopped when it ends however it ends.
final class StartedProcesses: Sendable {
    private let stops = NIOLockedValueBox<[@Sendable () async -> Void]>([])

    func onEnd(_ stop: @escaping @Sendable () async -> Void) {
        stops.withLockedValue { $0.append(stop) }
    }

    func stopAll() async {
        for stop in stops.withLockedValue({ list in defer { list = [] }; return list }).reversed() { await stop() }
    }
}

extension TestServer {
    /// Sends what is due, as the leader's worker would.
    func deliverDue() async {
        await services.deliveries.deliverDue()
    }

    /// Every delivery of the outbox, newest first, as an administrator lists them.
    func deliveries(as admin: Caller, channel: String? = nil, status: String? = nil) async throws -> [DeliveryView] {
        var query = ["limit=500"]
        if let channel { query.append("channel=\(channel)") }
        if let status { query.append("status=\(status)") }
        let response = try await send(.GET, "/api/v1/admin/deliveries?" + query.joined(separator: "&"), as: admin)
        #expect(response.status == .ok)
        return try DeliveryView.page(response)
    }

    /// An endpoint's delivery log, newest first.
    func deliveries(of endpoint: ReceivingEndpoint, as owner: Caller) async throws -> [DeliveryView] {
        let response = try await send(.GET, endpoint.path + "/deliveries?limit=500", as: owner)
        #expect(response.status == .ok)
        return try DeliveryView.page(response)
    }

    /// Makes an endpoint under `collection` (`/api/v1/me/webhooks` or a location's) subscribed to `types`: created
    /// with a placeholder address, then pointed at a receiver started with the secret the creation returned.
    func makeEndpoint(
        _ collection: String = "/api/v1/me/webhooks", as caller: Caller, types: [String], processes: StartedProcesses
    ) async throws -> ReceivingEndpoint {
        let created = try await send(.POST, collection, as: caller, json: [
            "url": "http://127.0.0.1:9/placeholder", "event_types": .array(types.map { .string($0) }), "description": "tests",
        ])
        try #require(created.status == .created, "\(created.body.string)")
        let body = ResponseBody(created)
        let id = try #require(body.uuid("id"))
        let secret = try #require(body.string("secret"))
        let receiver = try WebhookReceiver.start(secret: secret)
        processes.onEnd { receiver.stop() }
        let url = "http://127.0.0.1:\(receiver.port)/hooks"
        let path = collection + "/" + id.uuidString
        let pointed = try await send(.PATCH, path, as: caller, json: ["url": .string(url)])
        try #require(pointed.status == .ok, "\(pointed.body.string)")
        return ReceivingEndpoint(id: id, secret: secret, receiver: receiver, path: path, url: url)
    }

    /// The webhook body a delivery carries (fixed when it was queued), decoded.
    func payload(of deliveryId: UUID) async throws -> [String: Any] {
        let delivery = try #require(try await DeliveryStore(sql: services.transactor.sql).delivery(deliveryId))
        let data = Data(try #require(delivery.payload).utf8)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The caller's notifications, newest first.
    func notifications(of caller: Caller) async throws -> [[String: Any]] {
        let response = try await send(.GET, "/api/v1/me/notifications?limit=100", as: caller)
        #expect(response.status == .ok)
        return ResponseBody(response).array
    }
}

/// Another instance of the application on the same database as `server` (its PostgreSQL schema or its SQLite file,
/// and its keys), with the same clock; `adjust` changes its settings. Stopping it leaves the database to `server`.
final class SiblingInstance: Sendable {
    let app: Application

    private init(app: Application) {
        self.app = app
    }

    static func start(beside server: TestServer, configure adjust: (inout AppConfig) -> Void = { _ in }) async throws -> SiblingInstance {
        var config = server.services.config
        adjust(&config)
        let app = try await Application.make(.testing)
        do {
            try await DeskServer.configure(app, config: config, clock: server.clock.wallClock)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return SiblingInstance(app: app)
    }

    var services: AppServices { app.services }

    func shutdown() async throws {
        try await app.asyncShutdown()
    }
}
