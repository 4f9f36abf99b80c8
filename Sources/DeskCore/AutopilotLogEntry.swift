import Foundation

/// One line of a person's autopilot activity log: what a rule did or could not do, and when.
public struct AutopilotLogEntry: Codable, Sendable, Equatable {
    public enum Level: String, Codable, Sendable, CaseIterable {
        case info, warning, error
    }

    public var id: UUID
    public var userId: UUID
    public var ruleId: UUID?
    public var requestId: UUID?
    public var at: Date
    public var level: Level
    public var message: String

    public init(id: UUID, userId: UUID, ruleId: UUID?, requestId: UUID?, at: Date, level: Level, message: String) {
        self.id = id
        self.userId = userId
        self.ruleId = ruleId
        self.requestId = requestId
        self.at = at
        self.level = level
        self.message = message
    }
}
