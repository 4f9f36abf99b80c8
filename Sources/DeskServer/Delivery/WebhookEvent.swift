import DeskCore
import Foundation

/// The JSON body of a webhook call: `{id, type, occurred_at, data}`. `id` names the event (the same for every endpoint
/// it goes to); each call also carries its delivery's own id in `DeskPilot-Delivery`.
struct WebhookEvent: Encodable, Sendable {
    struct BookingData: Encodable, Sendable {
        struct Booking: Encodable, Sendable {
            let id: UUID
            let deskId: UUID
            let roomId: UUID
            let locationId: UUID
            let userId: UUID
            let start: Date
            let end: Date
            let status: String
        }

        struct Range: Encodable, Sendable {
            let start: Date
            let end: Date
        }

        let booking: Booking
        let previous: Range?
    }

    struct NotificationData: Encodable, Sendable {
        struct Notification: Encodable, Sendable {
            let id: UUID
            let kind: String
            let title: String
            let message: String
            let link: String?
            let bookingId: UUID?
            let locationId: UUID?
            let createdAt: Date
        }

        let userId: UUID
        let notification: Notification
    }

    struct PingData: Encodable, Sendable {
        let webhookId: UUID
        let message: String
    }

    enum Payload: Encodable, Sendable {
        case booking(BookingData)
        case notification(NotificationData)
        case ping(PingData)

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .booking(let data): try data.encode(to: encoder)
            case .notification(let data): try data.encode(to: encoder)
            case .ping(let data): try data.encode(to: encoder)
            }
        }
    }

    let id: UUID
    let type: String
    let occurredAt: Date
    let data: Payload

    init(_ change: BookingEvent, at now: Date) {
        id = UUID()
        switch change.change {
        case .created: type = WebhookEventType.bookingCreated
        case .changed: type = WebhookEventType.bookingChanged
        case .cancelled, .released: type = WebhookEventType.bookingCancelled
        }
        occurredAt = now
        let status = switch change.change {
        case .created, .changed: "confirmed"
        case .cancelled: "cancelled"
        case .released: "released"
        }
        data = .booking(BookingData(
            booking: .init(id: change.bookingId, deskId: change.deskId, roomId: change.roomId, locationId: change.locationId,
                           userId: change.userId, start: change.range.start, end: change.range.end, status: status),
            previous: change.previous.map { .init(start: $0.start, end: $0.end) }))
    }

    init(_ notification: NotificationRecord, baseURL: URL) {
        id = notification.id
        type = notification.kind
        occurredAt = notification.createdAt
        let link = notification.link.map { baseURL.absoluteString.trimmingSuffix("/") + $0 }
        data = .notification(NotificationData(userId: notification.userId, notification: .init(
            id: notification.id, kind: notification.kind, title: NotificationKind(rawValue: notification.kind)?.title ?? "Notification",
            message: notification.message, link: link, bookingId: notification.bookingId, locationId: notification.locationId,
            createdAt: notification.createdAt)))
    }

    /// "Send a test event".
    init(pingTo webhookId: UUID, at now: Date) {
        id = UUID()
        type = WebhookEventType.ping
        occurredAt = now
        data = .ping(PingData(webhookId: webhookId, message: "A test event from DeskPilot."))
    }

    func body() throws -> String {
        String(decoding: try JSONCoding.encoder.encode(self), as: UTF8.self)
    }
}

private extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
