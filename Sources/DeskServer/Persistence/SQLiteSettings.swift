import SQLKit

/// The settings the SQLite write connection runs with.
enum SQLiteSettings {
    /// Sets the journal, sync and foreign key modes on the connection.
    static func apply(to writer: any SQLDatabase) async throws {
        // WAL lets readers run while the single writer commits; NORMAL sync stays durable across process crashes.
        try await writer.raw("PRAGMA journal_mode = WAL").run()
        try await writer.raw("PRAGMA synchronous = NORMAL").run()
        try await writer.raw("PRAGMA foreign_keys = ON").run()
    }
}
