import DeskCore
import Foundation
import SQLKit

/// Adds the deliveries a write's events call for, inside the write's own transaction (`Transactor.write`), so that a
/// notification and its deliveries commit together with their cause or not at all:
/// - each notification to e-mail when its owner chose that channel for its kind (and the server has SMTP);
/// - each notification, and each booking change, to the webhooks subscribed to it: the owner's personal endpoints,
///   and the endpoints of the location it happened at.
/// The inbox needs no delivery: the notification row is the inbox entry, and its event puts it live.
struct Outbox: Sendable {
    let mailConfigured: Bool
    let webhooks: WebhookDirectory
    /// For absolute links in webhook bodies.
    let baseURL: URL

    /// Adds the deliveries; true when it added any.
    func enqueue(for events: [DomainEvent], at now: Date, on sql: any SQLDatabase) async throws -> Bool {
        let notifications = events.compactMap { event -> NotificationRecord? in
            if case .notification(let record) = event { return record } else { return nil }
        }
        let bookings = events.compactMap { event -> BookingEvent? in
            if case .booking(let change) = event { return change } else { return nil }
        }
        guard !notifications.isEmpty || !bookings.isEmpty else { return false }
        var deliveries: [DeliveryRecord] = []
        if mailConfigured, !notifications.isEmpty {
            let choices = try await NotificationStore(sql: sql).choices(of: Array(Set(notifications.map(\.userId))))
            for notification in notifications {
                guard let kind = NotificationKind(rawValue: notification.kind),
                      (choices[notification.userId] ?? NotificationChoices()).sends(kind, to: .email) else { continue }
                deliveries.append(DeliveryRecord(channel: .email, eventType: kind.rawValue, notificationId: notification.id,
                                                 userId: notification.userId, at: now))
            }
        }
        let endpoints = try await webhooks.endpoints(on: sql)
        if !endpoints.isEmpty {
            var calls: [DeliveryRecord] = []
            for notification in notifications {
                let event = WebhookEvent(notification, baseURL: baseURL)
                calls += try Self.deliveries(of: event, to: endpoints, userId: notification.userId,
                                             locationId: notification.locationId, at: now)
            }
            for booking in bookings {
                let event = WebhookEvent(booking, at: now)
                calls += try Self.deliveries(of: event, to: endpoints, userId: booking.userId, locationId: booking.locationId, at: now)
            }
            // The directory may not know yet that another instance removed or switched off an endpoint; a delivery to a
            // removed one would fail this write (and the change that caused it) on its foreign key.
            let live = try await WebhookStore(sql: sql).switchedOn(among: Set(calls.compactMap(\.webhookId)))
            deliveries += calls.filter { $0.webhookId.map(live.contains) ?? false }
        }
        guard !deliveries.isEmpty else { return false }
        try await DeliveryStore(sql: sql).append(deliveries)
        return true
    }

    /// The event to each endpoint subscribed to its type: the person's own, and the location's.
    private static func deliveries(
        of event: WebhookEvent, to endpoints: [WebhookDirectory.Endpoint], userId: UUID, locationId: UUID?, at now: Date
    ) throws -> [DeliveryRecord] {
        let matching = endpoints.filter { endpoint in
            guard endpoint.eventTypes.contains(event.type) else { return false }
            if let location = endpoint.locationId { return location == locationId }
            return endpoint.userId == userId
        }
        guard !matching.isEmpty else { return [] }
        let body = try event.body()
        return matching.map {
            DeliveryRecord(channel: .webhook, eventType: event.type, webhookId: $0.id, payload: body, at: now)
        }
    }
}
