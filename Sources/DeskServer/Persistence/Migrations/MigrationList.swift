import Fluent

/// Every migration in order; `readyz` compares this with what the database has applied.
enum MigrationList {
    static let all: [any AsyncMigration] = [
        CreateFoundationSchema(), CreateWorkflowSchema(), CreateAllocationSchema(), CreateAutopilotSchema(),
        KeepLocationsOpenEveryDay(),
        AddAutopilotLogKinds(),
        AddMaintenancePeriods(),
        AddNotificationOutbox(),
    ]
    static var count: Int { all.count }
}
