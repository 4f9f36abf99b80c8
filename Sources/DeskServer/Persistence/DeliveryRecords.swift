import DeskCore
import Foundation

/// A webhook endpoint as stored; `secret` is sealed by the vault (purpose `Vault.Purpose.webhookSecret`).
struct WebhookRecord: Codable, Sendable {
    var id: UUID
    /// The person it belongs to; for a location's endpoint, the manager who made it, as whom it acts.
    var userId: UUID
    var locationId: UUID?
    var url: String
    var description: String
    /// A JSON array of event types.
    var eventTypes: String
    var secret: String
    var active: Bool
    var consecutiveFailures: Int
    var disabledReason: String?
    var createdAt: Date
    var updatedAt: Date

    var subscribedTypes: [String] {
        (try? JSONDecoder().decode([String].self, from: Data(eventTypes.utf8))) ?? []
    }

    static func encode(_ types: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(types)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

/// One delivery of the outbox: a notification to one channel, or an event to one webhook.
struct DeliveryRecord: Codable, Sendable {
    enum Channel: String, Codable, Sendable {
        case email, webhook
    }

    enum Status: String, Codable, Sendable {
        case pending, delivered, failed
    }

    var id: UUID
    var channel: Channel
    var notificationId: UUID?
    var webhookId: UUID?
    /// Whom an e-mail goes to.
    var userId: UUID?
    var eventType: String
    /// A webhook's JSON body (the same bytes on every attempt); an e-mail's recipient address for a test mail.
    var payload: String?
    var status: Status
    var attempts: Int
    var nextAttemptAt: Date
    var claimedUntil: Date?
    var createdAt: Date
    var lastAttemptAt: Date?
    var lastStatusCode: Int?
    var lastError: String?
    var lastDurationMs: Int?
    var deliveredAt: Date?

    init(channel: Channel, eventType: String, notificationId: UUID? = nil, webhookId: UUID? = nil, userId: UUID? = nil,
         payload: String? = nil, at now: Date) {
        id = UUID()
        self.channel = channel
        self.notificationId = notificationId
        self.webhookId = webhookId
        self.userId = userId
        self.eventType = eventType
        self.payload = payload
        status = .pending
        attempts = 0
        nextAttemptAt = now
        createdAt = now
    }
}

/// One try of a delivery, for its log.
struct DeliveryAttemptRecord: Codable, Sendable {
    var id: UUID
    var deliveryId: UUID
    var at: Date
    var succeeded: Bool
    var statusCode: Int?
    var durationMs: Int
    var error: String?
}

extension DeliveryRecord {
    static func rows(_ deliveries: [Self]) -> JSONRows {
        var rows = JSONRows(into: "deliveries", columns: [
            ("id", .uuid), ("channel", .text), ("notification_id", .uuid), ("webhook_id", .uuid), ("user_id", .uuid),
            ("event_type", .text), ("payload", .text), ("status", .text), ("attempts", .integer), ("next_attempt_at", .time),
            ("created_at", .time),
        ])
        for delivery in deliveries {
            rows.append([.uuid(delivery.id), .text(delivery.channel.rawValue), .uuid(delivery.notificationId), .uuid(delivery.webhookId),
                         .uuid(delivery.userId), .text(delivery.eventType), .text(delivery.payload), .text(delivery.status.rawValue),
                         .integer(delivery.attempts), .time(delivery.nextAttemptAt), .time(delivery.createdAt)])
        }
        return rows
    }
}
