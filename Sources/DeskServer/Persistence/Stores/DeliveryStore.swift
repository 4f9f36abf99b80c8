import DeskCore
import Foundation
import SQLKit

/// The outbox's deliveries and their attempts.
struct DeliveryStore: Sendable {
    let sql: any SQLDatabase

    func append(_ deliveries: [DeliveryRecord]) async throws {
        try await DeliveryRecord.rows(deliveries).insert(on: sql)
    }

    /// Claims up to `limit` due deliveries until `until`, oldest due first. A claim keeps other workers (another
    /// instance that briefly also thinks it leads) off them; one that outlives its worker (a crash) lapses at `until`.
    /// On PostgreSQL rows another transaction is claiming are skipped, not waited for.
    func claim(limit: Int, now: Date, until: Date, isPostgres: Bool) async throws -> [DeliveryRecord] {
        let lock: SQLQueryString = isPostgres ? " FOR UPDATE SKIP LOCKED" : ""
        return try await sql.all(DeliveryRecord.self, """
            UPDATE deliveries SET claimed_until = \(bind: until)
            WHERE id IN (
                SELECT id FROM deliveries
                WHERE status = 'pending' AND next_attempt_at <= \(bind: now) AND (claimed_until IS NULL OR claimed_until <= \(bind: now))
                ORDER BY next_attempt_at LIMIT \(bind: limit)\(lock))
            RETURNING *
            """)
    }

    /// The oldest due delivery's due time, for the queue-age gauge.
    func oldestDue(now: Date) async throws -> Date? {
        struct Row: Decodable { let nextAttemptAt: Date? }
        return try await sql.first(Row.self, """
            SELECT MIN(next_attempt_at) AS next_attempt_at FROM deliveries WHERE status = 'pending' AND next_attempt_at <= \(bind: now)
            """)?.nextAttemptAt
    }

    /// Records the outcome of an attempt: delivered, failed for good, or due again at `retryAt`; the claim ends.
    func record(_ attempt: DeliveryAttemptRecord, retryAt: Date?) async throws {
        let status: DeliveryRecord.Status = attempt.succeeded ? .delivered : retryAt == nil ? .failed : .pending
        try await sql.raw("""
            UPDATE deliveries SET status = \(bind: status.rawValue), attempts = attempts + 1, claimed_until = NULL,
                next_attempt_at = \(bind: retryAt ?? attempt.at), last_attempt_at = \(bind: attempt.at),
                last_status_code = \(bind: attempt.statusCode), last_error = \(bind: attempt.error),
                last_duration_ms = \(bind: attempt.durationMs), delivered_at = \(bind: attempt.succeeded ? attempt.at : nil)
            WHERE id = \(bind: attempt.deliveryId)
            """).run()
        try await sql.insert(attempt, into: "delivery_attempts")
    }

    func delivery(_ id: UUID) async throws -> DeliveryRecord? {
        try await sql.first(DeliveryRecord.self, "SELECT * FROM deliveries WHERE id = \(bind: id)")
    }

    /// A page of deliveries, newest first: of one webhook, or all of a channel and status (for administrators).
    func page(webhook webhookId: UUID?, channel: DeliveryRecord.Channel?, status: DeliveryRecord.Status?, limit: Int,
              after cursor: Cursor?) async throws -> [DeliveryRecord] {
        var query = SQLQueryString("SELECT * FROM deliveries WHERE 1 = 1")
        if let webhookId { query = query + " AND webhook_id = \(bind: webhookId)" }
        if let channel { query = query + " AND channel = \(bind: channel.rawValue)" }
        if let status { query = query + " AND status = \(bind: status.rawValue)" }
        if let cursor {
            query = query + " AND " + Keyset.olderThan(cursor.instant, id: cursor.id, column: "created_at")
        }
        return try await sql.all(DeliveryRecord.self, query + " ORDER BY created_at DESC, id LIMIT \(bind: limit)")
    }

    /// The latest attempts of each delivery, newest first, at most `limit` each.
    func attempts(of deliveryIds: [UUID], limit: Int) async throws -> [UUID: [DeliveryAttemptRecord]] {
        guard !deliveryIds.isEmpty else { return [:] }
        let rows = try await sql.all(DeliveryAttemptRecord.self, """
            SELECT * FROM delivery_attempts WHERE delivery_id IN (\(binds: deliveryIds)) ORDER BY at DESC, id
            """)
        return Dictionary(grouping: rows, by: \.deliveryId).mapValues { Array($0.prefix(limit)) }
    }

    /// Counts of e-mail deliveries: pending now, delivered and failed since `since`.
    func mailCounts(since: Date) async throws -> (pending: Int, delivered: Int, failed: Int) {
        let pending = try await sql.count("SELECT COUNT(*) AS n FROM deliveries WHERE channel = 'email' AND status = 'pending'")
        let delivered = try await sql.count("""
            SELECT COUNT(*) AS n FROM deliveries WHERE channel = 'email' AND status = 'delivered' AND delivered_at >= \(bind: since)
            """)
        let failed = try await sql.count("""
            SELECT COUNT(*) AS n FROM deliveries WHERE channel = 'email' AND status = 'failed' AND last_attempt_at >= \(bind: since)
            """)
        return (pending, delivered, failed)
    }

    /// Drops every delivery still to go out (the demo's invented past).
    func dropPending() async throws {
        try await sql.raw("DELETE FROM deliveries WHERE status = 'pending'").run()
    }

    /// Drops finished deliveries older than `cutoff` with their attempts.
    func purge(finishedBefore cutoff: Date) async throws {
        try await sql.raw("DELETE FROM deliveries WHERE status <> 'pending' AND created_at < \(bind: cutoff)").run()
    }
}
