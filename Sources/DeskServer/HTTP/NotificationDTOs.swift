import DeskCore
import Vapor

typealias WebhookDTO = Components.Schemas.Webhook
typealias DeliveryDTO = Components.Schemas.Delivery
typealias DeliveryPageDTO = Components.Schemas.DeliveryPage
typealias MailStatusDTO = Components.Schemas.MailStatus

extension WebhookDTO: Content {
    /// An endpoint without its secret, except in the answer that created it.
    init(_ record: WebhookRecord, secret: String? = nil) {
        self.init(
            active: record.active, consecutiveFailures: record.consecutiveFailures, createdAt: record.createdAt,
            description: record.description, disabledReason: record.disabledReason, eventTypes: record.subscribedTypes,
            id: record.id.uuidString, locationId: record.locationId?.uuidString, ownerId: record.userId.uuidString, secret: secret,
            updatedAt: record.updatedAt, url: record.url)
    }
}

extension DeliveryDTO: Content {
    init(_ entry: DeliveryLog.Entry) {
        let delivery = entry.delivery
        let status: StatusPayload = switch delivery.status {
        case .pending: .pending
        case .delivered: .delivered
        case .failed: .failed
        }
        self.init(
            attemptLog: entry.attempts.map {
                .init(at: $0.at, durationMs: $0.durationMs, error: $0.error, statusCode: $0.statusCode, succeeded: $0.succeeded)
            },
            attempts: delivery.attempts, channel: delivery.channel == .email ? .email : .webhook, createdAt: delivery.createdAt,
            deliveredAt: delivery.deliveredAt, eventType: delivery.eventType, id: delivery.id.uuidString,
            lastAttemptAt: delivery.lastAttemptAt, lastDurationMs: delivery.lastDurationMs, lastError: delivery.lastError,
            lastStatusCode: delivery.lastStatusCode, nextAttemptAt: delivery.nextAttemptAt,
            recipient: delivery.channel == .email ? delivery.userId?.uuidString : nil,
            status: status, webhookId: delivery.webhookId?.uuidString)
    }
}

extension DeliveryPageDTO: Content {
    init(_ page: DeliveryLog.Page) {
        self.init(items: page.items.map(DeliveryDTO.init), nextCursor: page.nextCursor?.text)
    }
}

extension MailStatusDTO: Content {
    /// Where mail goes, never the password.
    init(_ status: OutboxService.MailStatus) {
        let smtp = status.smtp
        self.init(
            configured: smtp != nil, delivered24h: status.delivered, failed24h: status.failed, from: smtp?.sender.description,
            host: smtp?.host, pending: status.pending, port: smtp?.port, tls: smtp.flatMap { TlsPayload(rawValue: $0.security.rawValue) },
            username: smtp?.credentials?.user)
    }
}
