import DeskCore
import Fluent
import Foundation
import SQLKit

/// Locations gained opening weekdays, and the global default opens Monday–Friday. A location that existed before
/// opened every day and keeps doing so: its stored overrides name all seven days, unless they already name some.
/// Edits the JSON as JSON, so fields this code does not know survive.
struct KeepLocationsOpenEveryDay: AsyncMigration {
    private struct Row: Decodable {
        let id: UUID
        let policy: String
    }

    func prepare(on database: any Database) async throws {
        try await rewrite(database) { overrides in
            guard overrides["open_weekdays"] == nil else { return false }
            overrides["open_weekdays"] = Policy.everyWeekday
            return true
        }
    }

    func revert(on database: any Database) async throws {
        try await rewrite(database) { overrides in
            guard (overrides["open_weekdays"] as? [Int]) == Policy.everyWeekday else { return false }
            overrides["open_weekdays"] = nil
            return true
        }
    }

    /// Applies `change` to every location's overrides object and stores those it reports changed.
    private func rewrite(_ database: any Database, _ change: (inout [String: Any]) -> Bool) async throws {
        let sql = database as! any SQLDatabase
        for row in try await sql.raw("SELECT id, policy FROM locations").all(decoding: Row.self) {
            var overrides = (try? JSONSerialization.jsonObject(with: Data(row.policy.utf8))) as? [String: Any] ?? [:]
            guard change(&overrides) else { continue }
            let text = String(decoding: try JSONSerialization.data(withJSONObject: overrides, options: [.sortedKeys]), as: UTF8.self)
            try await sql.raw("UPDATE locations SET policy = \(bind: text) WHERE id = \(bind: row.id)").run()
        }
    }
}
