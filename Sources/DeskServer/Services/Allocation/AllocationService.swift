import DeskCore
import Foundation
import SQLKit

/// Requests for desks, the allocation round of each day that opens, and the waitlist (SPEC §4).
struct AllocationService: Sendable {
    let transactor: Transactor
    let clock: WallClock
    let placeService: PlaceService
    let weights: FairnessWeights
    /// Runs waitlist passes one at a time, as freed desks are announced.
    let waitlist: WaitlistDispatcher

    var sql: any SQLDatabase { transactor.sql }

    init(transactor: Transactor, clock: WallClock, placeService: PlaceService, weights: FairnessWeights = .standard) {
        self.transactor = transactor
        self.clock = clock
        self.placeService = placeService
        self.weights = weights
        self.waitlist = WaitlistDispatcher()
    }

    struct NewRequest: Sendable {
        var locationId: UUID
        var day: LocalDate
        var criteria: DeskCriteria
        var window: DayWindow?
        var source: BookingSource
        var ruleId: UUID? = nil
    }

    /// How far ahead a request may be filed.
    static let furthestDays = 365
    static let maximumPreferences = 20

    /// Files a request. For a day not yet open (or whose round is still to run) it waits for the round; for an open
    /// day it joins the end of the waitlist and takes a free matching desk at once if one is there.
    func file(_ input: NewRequest, by viewer: Viewer, actor: Actor) async throws -> AllocationRequestRecord {
        let (location, _) = try await placeService.visibleLocation(input.locationId, viewer)
        let criteria = try await checked(input.criteria, in: location.id, for: viewer)
        let policy = location.effectivePolicy
        let calendar = ZonedCalendar(timeZone: location.timeZone)
        let now = clock.now()
        let today = calendar.date(of: now)
        guard input.day >= today else { throw DomainError.validation(field: "date", "must not be in the past") }
        guard input.day <= calendar.adding(days: Self.furthestDays, to: today) else {
            throw DomainError.validation(field: "date", "must be within \(Self.furthestDays) days")
        }
        try BookingRules.checkOpen(on: input.day, policy: policy)
        guard AutopilotPlanning.range(on: input.day, window: input.window, policy: policy, calendar: calendar, now: now) != nil else {
            throw DomainError.validation(field: "window", "leaves no bookable time on that day (bookable \(policy.bookableFrom)–\(policy.bookableUntil))")
        }
        let criteriaJSON = String(decoding: try JSONEncoder.snakeCase.encode(criteria), as: UTF8.self)
        let isOpen = input.day <= BookingRules.lastOpenDay(policy: policy, calendar: calendar, now: now)
        let record = try await mappingConstraintFailure(to: DomainError.conflict(code: "request_exists", "You already have an open request for that day here.")) {
            try await transactor.write { sql in
                let requests = RequestStore(sql: sql)
                let roundPending = try await requests.roundPending(at: location.id, on: input.day)
                let waits = isOpen && !roundPending
                let rank = waits ? try await requests.nextWaitlistRank(at: location.id, on: input.day) : nil
                let record = AllocationRequestRecord(
                    id: UUID(), userId: viewer.userId, locationId: location.id, day: input.day.description, criteria: criteriaJSON,
                    windowFrom: input.window?.from.minutes, windowUntil: input.window?.until.minutes, source: input.source,
                    ruleId: input.ruleId, status: waits ? .waitlisted : .pending, reason: nil, deskId: nil, bookingId: nil,
                    waitlistRank: rank, createdAt: now, updatedAt: now)
                try await requests.insert(record)
                try await AuditLog(sql: sql).record("request.filed", target: "request", id: record.id, location: location.id, by: actor,
                                                    at: now, details: ["date": record.day, "status": record.status.rawValue])
                return Written(record, events: [.request(record.event)])
            }
        }
        guard record.status == .waitlisted else { return record }
        await waitlist.run(AllocationDay(locationId: location.id, day: input.day), with: self)
        return try await request(record.id, of: viewer)
    }

    /// Withdraws a request that still waits; one that has a desk is withdrawn by cancelling the booking.
    func cancel(_ id: UUID, by viewer: Viewer, actor: Actor) async throws -> AllocationRequestRecord {
        let now = clock.now()
        return try await transactor.write { sql in
            let requests = RequestStore(sql: sql)
            guard var record = try await requests.request(id, of: viewer.userId) else { throw DomainError.notFound("Request") }
            guard RequestStatus.open.contains(record.status) else {
                throw DomainError.conflict(code: "request_closed", record.status == .won
                    ? "This request already has a desk; cancel the booking instead."
                    : "This request is \(record.status.rawValue) already.")
            }
            record.status = .cancelled
            record.updatedAt = now
            try await requests.cancel(id, at: now)
            try await AuditLog(sql: sql).record("request.cancelled", target: "request", id: id, location: record.locationId, by: actor,
                                                at: now, details: ["date": record.day])
            return Written(record, events: [.request(record.event)])
        }
    }

    /// One of the viewer's own requests; anyone else's answers 404.
    func request(_ id: UUID, of viewer: Viewer) async throws -> AllocationRequestRecord {
        guard let record = try await RequestStore(sql: sql).request(id, of: viewer.userId) else { throw DomainError.notFound("Request") }
        return record
    }

    /// The viewer's own requests, newest day first, optionally from a day on.
    func mine(_ viewer: Viewer, from: LocalDate?, status: RequestStatus?, limit: Int) async throws -> [AllocationRequestRecord] {
        try await RequestStore(sql: sql).requests(of: viewer.userId, from: from, status: status, limit: limit)
    }

    /// Checks that every named place and desk belongs to the location and that the person may book there; tags are compared in lower case, as desks store them.
    func checked(_ criteria: DeskCriteria, in locationId: UUID, for viewer: Viewer) async throws -> DeskCriteria {
        var criteria = criteria
        criteria.requiredTags = Set(criteria.requiredTags.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
        var problems: [FieldError] = []
        if criteria.preferredDesks.count > Self.maximumPreferences {
            problems.append(FieldError(field: "desk_ids", message: "at most \(Self.maximumPreferences) desks"))
        }
        if Set(criteria.preferredDesks).count != criteria.preferredDesks.count {
            problems.append(FieldError(field: "desk_ids", message: "each desk at most once"))
        }
        if criteria.requiredTags.count > 20 { problems.append(FieldError(field: "tags", message: "at most 20 tags")) }
        problems += FieldChecks.textProblems(criteria.requiredTags.first { FieldChecks.hasControlCharacters($0, multiline: false) }, field: "tags")
        if criteria.roomIds.count > 100 || criteria.floorIds.count > 100 {
            problems.append(FieldError(field: "room_ids", message: "at most 100 rooms and 100 floors"))
        }
        guard problems.isEmpty else { throw DomainError.validation(problems) }
        // Desks and rooms behind a gate the person does not pass count as unknown: naming them reveals nothing.
        let places = PlaceStore(sql: sql)
        let locationGate = try await places.locationGate(locationId)
        let roomGroups = try await places.roomGates(inLocation: locationId)
        func visible(_ roomId: UUID) -> Bool {
            AccessRules.passes(RoomGate(roomId: roomId, location: locationGate, groupIds: roomGroups[roomId] ?? []), viewer)
        }
        let requests = RequestStore(sql: sql)
        for (ids, field) in [(criteria.preferredDesks, "desk_ids"), (Array(criteria.roomIds), "room_ids")] where !ids.isEmpty {
            let rooms = field == "desk_ids" ? try await requests.roomIds(ofDesks: ids, at: locationId)
                : try await requests.roomIds(among: ids, at: locationId)
            if rooms.count != ids.count || !rooms.allSatisfy(visible) {
                problems.append(FieldError(field: field, message: "must all be places you can book at this location"))
            }
        }
        if !criteria.floorIds.isEmpty {
            let found = try await requests.floorCount(among: Array(criteria.floorIds), at: locationId)
            if found != criteria.floorIds.count { problems.append(FieldError(field: "floor_ids", message: "must all belong to this location")) }
        }
        guard problems.isEmpty else { throw DomainError.validation(problems) }
        if !criteria.acceptsOtherDesks && criteria.preferredDesks.isEmpty {
            throw DomainError.validation(field: "desk_ids", "name at least one desk, or accept other desks")
        }
        return criteria
    }
}

/// A location and one of its days: what a round or a waitlist pass works on.
struct AllocationDay: Hashable, Sendable {
    let locationId: UUID
    let day: LocalDate
}

extension AllocationRequestRecord {
    var event: RequestEvent {
        RequestEvent(requestId: id, userId: userId, locationId: locationId, day: LocalDate(parsing: day)!, status: status.rawValue,
                     deskId: deskId, bookingId: bookingId, reason: reason, ruleId: ruleId)
    }

    /// The criteria of many requests by request id, decoded in one pass: a round reads ten thousand, and a decoder
    /// per request costs several times the decoding itself.
    static func criteria(of requests: [AllocationRequestRecord]) -> [UUID: DeskCriteria] {
        let all = "[" + requests.map(\.criteria).joined(separator: ",") + "]"
        guard let decoded = try? JSONDecoder.snakeCase.decode([DeskCriteria].self, from: Data(all.utf8)), decoded.count == requests.count
        else { return Dictionary(requests.map { ($0.id, $0.deskCriteria) }, uniquingKeysWith: { first, _ in first }) }
        return Dictionary(zip(requests.map(\.id), decoded), uniquingKeysWith: { first, _ in first })
    }

    /// The requests as allocations decide on them, in the same order, their criteria decoded in one pass.
    static func allocationRequests(_ records: [AllocationRequestRecord]) -> [AllocationRequest] {
        let criteria = criteria(of: records)
        return records.map { AllocationRequest(id: $0.id, userId: $0.userId, criteria: criteria[$0.id] ?? DeskCriteria(), window: $0.window) }
    }

    var deskCriteria: DeskCriteria {
        (try? JSONDecoder.snakeCase.decode(DeskCriteria.self, from: Data(criteria.utf8))) ?? DeskCriteria()
    }

    var window: DayWindow? { DayWindow(minutes: windowFrom, windowUntil) }
}
