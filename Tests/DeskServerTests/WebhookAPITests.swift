import DeskCore
@testable import DeskServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// Webhook endpoints as a client keeps them through the API: personal and location endpoints, the secret shown once,
/// validation, who may see and change them, and their delivery log. Nothing is sent here (the delivery worker only
/// runs in a serving process); what is queued shows in the log.
@Suite("Webhook API")
struct WebhookAPITests {
    /// A public address that needs no name lookup.
    static let publicURL = "https://1.1.1.1/hooks"

    @discardableResult
    private func create(
        _ server: TestServer, at base: String = "/api/v1/me/webhooks", as caller: Caller, url: String = publicURL,
        types: [String] = ["booking.created"], description: String? = nil
    ) async throws -> TestingHTTPResponse {
        var body: [String: JSON] = ["url": .string(url), "event_types": .array(types.map(JSON.string))]
        if let description { body["description"] = .string(description) }
        return try await server.send(.POST, base, as: caller, json: .object(body))
    }

    private func webhookId(of response: TestingHTTPResponse) throws -> String {
        try #require(ResponseBody(response).string("id"), "\(response.status) \(response.body.string)")
    }

    private func deliveries(_ server: TestServer, _ path: String, as caller: Caller) async throws -> [[String: Any]] {
        let response = try await server.send(.GET, path + "/deliveries", as: caller)
        #expect(response.status == .ok, "\(path)/deliveries: \(response.body.string)")
        return ResponseBody(response).array
    }

    /// The fields a 422 names.
    private func fields(_ response: TestingHTTPResponse) -> [String] {
        ResponseBody(response).array(at: "errors").compactMap { $0["field"] as? String }
    }

    @Test("creating answers 201 with the secret once; reading and listing never show it; it is sealed at rest")
    func secretShownOnce() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let created = try await create(server, as: f.ann, types: ["booking.created", "allocation.won"], description: " Build server ")
            #expect(created.status == .created, "\(created.body.string)")
            let body = ResponseBody(created)
            let secret = try #require(body.string("secret"))
            #expect(secret.count >= 32)
            #expect(body.string("url") == Self.publicURL)
            #expect(body.string("description") == "Build server")
            #expect(body["event_types"] as? [String] == ["booking.created", "allocation.won"])
            #expect(body["active"] as? Bool == true && body["consecutive_failures"] as? Int == 0)
            #expect(body.string("owner_id") == f.ann.userId.uuidString && body["location_id"] == nil)
            let id = try webhookId(of: created)

            let one = try await server.send(.GET, "/api/v1/me/webhooks/\(id)", as: f.ann)
            #expect(one.status == .ok && ResponseBody(one).string("id") == id)
            #expect(ResponseBody(one)["secret"] == nil && !one.body.string.contains(secret))
            let list = try await server.send(.GET, "/api/v1/me/webhooks", as: f.ann)
            #expect(ResponseBody(list).array.compactMap { $0["id"] as? String } == [id])
            #expect(ResponseBody(list).array.allSatisfy { $0["secret"] == nil } && !list.body.string.contains(secret))
            // Stored sealed, and the vault opens it again for signing.
            struct Row: Decodable { let secret: String }
            let stored = try #require(try await server.services.transactor.sql.first(
                Row.self, "SELECT secret FROM webhooks WHERE id = \(bind: UUID(uuidString: id)!)"))
            #expect(!stored.secret.contains(secret))
            #expect(try server.services.vault.open(stored.secret, purpose: WebhookService.secretPurpose) == secret)
            // Changing it does not show the secret either.
            let patched = try await server.send(.PATCH, "/api/v1/me/webhooks/\(id)", as: f.ann, json: ["description": "CI"])
            #expect(patched.status == .ok && ResponseBody(patched)["secret"] == nil)
        }
    }

    @Test("PATCH changes url, event types, description and switches it off and on; DELETE removes it")
    func changeAndDelete() async throws {
        try await withServer(configure: { $0.webhookAllowPrivate = true }) { server in
            let f = try await Fixture.make(server)
            let id = try webhookId(of: try await create(server, as: f.ann))
            let path = "/api/v1/me/webhooks/\(id)"

            let changed = try await server.send(.PATCH, path, as: f.ann, json: [
                "url": "http://127.0.0.1:9/deskpilot", "event_types": ["booking.cancelled", "check_in.reminder"], "description": "Desk bot",
            ])
            #expect(changed.status == .ok, "\(changed.body.string)")
            var body = ResponseBody(changed)
            #expect(body.string("url") == "http://127.0.0.1:9/deskpilot")
            #expect(body["event_types"] as? [String] == ["booking.cancelled", "check_in.reminder"])
            #expect(body.string("description") == "Desk bot")

            let off = try await server.send(.PATCH, path, as: f.ann, json: ["active": false])
            body = ResponseBody(off)
            #expect(body["active"] as? Bool == false && body.string("disabled_reason") != nil)
            let on = try await server.send(.PATCH, path, as: f.ann, json: ["active": true])
            body = ResponseBody(on)
            #expect(body["active"] as? Bool == true && body["disabled_reason"] == nil)

            // A refused change changes nothing.
            let refused = try await server.send(.PATCH, path, as: f.ann, json: ["url": "ftp://1.1.1.1/x", "description": "Other"])
            #expect(refused.status == .unprocessableEntity && fields(refused) == ["url"])
            let kept = ResponseBody(try await server.send(.GET, path, as: f.ann))
            #expect(kept.string("url") == "http://127.0.0.1:9/deskpilot" && kept.string("description") == "Desk bot")

            #expect(try await server.send(.DELETE, path, as: f.ann).status == .noContent)
            #expect(try await server.send(.GET, path, as: f.ann).status == .notFound)
            #expect(try await server.send(.DELETE, path, as: f.ann).status == .notFound)
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/me/webhooks", as: f.ann)).array.isEmpty)
        }
    }

    @Test("bad endpoints are refused with 422 naming the field, and nothing is stored")
    func validation() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let cases: [(url: String, types: [String], description: String?, field: String)] = [
                ("ftp://1.1.1.1/hooks", ["booking.created"], nil, "url"),
                ("http://1.1.1.1/hooks", ["booking.created"], nil, "url"),
                ("http://127.0.0.1/", ["booking.created"], nil, "url"),
                ("https://127.0.0.1/", ["booking.created"], nil, "url"),
                ("http://localhost/", ["booking.created"], nil, "url"),
                ("https://localhost/", ["booking.created"], nil, "url"),
                ("https://10.1.2.3/hooks", ["booking.created"], nil, "url"),
                ("https://169.254.169.254/latest/meta-data", ["booking.created"], nil, "url"),
                ("https://user:secret@1.1.1.1/hooks", ["booking.created"], nil, "url"),
                ("https://1.1.1.1/" + String(repeating: "a", count: 1_985), ["booking.created"], nil, "url"),
                ("not a url", ["booking.created"], nil, "url"),
                ("", ["booking.created"], nil, "url"),
                (Self.publicURL, ["booking.exploded"], nil, "event_types"),
                (Self.publicURL, [], nil, "event_types"),
                (Self.publicURL, ["booking.created"], String(repeating: "d", count: 201), "description"),
                (Self.publicURL, ["booking.created"], "Build\u{0}server", "description"),
            ]
            for (url, types, description, field) in cases {
                let response = try await create(server, as: f.ann, url: url, types: types, description: description)
                #expect(response.status == .unprocessableEntity, "\(url.prefix(60)) \(types): \(response.status) \(response.body.string)")
                #expect(response.headers.contentType?.description == "application/problem+json")
                #expect(fields(response) == [field], "\(url.prefix(60)) \(types): \(response.body.string)")
            }
            #expect(("https://1.1.1.1/" + String(repeating: "a", count: 1_985)).count == 2_001)
            // At the limits: 2,000 characters of URL and 200 of description are fine.
            let longest = try await create(server, as: f.ann, url: "https://1.1.1.1/" + String(repeating: "a", count: 1_984),
                                           description: String(repeating: "d", count: 200))
            #expect(longest.status == .created, "\(longest.body.string)")
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/me/webhooks", as: f.ann)).array.count == 1)
        }
    }

    @Test("with private targets allowed, loopback is accepted but metadata addresses never are")
    func privateTargets() async throws {
        try await withServer(configure: { $0.webhookAllowPrivate = true }) { server in
            let f = try await Fixture.make(server)
            #expect(try await create(server, as: f.ann, url: "http://127.0.0.1:9/hooks").status == .created)
            #expect(try await create(server, as: f.ann, url: "http://localhost:9/hooks").status == .created)
            #expect(try await create(server, as: f.ann, url: "https://10.1.2.3/hooks").status == .created)
            for metadata in ["http://169.254.169.254/latest/meta-data", "https://169.254.169.254/", "http://[fd00:ec2::254]/"] {
                let refused = try await create(server, as: f.ann, url: metadata)
                #expect(refused.status == .unprocessableEntity && fields(refused) == ["url"], "\(metadata): \(refused.body.string)")
            }
            #expect(try await create(server, as: f.ann, url: "ftp://127.0.0.1/").status == .unprocessableEntity)
        }
    }

    @Test("another person's endpoint does not exist for anyone else, administrators included")
    func othersEndpoints() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let id = try webhookId(of: try await create(server, as: f.ann))
            let ping = try await server.send(.POST, "/api/v1/me/webhooks/\(id)/test", as: f.ann)
            let delivery = try #require(ResponseBody(ping).string("id"))
            for caller in [f.bob, f.leo, f.admin] {
                let base = "/api/v1/me/webhooks/\(id)"
                let routes: [(HTTPMethod, String, JSON?)] = [
                    (.GET, base, nil), (.PATCH, base, ["description": "Mine now"]), (.DELETE, base, nil),
                    (.GET, base + "/deliveries", nil), (.POST, base + "/test", nil),
                    (.POST, base + "/deliveries/\(delivery)/redeliver", nil),
                ]
                for (method, path, body) in routes {
                    let response = try await server.send(method, path, as: caller, json: body)
                    #expect(response.status == .notFound, "\(method) \(path): \(response.status)")
                    #expect(ResponseBody(response).code == "not_found")
                }
                #expect(ResponseBody(try await server.send(.GET, "/api/v1/me/webhooks", as: caller)).array.isEmpty)
            }
            // Nor is a personal endpoint a location's.
            let asLocation = try await server.send(.GET, "/api/v1/locations/\(f.berlin)/webhooks/\(id)", as: f.leo)
            #expect(asLocation.status == .notFound)
            let intact = ResponseBody(try await server.send(.GET, "/api/v1/me/webhooks/\(id)", as: f.ann))
            #expect(intact.string("description") == "")
            #expect(try await deliveries(server, "/api/v1/me/webhooks/\(id)", as: f.ann).count == 1)
        }
    }

    @Test("a location's endpoints: its managers and administrators keep them; others get 403, or 404 where they cannot see it")
    func locationEndpoints() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let base = "/api/v1/locations/\(f.berlin)/webhooks"
            let created = try await create(server, at: base, as: f.leo, types: ["booking.created", "booking.maintenance"])
            #expect(created.status == .created, "\(created.body.string)")
            #expect(ResponseBody(created).string("location_id") == f.berlin.uuidString)
            #expect(ResponseBody(created).string("secret") != nil)
            let id = try webhookId(of: created)

            for caller in [f.leo, f.admin] {
                #expect(ResponseBody(try await server.send(.GET, base, as: caller)).array.compactMap { $0["id"] as? String } == [id])
                let one = try await server.send(.GET, "\(base)/\(id)", as: caller)
                #expect(one.status == .ok && ResponseBody(one)["secret"] == nil)
            }
            let changed = try await server.send(.PATCH, "\(base)/\(id)", as: f.admin, json: ["description": "Facilities"])
            #expect(ResponseBody(changed).string("description") == "Facilities")
            // Not in anyone's personal list.
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/me/webhooks", as: f.leo)).array.isEmpty)

            // Ann, Bob and the room manager see Berlin but do not manage it.
            for caller in [f.ann, f.bob, f.rita] {
                #expect(try await server.send(.GET, base, as: caller).status == .forbidden)
                #expect(try await create(server, at: base, as: caller).status == .forbidden)
                for (method, path) in [(HTTPMethod.GET, "\(base)/\(id)"), (.PATCH, "\(base)/\(id)"), (.DELETE, "\(base)/\(id)"),
                                       (.GET, "\(base)/\(id)/deliveries"), (.POST, "\(base)/\(id)/test")] {
                    let response = try await server.send(method, path, as: caller, json: method == .PATCH ? ["active": false] : nil)
                    #expect(response.status == .forbidden, "\(method) \(path): \(response.status)")
                }
            }
            // Leo does not manage New York: visible there, so 403; gated to a group he is not in, so 404.
            let newYork = "/api/v1/locations/\(f.newYork)/webhooks"
            #expect(try await server.send(.GET, newYork, as: f.leo).status == .forbidden)
            #expect(try await create(server, at: newYork, as: f.leo).status == .forbidden)
            let newYorkTeam = try await server.send(.POST, "/api/v1/locations/\(f.newYork)/groups", as: f.admin, json: ["name": "NY team"])
            let team = try #require(ResponseBody(newYorkTeam).string("id"))
            #expect(try await server.send(.PUT, "/api/v1/locations/\(f.newYork)/gate", as: f.admin, json: ["group_ids": [.string(team)]]).status == .ok)
            #expect(try await server.send(.GET, newYork, as: f.leo).status == .notFound)
            #expect(try await create(server, at: newYork, as: f.ann).status == .notFound)
            #expect(try await server.send(.GET, "/api/v1/locations/\(UUID())/webhooks", as: f.admin).status == .notFound)
            // Berlin's endpoint is not New York's.
            #expect(try await server.send(.GET, "\(newYork)/\(id)", as: f.admin).status == .notFound)

            #expect(try await server.send(.DELETE, "\(base)/\(id)", as: f.leo).status == .noContent)
            #expect(try await server.send(.GET, "\(base)/\(id)", as: f.admin).status == .notFound)
        }
    }

    @Test("an owner keeps at most 20 endpoints: the 21st is 422 too_many_webhooks")
    func limit() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            for index in 1...20 {
                let response = try await create(server, as: f.ann, url: "https://1.1.1.\(index)/hooks")
                #expect(response.status == .created, "endpoint \(index): \(response.body.string)")
            }
            let refused = try await create(server, as: f.ann, url: "https://1.1.1.21/hooks")
            #expect(refused.status == .unprocessableEntity && ResponseBody(refused).code == "too_many_webhooks", "\(refused.body.string)")
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/me/webhooks", as: f.ann)).array.count == 20)
            // The limit is each owner's: Bob and Berlin still have room.
            #expect(try await create(server, as: f.bob).status == .created)
            #expect(try await create(server, at: "/api/v1/locations/\(f.berlin)/webhooks", as: f.leo).status == .created)
        }
    }

    @Test("a test event queues a pending webhook.ping in the endpoint's log; redelivering queues a copy with a new id")
    func testEventAndRedeliver() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let id = try webhookId(of: try await create(server, as: f.ann))
            let path = "/api/v1/me/webhooks/\(id)"
            // Switched off, it still takes a test event.
            #expect(try await server.send(.PATCH, path, as: f.ann, json: ["active": false]).status == .ok)
            let ping = try await server.send(.POST, path + "/test", as: f.ann)
            #expect(ping.status == .accepted, "\(ping.body.string)")
            let queued = ResponseBody(ping)
            #expect(queued.string("event_type") == "webhook.ping" && queued.string("status") == "pending")
            #expect(queued.string("channel") == "webhook" && queued.string("webhook_id") == id)
            #expect(queued["attempts"] as? Int == 0 && (queued["attempt_log"] as? [Any])?.isEmpty == true)
            let pingId = try #require(queued.string("id"))

            let log = try await deliveries(server, path, as: f.ann)
            #expect(log.compactMap { $0["id"] as? String } == [pingId])
            #expect(log.first?["status"] as? String == "pending" && log.first?["event_type"] as? String == "webhook.ping")

            let again = try await server.send(.POST, path + "/deliveries/\(pingId)/redeliver", as: f.ann)
            #expect(again.status == .accepted, "\(again.body.string)")
            let copy = try #require(ResponseBody(again).string("id"))
            #expect(copy != pingId && ResponseBody(again).string("event_type") == "webhook.ping")
            #expect(Set(try await deliveries(server, path, as: f.ann).compactMap { $0["id"] as? String }) == [pingId, copy])

            // A delivery of another endpoint, or none at all, is not this endpoint's to redeliver.
            let other = try webhookId(of: try await create(server, as: f.ann, url: "https://1.1.1.2/hooks"))
            let otherPing = try #require(ResponseBody(try await server.send(.POST, "/api/v1/me/webhooks/\(other)/test", as: f.ann)).string("id"))
            #expect(try await server.send(.POST, path + "/deliveries/\(otherPing)/redeliver", as: f.ann).status == .notFound)
            #expect(try await server.send(.POST, path + "/deliveries/\(UUID())/redeliver", as: f.ann).status == .notFound)
            #expect(try await server.send(.GET, path + "/deliveries?limit=0", as: f.ann).status == .unprocessableEntity)
        }
    }

    @Test("a notification is queued for its owner's endpoints and its location's that chose its kind")
    func notificationsReachSubscribers() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let annHook = "/api/v1/me/webhooks/" + (try webhookId(of: try await create(server, as: f.ann, types: ["booking.cancelled_for_you"])))
            let annOther = "/api/v1/me/webhooks/" + (try webhookId(of: try await create(server, as: f.ann, types: ["allocation.won"])))
            let berlinHook = "/api/v1/locations/\(f.berlin)/webhooks/"
                + (try webhookId(of: try await create(server, at: "/api/v1/locations/\(f.berlin)/webhooks", as: f.leo,
                                                      types: ["booking.cancelled_for_you"])))
            let newYorkHook = "/api/v1/locations/\(f.newYork)/webhooks/"
                + (try webhookId(of: try await create(server, at: "/api/v1/locations/\(f.newYork)/webhooks", as: f.admin,
                                                      types: ["booking.cancelled_for_you"])))
            let booking = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00")).string("id"))
            #expect(try await server.send(.DELETE, "/api/v1/bookings/\(booking)", as: f.rita).status == .ok)

            for (path, caller, expected) in [(annHook, f.ann, ["booking.cancelled_for_you"]), (berlinHook, f.leo, ["booking.cancelled_for_you"]),
                                             (annOther, f.ann, []), (newYorkHook, f.admin, [])] {
                let log = try await deliveries(server, path, as: caller)
                #expect(log.compactMap { $0["event_type"] as? String } == expected, "\(path)")
                #expect(log.allSatisfy { $0["status"] as? String == "pending" })
            }
        }
    }

    @Test("booking changes are queued for the owner's endpoints and the location's that subscribed, and no others")
    func bookingEventsReachSubscribers() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let annHook = "/api/v1/me/webhooks/" + (try webhookId(of: try await create(server, as: f.ann, types: ["booking.created"])))
            let bobHook = "/api/v1/me/webhooks/" + (try webhookId(of: try await create(server, as: f.bob, types: ["booking.created", "booking.cancelled"])))
            let berlinHook = "/api/v1/locations/\(f.berlin)/webhooks/"
                + (try webhookId(of: try await create(server, at: "/api/v1/locations/\(f.berlin)/webhooks", as: f.leo,
                                               types: ["booking.created", "booking.cancelled"])))
            let types = { (path: String, caller: Caller) async throws -> [String] in
                try await self.deliveries(server, path, as: caller).compactMap { $0["event_type"] as? String }.sorted()
            }

            let booked = try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00")
            let booking = try #require(ResponseBody(booked).string("id"))
            #expect(try await types(annHook, f.ann) == ["booking.created"])
            #expect(try await types(berlinHook, f.leo) == ["booking.created"])
            #expect(try await types(bobHook, f.bob) == [])

            // New York is not Berlin's; cancelling reaches Berlin's endpoint only (Ann's did not subscribe to it).
            #expect(try await server.book(f.newYorkDesk, as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00", zone: "America/New_York")
                .status == .created)
            #expect(try await server.send(.DELETE, "/api/v1/bookings/\(booking)", as: f.ann).status == .ok)
            #expect(try await types(annHook, f.ann) == ["booking.created", "booking.created"])
            #expect(try await types(berlinHook, f.leo) == ["booking.cancelled", "booking.created"])
            #expect(try await types(bobHook, f.bob) == [])

            // A switched-off or removed endpoint gets nothing more.
            #expect(try await server.send(.PATCH, annHook, as: f.ann, json: ["active": false]).status == .ok)
            #expect(try await server.send(.DELETE, berlinHook, as: f.leo).status == .noContent)
            #expect(try await server.book(f.desks[1], as: f.ann, day: "2026-03-24", from: "09:00", to: "12:00").status == .created)
            #expect(try await types(annHook, f.ann) == ["booking.created", "booking.created"])
            // Removing an endpoint drops its log with it.
            let webhookRows = ResponseBody(try await server.send(.GET, "/api/v1/admin/deliveries?channel=webhook", as: f.admin)).array
            #expect(webhookRows.count == 2)
        }
    }
}
