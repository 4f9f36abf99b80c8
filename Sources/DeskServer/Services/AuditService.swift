import DeskCore
import Foundation
import SQLKit

/// Reading the audit log: superusers see everything, location managers the entries of their locations.
struct AuditService: Sendable {
    let transactor: Transactor

    struct Filter: Sendable {
        var action: String?
        var userId: UUID?
        var locationId: UUID?
        var from: Date?
        var to: Date?
        var limit: Int = 100
        /// Entries strictly older than this position (the list runs newest first).
        var before: (at: Date, id: UUID)?
    }

    func entries(_ filter: Filter, _ viewer: Viewer) async throws -> [AuditRecord] {
        var conditions: [SQLQueryString] = []
        if !viewer.isSuperuser {
            guard !viewer.managedLocationIds.isEmpty else { throw DomainError.forbidden }
            if let locationId = filter.locationId, !viewer.managedLocationIds.contains(locationId) { throw DomainError.forbidden }
            conditions.append("location_id IN (\(binds: Array(viewer.managedLocationIds)))")
        }
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
            conditions.append("(at < \(bind: before.at) OR (at = \(bind: before.at) AND id < \(bind: before.id)))")
        }
        var query: SQLQueryString = "SELECT * FROM audit_log"
        if !conditions.isEmpty { query = query + " WHERE " + conditions.joined(separator: " AND ") }
        query = query + " ORDER BY at DESC, id DESC LIMIT \(bind: filter.limit)"
        return try await transactor.sql.all(AuditRecord.self, query)
    }
}
