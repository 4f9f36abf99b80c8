import DeskCore
import Foundation
import SQLKit

/// What the engine does, always as the rule's owner: file requests for the days a rule targets, tell watchers about
/// desks coming free, and keep each person's activity log.
extension AutopilotService {
    func perform(_ work: AutopilotEngine.Work, for userId: UUID) async throws {
        switch work {
        case .plan(let ruleId): try await planRule(ruleId)
        case .watch(let ruleId, let freed): try await tellWatcher(ruleId, about: freed)
        }
    }

    /// Reacts to committed changes made here: request changes of rules go to their owners' logs, and freed desks to
    /// the watching rules of their location. (Another instance reacts to its own changes.)
    func react(to events: [DomainEvent], origin: EventOrigin) {
        guard origin == .local else { return }
        var logged: [RequestEvent] = []
        var freed: [AutopilotEngine.FreedDesk] = []
        for event in events {
            switch event {
            case .request(let change) where change.ruleId != nil: logged.append(change)
            case .booking(let change): freed += AutopilotEngine.FreedDesk.freed(by: change)
            default: break
            }
        }
        if !logged.isEmpty { engine.log(logged, with: self) }
        if !freed.isEmpty { engine.resolving { [self, freed] in try await submitWatchers(of: freed) } }
    }

    /// The leader's job: when a location's next day to open moves (a day opened) or on first run (a restart), plans
    /// its active rules that have not planned that far, or not since their last change.
    func planOpenedDays() async throws {
        let now = clock.now()
        var horizons: [UUID: LocalDate] = [:]
        for location in try await PlaceStore(sql: sql).locations(inCountry: nil) {
            horizons[location.id] = AutopilotPlanning.nextDayToOpen(
                policy: location.effectivePolicy, calendar: ZonedCalendar(timeZone: location.timeZone), now: now)
        }
        for locationId in engine.horizonsMoved(horizons) {
            guard let horizon = horizons[locationId] else { continue }
            for (ruleId, userId) in try await RuleStore(sql: sql).unplannedRules(at: locationId, through: horizon) {
                engine.submit(.plan(ruleId), for: userId, with: self)
            }
        }
    }

    /// Files a request for each targeted day that has none yet: days not open wait for their round; open days take a
    /// free matching desk at once or join the waitlist. Days the owner cancelled, already won, asked for otherwise or
    /// has a desk booked at this location are left alone, and the log says so once per day; with a permanent desk
    /// there the rule asks for nothing.
    private func planRule(_ ruleId: UUID) async throws {
        guard let rule = try await RuleStore(sql: sql).rule(ruleId), rule.status == .active, rule.mode == .book,
              let owner = try await actingOwner(of: rule)
        else { return }
        let location: LocationRecord
        do {
            (location, _) = try await placeService.visibleLocation(rule.locationId, owner)
        } catch let error as DomainError where error.kind == .notFound {
            return try await stop(rule, because: "You can no longer book at this location.")
        }
        let definition = rule.definition
        let (calendar, policy, now) = (ZonedCalendar(timeZone: location.timeZone), location.effectivePolicy, clock.now())
        let days = AutopilotPlanning.targetDays(definition.days, policy: policy, calendar: calendar, now: now,
                                                skipTodayAfter: definition.skipTodayAfter)
        let holdings = try await AutopilotHoldings.load(of: rule.userId, at: location.id, among: days, calendar: calendar, sql: sql)
        var notes: [AutopilotLogRecord] = []
        if let desk = holdings.permanentDesk {
            if try await !RuleStore(sql: sql).hasNote(of: rule.id, kind: .permanentDesk) {
                notes.append(entry(for: rule, level: .info, kind: .permanentDesk,
                                   "Desk \(desk.name) at \(location.name) is yours permanently, so this rule asks for nothing there."))
            }
        } else {
            notes = try await coveredDayNotes(for: rule, about: holdings, among: days, at: location, calendar: calendar)
            let open = days.filter { !holdings.covers($0) }
            guard let filed = try await ask(for: open, by: rule, as: owner, at: location, now: now) else { return }
            // A new or changed rule with nothing to do now says when it will act, so its log is never silent.
            if rule.plannedRevision != rule.revision, filed == 0, notes.isEmpty,
               !days.contains(where: { holdings.requests[$0]?.ruleId == rule.id }) {
                notes.append(nothingYet(rule, definition: definition, policy: policy, calendar: calendar, now: now, at: location))
            }
        }
        if !notes.isEmpty { try await appendLog(notes) }
        let horizon = AutopilotPlanning.nextDayToOpen(policy: policy, calendar: calendar, now: now)
        try await transactor.write { sql in
            try await RuleStore(sql: sql).markPlanned(rule, through: horizon)
            return .unannounced
        }
    }

    /// Files the rule's request for each of `days`; how many it filed, or nil when the rule had to stop.
    private func ask(for days: [LocalDate], by rule: AutopilotRuleRecord, as owner: Viewer, at location: LocationRecord, now: Date)
        async throws -> Int? {
        let definition = rule.definition
        let (calendar, policy) = (ZonedCalendar(timeZone: location.timeZone), location.effectivePolicy)
        var filed = 0
        for day in days {
            // A window already over today, or a day too short for the window: nothing to ask for.
            guard AutopilotPlanning.range(on: day, window: definition.window, policy: policy, calendar: calendar, now: now) != nil else { continue }
            do {
                _ = try await allocation.file(
                    .init(locationId: location.id, day: day, criteria: definition.criteria, window: definition.window, source: .autopilot,
                          ruleId: rule.id),
                    by: owner, actor: Actor(userId: rule.userId, ip: nil))
                filed += 1
            } catch let error as DomainError {
                switch error.kind {
                case .conflict where error.code == "request_exists":
                    continue
                case .unprocessable, .notFound, .forbidden:
                    // What the rule names is no longer there or no longer open to its owner: every day would fail alike.
                    let fields = error.fieldErrors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
                    try await stop(rule, because: fields.isEmpty ? error.detail : fields)
                    return nil
                default:
                    try await appendLog([entry(for: rule, level: .warning, "Could not ask for \(location.name) on \(day): \(error.detail)")])
                }
            }
        }
        return filed
    }

    /// Lines for the days the owner already covered without this rule, each noted once per rule and day: a booking
    /// there ("already booked"), or a request still waiting that they or another rule filed.
    private func coveredDayNotes(
        for rule: AutopilotRuleRecord, about holdings: AutopilotHoldings, among days: [LocalDate], at location: LocationRecord, calendar: ZonedCalendar
    ) async throws -> [AutopilotLogRecord] {
        guard let first = days.first, let last = days.last else { return [] }
        let noted = try await RuleStore(sql: sql).notedDays(of: rule.id, kinds: [.alreadyBooked, .alreadyRequested], from: first, through: last)
        var notes: [AutopilotLogRecord] = []
        for day in days where !noted.contains(day) {
            let request = holdings.requests[day]
            if let booking = holdings.bookings[day]?.first {
                guard request?.ruleId != rule.id else { continue }
                let times = "\(calendar.clockTime(of: booking.range.start))–\(calendar.clockTime(of: booking.range.end))"
                notes.append(entry(for: rule, level: .info, kind: .alreadyBooked, day: day,
                                   "Already booked at \(location.name) on \(day): desk \(booking.deskName), \(times). Nothing to ask for."))
            } else if let request, request.ruleId != rule.id, RequestStatus.open.contains(request.status) {
                let who = request.ruleId == nil ? "You already asked" : "Another of your rules already asked"
                notes.append(entry(for: rule, level: .info, kind: .alreadyRequested, day: day,
                                   "\(who) for a desk at \(location.name) on \(day); this rule leaves that day to it."))
            }
        }
        return notes
    }

    /// "Nothing to ask for yet", with the day the rule asks for next and when.
    private func nothingYet(
        _ rule: AutopilotRuleRecord, definition: AutopilotRuleDefinition, policy: Policy, calendar: ZonedCalendar, now: Date,
        at location: LocationRecord
    ) -> AutopilotLogRecord {
        guard let next = AutopilotOutlook.nextAsk(definition.days, skipTodayAfter: definition.skipTodayAfter, policy: policy, calendar: calendar,
                                                  now: now) else {
            return entry(for: rule, level: .info, kind: .nothingYet, "Nothing to ask for: none of this rule's days lies ahead.")
        }
        let asks = "\(calendar.date(of: next.asksAt)) at \(calendar.clockTime(of: next.asksAt))"
        let opens = "\(calendar.date(of: next.opensAt)) at \(calendar.clockTime(of: next.opensAt))"
        return entry(for: rule, level: .info, kind: .nothingYet, day: next.date,
                     "Nothing to ask for yet. Next: \(location.name) on \(next.date), asked for on \(asks) (\(location.name) time); "
                        + "its draw runs when the day opens on \(opens).")
    }

    /// Queues a watch for each freed desk with each watching rule of its location.
    fileprivate func submitWatchers(of freed: [AutopilotEngine.FreedDesk]) async throws {
        for (ruleId, userId, locationId) in try await RuleStore(sql: sql).watchingRules(at: Set(freed.map(\.locationId))) {
            for desk in freed where desk.locationId == locationId && desk.freedBy != userId {
                engine.submit(.watch(rule: ruleId, desk), for: userId, with: self)
            }
        }
    }

    /// Tells a watching rule's owner about a freed desk they could book, on a day and at times the rule targets.
    private func tellWatcher(_ ruleId: UUID, about freed: AutopilotEngine.FreedDesk) async throws {
        guard let rule = try await RuleStore(sql: sql).rule(ruleId), rule.status == .active, rule.mode == .watch,
              let owner = try await actingOwner(of: rule),
              let context = try await placeService.deskContext(freed.deskId), context.location.id == rule.locationId,
              AccessRules.passes(context.gate, owner), (try? BookingRules.checkDesk(context.state, for: rule.userId, during: [freed.range])) != nil
        else { return }
        let definition = rule.definition
        let location = context.location
        let (calendar, policy, now) = (ZonedCalendar(timeZone: location.timeZone), location.effectivePolicy, clock.now())
        let day = calendar.date(of: freed.range.start)
        let candidate = DeskCandidate(id: context.desk.id, name: context.desk.name, roomId: context.room.id, floorId: context.room.floorId,
                                      tags: Set(context.desk.tagList))
        guard definition.criteria.accepts(candidate),
              AutopilotPlanning.targetDays(definition.days, policy: policy, calendar: calendar, now: now, skipTodayAfter: definition.skipTodayAfter)
                .contains(day),
              let wanted = AutopilotPlanning.range(on: day, window: definition.window, policy: policy, calendar: calendar, now: now),
              wanted.start < freed.range.end, freed.range.start < wanted.end
        else { return }
        let from = max(wanted.start, freed.range.start), until = min(wanted.end, freed.range.end)
        let message = "Desk \(context.desk.name) (\(context.room.name), \(location.name)) came free on \(day), "
            + "\(calendar.clockTime(of: from))–\(calendar.clockTime(of: until))."
        try await appendLog([entry(for: rule, level: .info, message)], notify: .watchAlert)
    }

    /// The owner as the booking rules see them, or nil when their account is inactive (their rules do nothing).
    private func actingOwner(of rule: AutopilotRuleRecord) async throws -> Viewer? {
        guard let user = try await UserStore(sql: sql).user(id: rule.userId), user.isActive else { return nil }
        return try await sessions.viewer(for: user)
    }

    /// Stops a rule that cannot go on, keeping the error for its owner.
    private func stop(_ rule: AutopilotRuleRecord, because reason: String) async throws {
        _ = try await setStatus(of: rule.id, to: .error, reason: reason, by: Actor(userId: nil, ip: nil),
                                load: { try await Self.existingRule(rule.id, on: $0) }, check: { _ in })
        try await appendLog([entry(for: rule, level: .error, "Rule “\(rule.name)” stopped: \(reason)")], notify: .autopilotError)
    }

    func entry(
        for rule: AutopilotRuleRecord, level: AutopilotLogRecord.Level, kind: AutopilotLogRecord.Kind? = nil, day: LocalDate? = nil,
        _ message: String
    ) -> AutopilotLogRecord {
        AutopilotLogRecord(id: UUID(), userId: rule.userId, ruleId: rule.id, requestId: nil, at: clock.now(), level: level, message: message,
                           kind: kind, day: day)
    }

    /// Writes the request changes of rules to their owners' logs, in words.
    func writeLog(for changes: [RequestEvent]) async throws {
        let places = PlaceStore(sql: sql)
        let desks = try await places.names(in: .desks, Set(changes.compactMap(\.deskId)))
        let locations = try await places.names(in: .locations, Set(changes.map(\.locationId)))
        let now = clock.now()
        let entries = changes.map { change in
            let place = "\(locations[change.locationId] ?? "the location") on \(change.day)"
            let (level, message): (AutopilotLogRecord.Level, String) = switch RequestStatus(rawValue: change.status) {
            case .pending: (.info, "Asked for a desk at \(place); the round runs when the day opens for booking.")
            case .waitlisted: (.info, "Waiting for a matching desk to come free at \(place).")
            case .won: (.info, "Booked desk \(change.deskId.flatMap { desks[$0] } ?? "") at \(place).")
            case .failed: (.warning, "No desk at \(place): \(change.reason ?? "refused").")
            case .expired: (.info, "No desk came free at \(place).")
            case .cancelled: (.info, "Request for \(place) cancelled.")
            case .withdrawn: (.info, "Request for \(place) withdrawn: \(change.reason ?? "")")
            case nil: (.info, "Request for \(place) is \(change.status).")
            }
            return AutopilotLogRecord(id: UUID(), userId: change.userId, ruleId: change.ruleId, requestId: change.requestId, at: now,
                                      level: level, message: message)
        }
        try await appendLog(entries)
    }

    /// Adds entries to their owners' logs and streams them on their `me` topics; `notify` also leaves a notification.
    func appendLog(_ entries: [AutopilotLogRecord], notify kind: NotificationKind? = nil) async throws {
        try await transactor.write { sql in
            try await RuleStore(sql: sql).appendLog(entries)
            var events: [DomainEvent] = entries.map { .autopilot(.logged($0)) }
            if let kind {
                events += try await NotificationStore(sql: sql).append(entries.map {
                    NotificationRecord(to: $0.userId, kind, $0.message, link: NotificationRecord.autopilotLink, at: $0.at)
                })
            }
            return Written(events: events)
        }
    }

    /// Keeps the newest `logLength` entries of each person's log (the hourly clean-up).
    func trimLogs() async throws {
        try await transactor.write { sql in
            try await RuleStore(sql: sql).trimLogs(to: Self.logLength)
            return .unannounced
        }
    }

}

extension AutopilotEngine.FreedDesk {
    /// The part of a booking's time that a cancellation, release or shortening gave back.
    static func freed(by change: BookingEvent) -> [Self] {
        func desk(_ range: TimeRange) -> Self {
            Self(deskId: change.deskId, locationId: change.locationId, range: range, freedBy: change.userId)
        }
        switch change.change {
        case .cancelled, .released:
            return [desk(change.range)]
        case .changed:
            guard let previous = change.previous else { return [] }
            var freed: [Self] = []
            if previous.start < change.range.start {
                freed.append(desk(TimeRange(uncheckedStart: previous.start, end: min(previous.end, change.range.start))))
            }
            if previous.end > change.range.end {
                freed.append(desk(TimeRange(uncheckedStart: max(previous.start, change.range.end), end: previous.end)))
            }
            return freed
        case .created:
            return []
        }
    }
}
