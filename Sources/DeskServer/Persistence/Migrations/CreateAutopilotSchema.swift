import Fluent
import SQLKit

/// Personal autopilot rules, their per-user limits and each person's activity log.
struct CreateAutopilotSchema: AsyncMigration {
    static let statements = [
        """
        CREATE TABLE autopilot_rules (
            id {uuid} PRIMARY KEY,
            user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            location_id {uuid} NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            mode TEXT NOT NULL,
            status TEXT NOT NULL,
            status_reason TEXT,
            criteria TEXT NOT NULL,
            days TEXT NOT NULL,
            window_from INTEGER,
            window_until INTEGER,
            skip_today_after INTEGER,
            revision INTEGER NOT NULL,
            planned_revision INTEGER NOT NULL,
            planned_through TEXT,
            created_at {time} NOT NULL,
            updated_at {time} NOT NULL
        )
        """,
        "CREATE INDEX autopilot_rules_user ON autopilot_rules (user_id, created_at)",
        // A day opening re-plans the location's active rules; oversight filters by status.
        "CREATE INDEX autopilot_rules_location ON autopilot_rules (location_id, status)",
        "CREATE INDEX autopilot_rules_status ON autopilot_rules (status, created_at)",
        """
        CREATE TABLE autopilot_limits (
            user_id {uuid} PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            max_rules INTEGER NOT NULL,
            updated_by {uuid},
            updated_at {time} NOT NULL
        )
        """,
        """
        CREATE TABLE autopilot_log (
            id {uuid} PRIMARY KEY,
            user_id {uuid} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            rule_id {uuid},
            request_id {uuid},
            at {time} NOT NULL,
            level TEXT NOT NULL,
            message TEXT NOT NULL
        )
        """,
        "CREATE INDEX autopilot_log_user ON autopilot_log (user_id, at)",
        // History lists a person's requests from their rules.
        "CREATE INDEX allocation_requests_rule ON allocation_requests (rule_id)",
    ]

    func prepare(on database: any Database) async throws {
        try await SchemaDialect.apply(Self.statements, to: database)
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX IF EXISTS allocation_requests_rule").run()
        for table in ["autopilot_log", "autopilot_limits", "autopilot_rules"] {
            try await sql.raw("DROP TABLE IF EXISTS \(ident: table)").run()
        }
    }
}
