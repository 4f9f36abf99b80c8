import Fluent
import Foundation
import SQLKit

/// Maintenance becomes a period (`maintenance_from`, `maintenance_until`; the reason stays), and a cancelled booking
/// keeps why (`cancel_reason`). A room already under maintenance keeps it, open-ended, from the moment of migrating.
struct AddMaintenancePeriods: AsyncMigration {
    static let statements = [
        "ALTER TABLE rooms ADD COLUMN maintenance_from {time}",
        "ALTER TABLE rooms ADD COLUMN maintenance_until {time}",
        "ALTER TABLE bookings ADD COLUMN cancel_reason TEXT",
        // The scheduler looks for periods starting or ending since its last tick.
        "CREATE INDEX rooms_maintenance_from ON rooms (maintenance_from) WHERE maintenance_from IS NOT NULL",
        "CREATE INDEX rooms_maintenance_until ON rooms (maintenance_until) WHERE maintenance_until IS NOT NULL",
    ]

    func prepare(on database: any Database) async throws {
        try await SchemaDialect.apply(Self.statements, to: database)
        try await Self.keepRoomsUnderMaintenance(database as! any SQLDatabase, from: Date())
    }

    /// Before periods, a reason on a room meant "under maintenance until ended": such a room gets a period from `now`.
    static func keepRoomsUnderMaintenance(_ sql: any SQLDatabase, from now: Date) async throws {
        try await sql.raw("UPDATE rooms SET maintenance_from = \(bind: now) WHERE maintenance_reason IS NOT NULL AND maintenance_from IS NULL").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX IF EXISTS rooms_maintenance_until").run()
        try await sql.raw("DROP INDEX IF EXISTS rooms_maintenance_from").run()
        try await sql.raw("ALTER TABLE bookings DROP COLUMN cancel_reason").run()
        try await sql.raw("ALTER TABLE rooms DROP COLUMN maintenance_until").run()
        try await sql.raw("ALTER TABLE rooms DROP COLUMN maintenance_from").run()
    }
}
