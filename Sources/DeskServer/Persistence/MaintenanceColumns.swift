import DeskCore
import Foundation
import SQLKit

/// A room's maintenance columns read from a joined row (`maintenance_reason`, `maintenance_from`,
/// `maintenance_until`, each after `prefix`).
struct MaintenanceColumns {
    let period: MaintenancePeriod?

    init(row: any SQLRow, prefix: String) throws {
        let reason = try row.decode(column: prefix + "maintenance_reason", as: String?.self)
        let from = try row.decode(column: prefix + "maintenance_from", as: Date?.self)
        let until = try row.decode(column: prefix + "maintenance_until", as: Date?.self)
        period = reason.flatMap { reason in from.map { MaintenancePeriod(reason: reason, from: $0, until: until) } }
    }

    /// The period as the booking rules see it.
    var range: TimeRange? { period?.range }
}
