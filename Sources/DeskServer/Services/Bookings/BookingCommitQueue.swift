import DeskCore
import Foundation
import SQLKit

/// Creates bookings in group commits. Requests that arrive while a commit is running wait and go together into the
/// next transaction, which decides them one after another in arrival order, exactly as separate transactions would:
/// each sees the bookings accepted before it. A quiet server commits each booking alone; a busy one pays for one
/// transaction per batch instead of one per booking, which is what lets a single SQLite writer keep up.
///
/// A submission is a unit of one or more bookings (a bulk request is one unit); an atomic unit is accepted whole or
/// not at all.
actor BookingCommitQueue {
    /// One booking waiting to be committed, with the facts its rules need.
    struct Request: Sendable {
        let record: BookingRecord
        let roomId: UUID
        let policy: Policy
        let timeZone: TimeZone
        let locationId: UUID
        let actor: Actor
        var onBehalf: OnBehalf?

        var attempt: BookingAttempt {
            BookingAttempt(range: record.range, ownerId: record.userId, requesterId: record.createdBy)
        }
    }

    /// A booking made for someone else: how to tell them.
    struct OnBehalf: Sendable {
        let actorName: String
        let notice: BookingNotice
        /// The owner's formats.
        let format: ReadingFormat
    }

    private struct Unit: Sendable {
        let requests: [Request]
        let atomic: Bool
    }

    private struct Waiting {
        let unit: Unit
        let continuation: CheckedContinuation<[DomainError?], any Error>
    }

    /// Bookings per transaction, at most (a larger unit still commits whole).
    static let maximumBatch = 128

    /// Why an interval of a refused atomic unit was not created although its own rules passed.
    static let withdrawn = DomainError.conflict(code: "not_attempted", "Not created: another interval of this request was refused.")

    private let transactor: Transactor
    private let clock: WallClock
    private let metrics: ServerMetrics
    private var queue: [Waiting] = []
    private var draining = false

    init(transactor: Transactor, clock: WallClock, metrics: ServerMetrics) {
        self.transactor = transactor
        self.clock = clock
        self.metrics = metrics
    }

    /// Returns once the booking is committed; throws the rule it broke otherwise.
    func submit(_ request: Request) async throws {
        if let refusal = try await submit([request], atomic: true).first ?? nil { throw refusal }
    }

    /// Commits the bookings that pass (all or none when `atomic`); returns nil for each created one and the refusal
    /// for each other, in order.
    func submit(_ requests: [Request], atomic: Bool) async throws -> [DomainError?] {
        guard !requests.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            queue.append(Waiting(unit: Unit(requests: requests, atomic: atomic), continuation: continuation))
            if !draining {
                draining = true
                // Ahead of request handling: every waiting request is blocked on this task.
                Task(priority: .high) { await drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            var count = 0, size = 0
            for waiting in queue {
                guard count == 0 || size + waiting.unit.requests.count <= Self.maximumBatch else { break }
                size += waiting.unit.requests.count
                count += 1
            }
            let batch = Array(queue.prefix(count))
            queue.removeFirst(count)
            await commit(batch)
        }
        draining = false
    }

    private nonisolated func commit(_ batch: [Waiting]) async {
        do {
            let now = clock.now()
            let transactor = transactor
            let units = batch.map(\.unit)
            let outcomes = try await transactor.write { sql in
                let outcomes = try await Self.decide(units, now: now, transactor: transactor, on: sql)
                // Per unit (one request, or one bulk request), the bookings it created.
                let accepted = zip(units, outcomes).map { unit, refusals in
                    zip(unit.requests, refusals).compactMap { request, refusal in refusal == nil ? request : nil }
                }
                let created = accepted.joined().map {
                    DomainEvent.booking(BookingEvent(.created, $0.record, roomId: $0.roomId, locationId: $0.locationId))
                }
                return Written(outcomes, events: created + (try await Self.notifyOwners(of: accepted, at: now, on: sql)))
            }
            for case let refusal? in outcomes.joined() where refusal != Self.withdrawn { metrics.bookingRefused(code: refusal.code) }
            for (waiting, outcome) in zip(batch, outcomes) { waiting.continuation.resume(returning: outcome) }
        } catch where batch.count > 1 {
            // The database refused the batch (on PostgreSQL another instance may have won a desk): decide each alone.
            for waiting in batch { await commit([waiting]) }
        } catch {
            if error.isConstraintFailure { metrics.bookingRefused(code: "desk_taken") }
            batch[0].continuation.resume(throwing: error.isConstraintFailure ? DomainError.deskTaken([]) : error)
        }
    }

    /// Decides the units in order inside one transaction; for each, nil per accepted booking or its refusal.
    private static func decide(_ units: [Unit], now: Date, transactor: Transactor, on sql: any SQLDatabase) async throws -> [[DomainError?]] {
        let requests = units.flatMap(\.requests)
        let deskIds = Array(Set(requests.map(\.record.deskId)))
        let userIds = Array(Set(requests.map(\.record.userId)))
        try await transactor.lockRows("desks", ids: deskIds, in: sql)
        try await transactor.lockRows("users", ids: userIds, in: sql)
        let span = TimeRange(uncheckedStart: requests.map(\.record.startAt).min()!, end: requests.map(\.record.endAt).max()!)
        var facts = try await BookingStore(sql: sql).ledger(desks: deskIds, users: userIds, overlapping: span, now: now)

        var accepted: [Request] = []
        var consumedHolds: [(desk: UUID, user: UUID)] = []
        var outcomes: [[DomainError?]] = []
        for unit in units {
            let before = facts
            var unitOutcomes: [DomainError?] = []
            for request in unit.requests {
                do {
                    try facts.admit(request.attempt, desk: request.record.deskId, policy: request.policy, timeZone: request.timeZone, now: now)
                    unitOutcomes.append(nil)
                } catch {
                    unitOutcomes.append(error)
                }
            }
            if unit.atomic, unitOutcomes.contains(where: { $0 != nil }) {
                facts = before
                outcomes.append(unitOutcomes.map { $0 ?? withdrawn })
                continue
            }
            for (request, outcome) in zip(unit.requests, unitOutcomes) where outcome == nil {
                accepted.append(request)
                if let hold = before.states[request.record.deskId]?.hold,
                   hold.userId == request.record.userId || hold.userId == request.record.createdBy {
                    consumedHolds.append((hold.deskId, hold.userId))
                }
            }
            outcomes.append(unitOutcomes)
        }
        guard !accepted.isEmpty else { return outcomes }
        try await insert(accepted, now: now, on: sql)
        // The holder's own booking consumes the hold.
        for (desk, user) in consumedHolds {
            try await HoldStore(sql: sql).remove(desk: desk, user: user)
        }
        return outcomes
    }

    /// Tells each person someone else booked for: one notification per unit (a bulk request's bookings together), for
    /// the bookings of it that were created.
    private static func notifyOwners(of units: [[Request]], at now: Date, on sql: any SQLDatabase) async throws -> [DomainEvent] {
        var notifications: [NotificationRecord] = []
        for made in units.map({ $0.filter { $0.onBehalf != nil } }) where !made.isEmpty {
            guard let first = made.min(by: { $0.record.startAt < $1.record.startAt }), let onBehalf = first.onBehalf else { continue }
            let message = onBehalf.notice.madeForYou(made.map(\.record.range), by: onBehalf.actorName, format: onBehalf.format)
            notifications.append(NotificationRecord(to: first.record.userId, .bookingMadeForYou, message, booking: first.record.id,
                                                    location: first.locationId, at: now))
        }
        return try await NotificationStore(sql: sql).append(notifications)
    }

    /// Stores bookings that passed every rule, with their audit entries. Allocation rounds and waitlist offers decide
    /// with the same `BookingLedger.admit` inside their own transactions and store through here too.
    static func insert(_ accepted: [Request], now: Date, on sql: any SQLDatabase) async throws {
        try await BookingStore(sql: sql).insert(accepted.map(\.record))
        try await AuditLog(sql: sql).append(accepted.map { request in
            Audit.entry("booking.created", target: "booking", id: request.record.id, location: request.locationId,
                        by: request.actor, at: now, details: BookingService.auditDetails(request.record))
        })
    }
}
