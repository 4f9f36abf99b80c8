import DeskCore
import Foundation
import SQLKit

/// What the owner holds and asked for at a location on the days a rule targets.
struct AutopilotHoldings {
    var requests: [LocalDate: AllocationRequestRecord] = [:]
    var bookings: [LocalDate: [RuleStore.OwnBooking]] = [:]
    var permanentDesk: AutopilotOutlook.NamedDesk?

    private static func weight(of request: AllocationRequestRecord) -> Int {
        RequestStatus.open.contains(request.status) || request.status == .won ? 1 : 0
    }

    /// Whether the rule leaves the day alone: the owner has a request (other than one a rule withdrew) or a booking.
    func covers(_ day: LocalDate) -> Bool { requests[day] != nil || bookings[day] != nil }

    static func load(of userId: UUID, at locationId: UUID, among days: [LocalDate], calendar: ZonedCalendar, sql: any SQLDatabase)
        async throws -> AutopilotHoldings {
        let store = RuleStore(sql: sql)
        var holdings = AutopilotHoldings(permanentDesk: try await store.permanentDesk(of: userId, at: locationId))
        guard let first = days.first, let last = days.last else { return holdings }
        for request in try await store.requests(of: userId, at: locationId, from: first, through: last) {
            // One request per day speaks for it: the newest still waiting or won, else the newest at all.
            guard let day = LocalDate(parsing: request.day) else { continue }
            if let known = holdings.requests[day], Self.weight(of: known) > Self.weight(of: request) { continue }
            holdings.requests[day] = request
        }
        let span = TimeRange(uncheckedStart: calendar.startOfDay(first), end: calendar.startOfDay(calendar.adding(days: 1, to: last)))
        for booking in try await store.ownBookings(of: userId, at: locationId, overlapping: span) {
            holdings.bookings[calendar.date(of: booking.range.start), default: []].append(booking)
        }
        return holdings
    }

    /// The holdings as a rule's outlook weighs them; `positions`: the waitlisted requests' places in their queues.
    func facts(for ruleId: UUID, positions: [UUID: Int]) -> AutopilotOutlook.Facts {
        var facts = AutopilotOutlook.Facts(permanentDesk: permanentDesk)
        facts.bookings = bookings.mapValues { bookings in
            bookings.map { .init(id: $0.id, desk: .init(id: $0.deskId, name: $0.deskName), range: $0.range) }
        }
        facts.requests = requests.compactMapValues { request in
            let status: AutopilotOutlook.Request.Status? = switch request.status {
            case .pending: .pending
            case .waitlisted: .waitlisted(position: positions[request.id] ?? (request.waitlistRank ?? 0) + 1)
            case .won: .won(bookingId: request.bookingId)
            case .cancelled: .cancelled
            case .expired, .failed: .lost(reason: request.reason)
            case .withdrawn: nil
            }
            return status.map { AutopilotOutlook.Request(status: $0, byThisRule: request.ruleId == ruleId) }
        }
        return facts
    }

    /// The requests waiting on a waitlist, whose places the outlook names.
    var waitlistedRequestIds: [UUID] { requests.values.filter { $0.status == .waitlisted }.map(\.id) }
}
