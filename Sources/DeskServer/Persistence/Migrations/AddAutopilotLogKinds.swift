import Fluent
import SQLKit

/// Activity log lines gain a kind and the day they are about, so that a decision the engine notes once per rule and
/// day ("already booked") is found again instead of written on every pass.
struct AddAutopilotLogKinds: AsyncMigration {
    static let statements = [
        "ALTER TABLE autopilot_log ADD COLUMN kind TEXT",
        "ALTER TABLE autopilot_log ADD COLUMN day TEXT",
        "CREATE INDEX autopilot_log_rule_kind ON autopilot_log (rule_id, kind, day)",
    ]

    func prepare(on database: any Database) async throws {
        try await SchemaDialect.apply(Self.statements, to: database)
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX IF EXISTS autopilot_log_rule_kind").run()
        for column in ["day", "kind"] {
            try await sql.raw("ALTER TABLE autopilot_log DROP COLUMN \(ident: column)").run()
        }
    }
}
