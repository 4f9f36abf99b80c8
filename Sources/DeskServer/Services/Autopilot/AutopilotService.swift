import DeskCore
import Foundation
import SQLKit

/// Personal autopilot rules (SPEC §5). A rule books or watches for its owner only, as its owner: it files requests
/// through `AllocationService` like a person would, so it can never book where its owner could not.
struct AutopilotService: Sendable {
    let transactor: Transactor
    let clock: WallClock
    let placeService: PlaceService
    let allocation: AllocationService
    let sessions: SessionService
    let limits: Limits
    let engine: AutopilotEngine

    struct Limits: Sendable {
        /// Rules a person may have unless an administrator set their own limit.
        var perUser: Int = 5
        /// Rules the whole server keeps at most.
        var total: Int = 50_000
    }

    /// What a person asks a rule to do.
    struct Draft: Sendable {
        var name: String?
        var locationId: UUID
        var mode: RuleMode
        var definition: AutopilotRuleDefinition
    }

    /// Entries of a person's activity log kept (the newest).
    static let logLength = 200
    /// Serialises rule creation on PostgreSQL so the per-user and server limits hold under concurrency.
    private static let limitLock: Int64 = 0x4175_746F_5069_6C74

    var sql: any SQLDatabase { transactor.sql }

    init(transactor: Transactor, clock: WallClock, placeService: PlaceService, allocation: AllocationService, sessions: SessionService,
         limits: Limits) {
        self.transactor = transactor
        self.clock = clock
        self.placeService = placeService
        self.allocation = allocation
        self.sessions = sessions
        self.limits = limits
        self.engine = AutopilotEngine()
    }

    // MARK: The owner's rules

    func create(_ draft: Draft, by viewer: Viewer, actor: Actor) async throws -> AutopilotRuleRecord {
        let (name, definition) = try await checked(draft, for: viewer)
        let now = clock.now()
        var record = AutopilotRuleRecord(
            id: UUID(), userId: viewer.userId, locationId: draft.locationId, name: name, mode: draft.mode, status: .active,
            statusReason: nil, criteria: "", days: "", windowFrom: nil, windowUntil: nil, skipTodayAfter: nil, revision: 1,
            plannedRevision: 0, plannedThrough: nil, createdAt: now, updatedAt: now)
        try record.apply(definition)
        let (limits, isPostgres) = (limits, transactor.isPostgres)
        try await transactor.write { [record] sql in
            let rules = RuleStore(sql: sql)
            try await rules.serialiseLimitChecks(key: Self.limitLock, isPostgres: isPostgres)
            let owned = try await rules.count(of: viewer.userId)
            let allowed = try await rules.ownLimit(of: viewer.userId) ?? limits.perUser
            guard owned < allowed else {
                throw DomainError.conflict(code: "rule_limit_reached", """
                    You have \(owned) autopilot rules and may have \(allowed): delete one, or ask an administrator to raise your limit.
                    """)
            }
            guard try await rules.count(of: nil) < limits.total else {
                throw DomainError.conflict(code: "server_rule_limit_reached",
                                           "This server already runs its most autopilot rules (\(limits.total)); ask an administrator.")
            }
            try await rules.insert(record)
            try await AuditLog(sql: sql).record("autopilot.rule_created", target: "autopilot_rule", id: record.id, location: record.locationId,
                                   by: actor, at: now, details: ["mode": record.mode.rawValue])
            return Written(events: [.autopilot(.rule(record))])
        }
        plan(record)
        return record
    }

    /// Changes a rule. A change of what it asks for takes back its waiting requests and files them again as changed;
    /// a rule that had stopped on an error is active again.
    func update(_ id: UUID, _ draft: Draft, by viewer: Viewer, actor: Actor) async throws -> AutopilotRuleRecord {
        let (name, definition) = try await checked(draft, for: viewer)
        let now = clock.now()
        let record = try await transactor.write { sql -> Written<AutopilotRuleRecord> in
            var record = try await Self.ownRule(id, of: viewer, on: sql)
            let before = record
            record.name = name
            record.locationId = draft.locationId
            record.mode = draft.mode
            try record.apply(definition)
            if record.status == .error { (record.status, record.statusReason) = (.active, nil) }
            let reaches = before.locationId != record.locationId || before.mode != record.mode || before.definition != definition
            if reaches { record.revision += 1 }
            record.updatedAt = now
            try await RuleStore(sql: sql).save(record)
            try await AuditLog(sql: sql).record("autopilot.rule_changed", target: "autopilot_rule", id: id, location: record.locationId, by: actor, at: now)
            let withdrawn = reaches ? try await Self.withdrawRequests(of: id, because: "The rule was changed.", at: now, on: sql) : []
            return Written(record, events: withdrawn + [.autopilot(.rule(record))])
        }
        plan(record)
        return record
    }

    /// Stops a rule until its owner resumes it; its waiting requests are taken back.
    func pause(_ id: UUID, by viewer: Viewer, actor: Actor) async throws -> AutopilotRuleRecord {
        try await setStatus(of: id, to: .paused, reason: nil, by: actor) { try await Self.ownRule(id, of: viewer, on: $0) } check: { rule in
            if rule.status == .suspended { throw Self.suspendedError(rule) }
        }
    }

    /// Starts a paused rule again, or retries one that stopped on an error; a suspended rule waits for an administrator.
    func resume(_ id: UUID, by viewer: Viewer, actor: Actor) async throws -> AutopilotRuleRecord {
        try await setStatus(of: id, to: .active, reason: nil, by: actor) { try await Self.ownRule(id, of: viewer, on: $0) } check: { rule in
            if rule.status == .suspended { throw Self.suspendedError(rule) }
        }
    }

    func delete(_ id: UUID, by viewer: Viewer, actor: Actor) async throws {
        let now = clock.now()
        try await transactor.write { sql -> Written<Void> in
            let rule = try await Self.ownRule(id, of: viewer, on: sql)
            let withdrawn = try await Self.withdrawRequests(of: id, because: "The rule was deleted.", at: now, on: sql)
            try await RuleStore(sql: sql).delete(id)
            try await AuditLog(sql: sql).record("autopilot.rule_deleted", target: "autopilot_rule", id: id, location: rule.locationId, by: actor, at: now)
            return Written(events: withdrawn)
        }
    }

    func rule(_ id: UUID, of viewer: Viewer) async throws -> AutopilotRuleRecord {
        try await Self.ownRule(id, of: viewer, on: sql)
    }

    func rules(of userId: UUID) async throws -> [AutopilotRuleRecord] {
        try await RuleStore(sql: sql).rules(of: userId)
    }

    /// The newest entries of a person's activity log, newest first.
    func log(of userId: UUID, limit: Int = Self.logLength) async throws -> [AutopilotLogRecord] {
        try await RuleStore(sql: sql).log(of: userId, limit: min(limit, Self.logLength))
    }

    /// Every request a person's rules filed, newest first, with its outcome and reason.
    func history(of userId: UUID, ruleId: UUID?, before: (Date, UUID)?, limit: Int) async throws -> [AllocationRequestRecord] {
        try await RuleStore(sql: sql).filedRequests(of: userId, rule: ruleId, before: before, limit: limit)
    }

    /// What each of a person's rules achieved: requests by outcome.
    func counters(of userId: UUID) async throws -> [UUID: [RequestStatus: Int]] {
        try await RuleStore(sql: sql).requestCounts(of: userId)
    }

    /// How many rules a person may have: their own limit if an administrator set one, else the standard.
    func ruleLimit(of userId: UUID) async throws -> (limit: Int, isOwn: Bool) {
        guard let own = try await RuleStore(sql: sql).ownLimit(of: userId) else { return (limits.perUser, false) }
        return (own, true)
    }

    // MARK: Shared steps

    /// Queues the rule for the engine when it has work to do.
    func plan(_ rule: AutopilotRuleRecord) {
        guard rule.status == .active, rule.mode == .book else { return }
        engine.submit(.plan(rule.id), for: rule.userId, with: self)
    }

    /// Sets a rule's status after `check` allowed it; stopping takes back its waiting requests.
    func setStatus(
        of id: UUID, to status: RuleStatus, reason: String?, by actor: Actor,
        load: @escaping @Sendable (any SQLDatabase) async throws -> AutopilotRuleRecord,
        check: @escaping @Sendable (AutopilotRuleRecord) throws -> Void
    ) async throws -> AutopilotRuleRecord {
        let now = clock.now()
        let record = try await transactor.write { sql -> Written<AutopilotRuleRecord> in
            var record = try await load(sql)
            try check(record)
            guard record.status != status || record.statusReason != reason else { return .unannounced(record) }
            let before = record.status
            (record.status, record.statusReason, record.updatedAt) = (status, reason, now)
            try await RuleStore(sql: sql).save(record)
            try await AuditLog(sql: sql).record("autopilot.rule_\(status == .active ? "resumed" : status.rawValue)", target: "autopilot_rule", id: id,
                                   location: record.locationId, by: actor, at: now, details: reason.map { ["reason": $0] } ?? [:])
            let withdrawn = status == .active ? [] : try await Self.withdrawRequests(
                of: id, because: status == .paused ? "The rule was paused." : "The rule was suspended: \(reason ?? "")", at: now, on: sql)
            // Only an administrator suspends a rule and resumes a suspended one: its owner is told.
            var notices: [NotificationRecord] = []
            if status == .suspended, before != .suspended {
                notices.append(NotificationRecord(
                    to: record.userId, .autopilotSuspended,
                    "An administrator suspended your autopilot rule “\(record.name)”: \(reason ?? "no reason given"). It books nothing until they resume it.",
                    location: record.locationId, link: NotificationRecord.autopilotLink, at: now))
            } else if before == .suspended, status == .active {
                notices.append(NotificationRecord(to: record.userId, .autopilotResumed,
                                                  "An administrator resumed your autopilot rule “\(record.name)”.",
                                                  location: record.locationId, link: NotificationRecord.autopilotLink, at: now))
            }
            let notified = try await NotificationStore(sql: sql).append(notices)
            return Written(record, events: withdrawn + [.autopilot(.rule(record))] + notified)
        }
        plan(record)
        return record
    }

    static func ownRule(_ id: UUID, of viewer: Viewer, on sql: any SQLDatabase) async throws -> AutopilotRuleRecord {
        guard let rule = try await RuleStore(sql: sql).rule(id, ownedBy: viewer.userId) else { throw DomainError.notFound("Rule") }
        return rule
    }

    private static func suspendedError(_ rule: AutopilotRuleRecord) -> DomainError {
        .conflict(code: "rule_suspended", "An administrator suspended this rule: \(rule.statusReason ?? "no reason given"). Only they can resume it.")
    }

    /// Takes back the rule's requests still waiting for a desk; marked `withdrawn`, so the rule may file those days again.
    static func withdrawRequests(of ruleId: UUID, because reason: String, at now: Date, on sql: any SQLDatabase) async throws -> [DomainEvent] {
        try await RuleStore(sql: sql).withdrawOpenRequests(of: ruleId, because: reason, at: now).map { .request($0.event) }
    }

    /// Anyone's rule, for the engine and administrators.
    static func existingRule(_ id: UUID, on sql: any SQLDatabase) async throws -> AutopilotRuleRecord {
        guard let rule = try await RuleStore(sql: sql).rule(id) else { throw DomainError.notFound("Rule") }
        return rule
    }

    /// Checks a draft as its owner would be checked filing a request: a place they may book in, desks and rooms of it.
    private func checked(_ draft: Draft, for viewer: Viewer) async throws -> (name: String, definition: AutopilotRuleDefinition) {
        let (location, _) = try await placeService.visibleLocation(draft.locationId, viewer)
        var problems = draft.definition.days.problems()
        let name = (draft.name ?? location.name).trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...100).contains(name.count) { problems.append(FieldError(field: "name", message: "1-100 characters")) }
        problems += FieldChecks.textProblems(name, field: "name")
        let policy = location.effectivePolicy
        if let window = draft.definition.window, window.until <= policy.bookableFrom || window.from >= policy.bookableUntil {
            problems.append(FieldError(field: "window", message: "must overlap the bookable hours \(policy.bookableFrom)–\(policy.bookableUntil)"))
        }
        guard problems.isEmpty else { throw DomainError.validation(problems) }
        var definition = draft.definition
        definition.criteria = try await allocation.checked(draft.definition.criteria, in: location.id, for: viewer)
        return (name, definition)
    }
}

extension AutopilotRuleRecord {
    /// Stores a checked definition in the record's columns.
    mutating func apply(_ definition: AutopilotRuleDefinition) throws {
        criteria = String(decoding: try JSONEncoder.snakeCase.encode(definition.criteria), as: UTF8.self)
        days = String(decoding: try JSONEncoder.snakeCase.encode(definition.days), as: UTF8.self)
        (windowFrom, windowUntil) = (definition.window?.from.minutes, definition.window?.until.minutes)
        skipTodayAfter = definition.skipTodayAfter?.minutes
    }
}
