import DeskCore
import Foundation

/// Records attempts: the delivery's new state and its log line, and for webhooks the endpoint's failures in a row —
/// after `switchOffAfter` of them the endpoint is switched off and its owner told, in the same transaction.
struct DeliveryResults: Sendable {
    static let switchOffAfter = 20

    let transactor: Transactor

    func record(_ attempt: DeliveryAttemptRecord, of delivery: DeliveryRecord, retryAt: Date?) async throws {
        try await transactor.write { sql in
            try await DeliveryStore(sql: sql).record(attempt, retryAt: retryAt)
            guard delivery.channel == .webhook, let webhookId = delivery.webhookId else { return .unannounced }
            let store = WebhookStore(sql: sql)
            if attempt.succeeded {
                try await store.countSuccess(of: webhookId)
                return .unannounced
            }
            guard try await store.countFailure(of: webhookId) >= Self.switchOffAfter,
                  let webhook = try await store.webhook(webhookId), webhook.active else { return .unannounced }
            let reason = "Switched off after \(Self.switchOffAfter) failed deliveries in a row; the last: \(attempt.error ?? "HTTP \(attempt.statusCode ?? 0)")"
            guard try await store.switchOff(webhookId, reason: reason, at: attempt.at) else { return .unannounced }
            let notice = NotificationRecord(
                to: webhook.userId, .webhookDisabled,
                "Your webhook to \(webhook.url) was switched off after \(Self.switchOffAfter) failed deliveries in a row. "
                    + "Fix the receiver, then switch it on again in its settings.",
                location: webhook.locationId,
                link: webhook.locationId == nil ? NotificationRecord.webhooksLink : "/admin/notifications#webhooks", at: attempt.at)
            return Written(events: [.webhooksChanged] + (try await NotificationStore(sql: sql).append([notice])))
        }
    }
}
