import DeskCore
import Foundation
import SQLKit

/// A person's booking numbers, computed on the server in their time zone.
struct StatsService: Sendable {
    let transactor: Transactor
    let clock: WallClock
    let preferences: PreferencesService

    struct Report: Sendable {
        let timeZone: TimeZone
        let stats: BookingStats
        /// Names of the desks and locations the stats mention.
        let deskNames: [UUID: String]
        let locationNames: [UUID: String]
        let next: BookingRecord?
    }

    func stats(for viewer: Viewer) async throws -> Report {
        let sql = transactor.sql
        let timeZone = try await timeZone(of: viewer.userId)
        let now = clock.now()
        let calendar = ZonedCalendar(timeZone: timeZone)
        let rows = try await sql.raw("""
            SELECT b.*, d.location_id AS location_id, d.name AS desk_name, l.name AS location_name
            FROM bookings b JOIN desks d ON d.id = b.desk_id JOIN locations l ON l.id = d.location_id
            WHERE b.user_id = \(bind: viewer.userId) AND b.status = 'confirmed'
              AND b.end_at > \(bind: BookingStats.relevantSince(now: now, calendar: calendar))
            """).all()
        var bookings: [StatsBooking] = []
        var records: [UUID: BookingRecord] = [:]
        var deskNames: [UUID: String] = [:], locationNames: [UUID: String] = [:]
        for row in rows {
            let record = try row.decode(model: BookingRecord.self, keyDecodingStrategy: .convertFromSnakeCase)
            let locationId = try row.decode(column: "location_id", as: UUID.self)
            records[record.id] = record
            deskNames[record.deskId] = try row.decode(column: "desk_name", as: String.self)
            locationNames[locationId] = try row.decode(column: "location_name", as: String.self)
            bookings.append(StatsBooking(id: record.id, deskId: record.deskId, locationId: locationId, range: record.range))
        }
        let stats = BookingStats.compute(bookings: bookings, now: now, calendar: calendar)
        return Report(timeZone: timeZone, stats: stats, deskNames: deskNames, locationNames: locationNames,
                      next: stats.next.flatMap { records[$0.id] })
    }

    /// The preferred zone, else the default location's, else UTC.
    private func timeZone(of userId: UUID) async throws -> TimeZone {
        let preferences = try await preferences.preferences(of: userId)
        if let name = preferences.timezone, let zone = TimeZone(identifier: name) { return zone }
        if let locationId = preferences.defaultLocationId,
           let location = try await PlaceRepository(sql: transactor.sql).location(locationId) {
            return location.timeZone
        }
        return TimeZone(identifier: "UTC")!
    }
}
