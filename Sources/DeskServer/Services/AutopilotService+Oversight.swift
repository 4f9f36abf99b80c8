import DeskCore
import Foundation
import SQLKit

/// What administrators see and may do about everyone's autopilot: superusers only, and looking at one person's
/// autopilot is audited.
extension AutopilotService {
    struct RuleFilter: Sendable {
        var status: RuleStatus?
        var userId: UUID?
        var locationId: UUID?
        var mode: RuleMode?
        /// Keyset position: rules created before this instant (then id).
        var before: (Date, UUID)?
        var limit = 50
    }

    /// All rules, newest first.
    func allRules(_ filter: RuleFilter, by viewer: Viewer) async throws -> [AutopilotRuleRecord] {
        try AccessRules.requireSuperuser(viewer)
        var query: SQLQueryString = "SELECT * FROM autopilot_rules WHERE 1 = 1"
        if let status = filter.status { query = query + " AND status = \(bind: status)" }
        if let userId = filter.userId { query = query + " AND user_id = \(bind: userId)" }
        if let locationId = filter.locationId { query = query + " AND location_id = \(bind: locationId)" }
        if let mode = filter.mode { query = query + " AND mode = \(bind: mode)" }
        if let (instant, id) = filter.before {
            query = query + " AND (created_at < \(bind: instant) OR (created_at = \(bind: instant) AND id < \(bind: id)))"
        }
        return try await sql.all(AutopilotRuleRecord.self, query + " ORDER BY created_at DESC, id DESC LIMIT \(bind: filter.limit)")
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
            guard try await sql.count("SELECT COUNT(*) AS n FROM users WHERE id = \(bind: userId)") > 0 else { throw DomainError.notFound("User") }
            try await sql.raw("DELETE FROM autopilot_limits WHERE user_id = \(bind: userId)").run()
            if let limit {
                try await sql.raw("""
                    INSERT INTO autopilot_limits (user_id, max_rules, updated_by, updated_at)
                    VALUES (\(bind: userId), \(bind: limit), \(bind: viewer.userId), \(bind: now))
                    """).run()
            }
            try await Audit.record("autopilot.limits_changed", target: "user", id: userId, by: actor, at: now,
                                   details: ["max_rules": limit.map(String.init) ?? "standard"], on: sql)
            return .unannounced
        }
        return try await ruleLimit(of: userId)
    }

    /// One person's autopilot as they see it; each look is recorded in the audit log.
    func inspect(_ userId: UUID, by viewer: Viewer, actor: Actor) async throws -> Overview {
        try AccessRules.requireSuperuser(viewer)
        guard try await sql.count("SELECT COUNT(*) AS n FROM users WHERE id = \(bind: userId)") > 0 else { throw DomainError.notFound("User") }
        let now = clock.now()
        try await transactor.write { sql in
            try await Audit.record("autopilot.viewed", target: "user", id: userId, by: actor, at: now, on: sql)
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
    }

    func overview(of userId: UUID) async throws -> Overview {
        Overview(rules: try await rules(of: userId), counters: try await counters(of: userId), limit: try await ruleLimit(of: userId),
                 log: try await log(of: userId, limit: 50), history: try await history(of: userId, ruleId: nil, before: nil, limit: 50))
    }

    /// The numbers an operator watches.
    struct Stats: Sendable {
        var usersWithActiveRules = 0
        var rulesByStatus: [RuleStatus: Int] = [:]
        var rulesByMode: [RuleMode: Int] = [:]
        /// Requests per day from `from` on, by status.
        var requestsPerDay: [String: [RequestStatus: Int]] = [:]
        var recentRounds: [AllocationRoundRecord] = []
        /// Waiting requests per location and day.
        var waitlists: [(locationId: UUID, day: String, waiting: Int)] = []
    }

    func stats(by viewer: Viewer, days: Int = 14) async throws -> Stats {
        try AccessRules.requireSuperuser(viewer)
        var stats = Stats()
        stats.usersWithActiveRules = try await sql.count("SELECT COUNT(DISTINCT user_id) AS n FROM autopilot_rules WHERE status = 'active'")
        for row in try await sql.raw("SELECT status, mode, COUNT(*) AS n FROM autopilot_rules GROUP BY status, mode").all() {
            let n = try row.decode(column: "n", as: Int.self)
            if let status = RuleStatus(rawValue: try row.decode(column: "status", as: String.self)) { stats.rulesByStatus[status, default: 0] += n }
            if let mode = RuleMode(rawValue: try row.decode(column: "mode", as: String.self)) { stats.rulesByMode[mode, default: 0] += n }
        }
        let utc = ZonedCalendar(timeZone: TimeZone(identifier: "UTC")!)
        let from = utc.adding(days: -days, to: utc.date(of: clock.now())).description
        for row in try await sql.raw("""
            SELECT day, status, COUNT(*) AS n FROM allocation_requests WHERE day >= \(bind: from) GROUP BY day, status
            """).all() {
            guard let status = RequestStatus(rawValue: try row.decode(column: "status", as: String.self)) else { continue }
            stats.requestsPerDay[try row.decode(column: "day", as: String.self), default: [:]][status] = try row.decode(column: "n", as: Int.self)
        }
        stats.recentRounds = try await sql.all(AllocationRoundRecord.self, """
            SELECT * FROM allocation_rounds WHERE day >= \(bind: from) ORDER BY day DESC, ran_at DESC LIMIT 100
            """)
        for row in try await sql.raw("""
            SELECT location_id, day, COUNT(*) AS n FROM allocation_requests WHERE status = 'waitlisted'
            GROUP BY location_id, day ORDER BY day, location_id
            """).all() {
            stats.waitlists.append((try row.decode(column: "location_id", as: UUID.self), try row.decode(column: "day", as: String.self),
                                    try row.decode(column: "n", as: Int.self)))
        }
        return stats
    }
}
