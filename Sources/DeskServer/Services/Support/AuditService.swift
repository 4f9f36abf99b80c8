import DeskCore
import Foundation

/// Reading the audit log: superusers see everything, location managers the entries of their locations.
struct AuditService: Sendable {
    let transactor: Transactor

    typealias Filter = AuditLog.Filter

    func entries(_ filter: Filter, _ viewer: Viewer) async throws -> [AuditRecord] {
        var filter = filter
        filter.locations = nil
        if !viewer.isSuperuser {
            guard !viewer.managedLocationIds.isEmpty else { throw DomainError.forbidden }
            if let locationId = filter.locationId, !viewer.managedLocationIds.contains(locationId) { throw DomainError.forbidden }
            filter.locations = viewer.managedLocationIds
        }
        return try await AuditLog(sql: transactor.sql).entries(filter)
    }
}
