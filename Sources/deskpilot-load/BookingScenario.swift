import AsyncHTTPClient
import Foundation

/// Booking creation: each client has its own user and desk and books it slot after slot.
enum BookingScenario {
    static func prepare(api: API, options: LoadOptions, local: LocalDays) async throws -> [BookingWorkload] {
        // Wide limits, so the clients measure the write path rather than run into the per-person quota.
        let site = try await Setup.site(api: api, options: options,
                                        policy: ["max_upcoming_per_user": 10_000, "max_advance_days": 365])
        let desks = try await Setup.createDesks(api: api, site: site, count: options.concurrency)
        let users = try await Setup.createUsers(api: api, site: site, count: options.concurrency)
        let slots = Slots.make(local: local)
        guard let first = slots.first, let last = slots.last else {
            throw LoadError("no booking slots could be computed for time zone \(options.timezone)")
        }
        Output.err("setup: \(slots.count) slots per client from \(first.start) to \(last.end)")
        let url = options.baseURL + "/api/v1/bookings"
        return zip(users, desks).map { user, desk in
            BookingWorkload(url: url, token: user.token, deskJSON: desk.json, slots: slots)
        }
    }
}

/// `POST /api/v1/bookings` for the client's desk, the next free slot each time.
struct BookingWorkload: Workload {
    static let expectedStatus = 201

    private let template: HTTPClientRequest
    private let bodyPrefix: String
    private let slots: [Slot]
    private var index = 0

    init(url: String, token: String, deskJSON: String, slots: [Slot]) {
        var template = HTTPClientRequest(url: url)
        template.method = .POST
        template.headers.add(name: "Content-Type", value: "application/json")
        template.headers.add(name: "Accept", value: "application/json")
        template.headers.add(name: "Authorization", value: "Bearer \(token)")
        self.template = template
        bodyPrefix = "{\"desk_id\":\(deskJSON),\"start\":\""
        self.slots = slots
    }

    mutating func next() -> HTTPClientRequest? {
        guard index < slots.count else { return nil }
        let slot = slots[index]
        index += 1
        var request = template
        let body = bodyPrefix + slot.start + "\",\"end\":\"" + slot.end + "\",\"note\":\"load\"}"
        request.body = .bytes(Array(body.utf8))
        return request
    }
}
