import DeskCore
@testable import DeskServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// Checks the document served at `/api/openapi.json` against the registered routes and the real answers.
@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("every registered route is documented and every documented operation is registered")
    func coversExactlyTheRegisteredRoutes() async throws {
        try await withServer { server in
            let document = try await Self.served(server)
            let registered = Set(server.app.routes.all.filter { $0.userInfo[WebController.isPage] == nil }.map { route in
                route.method.rawValue + " /" + route.path.map(Self.template).joined(separator: "/")
            })
            let documented = Set(Self.operations(in: document).map { "\($0.method.uppercased()) \($0.path)" })
            let undocumented = registered.subtracting(documented).sorted()
            let unregistered = documented.subtracting(registered).sorted()
            #expect(undocumented.isEmpty, "Registered but missing from the OpenAPI document: \(undocumented)")
            #expect(unregistered.isEmpty, "Documented but not registered: \(unregistered)")
            #expect(registered.contains("GET /api/v1/locations/{id}/floors"))
        }
    }

    @Test("the document is well-formed OpenAPI 3.1: references resolve, answers and path parameters are declared")
    func wellFormed() async throws {
        try await withServer { server in
            let response = try await server.send(.GET, "/api/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers.contentType == .json)
            let document = try JSONDecoder().decode(JSONNode.self, from: Data(response.body.readableBytesView))

            #expect(document["openapi"]?.string?.hasPrefix("3.1") == true)
            #expect(document["info"]?["title"]?.string == "DeskPilot")
            #expect(document["info"]?["version"]?.string != nil)

            let references = document.references
            let broken = Set(references.filter { !$0.hasPrefix("#/components/") || document.resolve($0) == nil }).sorted()
            #expect(!references.isEmpty)
            #expect(broken.isEmpty, "References that do not resolve: \(broken)")
            let schemas = Set((document["components"]?["schemas"]?.object ?? [:]).keys)
            let unused = schemas.subtracting(references.map { String($0.split(separator: "/").last ?? "") }).sorted()
            #expect(unused.isEmpty, "Component schemas nothing refers to: \(unused)")

            let schemes = Set((document["components"]?["securitySchemes"]?.object ?? [:]).keys)
            var operationIds: [String] = []
            for (method, path, operation) in Self.operations(in: document) {
                let name = "\(method.uppercased()) \(path)"
                let responses = operation["responses"]?.object ?? [:]
                // The WebSocket endpoint succeeds by switching protocols (101).
                let success = { (status: String) in status.hasPrefix("2") || status == "101" }
                #expect(responses.keys.contains(where: success), "\(name) has no 2xx response")
                for (status, answer) in responses where !success(status) {
                    let types = Set((answer["content"]?.object ?? [:]).keys)
                    #expect(types == ["application/problem+json"], "\(name) answers \(status) without a problem document")
                    #expect(answer["content"]?["application/problem+json"]?["schema"]?["$ref"]?.string == "#/components/schemas/Problem")
                }

                let inTemplate = Set(path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }
                    .map { String($0.dropFirst().dropLast()) })
                let declared = ((document["paths"]?[path]?["parameters"]?.array ?? []) + (operation["parameters"]?.array ?? []))
                    .map { $0["$ref"]?.string.flatMap(document.resolve) ?? $0 }
                    .filter { $0["in"]?.string == "path" }
                #expect(Set(declared.compactMap { $0["name"]?.string }) == inTemplate, "\(name) declares other path parameters")
                #expect(declared.allSatisfy { $0["required"] == .bool(true) }, "\(name) has an optional path parameter")

                if let id = operation["operationId"]?.string { operationIds.append(id) } else { Issue.record("\(name) has no operationId") }
                #expect(operation["summary"]?.string?.isEmpty == false, "\(name) has no summary")
                let requirements = operation["security"]?.array ?? document["security"]?.array ?? []
                let unknown = requirements.flatMap { $0.object?.keys.map { $0 } ?? [] }.filter { !schemes.contains($0) }
                #expect(unknown.isEmpty, "\(name) uses undeclared security schemes \(unknown)")
            }
            #expect(Set(operationIds).count == operationIds.count, "operationIds are not unique")

            let open = Self.operations(in: document).filter { $0.operation["security"] == .array([]) }.map { "\($0.method.uppercased()) \($0.path)" }
            #expect(Set(open) == [
                "GET /healthz", "GET /readyz", "GET /metrics", "GET /api/openapi.json", "GET /calendar/{file}", "POST /api/v1/auth/login",
                "POST /api/v1/auth/register", "POST /api/v1/auth/refresh", "POST /api/v1/auth/logout",
            ])
        }
    }

    @Test("JSON request bodies of write routes are component schemas, and every property name is snake_case")
    func snakeCase() async throws {
        try await withServer { server in
            let document = try await Self.served(server)
            var jsonBodies = 0
            for (method, path, operation) in Self.operations(in: document) {
                guard let body = operation["requestBody"] else { continue }
                let name = "\(method.uppercased()) \(path)"
                #expect(["post", "put", "patch"].contains(method), "\(name) takes a body but is not a write route")
                let types = (body["content"]?.object ?? [:]).keys
                #expect(!types.isEmpty, "\(name): the body has no content type")
                guard let json = body["content"]?["application/json"] else {
                    #expect(types.allSatisfy { !$0.contains("json") }, "\(name): a JSON body must be application/json")
                    continue
                }
                guard let reference = json["schema"]?["$ref"]?.string, let schema = document.resolve(reference) else {
                    Issue.record("\(name): the body is not a reference to a component schema")
                    continue
                }
                let properties = schema["properties"]?.object ?? [:]
                #expect(!properties.isEmpty, "\(name): \(reference) has no properties")
                let wrong = properties.keys.filter { !Self.isSnakeCase($0) }
                #expect(wrong.isEmpty, "\(name): \(reference) has properties that are not snake_case: \(wrong)")
                jsonBodies += 1
            }
            #expect(jsonBodies >= 20)
            let wrong = (document["components"] ?? .null).propertyNames.filter { !Self.isSnakeCase($0) }
            #expect(wrong.isEmpty, "Component properties that are not snake_case: \(wrong)")
        }
    }

    @Test("real answers, successes and problems, match the documented status codes and schemas")
    func answersMatchTheDocument() async throws {
        try await withServer { server in
            let document = try await Self.served(server)
            let f = try await Fixture.make(server)
            func check(
                _ method: HTTPMethod, _ template: String, ids: [UUID] = [], as caller: Caller = .anonymous, json: JSON? = nil,
                rawBody: String? = nil, headers: HTTPHeaders = [:], expect status: HTTPStatus,
                sourceLocation: SourceLocation = #_sourceLocation
            ) async throws -> JSONNode? {
                var path = template
                for id in ids {
                    let range = try #require(path.range(of: #"\{[a-z_]+\}"#, options: .regularExpression))
                    path.replaceSubrange(range, with: id.uuidString)
                }
                let response = try await server.send(method, path, as: caller, json: json, rawBody: rawBody, headers: headers)
                let name = "\(method.rawValue) \(path)"
                #expect(response.status == status, "\(name)", sourceLocation: sourceLocation)
                let documentedPath = String(template.prefix { $0 != "?" })
                let documented = document["paths"]?[documentedPath]?[method.rawValue.lowercased()]?["responses"]?[String(response.status.code)]
                guard let documented else {
                    Issue.record("\(name) answered \(response.status.code), which is not documented", sourceLocation: sourceLocation)
                    return nil
                }
                let contentType = response.headers.first(name: .contentType)?.split(separator: ";").first.map(String.init)
                guard let contentType, let media = documented["content"]?[contentType] else {
                    #expect(response.body.readableBytes == 0 && documented["content"] == nil,
                            "\(name): the answer's content type \(contentType ?? "none") is not documented", sourceLocation: sourceLocation)
                    return nil
                }
                guard contentType.hasSuffix("json") else { return nil }
                let schema = try #require(media["schema"], "\(name): no schema for \(contentType)", sourceLocation: sourceLocation)
                let body = try JSONDecoder().decode(JSONNode.self, from: Data(response.body.readableBytesView))
                let violations = body.violations(of: schema, in: document, at: "body")
                #expect(violations.isEmpty, "\(name): \(violations)", sourceLocation: sourceLocation)
                return body
            }

            _ = try await check(.GET, "/healthz", expect: .ok)
            _ = try await check(.GET, "/readyz", expect: .ok)
            _ = try await check(.GET, "/api/openapi.json", expect: .ok)
            _ = try await check(.POST, "/api/v1/auth/login", json: ["username": "admin", "password": "admin-password"], expect: .ok)
            _ = try await check(.POST, "/api/v1/auth/login", json: ["username": "admin", "password": "wrong-password"], expect: .unauthorized)
            _ = try await check(.POST, "/api/v1/auth/login", rawBody: "{", expect: .badRequest)
            _ = try await check(.POST, "/api/v1/auth/register", json: ["username": "zed", "email": "zed@example.com",
                                                                       "password": "zed-password", "display_name": "Zed"],
                                expect: .forbidden)
            // Credentials that are sent are checked on the open routes too.
            let badToken: HTTPHeaders = ["Authorization": "Bearer dp_not-a-token"]
            _ = try await check(.POST, "/api/v1/auth/logout", headers: badToken, expect: .unauthorized)
            _ = try await check(.POST, "/api/v1/auth/register", json: ["username": "zed", "email": "zed@example.com",
                                                                       "password": "zed-password", "display_name": "Zed"],
                                headers: badToken, expect: .unauthorized)
            _ = try await check(.POST, "/api/v1/auth/login", json: ["username": "admin"], expect: .unprocessableEntity)
            _ = try await check(.GET, "/api/v1/me", as: f.gus, expect: .ok)
            _ = try await check(.GET, "/api/v1/me", expect: .unauthorized)
            _ = try await check(.POST, "/api/v1/me/tokens", as: f.ann, json: ["name": "cli", "scopes": ["read"]], expect: .created)
            _ = try await check(.POST, "/api/v1/me/tokens", as: f.ann, json: ["name": "", "scopes": ["admin"]], expect: .unprocessableEntity)
            _ = try await check(.GET, "/api/v1/me/tokens", as: f.ann, expect: .ok)
            _ = try await check(.DELETE, "/api/v1/me/tokens/{id}", ids: [UUID()], as: f.ann, expect: .notFound)

            _ = try await check(.GET, "/api/v1/users?limit=2", as: f.admin, expect: .ok)
            _ = try await check(.GET, "/api/v1/users?limit=two", as: f.admin, expect: .badRequest)
            _ = try await check(.GET, "/api/v1/users?limit=0", as: f.admin, expect: .unprocessableEntity)
            _ = try await check(.GET, "/api/v1/users/{id}", ids: [f.ann.userId], as: f.bob, expect: .ok)
            _ = try await check(.PATCH, "/api/v1/users/{id}", ids: [f.ann.userId], as: f.bob, json: ["display_name": "Anne"], expect: .forbidden)
            _ = try await check(.POST, "/api/v1/users", as: f.admin, json: ["username": "zed", "email": "zed@example.com",
                                                                             "password": "zed-password", "display_name": "Zed"],
                                expect: .created)

            _ = try await check(.GET, "/api/v1/countries", as: f.ann, expect: .ok)
            _ = try await check(.PATCH, "/api/v1/countries/{id}", ids: [f.germany], as: f.admin, json: ["lat": 51.2, "lng": 10.4], expect: .ok)
            _ = try await check(.DELETE, "/api/v1/countries/{id}", ids: [f.germany], as: f.admin, expect: .conflict)
            _ = try await check(.GET, "/api/v1/locations?country_id=\(f.germany)", as: f.ann, expect: .ok)
            _ = try await check(.PATCH, "/api/v1/locations/{id}/policy", ids: [f.berlin], as: f.leo,
                                json: ["max_advance_days": 21, "booker_visibility": "managers"], expect: .ok)
            _ = try await check(.PATCH, "/api/v1/locations/{id}/policy", ids: [f.berlin], as: f.leo,
                                json: ["bookable_from": "21:00"], expect: .unprocessableEntity)
            _ = try await check(.GET, "/api/v1/locations/{id}/policy", ids: [f.berlin], as: f.ann, expect: .ok)
            _ = try await check(.GET, "/api/v1/locations/{id}/floors", ids: [f.berlin], as: f.ann, expect: .ok)
            _ = try await check(.GET, "/api/v1/floors/{id}/rooms", ids: [f.berlinFloor], as: f.ann, expect: .ok)
            _ = try await check(.GET, "/api/v1/rooms/{id}", ids: [f.lab], as: f.ann, expect: .notFound)
            _ = try await check(.GET, "/api/v1/rooms/{id}/desks", ids: [f.openSpace], as: f.ann, expect: .ok)
            _ = try await check(.GET, "/api/v1/rooms/{id}/map", ids: [f.openSpace], as: f.ann, expect: .ok)
            _ = try await check(.PUT, "/api/v1/rooms/{id}/map", ids: [f.openSpace], as: f.rita,
                                rawBody: #"<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="3"/></svg>"#,
                                headers: ["Content-Type": "image/svg+xml"], expect: .noContent)
            _ = try await check(.PUT, "/api/v1/rooms/{id}/map", ids: [f.openSpace], as: f.rita, rawBody: "not an image",
                                headers: ["Content-Type": "image/png"], expect: .unprocessableEntity)
            _ = try await check(.PUT, "/api/v1/desks/{id}/permanent", ids: [f.desks[2]], as: f.rita, json: ["user_id": .id(f.bob.userId)],
                                expect: .ok)

            _ = try await check(.GET, "/api/v1/locations/{id}/groups", ids: [f.berlin], as: f.leo, expect: .ok)
            _ = try await check(.GET, "/api/v1/groups/{id}/members", ids: [f.engineering], as: f.leo, expect: .ok)
            _ = try await check(.DELETE, "/api/v1/groups/{id}", ids: [f.engineering], as: f.leo, expect: .conflict)
            _ = try await check(.PUT, "/api/v1/admin/users/{id}/limits", ids: [f.ann.userId], as: f.admin, json: [:],
                                expect: .unprocessableEntity)
            _ = try await check(.PUT, "/api/v1/groups/{id}/members/{user_id}", ids: [f.engineering, f.ann.userId], as: f.leo,
                                expect: .noContent)
            _ = try await check(.PUT, "/api/v1/rooms/{id}/gate", ids: [f.lab], as: f.leo, json: ["group_ids": [.id(f.engineering)]],
                                expect: .ok)

            let booking = try await check(.POST, "/api/v1/bookings", as: f.ann,
                                          json: ["desk_id": .id(f.desks[0]), "start": .time(local("2026-03-23", "09:00")),
                                                 "end": .time(local("2026-03-23", "12:00")), "note": "window seat"],
                                          expect: .created)
            _ = try await check(.POST, "/api/v1/bookings", as: f.bob,
                                json: ["desk_id": .id(f.desks[0]), "start": .time(local("2026-03-23", "10:00")),
                                       "end": .time(local("2026-03-23", "11:00"))],
                                expect: .conflict)
            _ = try await check(.POST, "/api/v1/bookings", as: f.bob,
                                json: ["desk_id": .id(f.desks[1]), "start": .time(local("2026-03-23", "10:00")),
                                       "end": .time(local("2026-03-23", "09:00"))],
                                expect: .unprocessableEntity)
            _ = try await check(.GET, "/api/v1/bookings?desk_id=\(f.desks[0])", as: f.bob, expect: .ok)
            _ = try await check(.GET, "/api/v1/bookings?from=tomorrow", as: f.bob, expect: .badRequest)
            let id = try #require(booking?["id"]?.string.flatMap(UUID.init(uuidString:)))
            _ = try await check(.PATCH, "/api/v1/bookings/{id}", ids: [id], as: f.ann, json: ["note": "aisle"], expect: .ok)
            _ = try await check(.DELETE, "/api/v1/bookings/{id}", ids: [id], as: f.ann, expect: .ok)
            _ = try await check(.DELETE, "/api/v1/bookings/{id}", ids: [id], as: f.ann, expect: .conflict)

            // Booking workflows
            let hold = try await check(.PUT, "/api/v1/desks/{id}/hold", ids: [f.desks[1]], as: f.ann, expect: .ok)
            #expect(hold?["desk_id"]?.string == f.desks[1].uuidString)
            _ = try await check(.PUT, "/api/v1/desks/{id}/hold", ids: [f.desks[1]], as: f.bob, expect: .locked)
            let day = { (d: String, from: String, to: String) -> JSON in ["start": .time(local(d, from)), "end": .time(local(d, to))] }
            _ = try await check(.POST, "/api/v1/bookings/bulk", as: f.ann,
                                json: ["desk_id": .id(f.desks[1]), "intervals": [day("2026-03-24", "09:00", "12:00"), day("2026-03-25", "09:00", "12:00")]],
                                expect: .created)
            _ = try await check(.POST, "/api/v1/bookings/bulk", as: f.bob,
                                json: ["desk_id": .id(f.desks[1]), "intervals": [day("2026-03-24", "11:00", "13:00"), day("2026-03-26", "09:00", "12:00")]],
                                expect: .ok)
            _ = try await check(.POST, "/api/v1/bookings/bulk", as: f.bob, json: ["desk_id": .id(f.desks[1]), "atomic": true,
                                                                                    "intervals": [day("2026-03-25", "11:00", "13:00")]],
                                expect: .conflict)
            let later = try await check(.POST, "/api/v1/bookings", as: f.ann,
                                        json: ["desk_id": .id(f.desks[0]), "start": .time(local("2026-03-27", "09:00")),
                                               "end": .time(local("2026-03-27", "12:00"))], expect: .created)
            let laterId = try #require(later?["id"]?.string.flatMap(UUID.init(uuidString:)))
            _ = try await check(.POST, "/api/v1/bookings/{id}/intervals", ids: [laterId], as: f.ann,
                                json: ["intervals": [day("2026-03-27", "09:00", "10:00"), day("2026-03-27", "14:00", "15:00")]], expect: .ok)
            _ = try await check(.POST, "/api/v1/bookings/{id}/check-in", ids: [laterId], as: f.ann, expect: .conflict)
            _ = try await check(.GET, "/api/v1/bookings/{id}/ics", ids: [laterId], as: f.ann, expect: .ok)
            let range = "from=\(local("2026-03-23", "00:00").formatted(.iso8601))&to=\(local("2026-03-30", "00:00").formatted(.iso8601))"
            _ = try await check(.GET, "/api/v1/rooms/{id}/availability?\(range)", ids: [f.openSpace], as: f.bob, expect: .ok)
            _ = try await check(.GET, "/api/v1/rooms/{id}/availability", ids: [f.openSpace], as: f.rita, expect: .ok)
            _ = try await check(.GET, "/api/v1/locations/{id}/availability?date=2026-03-24", ids: [f.berlin], as: f.ann, expect: .ok)
            let period = "from=\(local("2026-03-25", "07:00").formatted(.iso8601))&until=\(local("2026-03-27", "20:00").formatted(.iso8601))"
            _ = try await check(.GET, "/api/v1/rooms/{id}/maintenance/affected?\(period)", ids: [f.openSpace], as: f.rita, expect: .ok)
            _ = try await check(.PUT, "/api/v1/rooms/{id}/maintenance", ids: [f.openSpace], as: f.rita,
                                json: ["reason": "Paint", "from": .time(local("2026-03-25", "07:00")), "until": .time(local("2026-03-27", "20:00")),
                                       "affected": "keep"], expect: .ok)
            _ = try await check(.GET, "/api/v1/rooms/{id}", ids: [f.openSpace], as: f.ann, expect: .ok)
            _ = try await check(.PUT, "/api/v1/rooms/{id}/maintenance", ids: [f.openSpace], as: f.rita, json: ["reason": "Paint"], expect: .ok)
            _ = try await check(.DELETE, "/api/v1/rooms/{id}/maintenance", ids: [f.openSpace], as: f.rita, expect: .ok)
            _ = try await check(.GET, "/api/v1/me/preferences", as: f.ann, expect: .ok)
            _ = try await check(.PATCH, "/api/v1/me/preferences", as: f.ann, json: ["timezone": "Europe/Berlin", "theme": "dark"], expect: .ok)
            _ = try await check(.PATCH, "/api/v1/me/preferences", as: f.ann, json: ["timezone": "CET"], expect: .unprocessableEntity)
            _ = try await check(.GET, "/api/v1/me/stats", as: f.ann, expect: .ok)
            _ = try await check(.GET, "/api/v1/me/notifications", as: f.ann, expect: .ok)
            _ = try await check(.POST, "/api/v1/me/calendar-feed", as: f.ann, expect: .ok)
            _ = try await check(.DELETE, "/api/v1/desks/{id}/hold", ids: [f.desks[1]], as: f.ann, expect: .noContent)

            _ = try await check(.GET, "/api/v1/audit?limit=3", as: f.admin, expect: .ok)
            _ = try await check(.GET, "/api/v1/audit?location_id=\(f.berlin)", as: f.leo, expect: .ok)
            _ = try await check(.GET, "/api/v1/audit", as: f.ann, expect: .forbidden)
        }
    }

    @Test("a method the document does not declare for a path answers 405 with Allow listing the declared ones")
    func undeclaredMethodsAre405() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let document = try await ServedDocument.load(server)
            var checked = 0
            for (path, item) in document.paths.sorted(by: { $0.key < $1.key }) {
                let declared = Set(item.keys.filter { ServedDocument.methods.contains($0) }.map { $0.uppercased() })
                var concrete = path
                while let range = concrete.range(of: #"\{[a-z_]+\}"#, options: .regularExpression) {
                    concrete.replaceSubrange(range, with: concrete[range] == "{file}" ? "feed.ics" : UUID().uuidString)
                }
                for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] where !declared.contains(method) {
                    let response = try await server.send(HTTPMethod(rawValue: method), concrete, as: f.admin)
                    let name = "\(method) \(path)"
                    #expect(response.status == .methodNotAllowed, "\(name) → \(response.status.code) \(response.body.string)")
                    #expect(response.headers.contentType?.description == "application/problem+json", "\(name)")
                    #expect(ResponseBody(response).code == "method_not_allowed", "\(name)")
                    let allow = Set((response.headers.first(name: .allow) ?? "").split(separator: ",")
                        .map { $0.trimmingCharacters(in: .whitespaces) })
                    #expect(allow.subtracting(["HEAD"]) == declared, "\(name): Allow is \(allow), the document declares \(declared)")
                    #expect(allow.contains("HEAD") == declared.contains("GET"), "\(name): HEAD goes with GET")
                    checked += 1
                }
            }
            #expect(checked > 100)
            // A path that exists for no method is still not found, and a declared method is still served.
            let unknown = try await server.send(.DELETE, "/api/v1/nothing-here", as: f.admin)
            #expect(unknown.status == .notFound)
            #expect(unknown.headers.first(name: .allow) == nil)
            #expect(try await server.send(.GET, "/api/v1/bookings/\(UUID())", as: f.admin).status == .notFound)
            #expect(try await server.send(.POST, "/api/v1/bookings/bulk", as: f.admin, json: [:]).status.code == 422)
        }
    }

    @Test("answers every operation of a kind can give are declared: bad bodies, bad queries, credentials")
    func sharedAnswersAreDeclared() async throws {
        try await withServer { server in
            let document = try await ServedDocument.load(server)
            for (method, path, operation) in document.operations {
                let name = "\(method.uppercased()) \(path)"
                let declared = Set(((operation["responses"] as? [String: Any]) ?? [:]).keys)
                if document.jsonBody(method, path) != nil {
                    // Malformed, missing or null fields, the wrong media type, too large.
                    #expect(declared.isSuperset(of: ["400", "413", "415", "422"]), "\(name) declares only \(declared.sorted())")
                }
                let parameters = (operation["parameters"] as? [[String: Any]]) ?? []
                if parameters.contains(where: { $0["in"] as? String == "query" }) {
                    #expect(declared.contains("400"), "\(name) has query parameters but no 400 for a malformed query")
                }
                if parameters.contains(where: { $0["in"] as? String == "path" }) {
                    #expect(declared.contains("404"), "\(name) has path parameters but no 404")
                }
                // Behind the authentication middleware every credential sent is checked, also where none is needed.
                if path.hasPrefix("/api/v1/") {
                    #expect(declared.contains("401"), "\(name) does not declare 401")
                }
            }
        }
    }

    // MARK: Helpers

    private static func served(_ server: TestServer) async throws -> JSONNode {
        let response = try await server.send(.GET, "/api/openapi.json")
        try #require(response.status == .ok)
        return try JSONDecoder().decode(JSONNode.self, from: Data(response.body.readableBytesView))
    }

    /// Vapor's `:id` becomes OpenAPI's `{id}`.
    private static func template(_ component: PathComponent) -> String {
        switch component {
        case .parameter(let name): "{\(name)}"
        default: component.description
        }
    }

    private static let httpMethods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    private static func operations(in document: JSONNode) -> [(method: String, path: String, operation: JSONNode)] {
        (document["paths"]?.object ?? [:]).flatMap { path, item in
            (item.object ?? [:]).filter { httpMethods.contains($0.key) }.map { (method: $0.key, path: path, operation: $0.value) }
        }
    }

    private static func isSnakeCase(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}

/// A parsed JSON value that keeps integers, numbers and booleans apart.
private indirect enum JSONNode: Decodable, Equatable, Sendable {
    case null, bool(Bool), integer(Int), number(Double), string(String), array([JSONNode]), object([String: JSONNode])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONNode].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONNode].self))
        }
    }

    subscript(key: String) -> JSONNode? {
        if case .object(let fields) = self { fields[key] } else { nil }
    }

    var object: [String: JSONNode]? {
        if case .object(let fields) = self { fields } else { nil }
    }

    var array: [JSONNode]? {
        if case .array(let items) = self { items } else { nil }
    }

    var string: String? {
        if case .string(let text) = self { text } else { nil }
    }

    /// Every `$ref` in this value.
    var references: [String] {
        switch self {
        case .object(let fields): (fields["$ref"]?.string.map { [$0] } ?? []) + fields.values.flatMap(\.references)
        case .array(let items): items.flatMap(\.references)
        default: []
        }
    }

    /// The names in every `properties` object in this value.
    var propertyNames: [String] {
        switch self {
        case .object(let fields): (fields["properties"]?.object.map { Array($0.keys) } ?? []) + fields.values.flatMap(\.propertyNames)
        case .array(let items): items.flatMap(\.propertyNames)
        default: []
        }
    }

    /// Follows a local JSON pointer such as `#/components/schemas/User`.
    func resolve(_ reference: String) -> JSONNode? {
        guard reference.hasPrefix("#/") else { return nil }
        return reference.dropFirst(2).split(separator: "/").reduce(Optional(self)) { node, token in
            node?[token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
        }
    }

    /// Where this value breaks `schema`: types, required and undocumented properties, enums and formats.
    /// Stricter than JSON Schema on purpose: an object may hold only documented properties.
    func violations(of schema: JSONNode, in document: JSONNode, at location: String) -> [String] {
        var schema = schema
        while let reference = schema["$ref"]?.string {
            guard let target = document.resolve(reference) else { return ["\(location): \(reference) does not resolve"] }
            schema = target
        }
        guard let type = schema["type"]?.string else { return [] }
        switch (type, self) {
        case ("object", .object(let fields)):
            let properties = schema["properties"]?.object ?? [:]
            let required = (schema["required"]?.array ?? []).compactMap(\.string)
            var problems = required.filter { fields[$0] == nil }.map { "\(location).\($0) is required but missing" }
            for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
                guard let property = properties[key] ?? schema["additionalProperties"] else {
                    problems.append("\(location).\(key) is not documented")
                    continue
                }
                problems += value.violations(of: property, in: document, at: "\(location).\(key)")
            }
            return problems
        case ("array", .array(let items)):
            return items.enumerated().flatMap { index, item in
                item.violations(of: schema["items"] ?? .object([:]), in: document, at: "\(location)[\(index)]")
            }
        case ("string", .string(let text)):
            if let allowed = schema["enum"]?.array, !allowed.contains(.string(text)) {
                return ["\(location): \(text) is not one of \(allowed.compactMap(\.string))"]
            }
            switch schema["format"]?.string {
            case "uuid" where UUID(uuidString: text) == nil: return ["\(location): \(text) is not a UUID"]
            case "date-time" where Timestamp.parse(text) == nil: return ["\(location): \(text) is not a timestamp"]
            default: return []
            }
        case ("integer", .integer), ("number", .integer), ("number", .number), ("boolean", .bool):
            return []
        default:
            return ["\(location): expected \(type), found \(self)"]
        }
    }
}
