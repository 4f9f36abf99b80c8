import DeskCore
import Vapor

// Response bodies of the autopilot: the types generated from `openapi.yaml`, with initialisers from records and
// domain values (see `DTOs.swift`).

typealias AutopilotRuleDTO = Components.Schemas.AutopilotRule
typealias AutopilotLogDTO = Components.Schemas.AutopilotLogEntry
typealias RuleLimitDTO = Components.Schemas.RuleLimit
typealias AutopilotOverviewDTO = Components.Schemas.AutopilotOverview
typealias AutopilotStatsDTO = Components.Schemas.AutopilotStats

typealias RuleOutlookDTO = Components.Schemas.RuleOutlook

extension AutopilotRuleDTO: Content {
    /// `counters`: the requests the rule filed, by status, every status listed (owner views); nil leaves them out, and
    /// so does a nil `outlook`.
    init(_ rule: AutopilotRuleRecord, counters: [RequestStatus: Int]?, outlook: AutopilotOutlook? = nil) {
        let definition = rule.definition
        let days = definition.days
        let criteria = definition.criteria
        self.init(
            acceptsOtherDesks: criteria.acceptsOtherDesks,
            blacklistDates: days.blacklistDates.sorted().map(\.description),
            blacklistRanges: days.blacklistRanges.map { .init(from: $0.from.description, to: $0.to.description) },
            counters: counters.map { counters in
                .init(additionalProperties: Dictionary(
                    uniqueKeysWithValues: RequestStatus.allCases.map { ($0.rawValue, counters[$0] ?? 0) }))
            },
            createdAt: rule.createdAt, deskIds: criteria.preferredDesks.map(\.uuidString),
            extraDates: days.extraDates.sorted().map(\.description),
            floorIds: criteria.floorIds.map(\.uuidString).sorted(), id: rule.id.uuidString,
            locationId: rule.locationId.uuidString, mode: .init(contract: rule.mode.rawValue), name: rule.name,
            outlook: outlook.map(RuleOutlookDTO.init), roomIds: criteria.roomIds.map(\.uuidString).sorted(),
            skipTodayAfter: definition.skipTodayAfter?.description,
            status: .init(contract: rule.status.rawValue), statusReason: rule.statusReason,
            tags: criteria.requiredTags.sorted(), updatedAt: rule.updatedAt, userId: rule.userId.uuidString,
            weekdays: days.weekdays.sorted(), window: definition.window.map(DayWindowDTO.init))
    }
}

extension RuleOutlookDTO {
    init(_ outlook: AutopilotOutlook) {
        func named(_ desk: AutopilotOutlook.NamedDesk) -> Components.Schemas.NamedRef {
            .init(id: desk.id.uuidString, name: desk.name)
        }
        self.init(
            days: outlook.days.map { day in
                .init(askedByThisRule: day.askedByThisRule, date: day.date.description, desk: day.desk.map(named), end: day.range?.end,
                      opensAt: day.opensAt, reason: day.reason, start: day.range?.start, state: .init(contract: day.state.rawValue),
                      waitlistPosition: day.waitlistPosition)
            },
            nextAsk: outlook.nextAsk.map { .init(asksAt: $0.asksAt, date: $0.date.description, opensAt: $0.opensAt) },
            permanentDesk: outlook.permanentDesk.map(named))
    }
}

extension AutopilotLogDTO: Content {
    init(_ entry: AutopilotLogRecord) {
        self.init(
            at: entry.at, day: entry.day?.description, id: entry.id.uuidString, kind: entry.kind.map { .init(contract: $0.rawValue) },
            level: .init(contract: entry.level.rawValue), message: entry.message, requestId: entry.requestId?.uuidString,
            ruleId: entry.ruleId?.uuidString)
    }
}

extension RuleLimitDTO: Content {
    /// `isOwn`: whether an administrator set this person's own limit (else the server's standard applies).
    init(userId: UUID, maxRules: Int, isOwn: Bool) {
        self.init(isOwn: isOwn, maxRules: maxRules, userId: userId.uuidString)
    }
}

extension AutopilotOverviewDTO: Content {
    /// A person's autopilot at a glance: rules with counters, their limit, the latest log and history.
    init(_ overview: AutopilotService.Overview, standard: AutopilotService.Limits) {
        self.init(
            history: overview.history.map(AllocationRequestDTO.init), limitIsOwn: overview.limit.isOwn,
            log: overview.log.map(AutopilotLogDTO.init), maxRules: overview.limit.limit,
            rules: overview.rules.map { AutopilotRuleDTO($0, counters: overview.counters[$0.id] ?? [:], outlook: overview.outlooks[$0.id]) },
            serverMaxRules: standard.total)
    }
}

extension AutopilotStatsDTO: Content {
    /// Every rule status and mode listed, with 0 where none.
    init(_ stats: AutopilotService.Stats) {
        self.init(
            recentRounds: stats.recentRounds.map {
                .init(
                    date: $0.day, id: $0.id.uuidString, locationId: $0.locationId.uuidString,
                    participants: $0.participants, ranAt: $0.ranAt, waitlisted: $0.waitlisted, winners: $0.winners)
            },
            requestsPerDay: .init(additionalProperties: stats.requestsPerDay.mapValues { counts in
                .init(additionalProperties: Dictionary(
                    uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }))
            }),
            rulesByMode: .init(additionalProperties: Dictionary(
                uniqueKeysWithValues: RuleMode.allCases.map { ($0.rawValue, stats.rulesByMode[$0] ?? 0) })),
            rulesByStatus: .init(additionalProperties: Dictionary(
                uniqueKeysWithValues: RuleStatus.allCases.map { ($0.rawValue, stats.rulesByStatus[$0] ?? 0) })),
            usersWithActiveRules: stats.usersWithActiveRules,
            waitlists: stats.waitlists.map {
                .init(date: $0.day, locationId: $0.locationId.uuidString, waiting: $0.waiting)
            })
    }
}
