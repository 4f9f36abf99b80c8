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
    /// Derived facts; cleared after every committed write that may change them (see `Reactions`).
    let facts = FactCache()
    /// Room reports; rooms are invalidated by the writes that change them, everything by other writes.
    let availability = AvailabilityCache()
    /// Committed changes, for the caches above, live subscribers, other instances and background work (`Reactions`).
    let events = EventBus()
    private let clock: WallClock
    /// Adds the deliveries each write's events call for, inside the write (nil: nothing is delivered).
    let outbox: Outbox?
    private let gate: AsyncGate?
    private let sqliteWriter: (any SQLDatabase)?

    /// - Parameter sqliteWriter: the connection every SQLite write goes through; nil on PostgreSQL.
    init(database: any Database, sqliteWriter: (any SQLDatabase)?, outbox: Outbox? = nil, clock: WallClock = .system) {
        self.database = database
        self.sqliteWriter = sqliteWriter
        self.outbox = outbox
        self.clock = clock
        self.isPostgres = sqliteWriter == nil
        self.gate = sqliteWriter == nil ? nil : AsyncGate()
    }

    /// Drops what committed changes (this instance's or, on PostgreSQL, another's) may have made stale.
    func dropStale(after events: [DomainEvent]) {
        if events.contains(.webhooksChanged) { outbox?.webhooks.invalidate() }
        if events.contains(.accessChanged) {
            facts.invalidateAll()
            availability.invalidateAll()
        }
        availability.invalidate(rooms: events.compactMap(\.roomId))
    }

    /// For reads: the connection pool.
    var sql: any SQLDatabase { database as! any SQLDatabase }

    /// Runs `body` in one transaction; it commits when `body` returns and rolls back when it throws. The events the
    /// body returns are published once the transaction has committed, so no write can forget to announce itself and
    /// nothing is announced that did not happen.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Written<T>) async throws -> T {
        let (outbox, clock) = (outbox, clock)
        let written = try await transaction { sql in
            let written = try await body(sql)
            guard let outbox, try await outbox.enqueue(for: written.events, at: clock.now(), on: sql) else { return written }
            return Written(written.value, events: written.events + [.deliveriesQueued])
        }
        events.publish(written.events)
        return written.value
    }

    /// Announces changes that no write made: the clock moved (a hold lapsed, a booking started), so what desks show
    /// changed.
    func announce(_ changes: [DomainEvent]) {
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

/// What a write's body returns: its result and the events the write caused, published after the commit.
struct Written<Value: Sendable>: Sendable {
    let value: Value
    let events: [DomainEvent]

    init(_ value: Value, events: [DomainEvent]) {
        self.value = value
        self.events = events
    }

    /// A write that changed people, places, gates or policies: cached facts and live subscribers' access are looked
    /// at again.
    static func changingAccess(_ value: Value) -> Written { Written(value, events: [.accessChanged]) }
    /// A write nobody else needs to hear of (a session, a preference, a log line), or one that changed nothing.
    static func unannounced(_ value: Value) -> Written { Written(value, events: []) }
}

extension Written where Value == Void {
    init(events: [DomainEvent]) { self.init((), events: events) }

    static var changingAccess: Written { Written(events: [.accessChanged]) }
    static var unannounced: Written { Written(events: []) }
}
