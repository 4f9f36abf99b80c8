import DeskCore
import Foundation
import SQLKit

/// The reads a booking write decides on; run inside the write transaction.
enum BookingQueries {
    /// A confirmed booking reduced to what the invariants look at.
    struct Occupancy: Sendable {
        let deskId: UUID
        let userId: UUID
        let range: TimeRange
    }

    /// Everything a booking write decides on, read in one statement (each round trip to the database costs the
    /// single writer more than the query itself): the state of the desks with their active holds, the confirmed
    /// bookings of these desks or people that overlap `span`, and how many unfinished bookings each person holds.
    struct Facts: Sendable {
        var states: [UUID: DeskState] = [:]
        var occupancy: [Occupancy] = []
        var upcoming: [UUID: Int] = [:]
        /// Per desk, the days whose allocation round has not run yet (its location has pending requests for them).
        var pendingDays: [UUID: Set<LocalDate>] = [:]

        /// What the capacity rules look at for one desk and one person.
        func neighbours(desk deskId: UUID, owner ownerId: UUID) -> BookingNeighbours {
            BookingNeighbours(
                deskBookings: occupancy.filter { $0.deskId == deskId }.map(\.range),
                ownerBookings: occupancy.filter { $0.userId == ownerId }.map(\.range),
                ownerUpcomingCount: upcoming[ownerId, default: 0]
            )
        }

        /// Runs every rule for one attempt on a desk and, when it passes, counts it in as if committed, so that the
        /// next attempt of the same transaction sees it.
        mutating func admit(_ attempt: BookingAttempt, desk deskId: UUID, policy: Policy, timeZone: TimeZone, now: Date) throws(DomainError) {
            guard let state = states[deskId] else { throw .notFound("Desk") }
            try BookingRules.check(attempt, desk: state, policy: policy, timeZone: timeZone, now: now)
            try BookingRules.checkAllocated(attempt, pendingDays: pendingDays[deskId] ?? [], calendar: ZonedCalendar(timeZone: timeZone))
            try BookingRules.checkCapacity(attempt, neighbours: neighbours(desk: deskId, owner: attempt.ownerId), policy: policy)
            occupancy.append(Occupancy(deskId: deskId, userId: attempt.ownerId, range: attempt.range))
            if attempt.original == nil { upcoming[attempt.ownerId, default: 0] += 1 }
        }
    }

    /// - Parameter excluded: bookings being replaced by this write; they count neither as occupancy nor toward quotas.
    static func facts(
        desks deskIds: [UUID], users userIds: [UUID], overlapping span: TimeRange, excluding excluded: [UUID] = [], now: Date,
        on sql: any SQLDatabase
    ) async throws -> Facts {
        // The lower bound on start_at keeps the index range scan short: nothing lasts longer than a day.
        let earliestStart = span.start.addingTimeInterval(-BookingRules.longestBooking)
        let excluded = excluded.isEmpty ? [UUID()] : excluded
        let rows = try await sql.raw("""
            SELECT 'state' AS kind, d.id AS desk_id, d.permanent_user_id AS user_id, NULL AS start_at, NULL AS end_at,
                   (CASE WHEN d.is_active THEN 1 ELSE 0 END) + (CASE WHEN r.maintenance_reason IS NULL THEN 0 ELSE 2 END) AS n,
                   NULL AS day
            FROM desks d JOIN rooms r ON r.id = d.room_id WHERE d.id IN (\(binds: deskIds))
            UNION ALL
            SELECT 'booking', desk_id, user_id, start_at, end_at, 0, NULL FROM bookings
            WHERE status = 'confirmed' AND id NOT IN (\(binds: excluded))
              AND start_at < \(bind: span.end) AND end_at > \(bind: span.start) AND start_at > \(bind: earliestStart)
              AND (desk_id IN (\(binds: deskIds)) OR user_id IN (\(binds: userIds)))
            UNION ALL
            SELECT 'upcoming', NULL, user_id, NULL, NULL, COUNT(*), NULL FROM bookings
            WHERE user_id IN (\(binds: userIds)) AND status = 'confirmed' AND end_at > \(bind: now) AND id NOT IN (\(binds: excluded))
            GROUP BY user_id
            UNION ALL
            SELECT 'hold', desk_id, user_id, first_acquired_at, expires_at, 0, NULL FROM holds
            WHERE desk_id IN (\(binds: deskIds)) AND expires_at > \(bind: now)
            UNION ALL
            -- Last: PostgreSQL types a column from the first branches that give it one, left to right.
            SELECT 'pending', d.id, NULL, NULL, NULL, 0, q.day
            FROM allocation_requests q JOIN desks d ON d.location_id = q.location_id
            WHERE d.id IN (\(binds: deskIds)) AND q.status = 'pending'
            """).all()
        var holds: [Hold] = []
        var facts = Facts()
        for row in rows {
            switch try row.decode(column: "kind", as: String.self) {
            case "state":
                let id = try row.decode(column: "desk_id", as: UUID.self)
                let flags = try row.decode(column: "n", as: Int.self)
                facts.states[id] = DeskState(deskId: id, isActive: flags & 1 != 0, underMaintenance: flags & 2 != 0,
                                             permanentAssigneeId: try row.decode(column: "user_id", as: UUID?.self))
            case "pending":
                if let day = LocalDate(parsing: try row.decode(column: "day", as: String.self)) {
                    facts.pendingDays[try row.decode(column: "desk_id", as: UUID.self), default: []].insert(day)
                }
            case "booking":
                facts.occupancy.append(Occupancy(
                    deskId: try row.decode(column: "desk_id", as: UUID.self),
                    userId: try row.decode(column: "user_id", as: UUID.self),
                    range: TimeRange(uncheckedStart: try row.decode(column: "start_at", as: Date.self),
                                     end: try row.decode(column: "end_at", as: Date.self))
                ))
            case "hold":
                holds.append(Hold(deskId: try row.decode(column: "desk_id", as: UUID.self),
                                  userId: try row.decode(column: "user_id", as: UUID.self),
                                  firstAcquiredAt: try row.decode(column: "start_at", as: Date.self),
                                  expiresAt: try row.decode(column: "end_at", as: Date.self)))
            default:
                facts.upcoming[try row.decode(column: "user_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
            }
        }
        for hold in holds { facts.states[hold.deskId]?.hold = hold }
        return facts
    }
}
