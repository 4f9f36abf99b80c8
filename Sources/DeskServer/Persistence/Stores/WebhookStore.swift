import DeskCore
import Foundation
import SQLKit

/// Webhook endpoints, personal (no location) and of locations.
struct WebhookStore: Sendable {
    let sql: any SQLDatabase

    func insert(_ webhook: WebhookRecord) async throws {
        try await sql.insert(webhook, into: "webhooks")
    }

    func webhook(_ id: UUID) async throws -> WebhookRecord? {
        try await sql.first(WebhookRecord.self, "SELECT * FROM webhooks WHERE id = \(bind: id)")
    }

    /// A person's own endpoints, or a location's, oldest first.
    func webhooks(ofUser userId: UUID) async throws -> [WebhookRecord] {
        try await sql.all(WebhookRecord.self, """
            SELECT * FROM webhooks WHERE user_id = \(bind: userId) AND location_id IS NULL ORDER BY created_at, id
            """)
    }

    func webhooks(ofLocation locationId: UUID) async throws -> [WebhookRecord] {
        try await sql.all(WebhookRecord.self, "SELECT * FROM webhooks WHERE location_id = \(bind: locationId) ORDER BY created_at, id")
    }

    /// Every endpoint that is switched on (the outbox's directory).
    func active() async throws -> [WebhookRecord] {
        try await sql.all(WebhookRecord.self, "SELECT * FROM webhooks WHERE active = \(bind: true)")
    }

    /// Which of `ids` are still switched on, inside a write: the directory's copy may be a moment older than another
    /// instance's change. On PostgreSQL the rows are key-share locked, so that none is removed before the write
    /// that queues deliveries to them commits.
    func switchedOn(among ids: Set<UUID>) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        struct Row: Decodable { let id: UUID }
        let lock: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR KEY SHARE" : ""
        return Set(try await sql.all(Row.self, """
            SELECT id FROM webhooks WHERE id IN (\(binds: Array(ids))) AND active = \(bind: true)\(lock)
            """).map(\.id))
    }

    /// Every stored secret, for a key rotation.
    func secrets() async throws -> [(id: UUID, secret: String)] {
        struct Row: Decodable { let id: UUID; let secret: String }
        return try await sql.all(Row.self, "SELECT id, secret FROM webhooks").map { ($0.id, $0.secret) }
    }

    /// Replaces a secret only if it is still `old` (a rotation running beside other writes loses no change).
    func reseal(_ id: UUID, from old: String, to new: String) async throws {
        try await sql.raw("UPDATE webhooks SET secret = \(bind: new) WHERE id = \(bind: id) AND secret = \(bind: old)").run()
    }

    func update(_ webhook: WebhookRecord) async throws {
        try await sql.raw("""
            UPDATE webhooks SET url = \(bind: webhook.url), description = \(bind: webhook.description),
                event_types = \(bind: webhook.eventTypes), active = \(bind: webhook.active),
                consecutive_failures = \(bind: webhook.consecutiveFailures), disabled_reason = \(bind: webhook.disabledReason),
                updated_at = \(bind: webhook.updatedAt)
            WHERE id = \(bind: webhook.id)
            """).run()
    }

    func delete(_ id: UUID) async throws {
        try await sql.raw("DELETE FROM webhooks WHERE id = \(bind: id)").run()
    }

    /// Counts a failed attempt; returns the failures in a row now.
    func countFailure(of id: UUID) async throws -> Int {
        try await sql.raw("UPDATE webhooks SET consecutive_failures = consecutive_failures + 1 WHERE id = \(bind: id)").run()
        return try await sql.count("SELECT consecutive_failures AS n FROM webhooks WHERE id = \(bind: id)")
    }

    func countSuccess(of id: UUID) async throws {
        try await sql.raw("UPDATE webhooks SET consecutive_failures = 0 WHERE id = \(bind: id) AND consecutive_failures <> 0").run()
    }

    /// Switches an endpoint off after failures; false when it already was.
    func switchOff(_ id: UUID, reason: String, at now: Date) async throws -> Bool {
        try await !sql.raw("""
            UPDATE webhooks SET active = \(bind: false), disabled_reason = \(bind: reason), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND active = \(bind: true) RETURNING id
            """).all().isEmpty
    }
}
