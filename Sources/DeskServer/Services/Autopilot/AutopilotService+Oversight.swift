import DeskCore
import Foundation
import SQLKit

/// What administrators see and may do about everyone's autopilot: superusers only, and looking at one person's
/// autopilot is audited.
extension AutopilotService {
    typealias RuleFilter = RuleStore.Filter

    /// All rules, newest first.
    func allRules(_ filter: RuleFilter, by viewer: Viewer) async throws -> [AutopilotRuleRecord] {
        try AccessRules.requireSuperuser(viewer)
        return try await RuleStore(sql: sql).rules(filter)
    }

    /// Stops someone's rule; its owner sees the reason and cannot resume it.
    func suspend(_ id: UUID, reason: String, by viewer: Viewer, actor: Actor) async throws -> AutopilotRuleRecord {
        try AccessRules.requireSuperuser(viewer)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(reason.count) else { throw DomainError.validation(field: "reason", "1-500 characters: the owner sees it") }
        try FieldChecks.checkText(reason, field: "reason", multiline: true)
        return try await setStatus(of: id, to: .suspended, reason: reason, by: actor, load: { try await Self.existingRule(id, on: $0) }, check: { _ in })
    }

    func resumeSuspended(_ id: UUID, by viewer: Viewer, actor: Actor) async throws -> AutopilotRuleRecord {
        try AccessRules.requireSuperuser(viewer)
        return try await setStatus(of: id, to: .active, reason: nil, by: actor, load: { try await Self.existingRule(id, on: $0) }) { rule in
            guard rule.status == .suspended else {
                throw DomainError.conflict(code: "rule_not_suspended", "This rule is \(rule.status.rawValue); only its owner changes that.")
            }
        }
    }

    /// Sets how many rules a person may have; nil returns them to the standard limit.
    func setRuleLimit(of userId: UUID, to limit: Int?, by viewer: Viewer, actor: Actor) async throws -> (limit: Int, isOwn: Bool) {
        try AccessRules.requireSuperuser(viewer)
        if let limit, !(0...1000).contains(limit) { throw DomainError.validation(field: "max_rules", "between 0 and 1000, or null for the standard") }
        let now = clock.now()
        try await transactor.write { sql in
            guard try await UserStore(sql: sql).exists(id: userId) else { throw DomainError.notFound("User") }
            try await RuleStore(sql: sql).setOwnLimit(of: userId, to: limit, by: viewer.userId, at: now)
            try await AuditLog(sql: sql).record("autopilot.limits_changed", target: "user", id: userId, by: actor, at: now,
                                   details: ["max_rules": limit.map(String.init) ?? "standard"])
            return .unannounced
        }
        return try await ruleLimit(of: userId)
    }

    /// One person's autopilot as they see it; each look is recorded in the audit log.
    func inspect(_ userId: UUID, by viewer: Viewer, actor: Actor) async throws -> Overview {
        try AccessRules.requireSuperuser(viewer)
        guard try await UserStore(sql: sql).exists(id: userId) else { throw DomainError.notFound("User") }
        let now = clock.now()
        try await transactor.write { sql in
            try await AuditLog(sql: sql).record("autopilot.viewed", target: "user", id: userId, by: actor, at: now)
            return .unannounced
        }
        return try await overview(of: userId)
    }

    /// A person's rules with their counters, limit, log and history.
    struct Overview: Sendable {
        let rules: [AutopilotRuleRecord]
        let counters: [UUID: [RequestStatus: Int]]
        let limit: (limit: Int, isOwn: Bool)
        let log: [AutopilotLogRecord]
        let history: [AllocationRequestRecord]
        let outlooks: [UUID: AutopilotOutlook]
    }

    func overview(of userId: UUID) async throws -> Overview {
        let rules = try await rules(of: userId)
        return Overview(rules: rules, counters: try await counters(of: userId), limit: try await ruleLimit(of: userId),
                        log: try await log(of: userId, limit: 50), history: try await history(of: userId, ruleId: nil, before: nil, limit: 50),
                        outlooks: try await outlooks(of: rules))
    }

    typealias Stats = RuleStore.Stats

    func stats(by viewer: Viewer, days: Int = 14) async throws -> Stats {
        try AccessRules.requireSuperuser(viewer)
        let utc = ZonedCalendar(timeZone: TimeZone(identifier: "UTC")!)
        return try await RuleStore(sql: sql).stats(since: utc.adding(days: -days, to: utc.date(of: clock.now())))
    }
}
