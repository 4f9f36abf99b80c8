import Foundation
import SQLKit

/// The state of the schema itself, for the readiness check.
struct SchemaStore: Sendable {
    let sql: any SQLDatabase

    /// How many migrations have run; fewer than `MigrationList.count` means some are pending.
    func appliedMigrationCount() async throws -> Int {
        try await sql.count("SELECT COUNT(*) AS n FROM _fluent_migrations")
    }
}
