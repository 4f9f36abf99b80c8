import DeskCore
import Foundation

enum RuleMode: String, Codable, Sendable, CaseIterable {
    /// Files requests, takes allocations and waitlist offers.
    case book
    /// Only tells its owner when a matching desk frees up.
    case watch
}

enum RuleStatus: String, Codable, Sendable, CaseIterable {
    case active
    /// Paused by its owner.
    case paused
    /// Stopped by an administrator; `status_reason` says why and only an administrator resumes it.
    case suspended
    /// Stopped by a problem it cannot get past alone (a desk it names was deleted …); `status_reason` is the last error.
    case error
}

struct AutopilotRuleRecord: Codable, Sendable {
    var id: UUID
    var userId: UUID
    var locationId: UUID
    var name: String
    var mode: RuleMode
    var status: RuleStatus
    var statusReason: String?
    /// JSON of `DeskCriteria`.
    var criteria: String
    /// JSON of `DaySelection`.
    var days: String
    /// Minutes after local midnight; nil for the location's whole bookable day.
    var windowFrom: Int?
    var windowUntil: Int?
    /// Minutes after local midnight after which today is no longer targeted.
    var skipTodayAfter: Int?
    /// Bumped by every change; the engine plans a rule again until `planned_revision` catches up.
    var revision: Int
    var plannedRevision: Int
    /// The last day the engine filed for (`yyyy-MM-dd`): a day opening beyond it plans the rule again.
    var plannedThrough: String?
    var createdAt: Date
    var updatedAt: Date
}

extension AutopilotRuleRecord {
    /// The rule's settings in domain terms; stored values were checked when written.
    var definition: AutopilotRuleDefinition {
        AutopilotRuleDefinition(
            criteria: (try? JSONDecoder.snakeCase.decode(DeskCriteria.self, from: Data(criteria.utf8))) ?? DeskCriteria(),
            days: (try? JSONDecoder.snakeCase.decode(DaySelection.self, from: Data(days.utf8))) ?? DaySelection(),
            window: DayWindow(minutes: windowFrom, windowUntil),
            skipTodayAfter: skipTodayAfter.flatMap { try? LocalTime(minutes: $0) })
    }
}

/// What a rule asks for, apart from where and how it acts.
struct AutopilotRuleDefinition: Sendable, Equatable {
    var criteria: DeskCriteria
    var days: DaySelection
    var window: DayWindow?
    var skipTodayAfter: LocalTime?
}

extension DayWindow {
    /// A window stored as minutes after local midnight; nil when either end is missing.
    init?(minutes from: Int?, _ until: Int?) {
        guard let from, let until, let start = try? LocalTime(minutes: from), let end = try? LocalTime(minutes: until),
              let window = try? DayWindow(from: start, until: end) else { return nil }
        self = window
    }
}

/// The log table stores the autopilot's entries as they are.
typealias AutopilotLogRecord = AutopilotLogEntry
