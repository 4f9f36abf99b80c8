import DeskCore
import Vapor

/// A person's autopilot rules, activity and history (`/api/v1/me/autopilot/…`), and administrators' oversight.
enum AutopilotController {
    /// A rule as sent: every field for a new rule (defaults aside), any of them for a change. `null` clears `window`
    /// and `skip_today_after`.
    struct RuleInput: Decodable {
        var name: String?
        var locationId: UUID?
        var mode: RuleMode?
        var weekdays: [Int]?
        var extraDates: [LocalDate]?
        var blacklistDates: [LocalDate]?
        var blacklistRanges: [DaySpan]?
        var window: DayWindow??
        var skipTodayAfter: LocalTime??
        var deskIds: [UUID]?
        var tags: [String]?
        var roomIds: [UUID]?
        var floorIds: [UUID]?
        var acceptsOtherDesks: Bool?

        private enum CodingKeys: String, CodingKey {
            case name, locationId, mode, weekdays, extraDates, blacklistDates, blacklistRanges, window, skipTodayAfter, deskIds, tags,
                 roomIds, floorIds, acceptsOtherDesks
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            locationId = try container.decodeIfPresent(UUID.self, forKey: .locationId)
            mode = try container.decodeIfPresent(RuleMode.self, forKey: .mode)
            weekdays = try container.decodeIfPresent([Int].self, forKey: .weekdays)
            extraDates = try container.decodeIfPresent([LocalDate].self, forKey: .extraDates)
            blacklistDates = try container.decodeIfPresent([LocalDate].self, forKey: .blacklistDates)
            blacklistRanges = try container.decodeIfPresent([DaySpan].self, forKey: .blacklistRanges)
            window = try container.decodeNullable(DayWindow.self, forKey: .window)
            skipTodayAfter = try container.decodeNullable(LocalTime.self, forKey: .skipTodayAfter)
            deskIds = try container.decodeIfPresent([UUID].self, forKey: .deskIds)
            tags = try container.decodeIfPresent([String].self, forKey: .tags)
            roomIds = try container.decodeIfPresent([UUID].self, forKey: .roomIds)
            floorIds = try container.decodeIfPresent([UUID].self, forKey: .floorIds)
            acceptsOtherDesks = try container.decodeIfPresent(Bool.self, forKey: .acceptsOtherDesks)
        }

        /// The draft this input makes of a rule as it stands (or of nothing, for a new rule).
        func draft(over rule: AutopilotRuleRecord?) throws -> AutopilotService.Draft {
            guard let locationId = locationId ?? rule?.locationId else { throw DomainError.validation(field: "location_id", "is required") }
            var definition = rule?.definition
                ?? AutopilotRuleDefinition(criteria: DeskCriteria(), days: DaySelection(), window: nil, skipTodayAfter: nil)
            if let weekdays { definition.days.weekdays = Set(weekdays) }
            if let extraDates { definition.days.extraDates = Set(extraDates) }
            if let blacklistDates { definition.days.blacklistDates = Set(blacklistDates) }
            if let blacklistRanges { definition.days.blacklistRanges = blacklistRanges }
            if let window { definition.window = window }
            if let skipTodayAfter { definition.skipTodayAfter = skipTodayAfter }
            if let deskIds { definition.criteria.preferredDesks = deskIds }
            if let tags { definition.criteria.requiredTags = Set(tags) }
            if let roomIds { definition.criteria.roomIds = Set(roomIds) }
            if let floorIds { definition.criteria.floorIds = Set(floorIds) }
            if let acceptsOtherDesks { definition.criteria.acceptsOtherDesks = acceptsOtherDesks }
            return AutopilotService.Draft(name: name ?? rule?.name, locationId: locationId, mode: mode ?? rule?.mode ?? .book,
                                          definition: definition)
        }
    }

    struct HistoryQuery: Decodable {
        let ruleId: UUID?
        let cursor: String?
        let limit: Int?

        enum CodingKeys: String, CodingKey {
            case cursor, limit
            case ruleId = "rule_id"
        }
    }

    struct AdminQuery: Decodable {
        let status: String?
        let mode: String?
        let userId: UUID?
        let locationId: UUID?
        let cursor: String?
        let limit: Int?

        enum CodingKeys: String, CodingKey {
            case status, mode, cursor, limit
            case userId = "user_id", locationId = "location_id"
        }
    }

    struct SuspendInput: Decodable {
        let reason: String
    }

    struct LimitsInput: Decodable {
        /// Null: back to the standard limit. Required, so that a reset is always meant (`{}` is refused).
        let maxRules: Int?

        private enum CodingKeys: String, CodingKey { case maxRules }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            guard let maxRules = try container.decodeNullable(Int.self, forKey: .maxRules) else {
                throw DomainError.validation(field: "max_rules", "is required: a number, or null for the server's standard")
            }
            self.maxRules = maxRules
        }
    }

    // MARK: The owner's own

    @Sendable static func overview(_ req: Request) async throws -> AutopilotOverviewDTO {
        AutopilotOverviewDTO(try await req.services.autopilot.overview(of: try req.requireViewer().userId), standard: req.services.autopilot.limits)
    }

    @Sendable static func list(_ req: Request) async throws -> [AutopilotRuleDTO] {
        let userId = try req.requireViewer().userId
        let service = req.services.autopilot
        let counters = try await service.counters(of: userId)
        let rules = try await service.rules(of: userId)
        let outlooks = try await service.outlooks(of: rules)
        return rules.map { AutopilotRuleDTO($0, counters: counters[$0.id] ?? [:], outlook: outlooks[$0.id]) }
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        let draft = try req.body(RuleInput.self).draft(over: nil)
        let service = req.services.autopilot
        let rule = try await service.create(draft, by: viewer, actor: req.actor)
        return try .created(AutopilotRuleDTO(rule, counters: [:], outlook: try await service.outlook(of: rule)))
    }

    @Sendable static func get(_ req: Request) async throws -> AutopilotRuleDTO {
        let viewer = try req.requireViewer()
        let service = req.services.autopilot
        let rule = try await service.rule(try req.id(), of: viewer)
        return AutopilotRuleDTO(rule, counters: try await service.counters(of: viewer.userId)[rule.id] ?? [:], outlook: try await service.outlook(of: rule))
    }

    @Sendable static func update(_ req: Request) async throws -> AutopilotRuleDTO {
        let viewer = try req.requireViewer()
        let service = req.services.autopilot
        let id = try req.id()
        let input = try req.body(RuleInput.self)
        let rule = try await service.update(id, try input.draft(over: try await service.rule(id, of: viewer)), by: viewer, actor: req.actor)
        return AutopilotRuleDTO(rule, counters: try await service.counters(of: viewer.userId)[rule.id] ?? [:], outlook: try await service.outlook(of: rule))
    }

    @Sendable static func delete(_ req: Request) async throws -> HTTPStatus {
        try await req.services.autopilot.delete(try req.id(), by: try req.requireViewer(), actor: req.actor)
        return .noContent
    }

    @Sendable static func pause(_ req: Request) async throws -> AutopilotRuleDTO {
        let service = req.services.autopilot
        let rule = try await service.pause(try req.id(), by: try req.requireViewer(), actor: req.actor)
        return AutopilotRuleDTO(rule, counters: nil, outlook: try await service.outlook(of: rule))
    }

    @Sendable static func resume(_ req: Request) async throws -> AutopilotRuleDTO {
        let service = req.services.autopilot
        let rule = try await service.resume(try req.id(), by: try req.requireViewer(), actor: req.actor)
        return AutopilotRuleDTO(rule, counters: nil, outlook: try await service.outlook(of: rule))
    }

    @Sendable static func log(_ req: Request) async throws -> [AutopilotLogDTO] {
        try await req.services.autopilot.log(of: try req.requireViewer().userId).map(AutopilotLogDTO.init)
    }

    @Sendable static func history(_ req: Request) async throws -> Page<AllocationRequestDTO> {
        let viewer = try req.requireViewer()
        let query = try req.decodeQuery(HistoryQuery.self)
        let limit = try Pagination.limit(query.limit)
        let before = try Cursor.parse(query.cursor).map { ($0.instant, $0.id) }
        let requests = try await req.services.autopilot.history(of: viewer.userId, ruleId: query.ruleId, before: before, limit: limit)
        let next = requests.count == limit ? requests.last.map { Cursor(instant: $0.createdAt, id: $0.id).text } : nil
        return Page(items: requests.map(AllocationRequestDTO.init), nextCursor: next)
    }

    // MARK: Oversight

    @Sendable static func adminList(_ req: Request) async throws -> Page<AutopilotRuleDTO> {
        let viewer = try req.requireViewer()
        let query = try req.decodeQuery(AdminQuery.self)
        var filter = AutopilotService.RuleFilter(userId: query.userId, locationId: query.locationId, limit: try Pagination.limit(query.limit))
        filter.status = try query.status.map { try QueryChoice.parse($0, field: "status", as: RuleStatus.self) }
        filter.mode = try query.mode.map { try QueryChoice.parse($0, field: "mode", as: RuleMode.self) }
        if let position = try Cursor.parse(query.cursor) { filter.before = (position.instant, position.id) }
        let rules = try await req.services.autopilot.allRules(filter, by: viewer)
        let next = rules.count == filter.limit ? rules.last.map { Cursor(instant: $0.createdAt, id: $0.id).text } : nil
        return Page(items: rules.map { AutopilotRuleDTO($0, counters: nil) }, nextCursor: next)
    }

    @Sendable static func suspend(_ req: Request) async throws -> AutopilotRuleDTO {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(SuspendInput.self)
        return AutopilotRuleDTO(try await req.services.autopilot.suspend(id, reason: input.reason, by: viewer, actor: req.actor),
                                counters: nil)
    }

    @Sendable static func adminResume(_ req: Request) async throws -> AutopilotRuleDTO {
        AutopilotRuleDTO(try await req.services.autopilot.resumeSuspended(try req.id(), by: try req.requireViewer(), actor: req.actor),
                         counters: nil)
    }

    @Sendable static func setLimits(_ req: Request) async throws -> RuleLimitDTO {
        let viewer = try req.requireViewer()
        let userId = try req.id()
        let input = try req.body(LimitsInput.self)
        let (limit, isOwn) = try await req.services.autopilot.setRuleLimit(of: userId, to: input.maxRules, by: viewer, actor: req.actor)
        return RuleLimitDTO(userId: userId, maxRules: limit, isOwn: isOwn)
    }

    @Sendable static func inspect(_ req: Request) async throws -> AutopilotOverviewDTO {
        let service = req.services.autopilot
        return AutopilotOverviewDTO(try await service.inspect(try req.id(), by: try req.requireViewer(), actor: req.actor), standard: service.limits)
    }

    @Sendable static func stats(_ req: Request) async throws -> AutopilotStatsDTO {
        AutopilotStatsDTO(try await req.services.autopilot.stats(by: try req.requireViewer()))
    }
}
