import DeskCore
import Foundation
import SQLKit

extension RuleStore {
    /// The numbers an operator watches: rules, the requests they and people filed, rounds and waitlists.
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

    /// Counted now; requests and rounds of the days from `first` on.
    func stats(since first: LocalDate) async throws -> Stats {
        var stats = Stats()
        stats.usersWithActiveRules = try await sql.count("SELECT COUNT(DISTINCT user_id) AS n FROM autopilot_rules WHERE status = 'active'")
        for row in try await sql.raw("SELECT status, mode, COUNT(*) AS n FROM autopilot_rules GROUP BY status, mode").all() {
            let n = try row.decode(column: "n", as: Int.self)
            if let status = RuleStatus(rawValue: try row.decode(column: "status", as: String.self)) { stats.rulesByStatus[status, default: 0] += n }
            if let mode = RuleMode(rawValue: try row.decode(column: "mode", as: String.self)) { stats.rulesByMode[mode, default: 0] += n }
        }
        let from = first.description
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
