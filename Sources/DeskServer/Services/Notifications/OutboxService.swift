import DeskCore
import Foundation

/// What administrators see of the outbox: the e-mail set-up, a test mail, and every delivery, to find and redeliver
/// what failed.
struct OutboxService: Sendable {
    struct MailStatus: Sendable {
        let smtp: SMTPConfiguration?
        let pending: Int
        let delivered: Int
        let failed: Int
    }

    let transactor: Transactor
    let clock: WallClock
    let smtp: SMTPConfiguration?

    func mailStatus(by viewer: Viewer) async throws -> MailStatus {
        try AccessRules.requireSuperuser(viewer)
        let counts = try await DeliveryStore(sql: transactor.sql).mailCounts(since: clock.now().addingTimeInterval(-86_400))
        return MailStatus(smtp: smtp, pending: counts.pending, delivered: counts.delivered, failed: counts.failed)
    }

    /// Queues a test mail to `address` through the outbox.
    func queueTestMail(to address: String, by viewer: Viewer, actor: Actor) async throws -> DeliveryLog.Entry {
        try AccessRules.requireSuperuser(viewer)
        guard smtp != nil else { throw DomainError.conflict(code: "mail_not_configured", "No SMTP server is configured (DESKPILOT_SMTP_URL).") }
        let trimmed = address.trimmingCharacters(in: .whitespaces)
        guard (try? MailAddress(trimmed)) != nil else { throw DomainError.validation(field: "to", "not an e-mail address") }
        let now = clock.now()
        let delivery = DeliveryRecord(channel: .email, eventType: EmailChannel.testEvent, userId: viewer.userId, payload: trimmed, at: now)
        try await transactor.write { sql in
            try await DeliveryStore(sql: sql).append([delivery])
            try await AuditLog(sql: sql).record("mail.test_queued", target: "delivery", id: delivery.id, by: actor, at: now,
                                                details: ["to": trimmed])
            return Written(events: [.deliveriesQueued])
        }
        return DeliveryLog.Entry(delivery: delivery, attempts: [])
    }

    func deliveries(channel: DeliveryRecord.Channel?, status: DeliveryRecord.Status?, limit: Int, after cursor: Cursor?,
                    by viewer: Viewer) async throws -> DeliveryLog.Page {
        try AccessRules.requireSuperuser(viewer)
        return try await DeliveryLog(sql: transactor.sql).page(webhook: nil, channel: channel, status: status, limit: limit, after: cursor)
    }

    /// Queues a copy of any delivery, due now.
    func redeliver(_ id: UUID, by viewer: Viewer, actor: Actor) async throws -> DeliveryLog.Entry {
        try AccessRules.requireSuperuser(viewer)
        let now = clock.now()
        let smtpConfigured = smtp != nil
        let copy = try await transactor.write { sql in
            let store = DeliveryStore(sql: sql)
            guard let original = try await store.delivery(id) else { throw DomainError.notFound("Delivery") }
            switch original.channel {
            case .email where !smtpConfigured:
                throw DomainError.conflict(code: "not_redeliverable", "No SMTP server is configured.")
            case .webhook where original.webhookId == nil:
                throw DomainError.conflict(code: "not_redeliverable", "Its webhook was removed.")
            default: break
            }
            let copy = DeliveryRecord(channel: original.channel, eventType: original.eventType, notificationId: original.notificationId,
                                      webhookId: original.webhookId, userId: original.userId, payload: original.payload, at: now)
            try await store.append([copy])
            try await AuditLog(sql: sql).record("delivery.redelivered", target: "delivery", id: id, by: actor, at: now,
                                                details: ["copy": copy.id.uuidString])
            return Written(copy, events: [.deliveriesQueued])
        }
        return DeliveryLog.Entry(delivery: copy, attempts: [])
    }
}
