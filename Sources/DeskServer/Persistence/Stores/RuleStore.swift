import DeskCore
import Foundation
import SQLKit

/// The autopilot's tables: rules, per-person rule limits and activity logs, and the requests the rules filed.
struct RuleStore {
    let sql: any SQLDatabase

    // MARK: Rules

    func rule(_ id: UUID) async throws -> AutopilotRuleRecord? {
        try await sql.first(AutopilotRuleRecord.self, "SELECT * FROM autopilot_rules WHERE id = \(bind: id)")
    }

    func rule(_ id: UUID, ownedBy userId: UUID) async throws -> AutopilotRuleRecord? {
        try await sql.first(AutopilotRuleRecord.self, "SELECT * FROM autopilot_rules WHERE id = \(bind: id) AND user_id = \(bind: userId)")
    }

    /// A person's rules, oldest first.
    func rules(of userId: UUID) async throws -> [AutopilotRuleRecord] {
        try await sql.all(AutopilotRuleRecord.self, "SELECT * FROM autopilot_rules WHERE user_id = \(bind: userId) ORDER BY created_at, id")
    }

    /// Which rules an administrator lists; `before` continues a page (newest first).
    struct Filter: Sendable {
        var status: RuleStatus?
        var userId: UUID?
        var locationId: UUID?
        var mode: RuleMode?
        var before: (Date, UUID)?
        var limit = 50
    }

    /// Everyone's rules, newest first.
    func rules(_ filter: Filter) async throws -> [AutopilotRuleRecord] {
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

    /// The active booking rules of a location that have not planned through `horizon`, or not since their last change.
    func unplannedRules(at locationId: UUID, through horizon: LocalDate) async throws -> [(ruleId: UUID, userId: UUID)] {
        try await sql.raw("""
            SELECT id, user_id FROM autopilot_rules WHERE location_id = \(bind: locationId) AND status = 'active' AND mode = 'book'
            AND (planned_through IS NULL OR planned_through < \(bind: horizon.description) OR planned_revision <> revision)
            ORDER BY created_at, id
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "user_id", as: UUID.self)) }
    }

    /// The active watching rules of these locations.
    func watchingRules(at locationIds: Set<UUID>) async throws -> [(ruleId: UUID, userId: UUID, locationId: UUID)] {
        guard !locationIds.isEmpty else { return [] }
        return try await sql.raw("""
            SELECT id, user_id, location_id FROM autopilot_rules WHERE status = 'active' AND mode = 'watch'
            AND location_id IN (\(binds: Array(locationIds)))
            """).all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "user_id", as: UUID.self),
             try $0.decode(column: "location_id", as: UUID.self))
        }
    }

    func insert(_ rule: AutopilotRuleRecord) async throws {
        try await sql.insert(rule, into: "autopilot_rules")
    }

    /// Many rules in a few statements.
    func insert(_ rules: [AutopilotRuleRecord]) async throws {
        try await sql.insertAll(rules, into: "autopilot_rules")
    }

    func save(_ rule: AutopilotRuleRecord) async throws {
        try await sql.raw("""
            UPDATE autopilot_rules SET name = \(bind: rule.name), location_id = \(bind: rule.locationId), mode = \(bind: rule.mode),
            status = \(bind: rule.status), status_reason = \(bind: rule.statusReason), criteria = \(bind: rule.criteria), days = \(bind: rule.days),
            window_from = \(bind: rule.windowFrom), window_until = \(bind: rule.windowUntil), skip_today_after = \(bind: rule.skipTodayAfter),
            revision = \(bind: rule.revision), updated_at = \(bind: rule.updatedAt) WHERE id = \(bind: rule.id)
            """).run()
    }

    /// Records how far a rule planned; a rule changed meanwhile (a newer revision) keeps what it had.
    func markPlanned(_ rule: AutopilotRuleRecord, through horizon: LocalDate) async throws {
        try await sql.raw("""
            UPDATE autopilot_rules SET planned_revision = \(bind: rule.revision), planned_through = \(bind: horizon.description)
            WHERE id = \(bind: rule.id) AND revision = \(bind: rule.revision)
            """).run()
    }

    func delete(_ id: UUID) async throws {
        try await sql.raw("DELETE FROM autopilot_rules WHERE id = \(bind: id)").run()
    }

    /// How many rules a person has, or (nil) everyone has.
    func count(of userId: UUID?) async throws -> Int {
        guard let userId else { return try await sql.count("SELECT COUNT(*) AS n FROM autopilot_rules") }
        return try await sql.count("SELECT COUNT(*) AS n FROM autopilot_rules WHERE user_id = \(bind: userId)")
    }

    /// Makes concurrent rule creations on PostgreSQL count one after another, so the limits hold; a no-op elsewhere.
    func serialiseLimitChecks(key: Int64, isPostgres: Bool) async throws {
        guard isPostgres else { return }
        try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: key))").run()
    }

    // MARK: Limits

    /// The limit an administrator set for this person, if any.
    func ownLimit(of userId: UUID) async throws -> Int? {
        try await sql.raw("SELECT max_rules FROM autopilot_limits WHERE user_id = \(bind: userId)").first()?
            .decode(column: "max_rules", as: Int.self)
    }

    /// Sets a person's own limit; nil returns them to the standard.
    func setOwnLimit(of userId: UUID, to limit: Int?, by adminId: UUID, at now: Date) async throws {
        try await sql.raw("DELETE FROM autopilot_limits WHERE user_id = \(bind: userId)").run()
        guard let limit else { return }
        try await sql.raw("""
            INSERT INTO autopilot_limits (user_id, max_rules, updated_by, updated_at)
            VALUES (\(bind: userId), \(bind: limit), \(bind: adminId), \(bind: now))
            """).run()
    }

    // MARK: Activity log

    func appendLog(_ entries: [AutopilotLogRecord]) async throws {
        try await sql.insertAll(entries, into: "autopilot_log")
    }

    /// The newest entries of a person's log, newest first.
    func log(of userId: UUID, limit: Int) async throws -> [AutopilotLogRecord] {
        try await sql.all(AutopilotLogRecord.self, """
            SELECT * FROM autopilot_log WHERE user_id = \(bind: userId) ORDER BY at DESC, id DESC LIMIT \(bind: limit)
            """)
    }

    /// Keeps the newest `length` entries of each person's log.
    func trimLogs(to length: Int) async throws {
        try await sql.raw("""
            DELETE FROM autopilot_log WHERE id IN (SELECT id FROM (
                SELECT id, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY at DESC, id DESC) AS n FROM autopilot_log
            ) ranked WHERE n > \(bind: length))
            """).run()
    }

    // MARK: The requests rules filed

    /// Every request a person's rules (or one rule) filed, newest first; `before` continues a page.
    func filedRequests(of userId: UUID, rule ruleId: UUID?, before: (Date, UUID)?, limit: Int) async throws -> [AllocationRequestRecord] {
        var query: SQLQueryString = "SELECT * FROM allocation_requests WHERE user_id = \(bind: userId) AND rule_id IS NOT NULL"
        if let ruleId { query = query + " AND rule_id = \(bind: ruleId)" }
        if let (instant, id) = before {
            query = query + " AND (created_at < \(bind: instant) OR (created_at = \(bind: instant) AND id < \(bind: id)))"
        }
        return try await sql.raw(query + " ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)").all()
            .map(AllocationRequestRecord.init(row:))
    }

    /// Per rule of a person, its requests by status.
    func requestCounts(of userId: UUID) async throws -> [UUID: [RequestStatus: Int]] {
        var counts: [UUID: [RequestStatus: Int]] = [:]
        for row in try await sql.raw("""
            SELECT rule_id, status, COUNT(*) AS n FROM allocation_requests WHERE user_id = \(bind: userId) AND rule_id IS NOT NULL
            GROUP BY rule_id, status
            """).all() {
            guard let status = RequestStatus(rawValue: try row.decode(column: "status", as: String.self)) else { continue }
            counts[try row.decode(column: "rule_id", as: UUID.self), default: [:]][status] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// Marks the rule's requests still waiting for a desk `withdrawn` (so the rule may file those days again) and
    /// returns them as they are now.
    func withdrawOpenRequests(of ruleId: UUID, because reason: String, at now: Date) async throws -> [AllocationRequestRecord] {
        let open = try await sql.raw("""
            SELECT * FROM allocation_requests WHERE rule_id = \(bind: ruleId) AND status IN ('pending', 'waitlisted')
            """).all().map(AllocationRequestRecord.init(row:))
        guard !open.isEmpty else { return [] }
        try await sql.raw("""
            UPDATE allocation_requests SET status = 'withdrawn', reason = \(bind: reason), updated_at = \(bind: now)
            WHERE rule_id = \(bind: ruleId) AND status IN ('pending', 'waitlisted')
            """).run()
        return open.map { request in
            var request = request
            (request.status, request.reason, request.updatedAt) = (.withdrawn, reason, now)
            return request
        }
    }
}
