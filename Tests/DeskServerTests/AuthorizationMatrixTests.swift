import DeskCore
@testable import DeskServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// Every route against every kind of caller. Expected statuses are listed in the order
/// anonymous, user (ann: owns the booking or request under test), another user (bob), room manager (rita, Open space),
/// location manager (leo, Berlin), superuser (admin).
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let method: HTTPMethod
        let path: String
        let body: JSON?
        let expected: [UInt]

        init(_ method: HTTPMethod, _ path: String, _ expected: [UInt]) {
            self.init(method, path, nil, expected)
        }

        init(_ method: HTTPMethod, _ path: String, _ body: JSON?, _ expected: [UInt]) {
            self.method = method
            self.path = path
            self.body = body
            self.expected = expected
        }

        var testDescription: String { "\(method.rawValue) \(path)" }
        /// The route this case exercises, e.g. `PATCH /api/v1/desks/:id`.
        var route: String {
            var parts: [String] = []
            for component in path.split(separator: "?")[0].split(separator: "/") {
                if component.hasPrefix("{") {
                    parts.append(Self.parameter(after: parts))
                } else {
                    parts.append(String(component))
                }
            }
            return "\(method.rawValue) /" + parts.joined(separator: "/")
        }

        /// The name `routes.swift` gives the path parameter that follows `parts`.
        private static func parameter(after parts: [String]) -> String {
            switch parts.last {
            case "members", "managers": ":user_id"
            case "calendar": ":file"
            case "webhooks" where parts.contains("locations"): ":webhook_id"
            case "deliveries" where parts.contains("webhooks"): ":delivery_id"
            default: ":id"
            }
        }
    }

    static let all: [UInt] = [401, 200, 200, 200, 200, 200]
    static let superuserOnly: [UInt] = [401, 403, 403, 403, 403, 200]
    static let locationManagers: [UInt] = [401, 403, 403, 403, 200, 200]
    static let roomManagers: [UInt] = [401, 403, 403, 200, 200, 200]
    static let gatedRoom: [UInt] = [401, 404, 404, 404, 200, 200]
    static let open: [UInt] = [200, 200, 200, 200, 200, 200]

    static let cases: [Case] = [
        // System
        Case(.GET, "/healthz", open), Case(.GET, "/readyz", open), Case(.GET, "/api/openapi.json", open), Case(.GET, "/metrics", open),
        // Without upgrade headers a signed-in caller learns that this is a WebSocket endpoint.
        Case(.GET, "/api/v1/ws", [401, 400, 400, 400, 400, 400]),
        // Me and tokens
        Case(.GET, "/api/v1/me", all),
        Case(.GET, "/api/v1/me/tokens", all),
        // Only a browser session may change the password (a script token may not lock its owner out).
        Case(.PUT, "/api/v1/me/password", ["current_password": "wrong", "new_password": "long-enough-1"], [401, 403, 403, 403, 403, 403]),
        Case(.POST, "/api/v1/me/tokens", ["name": "ci", "scopes": ["read"]], [401, 201, 201, 201, 201, 201]),
        Case(.DELETE, "/api/v1/me/tokens/{annToken}", [401, 204, 404, 404, 404, 404]),
        // Users
        Case(.POST, "/api/v1/users", ["username": "{unique}", "email": "{unique}@example.com", "password": "password-1", "display_name": "N"],
             [401, 403, 403, 403, 403, 201]),
        Case(.GET, "/api/v1/users?q=a", all),
        Case(.GET, "/api/v1/users/{bob}", all),
        Case(.PATCH, "/api/v1/users/{bob}", ["display_name": "Robert"], superuserOnly),
        Case(.PATCH, "/api/v1/users/{ann}", ["is_superuser": true], [401, 403, 403, 403, 403, 200]),
        // Countries
        Case(.GET, "/api/v1/countries", all),
        Case(.POST, "/api/v1/countries", ["name": "{unique}", "code": "{code}"], [401, 403, 403, 403, 403, 201]),
        Case(.GET, "/api/v1/countries/{germany}", all),
        Case(.PATCH, "/api/v1/countries/{newCountry}", ["lat": 51.0], superuserOnly),
        Case(.DELETE, "/api/v1/countries/{newCountry}", [401, 403, 403, 403, 403, 204]),
        // Locations
        Case(.GET, "/api/v1/locations", all),
        Case(.POST, "/api/v1/locations", ["country_id": "{germany}", "name": "{unique}", "timezone": "Europe/Berlin"],
             [401, 403, 403, 403, 403, 201]),
        Case(.GET, "/api/v1/locations/{berlin}", all),
        Case(.PATCH, "/api/v1/locations/{berlin}", ["address": "Unter den Linden 1"], locationManagers),
        Case(.DELETE, "/api/v1/locations/{newLocation}", [401, 403, 403, 403, 403, 204]),
        Case(.GET, "/api/v1/policy/defaults", all),
        Case(.GET, "/api/v1/locations/{berlin}/policy", all),
        Case(.PATCH, "/api/v1/locations/{berlin}/policy", ["max_advance_days": 21], locationManagers),
        Case(.GET, "/api/v1/locations/{berlin}/floors", all),
        Case(.POST, "/api/v1/locations/{berlin}/floors", ["name": "{unique}", "level": 2], [401, 403, 403, 403, 201, 201]),
        Case(.GET, "/api/v1/locations/{berlin}/rooms", all),
        // Floors
        Case(.GET, "/api/v1/floors/{floor}", all),
        Case(.PATCH, "/api/v1/floors/{floor}", ["level": 3], locationManagers),
        Case(.DELETE, "/api/v1/floors/{newFloor}", [401, 403, 403, 403, 204, 204]),
        Case(.GET, "/api/v1/floors/{floor}/rooms", all),
        Case(.POST, "/api/v1/floors/{floor}/rooms", ["name": "{unique}"], [401, 403, 403, 403, 201, 201]),
        // Rooms
        Case(.GET, "/api/v1/rooms/{open}", all),
        Case(.GET, "/api/v1/rooms/{lab}", gatedRoom),
        Case(.PATCH, "/api/v1/rooms/{open}", ["description": "Sunny"], roomManagers),
        Case(.PATCH, "/api/v1/rooms/{lab}", ["description": "Loud"], gatedRoom),
        Case(.DELETE, "/api/v1/rooms/{newRoom}", [401, 403, 403, 403, 204, 204]),
        Case(.GET, "/api/v1/rooms/{open}/map", all),
        Case(.GET, "/api/v1/rooms/{lab}/map", gatedRoom),
        Case(.PUT, "/api/v1/rooms/{open}/map", ["not": "an image"], [401, 403, 403, 422, 422, 422]),
        Case(.GET, "/api/v1/rooms/{open}/desks", all),
        Case(.GET, "/api/v1/rooms/{lab}/desks", gatedRoom),
        Case(.POST, "/api/v1/rooms/{open}/desks", ["name": "{short}", "x": 0.1, "y": 0.9], [401, 403, 403, 201, 201, 201]),
        // Desks
        Case(.GET, "/api/v1/desks/{desk}", all),
        Case(.GET, "/api/v1/desks/{labDesk}", gatedRoom),
        Case(.PATCH, "/api/v1/desks/{desk}", ["x": 0.25], roomManagers),
        Case(.DELETE, "/api/v1/desks/{newDesk}", [401, 403, 403, 204, 204, 204]),
        Case(.PUT, "/api/v1/desks/{desk}/permanent", ["user_id": "{ann}"], roomManagers),
        Case(.DELETE, "/api/v1/desks/{desk}/permanent", roomManagers),
        // Groups, members, managers, gates
        Case(.GET, "/api/v1/locations/{berlin}/groups", roomManagers),
        Case(.POST, "/api/v1/locations/{berlin}/groups", ["name": "{unique}"], [401, 403, 403, 403, 201, 201]),
        Case(.PATCH, "/api/v1/groups/{group}", ["description": "Builders"], locationManagers),
        Case(.DELETE, "/api/v1/groups/{newGroup}", [401, 403, 403, 403, 204, 204]),
        Case(.GET, "/api/v1/groups/{group}/members", roomManagers),
        Case(.PUT, "/api/v1/groups/{group}/members/{bob}", [401, 403, 403, 403, 204, 204]),
        Case(.DELETE, "/api/v1/groups/{group}/members/{bob}", [401, 403, 403, 403, 204, 204]),
        Case(.GET, "/api/v1/locations/{berlin}/managers", locationManagers),
        Case(.PUT, "/api/v1/locations/{berlin}/managers/{ann}", [401, 403, 403, 403, 403, 204]),
        Case(.DELETE, "/api/v1/locations/{berlin}/managers/{bob}", [401, 403, 403, 403, 403, 204]),
        Case(.GET, "/api/v1/rooms/{open}/managers", roomManagers),
        Case(.PUT, "/api/v1/rooms/{open}/managers/{ann}", [401, 403, 403, 403, 204, 204]),
        Case(.DELETE, "/api/v1/rooms/{open}/managers/{bob}", [401, 403, 403, 403, 204, 204]),
        Case(.GET, "/api/v1/locations/{berlin}/gate", locationManagers),
        Case(.GET, "/api/v1/rooms/{open}/gate", roomManagers),
        Case(.PUT, "/api/v1/locations/{berlin}/gate", ["group_ids": []], locationManagers),
        Case(.PUT, "/api/v1/rooms/{open}/gate", ["group_ids": []], locationManagers),
        // Bookings
        Case(.POST, "/api/v1/bookings", ["desk_id": "{newDesk}", "start": "2026-03-24T08:00:00Z", "end": "2026-03-24T09:00:00Z"],
             [401, 201, 201, 201, 201, 201]),
        Case(.POST, "/api/v1/bookings", ["desk_id": "{labDesk}", "start": "{slotStart}", "end": "{slotEnd}"], [401, 404, 404, 404, 201, 201]),
        Case(.GET, "/api/v1/bookings", all),
        Case(.GET, "/api/v1/bookings/{annBooking}", all),
        Case(.GET, "/api/v1/bookings/{labBooking}", gatedRoom),
        Case(.PATCH, "/api/v1/bookings/{annBooking}", ["note": "moved"], [401, 200, 404, 200, 200, 200]),
        Case(.DELETE, "/api/v1/bookings/{annBooking}", [401, 200, 404, 200, 200, 200]),
        Case(.POST, "/api/v1/bookings/bulk", ["desk_id": "{newDesk}", "intervals": [["start": "{slotStart}", "end": "{slotEnd}"]]],
             [401, 201, 201, 201, 201, 201]),
        Case(.POST, "/api/v1/bookings/bulk", ["desk_id": "{labDesk}", "intervals": [["start": "{slotStart}", "end": "{slotEnd}"]]],
             [401, 404, 404, 404, 201, 201]),
        Case(.POST, "/api/v1/bookings/{annBooking}/intervals", ["intervals": [["start": "{slotStart}", "end": "{slotEnd}"]]],
             [401, 200, 404, 200, 200, 200]),
        // Only the owner checks in, and not days ahead.
        Case(.POST, "/api/v1/bookings/{annBooking}/check-in", [401, 409, 403, 403, 403, 403]),
        Case(.GET, "/api/v1/bookings/{annBooking}/ics", all),
        Case(.GET, "/api/v1/bookings/{labBooking}/ics", gatedRoom),
        // Holds, room state, availability
        Case(.PUT, "/api/v1/desks/{newDesk}/hold", all),
        Case(.PUT, "/api/v1/desks/{newLabDesk}/hold", gatedRoom),
        Case(.DELETE, "/api/v1/desks/{desk}/hold", [401, 204, 204, 204, 204, 204]),
        Case(.DELETE, "/api/v1/desks/{labDesk}/hold", [401, 404, 404, 404, 204, 204]),
        Case(.POST, "/api/v1/desks/{desk}/hold/release", [401, 204, 204, 204, 204, 204]),
        Case(.PUT, "/api/v1/rooms/{open}/maintenance", ["reason": "Painting"], roomManagers),
        Case(.PUT, "/api/v1/rooms/{lab}/maintenance", ["reason": "Painting"], gatedRoom),
        Case(.DELETE, "/api/v1/rooms/{open}/maintenance", roomManagers),
        Case(.GET, "/api/v1/rooms/{open}/maintenance/affected", roomManagers),
        Case(.GET, "/api/v1/rooms/{lab}/maintenance/affected", gatedRoom),
        Case(.GET, "/api/v1/rooms/{open}/availability", all),
        Case(.GET, "/api/v1/rooms/{lab}/availability", gatedRoom),
        Case(.GET, "/api/v1/locations/{berlin}/availability?date=2026-03-23", all),
        // Requests and rounds: a request is its owner's alone, managers and superusers included; everyone who sees the
        // location sees its rounds; only its managers run one (and a round needs requests waiting for it).
        Case(.POST, "/api/v1/requests", ["location_id": "{berlin}", "date": "2026-04-30", "desk_ids": ["{desk}"], "tags": ["monitor"]],
             [401, 201, 201, 201, 201, 201]),
        Case(.POST, "/api/v1/requests", ["location_id": "{berlin}", "date": "2026-03-19"], [401, 422, 422, 422, 422, 422]),
        Case(.GET, "/api/v1/me/requests", all),
        Case(.GET, "/api/v1/requests/{annRequest}", [401, 200, 404, 404, 404, 404]),
        Case(.DELETE, "/api/v1/requests/{annRequest}", [401, 200, 404, 404, 404, 404]),
        Case(.GET, "/api/v1/locations/{berlin}/rounds?date={roundDay}", all),
        Case(.GET, "/api/v1/locations/{berlin}/rounds?date=2026-04-30", [401, 404, 404, 404, 404, 404]),
        Case(.POST, "/api/v1/admin/locations/{berlin}/rounds", ["date": "{pendingDay}"], [401, 403, 403, 403, 201, 201]),
        Case(.POST, "/api/v1/admin/locations/{berlin}/rounds", ["date": "2026-04-30"], [401, 403, 403, 403, 409, 409]),
        // Autopilot: a rule, its log and history are its owner's alone; oversight is for superusers.
        Case(.GET, "/api/v1/me/autopilot", all),
        Case(.GET, "/api/v1/me/autopilot/rules", all),
        Case(.POST, "/api/v1/me/autopilot/rules", ["location_id": "{berlin}", "weekdays": [1], "mode": "watch"], [401, 201, 201, 201, 201, 201]),
        Case(.POST, "/api/v1/me/autopilot/rules", ["location_id": "{berlin}", "weekdays": [8]], [401, 422, 422, 422, 422, 422]),
        Case(.GET, "/api/v1/me/autopilot/rules/{annRule}", [401, 200, 404, 404, 404, 404]),
        Case(.PATCH, "/api/v1/me/autopilot/rules/{annRule}", ["name": "Mondays"], [401, 200, 404, 404, 404, 404]),
        Case(.DELETE, "/api/v1/me/autopilot/rules/{annRule}", [401, 204, 404, 404, 404, 404]),
        Case(.POST, "/api/v1/me/autopilot/rules/{annRule}/pause", [401, 200, 404, 404, 404, 404]),
        Case(.POST, "/api/v1/me/autopilot/rules/{annRule}/resume", [401, 200, 404, 404, 404, 404]),
        Case(.GET, "/api/v1/me/autopilot/log", all),
        Case(.GET, "/api/v1/me/autopilot/history", all),
        Case(.GET, "/api/v1/admin/autopilot/rules", superuserOnly),
        Case(.POST, "/api/v1/admin/autopilot/rules/{annRule}/suspend", ["reason": "Books too much"], superuserOnly),
        // A rule that is not suspended has nothing to resume.
        Case(.POST, "/api/v1/admin/autopilot/rules/{annRule}/resume", [401, 403, 403, 403, 403, 409]),
        Case(.PUT, "/api/v1/admin/users/{ann}/limits", ["max_rules": 7], superuserOnly),
        Case(.GET, "/api/v1/admin/users/{ann}/autopilot", superuserOnly),
        Case(.GET, "/api/v1/admin/stats", superuserOnly),
        // The signed-in person
        Case(.GET, "/api/v1/me/preferences", all),
        Case(.PATCH, "/api/v1/me/preferences", ["theme": "dark"], all),
        Case(.GET, "/api/v1/me/stats", all),
        Case(.POST, "/api/v1/me/calendar-feed", all),
        Case(.GET, "/api/v1/me/notifications", all),
        Case(.POST, "/api/v1/me/notifications/read", ["all": true], all),
        Case(.GET, "/api/v1/me/notification-settings", all),
        Case(.PUT, "/api/v1/me/notification-settings", ["kinds": [["kind": "allocation.won", "channels": ["inbox": true]]]], all),
        // Webhooks: a personal endpoint is its owner's alone, superusers included; a location's is for its managers.
        Case(.GET, "/api/v1/me/webhooks", all),
        Case(.POST, "/api/v1/me/webhooks", ["url": "https://1.1.1.1/hooks", "event_types": ["booking.created"]], [401, 201, 201, 201, 201, 201]),
        Case(.GET, "/api/v1/me/webhooks/{annWebhook}", [401, 200, 404, 404, 404, 404]),
        Case(.PATCH, "/api/v1/me/webhooks/{annWebhook}", ["description": "CI"], [401, 200, 404, 404, 404, 404]),
        Case(.DELETE, "/api/v1/me/webhooks/{annWebhook}", [401, 204, 404, 404, 404, 404]),
        Case(.GET, "/api/v1/me/webhooks/{annWebhook}/deliveries", [401, 200, 404, 404, 404, 404]),
        Case(.POST, "/api/v1/me/webhooks/{annWebhook}/deliveries/{annWebhookDelivery}/redeliver", [401, 202, 404, 404, 404, 404]),
        Case(.POST, "/api/v1/me/webhooks/{annWebhook}/test", [401, 202, 404, 404, 404, 404]),
        Case(.GET, "/api/v1/locations/{berlin}/webhooks", locationManagers),
        Case(.POST, "/api/v1/locations/{berlin}/webhooks", ["url": "https://1.1.1.1/hooks", "event_types": ["booking.created"]],
             [401, 403, 403, 403, 201, 201]),
        Case(.GET, "/api/v1/locations/{berlin}/webhooks/{berlinWebhook}", locationManagers),
        Case(.PATCH, "/api/v1/locations/{berlin}/webhooks/{berlinWebhook}", ["description": "Facilities"], locationManagers),
        Case(.DELETE, "/api/v1/locations/{berlin}/webhooks/{berlinWebhook}", [401, 403, 403, 403, 204, 204]),
        Case(.GET, "/api/v1/locations/{berlin}/webhooks/{berlinWebhook}/deliveries", locationManagers),
        Case(.POST, "/api/v1/locations/{berlin}/webhooks/{berlinWebhook}/deliveries/{berlinWebhookDelivery}/redeliver",
             [401, 403, 403, 403, 202, 202]),
        Case(.POST, "/api/v1/locations/{berlin}/webhooks/{berlinWebhook}/test", [401, 403, 403, 403, 202, 202]),
        // The outbox's administration; without SMTP (as here) a test mail has nowhere to go.
        Case(.GET, "/api/v1/admin/mail", superuserOnly),
        Case(.POST, "/api/v1/admin/mail/test", ["to": "ops@example.com"], [401, 403, 403, 403, 403, 409]),
        Case(.GET, "/api/v1/admin/deliveries", superuserOnly),
        Case(.POST, "/api/v1/admin/deliveries/{annWebhookDelivery}/redeliver", [401, 403, 403, 403, 403, 202]),
        // The feed's token is its credential.
        Case(.GET, "/calendar/{annFeed}", open),
        // Audit
        Case(.GET, "/api/v1/audit", locationManagers),
    ]

    @Test("each role gets the documented status", arguments: cases)
    func matrix(_ testCase: Case) async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let document = try await ServedDocument.load(server)
            let route = testCase.route.split(separator: " ", maxSplits: 1).map(String.init)
            let callers: [Caller] = [.anonymous, f.ann, f.bob, f.rita, f.leo, f.admin]
            for (index, caller) in callers.enumerated() {
                let made = try await Self.allocationPlaceholders(for: testCase, server, f, role: index)
                let path = try await Placeholders.resolve(Self.fill(testCase.path, made), server, f, role: index)
                var body: JSON?
                if let template = testCase.body { body = try await Placeholders.resolve(Self.fill(template, made), server, f, role: index) }
                let response = try await server.send(testCase.method, path, as: caller, json: body)
                #expect(response.status.code == testCase.expected[index],
                        "\(["anonymous", "user", "another user", "room manager", "location manager", "superuser"][index]) \(testCase.method) \(path): \(response.body.string)")
                if response.status.code >= 400 {
                    #expect(response.headers.contentType?.description == "application/problem+json")
                }
                #expect(document.declares(route[0], ServedDocument.template(route[1]), status: response.status.code),
                        "\(testCase.route) answered \(response.status.code), which the document does not declare")
            }
        }
    }

    // MARK: Allocation placeholders

    /// The placeholders of autopilot rules, requests and rounds, which `Placeholders` does not know, made fresh per role
    /// like its own: `{annRule}` is a watching rule of ann's;
    /// `{annRequest}` is a request of ann's that waits for its round, `{pendingDay}` the day it waits for, and `{roundDay}`
    /// that day after its round has run. Each role gets a day of its own: a person has one open request per location
    /// and day, and a day's round runs once.
    private static func allocationPlaceholders(
        for testCase: Case, _ server: TestServer, _ f: Fixture, role: Int
    ) async throws -> [String: String] {
        let text = testCase.path + (testCase.body?.text ?? "")
        if text.contains("{annRule}") {
            // One rule per role would pass ann's limit of five.
            try await server.services.transactor.sql.raw("DELETE FROM autopilot_rules WHERE user_id = \(bind: f.ann.userId)").run()
            let rule = try await server.send(.POST, "/api/v1/me/autopilot/rules", as: f.ann,
                                             json: ["location_id": .id(f.berlin), "weekdays": [1], "mode": "watch"])
            try #require(rule.status == .created, "creating ann's rule: \(rule.body.string)")
            return ["{annRule}": try #require(ResponseBody(rule).string("id"))]
        }
        guard ["{annRequest}", "{pendingDay}", "{roundDay}"].contains(where: { text.contains($0) }) else { return [:] }
        let day = "2026-04-2\(role)"  // after the fixture's booking window: the request waits for the round
        let filed = try await server.send(.POST, "/api/v1/requests", as: f.ann, json: ["location_id": .id(f.berlin), "date": .string(day)])
        try #require(filed.status == .created, "filing ann's request: \(filed.body.string)")
        let request = try #require(ResponseBody(filed).string("id"))
        if text.contains("{roundDay}") {
            let ran = try await server.send(.POST, "/api/v1/admin/locations/\(f.berlin)/rounds", as: f.admin, json: ["date": .string(day)])
            try #require(ran.status == .created, "running the round: \(ran.body.string)")
        }
        return ["{annRequest}": request, "{pendingDay}": day, "{roundDay}": day]
    }

    private static func fill(_ template: String, _ values: [String: String]) -> String {
        values.reduce(template) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
    }

    private static func fill(_ json: JSON, _ values: [String: String]) -> JSON {
        switch json {
        case .string(let text): .string(fill(text, values))
        case .array(let items): .array(items.map { fill($0, values) })
        case .object(let fields): .object(fields.mapValues { fill($0, values) })
        default: json
        }
    }

    @Test("the matrix covers every registered route except sign-in and sign-up")
    func coversEveryRoute() async throws {
        try await withServer { server in
            let registered = Set(server.app.routes.all.filter { $0.userInfo[WebController.isPage] == nil }
                .map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") })
            let covered = Set(Self.cases.map(\.route))
            let exempt: Set<String> = ["POST /api/v1/auth/login", "POST /api/v1/auth/logout", "POST /api/v1/auth/refresh",
                                       "POST /api/v1/auth/register"]
            #expect(registered.subtracting(covered).subtracting(exempt).sorted() == [])
            #expect(covered.subtracting(registered).sorted() == [])
        }
    }
}
