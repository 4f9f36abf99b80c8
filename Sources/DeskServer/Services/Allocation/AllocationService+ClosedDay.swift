import DeskCore
import Foundation

extension AllocationService {
    /// A day the location does not open on gets no round: the requests still waiting for it (filed before the
    /// location changed its opening weekdays) fail with the reason, and their owners are told.
    func failRequests(ofClosedDay target: AllocationDay, at location: LocationRecord, now: Date) async throws {
        let reason = "\(location.name) is closed on \(Policy.weekdayName(target.day.isoWeekday))s."
        try await transactor.write { sql -> Written<Void> in
            let requests = RequestStore(sql: sql)
            var events: [DomainEvent] = []
            var notifications: [NotificationRecord] = []
            for var request in try await requests.requests(.pending, at: target.locationId, on: target.day) {
                try await requests.close(request.id, as: .failed, reason: reason, at: now)
                (request.status, request.reason, request.updatedAt) = (.failed, reason, now)
                events.append(.request(request.event))
                let day = try await PreferencesStore(sql: sql).readingFormat(of: request.userId).day(target.day)
                notifications.append(NotificationRecord(
                    to: request.userId, .allocationLost, "Your request for \(location.name) on \(day) ended: \(reason)",
                    location: location.id, link: NotificationRecord.requestsLink, at: now))
            }
            return Written(events: events + (try await NotificationStore(sql: sql).append(notifications)))
        }
    }
}
