import DeskCore
import Foundation
import SQLKit

/// Deliveries as their logs show them: each with its latest attempts.
struct DeliveryLog: Sendable {
    struct Entry: Sendable {
        let delivery: DeliveryRecord
        let attempts: [DeliveryAttemptRecord]
    }

    struct Page: Sendable {
        let items: [Entry]
        let nextCursor: Cursor?
    }

    static let attemptsShown = 10

    let sql: any SQLDatabase

    func page(webhook: UUID?, channel: DeliveryRecord.Channel?, status: DeliveryRecord.Status?, limit: Int,
              after cursor: Cursor?) async throws -> Page {
        let store = DeliveryStore(sql: sql)
        let rows = try await store.page(webhook: webhook, channel: channel, status: status, limit: limit + 1, after: cursor)
        let shown = Array(rows.prefix(limit))
        let attempts = try await store.attempts(of: shown.map(\.id), limit: Self.attemptsShown)
        let next = rows.count > limit ? shown.last.map { Cursor(instant: $0.createdAt, id: $0.id) } : nil
        return Page(items: shown.map { Entry(delivery: $0, attempts: attempts[$0.id] ?? []) }, nextCursor: next)
    }
}
