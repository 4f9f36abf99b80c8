import DeskCore
import Foundation
import SQLKit

/// The reads an allocation (a round or a waitlist pass) of one location and day decides on, run inside its write
/// transaction: the location's desks and their state, the day's bookings, and the accounts, access and fairness debt
/// of the people taking part. Those are named by a subquery over their requests, not by bound ids: a round of ten
/// thousand requests would otherwise exceed SQLite's limit on bound values.
struct AllocationFactsStore: Sendable {
    let sql: any SQLDatabase
    let locationId: UUID
    let day: LocalDate
    /// The requests taking part: `pending` for a round, `waitlisted` for an offer pass.
    let status: RequestStatus

    private var participants: SQLQueryString {
        "SELECT user_id FROM allocation_requests WHERE status = \(bind: status) AND location_id = \(bind: locationId) AND day = \(bind: day.description)"
    }

    /// PostgreSQL: locks the location's desks and the participants, in id order, like every booking write.
    func lockRows(isPostgres: Bool) async throws {
        guard isPostgres else { return }
        try await sql.raw("SELECT id FROM desks WHERE location_id = \(bind: locationId) ORDER BY id FOR NO KEY UPDATE").run()
        try await sql.raw("SELECT id FROM users WHERE id IN (\(participants)) ORDER BY id FOR NO KEY UPDATE").run()
    }

    /// Every desk of the location, and the ledger of the day: the desks' states and the confirmed bookings of these
    /// desks and people overlapping `span`, with how many unfinished bookings each participant holds. Holds are left
    /// out: a hold guards a booking dialog, which cannot be open for a day not yet open, and a waitlist offer is made
    /// by the system, not in a dialog.
    func desks(day span: TimeRange, now: Date) async throws -> (desks: [DeskCandidate], ledger: BookingLedger) {
        let rows = try await sql.raw("""
            SELECT d.id, d.name, d.room_id, r.floor_id, d.tags, d.is_active, d.permanent_user_id,
                   r.maintenance_reason, r.maintenance_from, r.maintenance_until
            FROM desks d JOIN rooms r ON r.id = d.room_id WHERE d.location_id = \(bind: locationId)
            """).all().map { row in
            (try row.decode(model: DeskRow.self, keyDecodingStrategy: .convertFromSnakeCase), try MaintenanceColumns(row: row, prefix: ""))
        }
        var ledger = BookingLedger()
        for (desk, maintenance) in rows {
            ledger.states[desk.id] = DeskState(deskId: desk.id, isActive: desk.isActive, maintenance: maintenance.range,
                                               permanentAssigneeId: desk.permanentUserId)
        }
        let earliestStart = span.start.addingTimeInterval(-BookingRules.longestBooking)
        let bookings = try await sql.raw("""
            SELECT desk_id, user_id, start_at, end_at FROM bookings
            WHERE status = 'confirmed' AND start_at < \(bind: span.end) AND end_at > \(bind: span.start) AND start_at > \(bind: earliestStart)
              AND (desk_id IN (SELECT id FROM desks WHERE location_id = \(bind: locationId)) OR user_id IN (\(participants)))
            """).all()
        for row in bookings {
            ledger.occupancy.append(BookingLedger.Occupancy(
                deskId: try row.decode(column: "desk_id", as: UUID.self), userId: try row.decode(column: "user_id", as: UUID.self),
                range: TimeRange(uncheckedStart: try row.decode(column: "start_at", as: Date.self), end: try row.decode(column: "end_at", as: Date.self))))
        }
        let upcoming = try await sql.raw("""
            SELECT user_id, COUNT(*) AS n FROM bookings WHERE status = 'confirmed' AND end_at > \(bind: now)
            AND user_id IN (\(participants)) GROUP BY user_id
            """).all()
        for row in upcoming {
            ledger.upcoming[try row.decode(column: "user_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
        }
        return (rows.map(\.0.candidate), ledger)
    }

    /// The participants' accounts and what the location's gates need to know of them: memberships of its groups, and
    /// whom it has as location or room managers. Inactive accounts map to nil.
    func people() async throws -> [UUID: Viewer?] {
        let rows = try await sql.raw("""
            SELECT 'u' AS kind, id AS user_id, id AS ref, (CASE WHEN is_active THEN 1 ELSE 0 END) + (CASE WHEN is_superuser THEN 2 ELSE 0 END) AS n
              FROM users WHERE id IN (\(participants))
            UNION ALL SELECT 'g', gm.user_id, gm.group_id, 0 FROM group_members gm JOIN user_groups g ON g.id = gm.group_id
              WHERE g.location_id = \(bind: locationId) AND gm.user_id IN (\(participants))
            UNION ALL SELECT 'l', user_id, location_id, 0 FROM location_managers WHERE location_id = \(bind: locationId)
            UNION ALL SELECT 'r', rm.user_id, rm.room_id, 0 FROM room_managers rm JOIN rooms r ON r.id = rm.room_id
              WHERE r.location_id = \(bind: locationId)
            """).all()
        var flags: [UUID: Int] = [:]
        var groups: [UUID: Set<UUID>] = [:], managers = Set<UUID>(), rooms: [UUID: Set<UUID>] = [:]
        for row in rows {
            let user = try row.decode(column: "user_id", as: UUID.self)
            let ref = try row.decode(column: "ref", as: UUID.self)
            switch try row.decode(column: "kind", as: String.self) {
            case "u": flags[user] = try row.decode(column: "n", as: Int.self)
            case "g": groups[user, default: []].insert(ref)
            case "l": managers.insert(user)
            default: rooms[user, default: []].insert(ref)
            }
        }
        return flags.reduce(into: [:]) { result, entry in
            let (user, flag) = entry
            result[user] = flag & 1 == 0 ? .some(nil) : Viewer(
                userId: user, isSuperuser: flag & 2 != 0, groupIds: groups[user] ?? [],
                managedLocationIds: managers.contains(user) ? [locationId] : [], managedRoomIds: rooms[user] ?? [],
                roomManagerLocationIds: rooms[user] == nil ? [] : [locationId])
        }
    }

    /// Fairness debt of the participants.
    func debts() async throws -> [UUID: Int] {
        let rows = try await sql.raw("SELECT user_id, losses FROM allocation_debts WHERE user_id IN (\(participants))").all()
        var debts: [UUID: Int] = [:]
        for row in rows { debts[try row.decode(column: "user_id", as: UUID.self)] = try row.decode(column: "losses", as: Int.self) }
        return debts
    }

    private struct DeskRow: Decodable, Sendable {
        let id: UUID
        let name: String
        let roomId: UUID
        let floorId: UUID
        let tags: String
        let isActive: Bool
        let permanentUserId: UUID?

        var candidate: DeskCandidate {
            DeskCandidate(id: id, name: name, roomId: roomId, floorId: floorId,
                          tags: Set((try? JSONDecoder().decode([String].self, from: Data(tags.utf8))) ?? []))
        }
    }
}
