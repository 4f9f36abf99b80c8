import AsyncHTTPClient
import Foundation

/// Room availability: every client reads the same 7-day window of one room with 100 desks, about half of them booked.
enum AvailabilityScenario {
    static let deskCount = 100
    static let days = 7

    static func prepare(api: API, options: LoadOptions, local: LocalDays) async throws -> [AvailabilityWorkload] {
        // The default policy (14 days ahead, one desk at a time, 20 upcoming) holds the occupancy as planned.
        let site = try await Setup.site(api: api, options: options, policy: nil)
        let desks = try await Setup.createDesks(api: api, site: site, count: deskCount)
        let occupancy = Occupancy(desks: deskCount, days: days)
        let users = try await Setup.createUsers(api: api, site: site, count: max(options.concurrency, occupancy.people))
        try await book(occupancy, desks: desks, users: users, api: api, local: local)

        // From tomorrow, the first day bookings may start on, to midnight seven days later.
        guard let from = local.instant(day: 1, minute: 0), let to = local.instant(day: 1 + days, minute: 0) else {
            throw LoadError("no availability window could be computed for time zone \(options.timezone)")
        }
        let path = "/api/v1/rooms/\(site.room.text)/availability?from=\(local.text(from))&to=\(local.text(to))"
        try await probe(path, api: api, user: users[0])
        Output.err("setup: every client reads GET \(path)")
        return (0..<options.concurrency).map { AvailabilityWorkload(url: options.baseURL + path, token: users[$0].token) }
    }

    /// Creates the planned bookings, each as the person who holds it.
    static func book(_ occupancy: Occupancy, desks: [EntityID], users: [LoadUser], api: API,
                     local: LocalDays) async throws {
        Output.err("setup: \(occupancy.bookings.count) bookings on \(occupancy.bookedDeskDays) of "
            + "\(desks.count * days) desk-days by \(occupancy.people) people")
        let bookings = occupancy.bookings
        _ = try await boundedMap(count: bookings.count, width: Setup.width) { index in
            let booking = bookings[index]
            // A wall time that a daylight-saving change swallows is left out; it cannot be booked.
            guard let interval = local.interval(day: 1 + booking.day, from: booking.startMinute,
                                                to: booking.endMinute) else { return }
            _ = try await api.expectSuccess(
                "book desk D-\(booking.desk + 1) on day \(booking.day + 1)", .post, "/api/v1/bookings",
                json: ["desk_id": desks[booking.desk].text, "start": interval.start, "end": interval.end,
                       "note": "load"],
                credentials: .bearer(users[booking.person].token)
            )
        }
    }

    /// One request before the run, so a missing or failing endpoint shows up in the log with its answer.
    static func probe(_ path: String, api: API, user: LoadUser) async throws {
        let reply = try await api.send(.get, path, credentials: .bearer(user.token))
        let size = reply.body.utf8.count
        if reply.status == AvailabilityWorkload.expectedStatus {
            Output.err("setup: availability answered HTTP \(reply.status), \(size) bytes")
        } else {
            Output.err("setup: warning: availability answered HTTP \(reply.status) "
                + "(the run counts these as errors): \(truncated(reply.body))")
        }
    }
}

/// The same `GET` of the room's availability, over and over.
struct AvailabilityWorkload: Workload {
    static let expectedStatus = 200

    private let request: HTTPClientRequest

    init(url: String, token: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        self.request = request
    }

    func next() -> HTTPClientRequest? {
        request
    }
}
