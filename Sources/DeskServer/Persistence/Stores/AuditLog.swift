import DeskCore
import Foundation
import SQLKit

/// The `audit_log` table: entries are appended inside the transaction of the change they record, so a change and
/// its entry commit together or not at all.
struct AuditLog: Sendable {
    let sql: any SQLDatabase

    /// Which entries to read; `locations` limits them to some locations (a manager's), nil reads all.
    struct Filter: Sendable {
        var action: String?
        var userId: UUID?
        var locationId: UUID?
        var from: Date?
        var to: Date?
        var limit: Int = 100
        /// Entries strictly older than this position (the list runs newest first).
        var before: (at: Date, id: UUID)?
        var locations: Set<UUID>?
    }

    func record(
        _ action: String, target: String, id targetId: UUID?, location locationId: UUID? = nil,
        by actor: Actor, at now: Date, details: [String: String] = [:]
    ) async throws {
        try await sql.insert(Audit.entry(action, target: target, id: targetId, location: locationId, by: actor, at: now, details: details),
                             into: "audit_log")
    }

    /// Many entries in one statement, for writers that store many changes at once.
    func append(_ entries: [AuditRecord]) async throws {
        try await AuditRecord.rows(entries).insert(on: sql)
    }

    /// Newest first.
    func entries(_ filter: Filter) async throws -> [AuditRecord] {
        var conditions: [SQLQueryString] = []
        if let locations = filter.locations { conditions.append("location_id IN (\(binds: Array(locations)))") }
        if let action = filter.action {
            // `booking` matches booking.created, booking.changed, …; a full name matches exactly.
            if action.contains(".") {
                conditions.append("action = \(bind: action)")
            } else {
                conditions.append("action LIKE \(bind: action + ".%")")
            }
        }
        if let userId = filter.userId { conditions.append("(actor_id = \(bind: userId) OR target_id = \(bind: userId))") }
        if let locationId = filter.locationId { conditions.append("location_id = \(bind: locationId)") }
        if let from = filter.from { conditions.append("at >= \(bind: from)") }
        if let to = filter.to { conditions.append("at < \(bind: to)") }
        if let before = filter.before {
            conditions.append(Keyset.olderThan(before.at, id: before.id, column: "at", idAscending: false))
        }
        var query: SQLQueryString = "SELECT * FROM audit_log"
        if !conditions.isEmpty { query = query + " WHERE " + conditions.joined(separator: " AND ") }
        query = query + " ORDER BY at DESC, id DESC LIMIT \(bind: filter.limit)"
        return try await sql.all(AuditRecord.self, query)
    }
}
