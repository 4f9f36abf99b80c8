import DeskCore
import Foundation

/// A person's booking numbers, each booking counted by its own location's calendar (docs/time.md).
struct StatsService: Sendable {
    let transactor: Transactor
    let clock: WallClock
    let preferences: PreferencesService

    struct Report: Sendable {
        /// The person's own zone, reported for clients that show times of no place; the numbers do not depend on it.
        let timeZone: TimeZone
        let stats: BookingStats
        /// Names of the desks and locations the stats mention.
        let deskNames: [UUID: String]
        let locationNames: [UUID: String]
        let next: BookingRecord?
    }

    func stats(for viewer: Viewer) async throws -> Report {
        let timeZone = try await timeZone(of: viewer.userId)
        let now = clock.now()
        let rows = try await BookingStore(sql: transactor.sql)
            .confirmedPlacedBookings(of: viewer.userId, endingAfter: BookingStats.relevantSince(now: now))
        var bookings: [StatsBooking] = []
        var records: [UUID: BookingRecord] = [:]
        var deskNames: [UUID: String] = [:], locationNames: [UUID: String] = [:]
        for row in rows {
            let record = row.booking, locationId = row.locationId
            records[record.id] = record
            deskNames[record.deskId] = row.deskName
            locationNames[locationId] = row.locationName
            bookings.append(StatsBooking(
                id: record.id, deskId: record.deskId, locationId: locationId, range: record.range, timeZone: row.locationTimeZone))
        }
        let stats = BookingStats.compute(bookings: bookings, now: now)
        return Report(timeZone: timeZone, stats: stats, deskNames: deskNames, locationNames: locationNames,
                      next: stats.next.flatMap { records[$0.id] })
    }

    /// The preferred zone, else the default location's, else UTC.
    private func timeZone(of userId: UUID) async throws -> TimeZone {
        let preferences = try await preferences.preferences(of: userId)
        if let name = preferences.timezone, let zone = TimeZone(identifier: name) { return zone }
        if let locationId = preferences.defaultLocationId,
           let location = try await PlaceStore(sql: transactor.sql).location(locationId) {
            return location.timeZone
        }
        return TimeZone(identifier: "UTC")!
    }
}
