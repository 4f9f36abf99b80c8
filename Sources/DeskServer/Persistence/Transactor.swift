import Foundation
import Fluent
import SQLKit

/// Runs write transactions so that the booking invariants hold under any concurrency.
///
/// SQLite has a single writer anyway: writes are serialised in-process on one dedicated connection and start with
/// `BEGIN IMMEDIATE`, so no transaction ever meets `SQLITE_BUSY` half-way, and reads (on the pool, in WAL mode) never
/// wait behind a write. PostgreSQL runs transactions concurrently; callers lock the rows they decide on (`lockRows`)
/// and the exclusion constraint is the backstop.
struct Transactor: Sendable {
    let database: any Database
    let isPostgres: Bool
    /// Derived facts; cleared after every committed write that may change them.
    let facts = FactCache()
    /// Room reports; rooms are invalidated by the writes that change them, everything by other writes.
    let availability = AvailabilityCache()
    /// Committed changes, for live subscribers, other instances and the caches above.
    let events = EventBus()
    private let gate: AsyncGate?
    private let sqliteWriter: (any SQLDatabase)?

    /// - Parameter sqliteWriter: the connection every SQLite write goes through; nil on PostgreSQL.
    init(database: any Database, sqliteWriter: (any SQLDatabase)?) {
        self.database = database
        self.sqliteWriter = sqliteWriter
        self.isPostgres = sqliteWriter == nil
        self.gate = sqliteWriter == nil ? nil : AsyncGate()
        // The caches follow every committed change, this instance's own and (on PostgreSQL) other instances'.
        let (facts, availability) = (facts, availability)
        events.subscribe { events, _ in
            if events.contains(.accessChanged) {
                facts.invalidateAll()
                availability.invalidateAll()
            }
            availability.invalidate(rooms: events.compactMap(\.roomId))
        }
    }

    /// For reads: the connection pool.
    var sql: any SQLDatabase { database as! any SQLDatabase }

    /// Runs `body` in one transaction; it commits when `body` returns and rolls back when it throws.
    /// Booking writes pass `keepingFacts: true`: they change no user, place or gate, and publish what they changed
    /// themselves (`committed`); any other write announces `accessChanged`.
    func write<T: Sendable>(
        keepingFacts: Bool = false, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let result = try await transaction(body)
        if !keepingFacts { events.publish([.accessChanged]) }
        return result
    }

    /// Announces what a committed write changed: the caches drop what it affects, live subscribers and other
    /// instances hear of it.
    func committed(_ changes: [DomainEvent]) {
        events.publish(changes)
    }

    private func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if let gate, let sql = sqliteWriter {
            return try await gate.withExclusiveAccess {
                try await sql.raw("BEGIN IMMEDIATE").run()
                do {
                    let result = try await body(sql)
                    try await sql.raw("COMMIT").run()
                    return result
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
        }
        return try await database.transaction { transaction in
            try await body(transaction as! any SQLDatabase)
        }
    }

    /// Takes row locks for the rest of a PostgreSQL transaction, in id order so that writers cannot deadlock
    /// (PostgreSQL locks the rows as the sorted result is produced). `NO KEY UPDATE` still excludes other writers but
    /// not the key-share locks that foreign-key checks take (a booking's `created_by`), which would deadlock with it.
    /// A no-op on SQLite, where the transaction already holds the only write lock.
    func lockRows(_ table: String, ids: [UUID], in sql: any SQLDatabase) async throws {
        guard isPostgres, !ids.isEmpty else { return }
        try await sql.raw("SELECT id FROM \(ident: table) WHERE id IN (\(binds: ids)) ORDER BY id FOR NO KEY UPDATE").run()
    }
}
