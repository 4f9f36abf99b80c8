import Fluent
import SQLKit

/// Holds, notifications, preferences and calendar feeds; an index for the no-show scan.
struct CreateWorkflowSchema: AsyncMigration {
    static let statements = [
        // One row per desk; it outlives its expiry so the 5-minute cap counts from the first acquisition.
        """
        CREATE TABLE holds (
            desk_id {uuid} PRIMARY KEY REFERENCES desks(id) ON DELETE CASCADE,
            user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            first_acquired_at {time} NOT NULL,
            expires_at {time} NOT NULL
        )
        """,
        """
        CREATE TABLE notifications (
            id {uuid} PRIMARY KEY,
            user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            message TEXT NOT NULL,
            booking_id {uuid} REFERENCES bookings(id) ON DELETE CASCADE,
            created_at {time} NOT NULL,
            read_at {time}
        )
        """,
        "CREATE INDEX notifications_user ON notifications (user_id, created_at)",
        """
        CREATE TABLE user_preferences (
            user_id {uuid} PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            theme TEXT NOT NULL,
            timezone TEXT,
            date_format TEXT NOT NULL,
            time_format TEXT NOT NULL,
            default_location_id {uuid} REFERENCES locations(id) ON DELETE SET NULL,
            default_duration_minutes INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE calendar_feeds (
            user_id {uuid} PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE,
            created_at {time} NOT NULL
        )
        """,
        // The no-show scan reads only bookings that still wait for a check-in.
        "CREATE INDEX bookings_awaiting_check_in ON bookings (start_at) WHERE status = 'confirmed' AND checked_in_at IS NULL",
    ]

    func prepare(on database: any Database) async throws {
        try await SchemaDialect.apply(Self.statements, to: database)
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX IF EXISTS bookings_awaiting_check_in").run()
        for table in ["calendar_feeds", "user_preferences", "notifications", "holds"] {
            try await sql.raw("DROP TABLE IF EXISTS \(ident: table)").run()
        }
    }
}
