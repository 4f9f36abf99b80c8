import DeskCore
@testable import DeskServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// Every JSON request body against its schema in the served document: a property the document does not make nullable
/// refuses `null`, a required property refuses to be missing, a text property refuses control characters, and a
/// nullable one takes `null`. Driven by the document, so a new property is checked without a new test; a new
/// operation needs one valid body below (the coverage test says which).
@Suite("OpenAPI request bodies")
struct OpenAPIBodyTests {
    enum Role: String, Sendable {
        case anonymous, admin, ann
        /// Ann signed in with a browser session (cookies and the CSRF echo).
        case annBrowser
    }

    /// One operation with a body that succeeds. `{…}` placeholders are those of `Placeholders`, plus `{annRule}` (a
    /// rule of ann's), `{pendingDay}` (a day with a request waiting for its round) and `{code}` (a fresh country code).
    struct Sample: Sendable, CustomTestStringConvertible {
        let method: HTTPMethod
        let template: String
        let ids: [String]
        let role: Role
        let body: JSON
        /// False where text is only compared, never stored (signing in): a control character is then just a mismatch.
        var storesText = true

        init(_ method: HTTPMethod, _ template: String, ids: [String] = [], as role: Role = .admin, _ body: JSON, storesText: Bool = true) {
            self.method = method
            self.template = template
            self.ids = ids
            self.role = role
            self.body = body
            self.storesText = storesText
        }

        var testDescription: String { "\(method.rawValue) \(template)" }
    }

    static let samples: [Sample] = [
        Sample(.POST, "/api/v1/auth/login", as: .anonymous, ["username": "ann", "password": "ann-password"], storesText: false),
        Sample(.POST, "/api/v1/auth/register", as: .anonymous,
               ["username": "{unique}", "email": "{unique}@example.com", "password": "password-1", "display_name": "New person"]),
        Sample(.PUT, "/api/v1/me/password", as: .annBrowser, ["current_password": "ann-password", "new_password": "ann-password-2"]),
        Sample(.POST, "/api/v1/me/tokens", as: .ann, ["name": "cli", "scopes": ["read"]]),
        Sample(.PATCH, "/api/v1/me/preferences", as: .ann,
               ["theme": "dark", "timezone": "Europe/Berlin", "date_format": "DD.MM.YYYY", "time_format": "24h",
                "default_location_id": "{berlin}", "default_duration_minutes": 60]),
        Sample(.POST, "/api/v1/users",
               ["username": "{unique}", "email": "{unique}@example.com", "password": "password-1", "display_name": "New person",
                "is_superuser": false]),
        Sample(.PATCH, "/api/v1/users/{id}", ids: ["{bob}"],
               ["email": "{unique}@example.com", "display_name": "Robert", "password": "password-2", "is_superuser": false, "is_active": true]),
        Sample(.POST, "/api/v1/countries", ["name": "{unique}", "code": "{code}", "lat": 1.5, "lng": 2.5]),
        Sample(.PATCH, "/api/v1/countries/{id}", ids: ["{newCountry}"], ["name": "{unique}", "code": "{code}", "lat": 1.5, "lng": 2.5]),
        Sample(.POST, "/api/v1/locations",
               ["country_id": "{germany}", "name": "{unique}", "address": "Street 1", "timezone": "Europe/Berlin", "lat": 52.5,
                "lng": 13.4, "room_managers_add_members": true]),
        Sample(.PATCH, "/api/v1/locations/{id}", ids: ["{berlin}"],
               ["country_id": "{germany}", "name": "Berlin", "address": "Unter den Linden 1", "timezone": "Europe/Berlin", "lat": 52.5,
                "lng": 13.4, "room_managers_add_members": false]),
        Sample(.PATCH, "/api/v1/locations/{id}/policy", ids: ["{berlin}"],
               ["max_advance_days": 21, "check_in_required": false, "booker_visibility": "everyone", "release_time": "00:00"]),
        Sample(.POST, "/api/v1/locations/{id}/floors", ids: ["{berlin}"], ["name": "{unique}", "level": 2]),
        Sample(.PATCH, "/api/v1/floors/{id}", ids: ["{floor}"], ["name": "1", "level": 3]),
        Sample(.POST, "/api/v1/floors/{id}/rooms", ids: ["{floor}"], ["name": "{unique}", "description": "Quiet"]),
        Sample(.PATCH, "/api/v1/rooms/{id}", ids: ["{open}"], ["name": "Open space", "description": "Sunny"]),
        Sample(.PUT, "/api/v1/rooms/{id}/maintenance", ids: ["{open}"], ["reason": "Painting"]),
        Sample(.POST, "/api/v1/rooms/{id}/desks", ids: ["{open}"],
               ["name": "{short}", "x": 0.1, "y": 0.9, "orientation": "top", "tags": ["monitor"], "is_active": true]),
        Sample(.PATCH, "/api/v1/desks/{id}", ids: ["{desk}"],
               ["name": "A1", "x": 0.25, "y": 0.5, "orientation": "left", "tags": ["monitor"], "is_active": true]),
        Sample(.POST, "/api/v1/locations/{id}/groups", ids: ["{berlin}"], ["name": "{unique}", "description": "Builders"]),
        Sample(.PATCH, "/api/v1/groups/{id}", ids: ["{group}"], ["name": "Engineering", "description": "Builders"]),
        Sample(.PUT, "/api/v1/locations/{id}/gate", ids: ["{berlin}"], ["group_ids": []]),
        Sample(.PUT, "/api/v1/rooms/{id}/gate", ids: ["{open}"], ["group_ids": ["{group}"]]),
        Sample(.PUT, "/api/v1/desks/{id}/permanent", ids: ["{desk}"], ["user_id": "{ann}"]),
        Sample(.POST, "/api/v1/bookings", as: .ann,
               ["desk_id": "{newDesk}", "start": "{slotStart}", "end": "{slotEnd}", "note": "By the window"]),
        Sample(.PATCH, "/api/v1/bookings/{id}", ids: ["{annBooking}"], as: .ann,
               ["start": "{slotStart}", "end": "{slotEnd}", "note": "Moved"]),
        Sample(.POST, "/api/v1/bookings/bulk", as: .ann,
               ["desk_id": "{newDesk}", "intervals": [["start": "{slotStart}", "end": "{slotEnd}"]], "atomic": false, "note": "Sprint"]),
        Sample(.POST, "/api/v1/bookings/{id}/intervals", ids: ["{annBooking}"], as: .ann,
               ["intervals": [["start": "{slotStart}", "end": "{slotEnd}"]]]),
        Sample(.POST, "/api/v1/requests", as: .ann,
               ["location_id": "{berlin}", "date": "2026-04-30", "desk_ids": ["{desk}"], "tags": ["monitor"], "room_ids": ["{open}"],
                "floor_ids": ["{floor}"], "accepts_other_desks": true, "window": ["from": "09:00", "until": "12:00"]]),
        Sample(.POST, "/api/v1/admin/locations/{id}/rounds", ids: ["{berlin}"], ["date": "{pendingDay}"]),
        Sample(.POST, "/api/v1/me/autopilot/rules", as: .ann,
               ["name": "Mondays", "location_id": "{berlin}", "mode": "watch", "weekdays": [1], "extra_dates": ["2026-04-01"],
                "blacklist_dates": ["2026-04-06"], "blacklist_ranges": [["from": "2026-05-01", "to": "2026-05-03"]],
                "window": ["from": "09:00", "until": "12:00"], "skip_today_after": "12:00", "desk_ids": ["{desk}"], "tags": ["monitor"],
                "room_ids": ["{open}"], "floor_ids": ["{floor}"], "accepts_other_desks": true]),
        Sample(.PATCH, "/api/v1/me/autopilot/rules/{id}", ids: ["{annRule}"], as: .ann,
               ["name": "Mondays", "weekdays": [1, 2], "skip_today_after": "12:00", "accepts_other_desks": true]),
        Sample(.POST, "/api/v1/admin/autopilot/rules/{id}/suspend", ids: ["{annRule}"], ["reason": "Books too much"]),
        Sample(.PUT, "/api/v1/admin/users/{id}/limits", ids: ["{ann}"], ["max_rules": 7]),
        // Others' ids are ignored, so any id will do.
        Sample(.POST, "/api/v1/me/notifications/read", as: .ann, ["ids": ["{bob}"]]),
        Sample(.PUT, "/api/v1/me/notification-settings", as: .ann,
               ["kinds": [["kind": "allocation.won", "channels": ["inbox": true, "email": false]]]]),
        Sample(.POST, "/api/v1/admin/mail/test", ["to": "ops@example.com"]),
        Sample(.POST, "/api/v1/me/webhooks", as: .ann,
               ["url": "https://1.1.1.1/hooks", "event_types": ["booking.created"], "description": "Team calendar"]),
        Sample(.PATCH, "/api/v1/me/webhooks/{id}", ids: ["{annWebhook}"], as: .ann,
               ["url": "https://1.1.1.2/hooks", "event_types": ["booking.cancelled"], "description": "Team calendar", "active": false]),
        Sample(.POST, "/api/v1/locations/{id}/webhooks", ids: ["{berlin}"],
               ["url": "https://1.1.1.1/hooks", "event_types": ["booking.created"], "description": "Facilities"]),
        Sample(.PATCH, "/api/v1/locations/{id}/webhooks/{webhook_id}", ids: ["{berlin}", "{berlinWebhook}"],
               ["url": "https://1.1.1.2/hooks", "event_types": ["booking.cancelled"], "description": "Facilities", "active": true]),
    ]

    @Test("every operation with a JSON body in the document has a sample here, and every sample is such an operation")
    func samplesCoverTheDocument() async throws {
        try await withServer { server in
            let document = try await ServedDocument.load(server)
            let documented = Set(document.operations.filter { document.jsonBody($0.method, $0.path) != nil }
                .map { "\($0.method.uppercased()) \($0.path)" })
            let sampled = Set(Self.samples.map(\.testDescription))
            #expect(documented.subtracting(sampled).sorted() == [], "Add a valid body to OpenAPIBodyTests.samples")
            #expect(sampled.subtracting(documented).sorted() == [])
            #expect(documented.count >= 30)
        }
    }

    @Test("null only where the schema allows it, required fields required, no control characters in text", arguments: samples)
    func bodyKeepsToItsSchema(_ sample: Sample) async throws {
        // With an SMTP server configured, so that a test mail can be queued (nothing is sent).
        try await withServer(registration: .open, configure: NotificationTests.smtp) { server in
            let f = try await Fixture.make(server)
            let document = try await ServedDocument.load(server)
            let schema = try #require(document.jsonBody(sample.method.rawValue, sample.template))
            let properties = (schema["properties"] as? [String: Any]) ?? [:]
            let required = (schema["required"] as? [String]) ?? []
            let caller = try await Self.caller(sample.role, server, f)
            var made: [String: String] = [:]
            if sample.body.text.contains("{pendingDay}") {
                // A day after the booking window, with a request of ann's waiting for its round.
                let day = "2026-04-29"
                let filed = try await server.send(.POST, "/api/v1/requests", as: f.ann, json: ["location_id": .id(f.berlin), "date": .string(day)])
                try #require(filed.status == .created, "filing ann's request: \(filed.body.string)")
                made["{pendingDay}"] = day
            }
            var path = sample.template
            for id in sample.ids {
                let range = try #require(path.range(of: #"\{[a-z_]+\}"#, options: .regularExpression))
                path.replaceSubrange(range, with: try await Self.resolve(id, server, f))
            }
            var codes = 0
            func body() async throws -> [String: JSON] {
                codes += 1
                let code = "Q" + String(UnicodeScalar(UInt8(64 + codes)))
                let filled = Self.fill(sample.body, ["{code}": code].merging(made) { $1 })
                guard case .object(let fields) = try await Placeholders.resolve(filled, server, f, role: 1) else {
                    Issue.record("the sample body is not an object")
                    return [:]
                }
                return fields
            }
            func send(_ fields: [String: JSON]) async throws -> TestingHTTPResponse {
                try await server.send(sample.method, path, as: caller, json: .object(fields))
            }
            /// Refused as invalid input naming `field`.
            func expectRefused(_ response: TestingHTTPResponse, _ field: String, _ what: String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
                let name = "\(sample.testDescription) with \(field) \(what)"
                #expect([400, 422].contains(response.status.code), "\(name) → \(response.status.code) \(response.body.string)",
                        sourceLocation: sourceLocation)
                #expect(response.headers.contentType?.description == "application/problem+json", "\(name)", sourceLocation: sourceLocation)
                #expect(Self.names(response, field), "\(name): the problem does not name \(field): \(response.body.string)",
                        sourceLocation: sourceLocation)
            }

            for field in properties.keys.sorted() where !document.acceptsNull(properties[field]) {
                var fields = try await body()
                fields[field] = .null
                expectRefused(try await send(fields), field, "null")
            }
            for field in required.sorted() {
                var fields = try await body()
                fields[field] = nil
                expectRefused(try await send(fields), field, "missing")
            }
            for field in properties.keys.sorted() where document.isString(properties[field]) {
                var fields = try await body()
                var text = "x"
                if case .string(let value)? = fields[field] { text = value }
                fields[field] = .string(String(text.prefix(1)) + "\u{0}" + String(text.dropFirst()))
                let response = try await send(fields)
                if sample.storesText {
                    expectRefused(response, field, "holding NUL")
                } else {
                    #expect((400..<500).contains(response.status.code), "\(sample.testDescription) with NUL in \(field) → \(response.status.code)")
                }
            }

            // The sample itself is valid: the refusals above were about the one field changed.
            let valid = try await send(try await body())
            #expect((200..<300).contains(valid.status.code), "\(sample.testDescription) → \(valid.status.code) \(valid.body.string)")

            // Where the document allows null, null is not refused as invalid (it may still meet a rule, such as a
            // request already filed for that day).
            for field in properties.keys.sorted() where document.acceptsNull(properties[field]) {
                var fields = try await body()
                fields[field] = .null
                let response = try await send(fields)
                let name = "\(sample.testDescription) with \(field) null"
                #expect(response.status.code < 500, "\(name) → \(response.status.code)")
                #expect(![400, 422].contains(response.status.code) || !Self.names(response, field),
                        "\(name) is refused although the document allows null: \(response.body.string)")
            }
        }
    }

    // MARK: Helpers

    /// Whether a problem document names the field: in `errors`, or in `detail` for a body that did not decode.
    static func names(_ response: TestingHTTPResponse, _ field: String) -> Bool {
        let problem = ResponseBody(response)
        if problem.array(at: "errors").contains(where: { $0["field"] as? String == field }) { return true }
        return problem.string("detail")?.contains(field) == true
    }

    private static func caller(_ role: Role, _ server: TestServer, _ f: Fixture) async throws -> Caller {
        switch role {
        case .anonymous: return .anonymous
        case .admin: return f.admin
        case .ann: return f.ann
        case .annBrowser:
            let (response, session) = try await server.login("ann", "ann-password")
            try #require(response.status == .ok)
            return session.caller(userId: f.ann.userId)
        }
    }

    /// A path id, resolved once per test (`{newCountry}` and the like make a new place each time).
    private static func resolve(_ id: String, _ server: TestServer, _ f: Fixture) async throws -> String {
        guard id == "{annRule}" else { return try await Placeholders.resolve(id, server, f, role: 1) }
        let rule = try await server.send(.POST, "/api/v1/me/autopilot/rules", as: f.ann,
                                         json: ["location_id": .id(f.berlin), "weekdays": [1], "mode": "watch"])
        try #require(rule.status == .created, "creating ann's rule: \(rule.body.string)")
        return try #require(ResponseBody(rule).string("id"))
    }

    private static func fill(_ json: JSON, _ values: [String: String]) -> JSON {
        switch json {
        case .string(let text): .string(values.reduce(text) { $0.replacingOccurrences(of: $1.key, with: $1.value) })
        case .array(let items): .array(items.map { fill($0, values) })
        case .object(let fields): .object(fields.mapValues { fill($0, values) })
        default: json
        }
    }
}
