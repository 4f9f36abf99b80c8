import Foundation
import SQLKit

/// The `calendar_feeds` table: one secret feed per person, stored as the hash of its token.
struct CalendarFeedStore: Sendable {
    let sql: any SQLDatabase

    /// Puts a new token in place of the person's feed, so the previous URL stops working.
    func replaceFeed(of userId: UUID, tokenHash: String, at now: Date) async throws {
        try await sql.raw("DELETE FROM calendar_feeds WHERE user_id = \(bind: userId)").run()
        try await sql.raw("""
            INSERT INTO calendar_feeds (user_id, token_hash, created_at)
            VALUES (\(bind: userId), \(bind: tokenHash), \(bind: now))
            """).run()
    }

    /// The owner of a feed, when they are active.
    func activeOwner(ofFeed tokenHash: String) async throws -> UserRecord? {
        try await sql.first(UserRecord.self, """
            SELECT u.* FROM calendar_feeds f JOIN users u ON u.id = f.user_id
            WHERE f.token_hash = \(bind: tokenHash) AND u.is_active = \(bind: true)
            """)
    }
}
