import DeskCore
import Foundation

/// Webhook calls: the stored body, signed with the endpoint's secret, to its URL — checked again on every attempt.
/// An endpoint acts as its owner: a personal one only while they are active, a location's only while they still manage
/// that location.
struct WebhookChannel: DeliveryChannel {
    let transactor: Transactor
    let sender: any WebhookSending
    let vault: Vault
    let allowPrivate: Bool
    /// Whether a person may still act for a location's endpoint (active, and managing it).
    let mayKeep: @Sendable (_ userId: UUID, _ locationId: UUID?) async throws -> Bool

    var schedule: DeliverySchedule { .webhook }

    func send(_ delivery: DeliveryRecord) async -> DeliveryOutcome {
        do {
            guard let webhookId = delivery.webhookId, let webhook = try await WebhookStore(sql: transactor.sql).webhook(webhookId) else {
                return .failed("the endpoint was removed", permanent: true)
            }
            guard webhook.active || delivery.eventType == WebhookEventType.ping else {
                return .failed("the endpoint is switched off", permanent: true)
            }
            guard try await mayKeep(webhook.userId, webhook.locationId) else {
                return .failed("its owner may no longer receive these events", permanent: true)
            }
            let secret = try vault.open(webhook.secret, purpose: WebhookService.secretPurpose)
            let attempt = await sender.send(url: webhook.url, body: Data((delivery.payload ?? "{}").utf8), event: delivery.eventType,
                                            deliveryId: delivery.id, secret: secret, allowPrivate: allowPrivate)
            return DeliveryOutcome(succeeded: attempt.succeeded, statusCode: attempt.statusCode, error: attempt.error,
                                   durationMs: attempt.durationMilliseconds)
        } catch {
            return .failed("could not prepare the call: \(error)")
        }
    }
}
