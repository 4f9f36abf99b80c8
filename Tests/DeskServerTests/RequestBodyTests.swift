import DeskCore
@testable import DeskServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// How request bodies are read: absent, `null` and missing required fields, and the text rule.
@Suite("Request bodies")
struct RequestBodyTests {
    @Test("a rule limit is reset only when asked: {} names max_rules, null goes back to the standard")
    func ruleLimitNeedsItsField() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let path = "/api/v1/admin/users/\(f.ann.userId)/limits"
            let set = try await server.send(.PUT, path, as: f.admin, json: ["max_rules": 7])
            #expect(set.status == .ok)
            #expect(ResponseBody(set)["is_own"] as? Bool == true)

            let empty = try await server.send(.PUT, path, as: f.admin, json: [:])
            #expect(empty.status == .unprocessableEntity)
            #expect(ResponseBody(empty).code == "validation_failed")
            #expect(ResponseBody(empty).array(at: "errors").first?["field"] as? String == "max_rules")
            let kept = ResponseBody(try await server.send(.GET, "/api/v1/admin/users/\(f.ann.userId)/autopilot", as: f.admin))
            #expect(kept["max_rules"] as? Int == 7)
            #expect(kept["limit_is_own"] as? Bool == true)

            let reset = try await server.send(.PUT, path, as: f.admin, json: ["max_rules": nil])
            #expect(reset.status == .ok)
            #expect(ResponseBody(reset)["is_own"] as? Bool == false)
        }
    }

    @Test("null for a field that is not nullable is a 422 naming it, and changes nothing")
    func nullIsNotAbsent() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let room = try await server.send(.PATCH, "/api/v1/rooms/\(f.openSpace)", as: f.admin, json: ["name": nil, "description": "Sunny"])
            #expect(room.status == .unprocessableEntity)
            #expect(ResponseBody(room).array(at: "errors").map { $0["field"] as? String } == ["name"])
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/rooms/\(f.openSpace)", as: f.admin)).string("description") == "")

            // Every such field is named at once.
            let desk = try await server.send(.PATCH, "/api/v1/desks/\(f.desks[0])", as: f.admin, json: ["x": nil, "y": nil, "name": "A9"])
            #expect(desk.status == .unprocessableEntity)
            #expect(Set(ResponseBody(desk).array(at: "errors").compactMap { $0["field"] as? String }) == ["x", "y"])

            let user = try await server.send(.PATCH, "/api/v1/users/\(f.bob.userId)", as: f.admin, json: ["email": nil])
            #expect(user.status == .unprocessableEntity)
            let zone = try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)", as: f.admin, json: ["timezone": nil])
            #expect(zone.status == .unprocessableEntity)
            let floor = try await server.send(.POST, "/api/v1/locations/\(f.berlin)/floors", as: f.admin, json: ["name": "2", "level": nil])
            #expect(floor.status == .unprocessableEntity)
            let country = try await server.send(.POST, "/api/v1/countries", as: f.admin, json: ["name": "France", "code": "FR", "lng": nil])
            #expect(country.status == .unprocessableEntity)
            #expect(ResponseBody(country).array(at: "errors").first?["field"] as? String == "lng")
        }
    }

    @Test("where null means something it still works: policy fields, preferences, a request's window")
    func meaningfulNulls() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let policy = "/api/v1/locations/\(f.berlin)/policy"
            let set = try await server.send(.PATCH, policy, as: f.leo, json: ["max_advance_days": 21, "check_in_required": true])
            #expect(set.status == .ok)
            let cleared = try await server.send(.PATCH, policy, as: f.leo, json: ["max_advance_days": nil])
            #expect(cleared.status == .ok)
            #expect(ResponseBody(cleared)["policy_overrides", "max_advance_days"] == nil)
            #expect(ResponseBody(cleared)["policy_overrides", "check_in_required"] as? Bool == true)
            #expect(ResponseBody(cleared)["policy", "max_advance_days"] as? Int == Policy.defaults.maxAdvanceDays)

            let filed = try await server.send(.POST, "/api/v1/requests", as: f.ann,
                                              json: ["location_id": .id(f.berlin), "date": "2026-04-30", "window": nil])
            #expect(filed.status == .created, "\(filed.body.string)")
            #expect(ResponseBody(filed)["window"] == nil)
        }
    }

    @Test("NUL and other control characters are refused in names and notes; notes and descriptions keep line breaks")
    func controlCharacters() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            for name in ["Room\u{0}", "Ro\tom", "Room\nTwo", "Ro\u{1B}[31mom", "Ro\u{85}om", "Ro\u{7F}om"] {
                let response = try await server.send(.PATCH, "/api/v1/rooms/\(f.openSpace)", as: f.admin, json: ["name": .string(name)])
                #expect(response.status == .unprocessableEntity, "\(name.debugDescription)")
                #expect(ResponseBody(response).array(at: "errors").first?["field"] as? String == "name")
            }
            let multiline = try await server.send(.PATCH, "/api/v1/rooms/\(f.openSpace)", as: f.admin,
                                                  json: ["description": "Quiet\n\tno calls\r\nplease"])
            #expect(multiline.status == .ok)
            let nul = try await server.send(.PATCH, "/api/v1/rooms/\(f.openSpace)", as: f.admin, json: ["description": "Quiet\u{0}"])
            #expect(nul.status == .unprocessableEntity)

            let booked = try await server.book(f.desks[0], as: f.ann, day: "2026-03-24", from: "09:00", to: "10:00",
                                               extra: ["note": "Bring\u{0}the key"])
            #expect(booked.status == .unprocessableEntity)
            #expect(ResponseBody(booked).array(at: "errors").first?["field"] as? String == "note")
            let noted = try await server.book(f.desks[0], as: f.ann, day: "2026-03-24", from: "09:00", to: "10:00",
                                              extra: ["note": "Bring\nthe key"])
            #expect(noted.status == .created)

            // bcrypt would end the password at NUL: "password-1\0anything" would equal "password-1".
            let user = try await server.send(.POST, "/api/v1/users", as: f.admin, json: [
                "username": "zed", "email": "zed@example.com", "password": "password-1\u{0}x", "display_name": "Zed",
            ])
            #expect(user.status == .unprocessableEntity)
            #expect(ResponseBody(user).array(at: "errors").first?["field"] as? String == "password")
        }
    }

    @Test("the text rule: control characters out, tabs and line breaks only in multi-line text")
    func textRule() {
        #expect(FieldChecks.textProblems("Open space", field: "name").isEmpty)
        #expect(FieldChecks.textProblems("Zürich – Büro 3 🚲", field: "name").isEmpty)
        #expect(FieldChecks.textProblems(nil, field: "name").isEmpty)
        for bad in ["a\u{0}b", "a\tb", "a\nb", "a\rb", "a\u{1F}b", "a\u{7F}b", "a\u{80}b", "a\u{9F}b"] {
            #expect(FieldChecks.textProblems(bad, field: "name").map(\.field) == ["name"], "\(bad.debugDescription)")
        }
        #expect(FieldChecks.textProblems("a\tb\nc\r\nd", field: "note", multiline: true).isEmpty)
        for bad in ["a\u{0}b", "a\u{B}b", "a\u{C}b", "a\u{1B}b", "a\u{85}b", "a\u{7F}b"] {
            #expect(FieldChecks.textProblems(bad, field: "note", multiline: true).map(\.field) == ["note"], "\(bad.debugDescription)")
        }
        var checks = FieldChecks()
        var name = "old"
        checks.name("new\u{0}", into: &name, creating: false)
        #expect(name == "old")
        #expect(checks.errors.map(\.field) == ["name"])
    }
}
