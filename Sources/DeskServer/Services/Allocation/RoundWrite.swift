import DeskCore
import Foundation
import SQLKit

/// Stores a decided round inside its transaction: the round with its seed and desks (for replay), the winners'
/// bookings, every request's entry and outcome, fairness debts and notifications.
struct RoundWrite {
    let id: UUID
    let location: LocationRecord
    let setting: AllocationSetting
    let draft: AllocationDraft
    /// The records of the requests the draft decided, in the same order.
    let requests: [AllocationRequestRecord]

    /// Returns the events to publish after commit.
    func store(seed: UInt64, weights: FairnessWeights, trigger: AllocationService.RoundTrigger, actor: Actor,
               on sql: any SQLDatabase) async throws -> [DomainEvent] {
        let now = setting.now
        let day = setting.day
        let result = draft.result
        let byId = Dictionary(requests.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var bookings: [UUID: BookingCommitQueue.Request] = [:]
        var inDrawOrder: [BookingCommitQueue.Request] = []
        for allocated in draft.bookings {
            guard let request = byId[allocated.requestId],
                  let booking = AllocationService.booking(allocated, for: request, in: setting, locationId: location.id, actor: actor)
            else { continue }
            bookings[allocated.requestId] = booking
            inDrawOrder.append(booking)
        }

        let rounds = RoundStore(sql: sql)
        try await rounds.insert(AllocationRoundRecord(
            id: id, locationId: location.id, day: day.description, seed: String(seed),
            weights: String(decoding: try JSONEncoder.snakeCase.encode(weights), as: UTF8.self),
            desks: String(decoding: try JSONEncoder.snakeCase.encode(setting.desks), as: UTF8.self), trigger: trigger.rawValue, ranAt: now,
            participants: result.order.count, winners: result.assignments.count, waitlisted: result.waitlist.count))
        try await BookingCommitQueue.insert(inDrawOrder, now: now, on: sql)

        var entries: [AllocationEntryRecord] = []
        var notifications: [NotificationRecord] = []
        let formats = try await PreferencesStore(sql: sql).readingFormats(of: Array(Set(requests.map(\.userId))))
        var events: [DomainEvent] = []
        for (request, decision) in zip(requests, draft.decisions) {
            let explanation = decision.explanation
            let booking = bookings[request.id]?.record
            var entry = AllocationEntryRecord(
                roundId: id, requestId: request.id, userId: request.userId, position: explanation?.position, weight: decision.weight,
                drawKey: explanation?.key, losses: decision.losses, outcome: "excluded", preferenceRank: nil, deskId: booking?.deskId,
                bookingId: booking?.id, waitlistPosition: nil, deniedRooms: Self.json(decision.deniedRooms),
                windowStart: decision.range?.start, windowEnd: decision.range?.end, reason: nil)
            switch explanation?.outcome {
            case .preferred(_, let rank)?: (entry.outcome, entry.preferenceRank) = ("preferred", rank)
            case .matching?: entry.outcome = "matching"
            case .waitlisted(let position)?: (entry.outcome, entry.waitlistPosition) = ("waitlisted", position)
            case .duplicate?: entry.outcome = "duplicate"
            case nil: break
            }
            var updated = request
            updated.updatedAt = now
            switch decision.outcome {
            case .won(let allocated):
                (updated.status, updated.deskId, updated.bookingId) = (.won, allocated.deskId, booking?.id)
            case .waitlisted(let position):
                (updated.status, updated.waitlistRank) = (.waitlisted, position)
            case .failed(let reason):
                entry.reason = reason
                (updated.status, updated.reason) = (.failed, reason)
            }
            entries.append(entry)
            events.append(.request(updated.event))
            notifications.append(NotificationRecord(
                to: request.userId, updated.status == .won ? .allocationWon : updated.status == .waitlisted ? .allocationWaitlisted : .allocationLost,
                message(for: updated, reason: entry.reason, format: formats[request.userId] ?? .standard), booking: booking?.id, location: location.id,
                link: booking == nil ? NotificationRecord.requestsLink : nil, at: now))
        }
        try await rounds.insert(entries)
        try await RequestStore(sql: sql).settle(round: id, at: now)
        try await rounds.settleDebts(of: id, at: now)
        events += try await NotificationStore(sql: sql).append(notifications)
        try await AuditLog(sql: sql).record("round.ran", target: "round", id: id, location: location.id, by: actor, at: now, details: [
            "date": day.description, "trigger": trigger.rawValue, "participants": String(result.order.count),
            "winners": String(result.assignments.count), "waitlisted": String(result.waitlist.count),
        ])

        let bookingEvents = inDrawOrder.map { request in
            DomainEvent.booking(BookingEvent(.created, request.record, roomId: request.roomId, locationId: location.id))
        }
        return bookingEvents + events + [.round(RoundEvent(roundId: id, locationId: location.id, day: day))]
    }

    /// A set of ids as a JSON array, without an encoder: ten thousand of these are written per large round.
    private static func json(_ ids: Set<UUID>) -> String {
        "[" + ids.map { "\"\($0.uuidString)\"" }.sorted().joined(separator: ",") + "]"
    }

    /// What the round tells a person, with the day in their own date format.
    private func message(for request: AllocationRequestRecord, reason: String?, format: ReadingFormat) -> String {
        let day = format.day(setting.day)
        return switch request.status {
        case .won:
            "You got desk \(AllocationService.deskName(request.deskId, in: setting)) at \(location.name) on \(day)."
        case .waitlisted:
            "No desk for you at \(location.name) on \(day) yet: you are number \(request.waitlistRank ?? 1) on the waitlist."
        default:
            "Your request for \(location.name) on \(day) could not be served: \(reason ?? "no reason given")"
        }
    }
}
