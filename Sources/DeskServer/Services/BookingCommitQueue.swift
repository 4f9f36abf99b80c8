import DeskCore
import Foundation
import SQLKit

/// Creates bookings in group commits. Requests that arrive while a commit is running wait and go together into the
/// next transaction, which decides them one after another in arrival order, exactly as separate transactions would:
/// each sees the bookings accepted before it. A quiet server commits each booking alone; a busy one pays for one
/// transaction per batch instead of one per booking, which is what lets a single SQLite writer keep up.
actor BookingCommitQueue {
    /// One booking waiting to be committed, with the facts its rules need.
    struct Request: Sendable {
        let record: BookingRecord
        let policy: Policy
        let timeZone: TimeZone
        let locationId: UUID
        let actor: Actor

        var attempt: BookingAttempt { BookingAttempt(range: record.range, ownerId: record.userId) }
    }

    private struct Waiting {
        let request: Request
        let continuation: CheckedContinuation<Void, any Error>
    }

    static let maximumBatch = 128

    private let transactor: Transactor
    private let clock: WallClock
    private var queue: [Waiting] = []
    private var draining = false

    init(transactor: Transactor, clock: WallClock) {
        self.transactor = transactor
        self.clock = clock
    }

    /// Returns once the booking is committed; throws the rule it broke otherwise.
    func submit(_ request: Request) async throws {
        try await withCheckedThrowingContinuation { continuation in
            queue.append(Waiting(request: request, continuation: continuation))
            if !draining {
                draining = true
                // Ahead of request handling: every waiting request is blocked on this task.
                Task(priority: .high) { await drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = Array(queue.prefix(Self.maximumBatch))
            queue.removeFirst(batch.count)
            await commit(batch)
        }
        draining = false
    }

    private nonisolated func commit(_ batch: [Waiting]) async {
        do {
            let now = clock.now()
            let transactor = transactor
            let requests = batch.map(\.request)
            let outcomes = try await transactor.write(keepingFacts: true) { sql in
                try await Self.decide(requests, now: now, transactor: transactor, on: sql)
            }
            for (waiting, outcome) in zip(batch, outcomes) {
                if let outcome { waiting.continuation.resume(throwing: outcome) } else { waiting.continuation.resume() }
            }
        } catch where batch.count > 1 {
            // The database refused the batch (on PostgreSQL another instance may have won a desk): decide each alone.
            for waiting in batch { await commit([waiting]) }
        } catch {
            waiting(batch[0], failedWith: error)
        }
    }

    private nonisolated func waiting(_ waiting: Waiting, failedWith error: any Error) {
        waiting.continuation.resume(throwing: error.isConstraintFailure ? DomainError.deskTaken([]) : error)
    }

    /// Decides the batch in order inside one transaction; returns nil for each accepted request.
    static func decide(_ requests: [Request], now: Date, transactor: Transactor, on sql: any SQLDatabase) async throws -> [DomainError?] {
        let deskIds = Array(Set(requests.map(\.record.deskId)))
        let userIds = Array(Set(requests.map(\.record.userId)))
        try await transactor.lockRows("desks", ids: deskIds, in: sql)
        try await transactor.lockRows("users", ids: userIds, in: sql)
        let span = TimeRange(uncheckedStart: requests.map(\.record.startAt).min()!, end: requests.map(\.record.endAt).max()!)
        var facts = try await BookingQueries.facts(desks: deskIds, users: userIds, overlapping: span, excluding: nil, now: now, on: sql)

        var accepted: [Request] = []
        var outcomes: [DomainError?] = []
        for request in requests {
            do {
                let attempt = request.attempt
                guard let state = facts.states[request.record.deskId] else { throw DomainError.notFound("Desk") }
                try BookingRules.check(attempt, desk: state, policy: request.policy, timeZone: request.timeZone, now: now)
                let neighbours = facts.neighbours(desk: request.record.deskId, owner: request.record.userId)
                try BookingRules.checkCapacity(attempt, neighbours: neighbours, policy: request.policy)
                accepted.append(request)
                // Later requests of this batch see this one as if it had committed already.
                facts.occupancy.append(.init(deskId: request.record.deskId, userId: request.record.userId, range: request.record.range))
                facts.upcoming[request.record.userId, default: 0] += 1
                outcomes.append(nil)
            } catch let error as DomainError {
                outcomes.append(error)
            }
        }
        guard !accepted.isEmpty else { return outcomes }
        try await sql.insert(into: "bookings")
            .models(accepted.map(\.record), keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil).run()
        let entries = accepted.map { request in
            Audit.entry("booking.created", target: "booking", id: request.record.id, location: request.locationId,
                        by: request.actor, at: now, details: BookingService.auditDetails(request.record))
        }
        try await sql.insert(into: "audit_log").models(entries, keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil).run()
        return outcomes
    }
}
