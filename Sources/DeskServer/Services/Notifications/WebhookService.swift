import DeskCore
import Foundation

/// Webhook endpoints (SPEC §8): a person's own, for their events, and a location's, kept by its managers and
/// administrators. Secrets are sealed by the vault and shown once, when the endpoint is created; targets are checked
/// (https, no private or metadata address) when set and again on every delivery.
struct WebhookService: Sendable {
    /// Whose endpoints: the caller's own, or a location's.
    enum Scope: Sendable {
        case personal
        case location(UUID)
    }

    struct Input: Sendable {
        var url: String?
        var description: String?
        var eventTypes: [String]?
        var active: Bool?
    }

    static let maximumPerOwner = 20
    static let descriptionLimit = 200
    static let secretPurpose = "webhook-secret"

    let transactor: Transactor
    let clock: WallClock
    let placeService: PlaceService
    let vault: Vault
    let targets: WebhookTargetCheck

    func list(_ scope: Scope, by viewer: Viewer) async throws -> [WebhookRecord] {
        let store = WebhookStore(sql: transactor.sql)
        switch try await authorize(scope, viewer) {
        case nil: return try await store.webhooks(ofUser: viewer.userId)
        case let locationId?: return try await store.webhooks(ofLocation: locationId)
        }
    }

    func get(_ id: UUID, in scope: Scope, by viewer: Viewer) async throws -> WebhookRecord {
        try await webhook(id, in: scope, viewer)
    }

    /// Creates an endpoint; returns it with its secret in the clear (the only time it is shown).
    func create(_ input: Input, in scope: Scope, by viewer: Viewer, actor: Actor) async throws -> (WebhookRecord, secret: String) {
        let locationId = try await authorize(scope, viewer)
        guard let url = input.url else { throw DomainError.validation(field: "url", "required") }
        let target = try await targets.validate(url)
        let types = try WebhookEventType.validate(input.eventTypes ?? [])
        let description = try Self.description(input.description ?? "")
        let secret = WebhookSecret.generate()
        let now = clock.now()
        let record = WebhookRecord(
            id: UUID(), userId: viewer.userId, locationId: locationId, url: target.url.absoluteString, description: description,
            eventTypes: WebhookRecord.encode(types), secret: try vault.seal(secret, purpose: Self.secretPurpose), active: true,
            consecutiveFailures: 0, disabledReason: nil, createdAt: now, updatedAt: now)
        try await transactor.write { sql in
            let store = WebhookStore(sql: sql)
            let existing = if let locationId { try await store.webhooks(ofLocation: locationId) } else { try await store.webhooks(ofUser: viewer.userId) }
            guard existing.count < Self.maximumPerOwner else {
                throw DomainError.rule(code: "too_many_webhooks", "At most \(Self.maximumPerOwner) webhook endpoints here.")
            }
            try await store.insert(record)
            try await AuditLog(sql: sql).record("webhook.created", target: "webhook", id: record.id, location: locationId, by: actor,
                                                at: now, details: ["url": record.url, "event_types": types.joined(separator: ",")])
            return Written(events: [.webhooksChanged])
        }
        return (record, secret)
    }

    func update(_ id: UUID, _ input: Input, in scope: Scope, by viewer: Viewer, actor: Actor) async throws -> WebhookRecord {
        var record = try await webhook(id, in: scope, viewer)
        if let url = input.url { record.url = try await targets.validate(url).url.absoluteString }
        if let types = input.eventTypes { record.eventTypes = WebhookRecord.encode(try WebhookEventType.validate(types)) }
        if let description = input.description { record.description = try Self.description(description) }
        if let active = input.active, active != record.active {
            record.active = active
            // Switched on again: its failures are forgiven; switched off by hand: say so.
            (record.consecutiveFailures, record.disabledReason) = active ? (0, nil) : (record.consecutiveFailures, "Switched off by hand.")
        }
        let now = clock.now()
        record.updatedAt = now
        let updated = record
        try await transactor.write { sql in
            try await WebhookStore(sql: sql).update(updated)
            try await AuditLog(sql: sql).record("webhook.changed", target: "webhook", id: id, location: updated.locationId, by: actor,
                                                at: now, details: ["url": updated.url, "active": String(updated.active)])
            return Written(events: [.webhooksChanged])
        }
        return updated
    }

    func delete(_ id: UUID, in scope: Scope, by viewer: Viewer, actor: Actor) async throws {
        let record = try await webhook(id, in: scope, viewer)
        let now = clock.now()
        try await transactor.write { sql in
            try await WebhookStore(sql: sql).delete(id)
            try await AuditLog(sql: sql).record("webhook.deleted", target: "webhook", id: id, location: record.locationId, by: actor,
                                                at: now, details: ["url": record.url])
            return Written(events: [.webhooksChanged])
        }
    }

    /// An endpoint's deliveries, newest first, each with its latest attempts.
    func deliveries(of id: UUID, in scope: Scope, by viewer: Viewer, limit: Int, after cursor: Cursor?) async throws -> DeliveryLog.Page {
        _ = try await webhook(id, in: scope, viewer)
        return try await DeliveryLog(sql: transactor.sql).page(webhook: id, channel: nil, status: nil, limit: limit, after: cursor)
    }

    /// Queues a delivery again with the same body, as a new delivery (a new `DeskPilot-Delivery`), due now.
    func redeliver(_ deliveryId: UUID, of id: UUID, in scope: Scope, by viewer: Viewer) async throws -> DeliveryLog.Entry {
        _ = try await webhook(id, in: scope, viewer)
        let now = clock.now()
        let copy = try await transactor.write { sql in
            guard let original = try await DeliveryStore(sql: sql).delivery(deliveryId), original.webhookId == id else {
                throw DomainError.notFound("Delivery")
            }
            let copy = DeliveryRecord(channel: .webhook, eventType: original.eventType, webhookId: id, payload: original.payload, at: now)
            try await DeliveryStore(sql: sql).append([copy])
            return Written(copy, events: [.deliveriesQueued])
        }
        return DeliveryLog.Entry(delivery: copy, attempts: [])
    }

    /// Queues a `webhook.ping` to the endpoint, even when it is switched off.
    func test(_ id: UUID, in scope: Scope, by viewer: Viewer) async throws -> DeliveryLog.Entry {
        _ = try await webhook(id, in: scope, viewer)
        let now = clock.now()
        let delivery = DeliveryRecord(channel: .webhook, eventType: WebhookEventType.ping, webhookId: id,
                                      payload: try WebhookEvent(pingTo: id, at: now).body(), at: now)
        try await transactor.write { sql in
            try await DeliveryStore(sql: sql).append([delivery])
            return Written(events: [.deliveriesQueued])
        }
        return DeliveryLog.Entry(delivery: delivery, attempts: [])
    }

    // MARK: Access

    /// The location of a location scope, after checking that the viewer manages it; nil for the personal scope.
    private func authorize(_ scope: Scope, _ viewer: Viewer) async throws -> UUID? {
        guard case .location(let locationId) = scope else { return nil }
        let (_, gate) = try await placeService.visibleLocation(locationId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        return locationId
    }

    /// The endpoint, if it is in the scope and the viewer may keep it; 404 otherwise (others' endpoints do not exist).
    private func webhook(_ id: UUID, in scope: Scope, _ viewer: Viewer) async throws -> WebhookRecord {
        let locationId = try await authorize(scope, viewer)
        guard let record = try await WebhookStore(sql: transactor.sql).webhook(id), record.locationId == locationId,
              locationId != nil || record.userId == viewer.userId else {
            throw DomainError.notFound("Webhook")
        }
        return record
    }

    private static func description(_ text: String) throws(DomainError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        try FieldChecks.checkText(trimmed, field: "description", multiline: true)
        guard trimmed.count <= descriptionLimit else {
            throw DomainError.validation(field: "description", "at most \(descriptionLimit) characters")
        }
        return trimmed
    }
}
