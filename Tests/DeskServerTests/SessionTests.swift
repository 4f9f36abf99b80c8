import DeskCore
@testable import DeskServer
import Foundation
import SQLKit
import Testing
import VaporTesting

@Suite("Sessions and tokens")
struct SessionTests {
    @Test("login sets HttpOnly session cookies and a readable CSRF cookie; me answers with the account")
    func login() async throws {
        try await withServer { server in
            _ = try await Fixture.make(server)
            let (response, session) = try await server.login("ann", "ann-password")
            #expect(response.status == .ok)
            let setCookies = response.headers[.setCookie]
            #expect(setCookies.contains { $0.hasPrefix("deskpilot_access=") && $0.contains("HttpOnly") })
            #expect(setCookies.contains { $0.hasPrefix("deskpilot_refresh=") && $0.contains("HttpOnly") && $0.contains("Path=/api/v1/auth") })
            #expect(setCookies.contains { $0.hasPrefix("deskpilot_csrf=") && !$0.contains("HttpOnly") })
            #expect(!setCookies.contains { $0.contains("Secure") })  // http base URL
            let me = try await server.send(.GET, "/api/v1/me", as: session.caller())
            #expect(ResponseBody(me).string("user", "username") == "ann")
            let audit = try await server.services.transactor.sql.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'auth.login'")
            #expect(audit == 1)
        }
    }

    @Test("a wrong password is 401 and audited; the 11th wrong password within a minute is 429 with Retry-After")
    func throttling() async throws {
        try await withServer { server in
            _ = try await Fixture.make(server)
            for _ in 0..<10 {
                #expect(try await server.login("bob", "wrong-password").0.status == .unauthorized)
            }
            let blocked = try await server.login("bob", "wrong-password").0
            #expect(blocked.status == .tooManyRequests)
            #expect(ResponseBody(blocked).code == "too_many_attempts")
            #expect(Int(blocked.headers.first(name: .retryAfter) ?? "") ?? 0 > 0)
            // Even the right password waits until the window has passed.
            #expect(try await server.login("bob", "bob-password").0.status == .tooManyRequests)
            server.clock.advance(by: 61)
            #expect(try await server.login("bob", "bob-password").0.status == .ok)
            let failures = try await server.services.transactor.sql.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'auth.login_failed'")
            #expect(failures == 10)
        }
    }

    @Test("an unsafe cookie-authenticated request without the CSRF token is refused")
    func csrf() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let (_, session) = try await server.login("ann", "ann-password")
            let body: JSON = ["desk_id": .id(f.desks[0]), "start": .time(local("2026-03-23", "09:00")), "end": .time(local("2026-03-23", "10:00"))]
            let without = try await server.send(.POST, "/api/v1/bookings", as: session.caller(csrf: false), json: body)
            #expect(without.status == .forbidden)
            #expect(ResponseBody(without).code == "csrf_failed")
            var wrong = session.caller(csrf: false)
            wrong.headers.add(name: "X-CSRF-Token", value: "guess")
            #expect(try await server.send(.POST, "/api/v1/bookings", as: wrong, json: body).status == .forbidden)
            #expect(try await server.send(.POST, "/api/v1/bookings", as: session.caller(), json: body).status == .created)
            // Bearer tokens need no CSRF token.
            #expect(try await server.book(f.desks[1], as: f.bob, day: "2026-03-23", from: "09:00", to: "10:00").status == .created)
        }
    }

    @Test("signing in again from a browser that still holds cookies needs no CSRF token; health ignores credentials")
    func publicRoutesIgnoreStaleCredentials() async throws {
        try await withServer { server in
            _ = try await Fixture.make(server)
            let (_, session) = try await server.login("ann", "ann-password")
            let again = try await server.send(.POST, "/api/v1/auth/login", as: session.caller(csrf: false),
                                              json: ["username": "ann", "password": "ann-password"])
            #expect(again.status == .ok)
            let health = try await server.send(.GET, "/healthz", as: Caller(userId: UUID(), headers: ["Authorization": "Bearer nonsense"]))
            #expect(health.status == .ok)
            let wrongType = try await server.send(.POST, "/api/v1/auth/login", rawBody: "username=ann", headers: ["Content-Type": "text/plain"])
            #expect(wrongType.status == .unsupportedMediaType)
        }
    }

    @Test("a tampered or expired access token is rejected")
    func tamperedJWT() async throws {
        try await withServer { server in
            _ = try await Fixture.make(server)
            let (_, session) = try await server.login("ann", "ann-password")
            let token = try #require(session.cookies["deskpilot_access"])
            var parts = token.split(separator: ".").map(String.init)
            // Swap the subject for another user's id inside the payload and keep the old signature.
            var payload = Data(base64URL: parts[1])!
            payload = Data(String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "\"sub\":\"", with: "\"sub\":\"0").utf8)
            parts[1] = payload.base64URL
            var forged = session
            forged.cookies["deskpilot_access"] = parts.joined(separator: ".")
            #expect(try await server.send(.GET, "/api/v1/me", as: forged.caller()).status == .unauthorized)
            var unsigned = session
            unsigned.cookies["deskpilot_access"] = parts[0] + "." + parts[1] + "."
            #expect(try await server.send(.GET, "/api/v1/me", as: unsigned.caller()).status == .unauthorized)
            #expect(try await server.send(.GET, "/api/v1/me", as: session.caller()).status == .ok)
            server.clock.advance(by: 301)
            #expect(try await server.send(.GET, "/api/v1/me", as: session.caller()).status == .unauthorized)
        }
    }

    @Test("refresh rotates the token; reusing an old refresh token revokes the whole family")
    func refreshReuse() async throws {
        try await withServer { server in
            _ = try await Fixture.make(server)
            let (_, first) = try await server.login("ann", "ann-password")
            let refreshed = try await server.send(.POST, "/api/v1/auth/refresh", as: first.caller())
            #expect(refreshed.status == .ok)
            var second = first
            second.absorb(refreshed)
            #expect(second.cookies["deskpilot_refresh"] != first.cookies["deskpilot_refresh"])

            // A second tab that refreshed at the same moment is refused without ending the session.
            #expect(try await server.send(.POST, "/api/v1/auth/refresh", as: first.caller()).status == .unauthorized)
            let stillValid = try await server.send(.POST, "/api/v1/auth/refresh", as: second.caller())
            #expect(stillValid.status == .ok)
            second.absorb(stillValid)

            // Someone replays the first refresh token later: refused, and the family is revoked.
            server.clock.advance(by: SessionService.refreshGrace + 1)
            let replay = try await server.send(.POST, "/api/v1/auth/refresh", as: first.caller())
            #expect(replay.status == .unauthorized)
            #expect(try await server.send(.POST, "/api/v1/auth/refresh", as: second.caller()).status == .unauthorized)
            // Another session of the same user is untouched.
            let (_, other) = try await server.login("ann", "ann-password")
            #expect(try await server.send(.POST, "/api/v1/auth/refresh", as: other.caller()).status == .ok)
        }
    }

    @Test("changing one's password needs the current one, ends other sessions and keeps this one")
    func changePassword() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let (_, browser) = try await server.login("ann", "ann-password")
            let (_, otherDevice) = try await server.login("ann", "ann-password")
            func change(_ current: String, _ new: String, as caller: Caller) async throws -> TestingHTTPResponse {
                try await server.send(.PUT, "/api/v1/me/password", as: caller,
                                      json: ["current_password": .string(current), "new_password": .string(new)])
            }
            let wrong = try await change("guess", "a-new-password", as: browser.caller())
            #expect(wrong.status == .unprocessableEntity)
            #expect((ResponseBody(wrong)["errors"] as? [[String: Any]])?.first?["field"] as? String == "current_password")
            let short = try await change("ann-password", "short", as: browser.caller())
            #expect((ResponseBody(short)["errors"] as? [[String: Any]])?.first?["field"] as? String == "new_password")
            #expect(try await change("ann-password", "a-new-password", as: browser.caller(csrf: false)).status == .forbidden)
            #expect(try await change("ann-password", "a-new-password", as: f.ann).status == .forbidden)

            let changed = try await change("ann-password", "a-new-password", as: browser.caller())
            #expect(changed.status == .ok)
            var renewed = browser
            renewed.absorb(changed)
            #expect(try await server.send(.POST, "/api/v1/auth/refresh", as: renewed.caller()).status == .ok)
            #expect(try await server.send(.POST, "/api/v1/auth/refresh", as: otherDevice.caller()).status == .unauthorized)
            #expect(try await server.login("ann", "ann-password").0.status == .unauthorized)
            #expect(try await server.login("ann", "a-new-password").0.status == .ok)
        }
    }

    @Test("refresh needs the CSRF token; logout ends the session")
    func refreshCSRFAndLogout() async throws {
        try await withServer { server in
            _ = try await Fixture.make(server)
            let (_, session) = try await server.login("ann", "ann-password")
            #expect(try await server.send(.POST, "/api/v1/auth/refresh", as: session.caller(csrf: false)).status == .forbidden)
            let logout = try await server.send(.POST, "/api/v1/auth/logout", as: session.caller())
            #expect(logout.status == .noContent)
            #expect(try await server.send(.POST, "/api/v1/auth/refresh", as: session.caller()).status == .unauthorized)
        }
    }

    @Test("personal access tokens: shown once, listed without secret, scoped, revocable")
    func personalTokens() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let created = try await server.send(.POST, "/api/v1/me/tokens", as: f.ann, json: ["name": "script", "scopes": ["read"]])
            #expect(created.status == .created)
            let secret = try #require(ResponseBody(created).string("token"))
            let id = try #require(ResponseBody(created).uuid("id"))
            let reader = Caller(userId: f.ann.userId, headers: ["Authorization": "Bearer \(secret)"])
            #expect(try await server.send(.GET, "/api/v1/me", as: reader).status == .ok)
            let write = try await server.book(f.desks[0], as: reader, day: "2026-03-23", from: "09:00", to: "10:00")
            #expect(write.status == .forbidden)
            #expect(ResponseBody(write).code == "insufficient_scope")
            let list = ResponseBody(try await server.send(.GET, "/api/v1/me/tokens", as: f.ann))
            #expect(list.array.contains { $0["id"] as? String == id.uuidString && $0["token"] == nil })
            // A token is stored only as a hash.
            let stored = try await server.services.transactor.sql.count(
                "SELECT COUNT(*) AS n FROM access_tokens WHERE token_hash = \(bind: secret)")
            #expect(stored == 0)
            // Bob cannot revoke Ann's token.
            #expect(try await server.send(.DELETE, "/api/v1/me/tokens/\(id)", as: f.bob).status == .notFound)
            #expect(try await server.send(.DELETE, "/api/v1/me/tokens/\(id)", as: f.ann).status == .noContent)
            #expect(try await server.send(.GET, "/api/v1/me", as: reader).status == .unauthorized)
            let bad = try await server.send(.POST, "/api/v1/me/tokens", as: f.ann, json: ["name": "x", "scopes": ["admin"]])
            #expect(bad.status == .unprocessableEntity)
        }
    }

    @Test("registration follows DESKPILOT_REGISTRATION", arguments: [
        (RegistrationMode.closed, "x@example.com", 403),
        (RegistrationMode.open, "x@example.com", 201),
        (RegistrationMode.domains(["example.com"]), "x@example.com", 201),
        (RegistrationMode.domains(["corp.example"]), "x@example.com", 422),
    ])
    func registration(mode: RegistrationMode, email: String, expected: Int) async throws {
        try await withServer(registration: mode) { server in
            let response = try await server.send(.POST, "/api/v1/auth/register", json: [
                "username": "newbie", "email": .string(email), "password": "long-enough", "display_name": "New",
                "is_superuser": true,
            ])
            #expect(Int(response.status.code) == expected)
            if expected == 201 {
                #expect(ResponseBody(response)["is_superuser"] as? Bool == false)
                #expect(try await server.login("newbie", "long-enough").0.status == .ok)
            }
        }
    }

    @Test("changes to groups and gates take effect on the very next request")
    func accessChangesAreImmediate() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await server.send(.GET, "/api/v1/rooms/\(f.lab)", as: f.ann).status == .notFound)
            #expect(try await server.send(.PUT, "/api/v1/groups/\(f.engineering)/members/\(f.ann.userId)", as: f.leo).status == .noContent)
            #expect(try await server.send(.GET, "/api/v1/rooms/\(f.lab)", as: f.ann).status == .ok)
            #expect(try await server.book(f.labDesk, as: f.ann, day: "2026-03-23", from: "09:00", to: "10:00").status == .created)
            #expect(try await server.send(.PUT, "/api/v1/rooms/\(f.openSpace)/gate", as: f.leo, json: ["group_ids": [.id(f.engineering)]]).status == .ok)
            let refused = try await server.book(f.desks[0], as: f.bob, day: "2026-03-23", from: "09:00", to: "10:00")
            #expect(refused.status == .notFound)
        }
    }

    @Test("a deactivated account can no longer sign in or use its tokens")
    func deactivation() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await server.send(.PATCH, "/api/v1/users/\(f.bob.userId)", as: f.admin, json: ["is_active": false]).status == .ok)
            #expect(try await server.login("bob", "bob-password").0.status == .unauthorized)
            #expect(try await server.send(.GET, "/api/v1/me", as: f.bob).status == .unauthorized)
        }
    }
}

extension Data {
    init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }

    var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
