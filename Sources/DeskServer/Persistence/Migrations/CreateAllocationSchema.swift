import Fluent
import SQLKit

/// Requests for days not yet open, the allocation rounds that decide them, and each person's fairness debt.
struct CreateAllocationSchema: AsyncMigration {
    static let statements = [
        """
        CREATE TABLE allocation_requests (
            id {uuid} PRIMARY KEY,
            user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            location_id {uuid} NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
            day TEXT NOT NULL,
            criteria TEXT NOT NULL,
            window_from INTEGER,
            window_until INTEGER,
            source TEXT NOT NULL,
            rule_id {uuid},
            status TEXT NOT NULL,
            reason TEXT,
            desk_id {uuid} REFERENCES desks(id) ON DELETE SET NULL,
            booking_id {uuid} REFERENCES bookings(id) ON DELETE SET NULL,
            waitlist_rank INTEGER,
            created_at {time} NOT NULL,
            updated_at {time} NOT NULL
        )
        """,
        // One open request per person, place and day: asking twice gains nothing.
        """
        CREATE UNIQUE INDEX allocation_requests_open ON allocation_requests (user_id, location_id, day)
        WHERE status IN ('pending', 'waitlisted')
        """,
        // Rounds due, the pending-day check of every booking write, and a day's waitlist all look up by status first.
        "CREATE INDEX allocation_requests_day ON allocation_requests (status, location_id, day)",
        "CREATE INDEX allocation_requests_user ON allocation_requests (user_id, day)",
        // The unique key makes a round happen once, whichever instance or trigger gets there first.
        """
        CREATE TABLE allocation_rounds (
            id {uuid} PRIMARY KEY,
            location_id {uuid} NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
            day TEXT NOT NULL,
            seed TEXT NOT NULL,
            weights TEXT NOT NULL,
            desks TEXT NOT NULL,
            trigger TEXT NOT NULL,
            ran_at {time} NOT NULL,
            participants INTEGER NOT NULL,
            winners INTEGER NOT NULL,
            waitlisted INTEGER NOT NULL,
            UNIQUE (location_id, day)
        )
        """,
        """
        CREATE TABLE allocation_entries (
            round_id {uuid} NOT NULL REFERENCES allocation_rounds(id) ON DELETE CASCADE,
            request_id {uuid} NOT NULL REFERENCES allocation_requests(id) ON DELETE CASCADE,
            user_id {uuid} NOT NULL,
            position INTEGER,
            weight DOUBLE PRECISION NOT NULL,
            draw_key DOUBLE PRECISION,
            losses INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            preference_rank INTEGER,
            desk_id {uuid},
            booking_id {uuid},
            waitlist_position INTEGER,
            denied_rooms TEXT NOT NULL,
            window_start {time},
            window_end {time},
            reason TEXT,
            PRIMARY KEY (round_id, request_id)
        )
        """,
        "CREATE INDEX allocation_entries_request ON allocation_entries (request_id)",
        """
        CREATE TABLE allocation_debts (
            user_id {uuid} PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            losses INTEGER NOT NULL,
            updated_at {time} NOT NULL
        )
        """,
    ]

    func prepare(on database: any Database) async throws {
        try await SchemaDialect.apply(Self.statements, to: database)
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for table in ["allocation_debts", "allocation_entries", "allocation_rounds", "allocation_requests"] {
            try await sql.raw("DROP TABLE IF EXISTS \(ident: table)").run()
        }
    }
}
