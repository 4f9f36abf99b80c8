import DeskCore
import Foundation

/// Per rule, what it did and what it does next, for its owner's page (and an administrator looking at it).
extension AutopilotService {
    /// The outlook of each rule, by rule id; rules at a location that no longer exists have none.
    func outlooks(of rules: [AutopilotRuleRecord]) async throws -> [UUID: AutopilotOutlook] {
        let now = clock.now()
        let places = PlaceStore(sql: sql)
        var locations: [UUID: LocationRecord] = [:]
        var outlooks: [UUID: AutopilotOutlook] = [:]
        for rule in rules {
            if locations[rule.locationId] == nil { locations[rule.locationId] = try await places.location(rule.locationId) }
            guard let location = locations[rule.locationId] else { continue }
            let (calendar, policy) = (ZonedCalendar(timeZone: location.timeZone), location.effectivePolicy)
            let horizon = [calendar.date(of: now), AutopilotPlanning.nextDayToOpen(policy: policy, calendar: calendar, now: now)]
            let holdings = try await AutopilotHoldings.load(of: rule.userId, at: location.id, among: horizon, calendar: calendar, sql: sql)
            let positions = try await RuleStore(sql: sql).waitlistPositions(of: holdings.waitlistedRequestIds)
            let definition = rule.definition
            outlooks[rule.id] = AutopilotOutlook.make(
                definition.days, window: definition.window, skipTodayAfter: definition.skipTodayAfter,
                acting: rule.status == .active && rule.mode == .book, policy: policy, calendar: calendar, now: now,
                facts: holdings.facts(for: rule.id, positions: positions))
        }
        return outlooks
    }

    func outlook(of rule: AutopilotRuleRecord) async throws -> AutopilotOutlook? {
        try await outlooks(of: [rule])[rule.id]
    }
}
