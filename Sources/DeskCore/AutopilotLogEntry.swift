import Foundation

/// One line of a person's autopilot activity log: what a rule did or could not do, and when.
public struct AutopilotLogEntry: Codable, Sendable, Equatable {
    public enum Level: String, Codable, Sendable, CaseIterable {
        case info, warning, error
    }

    /// Decisions the engine notes once per rule (and day), so that a pass over the same days writes nothing new.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The owner already holds a booking on `day` at the rule's location: nothing to ask for.
        case alreadyBooked = "already_booked"
        /// The owner already asked for `day` by hand or with another rule: the rule leaves it to that request.
        case alreadyRequested = "already_requested"
        /// The owner has a permanent desk at the rule's location: the rule asks for nothing there.
        case permanentDesk = "permanent_desk"
        /// A new or changed rule has no day to ask for yet; the line says when it will.
        case nothingYet = "nothing_yet"
    }

    public var id: UUID
    public var userId: UUID
    public var ruleId: UUID?
    public var requestId: UUID?
    public var at: Date
    public var level: Level
    public var message: String
    /// Set on the decisions noted once; nil on the lines about requests and other events.
    public var kind: Kind?
    /// The local day a line is about, where it is about one.
    public var day: LocalDate?

    public init(id: UUID, userId: UUID, ruleId: UUID?, requestId: UUID?, at: Date, level: Level, message: String,
                kind: Kind? = nil, day: LocalDate? = nil) {
        self.id = id
        self.userId = userId
        self.ruleId = ruleId
        self.requestId = requestId
        self.at = at
        self.level = level
        self.message = message
        self.kind = kind
        self.day = day
    }
}
