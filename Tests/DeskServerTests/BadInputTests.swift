import AsyncHTTPClient
import DeskCore
@testable import DeskServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// Malformed input of any kind gets a 4xx problem document, never a 5xx.
@Suite("Bad input")
struct BadInputTests {
    /// The write routes of the authorization matrix, sent by the superuser (who passes every access check).
    static let writes = AuthorizationMatrixTests.cases.filter { $0.method != .GET }

    @Test("malformed JSON, missing fields, wrong types, 1 MB strings and non-UUID ids", arguments: writes)
    func badInput(_ testCase: AuthorizationMatrixTests.Case) async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let document = try await ServedDocument.load(server)
            let route = testCase.route.split(separator: " ", maxSplits: 1).map(String.init)
            let template = ServedDocument.template(route[1])
            let path = try await Placeholders.resolve(testCase.path, server, f, role: 5)
            var attempts: [(String, String, HTTPHeaders)] = []  // (description, raw body, extra headers)
            if let template = testCase.body {
                let body = try await Placeholders.resolve(template, server, f, role: 5)
                attempts.append(("malformed JSON", String(body.text.dropLast()), [:]))
                attempts.append(("not JSON at all", "desk=1&start=now", [:]))
                attempts.append(("a JSON array", "[]", [:]))
                for variant in Self.wrongTypes(body) { attempts.append(("wrong type", variant.text, [:])) }
                for variant in Self.hugeStrings(body) { attempts.append(("1 MB string", variant.text, [:])) }
                for variant in Self.badIds(body) { attempts.append(("malformed id in body", variant.text, [:])) }
                if testCase.method == .POST, case .object(let fields) = body, !fields.isEmpty {
                    attempts.append(("missing fields", "{}", [:]))
                }
                attempts.append(("wrong content type", body.text, ["Content-Type": "text/plain"]))
            }
            for (description, raw, headers) in attempts {
                let response = try await server.send(testCase.method, path, as: f.admin, rawBody: raw, headers: headers)
                #expect((400..<500).contains(response.status.code), "\(description) → \(response.status.code) \(response.body.string)")
                #expect(response.headers.contentType?.description == "application/problem+json", "\(description)")
                #expect(document.declares(route[0], template, status: response.status.code),
                        "\(description): \(route[0]) \(template) answered \(response.status.code), which the document does not declare")
            }
            // A path id that is not a UUID names nothing.
            if path.contains(f.admin.userId.uuidString) || path.split(separator: "/").contains(where: { UUID(uuidString: String($0)) != nil }) {
                let broken = path.split(separator: "/").map { UUID(uuidString: String($0)) != nil ? "not-a-uuid" : String($0) }.joined(separator: "/")
                let response = try await server.send(testCase.method, "/" + broken, as: f.admin, json: testCase.body == nil ? nil : [:])
                #expect(response.status == .notFound, "\(broken) → \(response.status.code)")
                #expect(response.headers.contentType?.description == "application/problem+json")
                #expect(document.declares(route[0], template, status: response.status.code), "\(route[0]) \(template) does not declare 404")
            }
        }
    }

    @Test("malformed query parameters are a documented 4xx problem, never a 5xx")
    func badQueries() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let document = try await ServedDocument.load(server)
            // Path ids of things the superuser sees, so that the query is what the answer is about.
            let ids = ["locations": f.berlin, "rooms": f.openSpace, "floors": f.berlinFloor, "desks": f.desks[0], "users": f.ann.userId,
                       "groups": f.engineering, "countries": f.germany]
            var checked = 0
            for (method, template, operation) in document.operations {
                let parameters = ((operation["parameters"] as? [[String: Any]]) ?? []).filter { $0["in"] as? String == "query" }
                guard !parameters.isEmpty else { continue }
                let segments = template.split(separator: "/").map(String.init)
                let path = "/" + segments.indices.map { index in
                    guard segments[index].hasPrefix("{") else { return segments[index] }
                    return (ids[segments[max(index - 1, 0)]] ?? UUID()).uuidString
                }.joined(separator: "/")
                for parameter in parameters {
                    let name = try #require(parameter["name"] as? String)
                    let type = document.resolve(parameter["schema"])?["type"] as? String
                    // A list or an object where one value is expected, and a value that is not of its type: whatever
                    // the server makes of them (some are fine for a text parameter), it is no 5xx and it is documented.
                    var values = ["\(name)[]=1&\(name)[]=2", "\(name)[a]=1", "\(name)=a%00b", "\(name)=a%1Bb"]
                    let typed = type == "integer" || type == "boolean"
                    if typed { values += ["\(name)=abc", "\(name)=1.5"] }
                    if type == "integer" { values += ["\(name)=0", "\(name)=99999999999999999999"] }
                    for query in values {
                        let response = try await server.send(HTTPMethod(rawValue: method.uppercased()), path + "?" + query, as: f.admin)
                        let label = "\(method.uppercased()) \(template)?\(query)"
                        #expect(response.status.code < 500, "\(label) → \(response.status.code) \(response.body.string)")
                        if typed && query.hasSuffix("=abc") || query.contains("%00") || query.contains("%1B") {
                            #expect(response.status == .badRequest, "\(label) → \(response.status.code) \(response.body.string)")
                        }
                        if response.status.code >= 400 {
                            #expect(response.headers.contentType?.description == "application/problem+json", "\(label)")
                            checked += 1
                        }
                        #expect(document.declares(method, template, status: response.status.code),
                                "\(label) answered \(response.status.code), which the document does not declare")
                    }
                }
            }
            #expect(checked > 20)
        }
    }

    @Test("timestamps without a zone are a 400, in bodies and in queries")
    func zonelessTimestamps() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let body = try await server.send(.POST, "/api/v1/bookings", as: f.ann, json: [
                "desk_id": .id(f.desks[0]), "start": "2026-03-23T09:00:00", "end": "2026-03-23T10:00:00Z",
            ])
            #expect(body.status == .badRequest)
            #expect(ResponseBody(body).code == "invalid_body")
            #expect(ResponseBody(body).string("detail")?.contains("start") == true)
            let query = try await server.send(.GET, "/api/v1/bookings?from=2026-03-23T09:00:00", as: f.ann)
            #expect(query.status == .badRequest)
            #expect(ResponseBody(query).code == "invalid_timestamp")
        }
    }

    @Test("unknown routes and oversized bodies are problem documents too")
    func unknownAndOversized() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let unknown = try await server.send(.GET, "/api/v1/nothing-here", as: f.ann)
            #expect(unknown.status == .notFound)
            #expect(unknown.headers.contentType?.description == "application/problem+json")
            let huge = try await server.send(.POST, "/api/v1/countries", as: f.admin,
                                             json: ["name": .string(String(repeating: "x", count: 1_000_000)), "code": "XX"])
            #expect(huge.status == .payloadTooLarge)
            #expect(ResponseBody(huge).code == "payload_too_large")
        }
    }

    // MARK: Variants of a valid body

    /// One variant per field, with that field's value replaced by a value of another JSON type.
    static func wrongTypes(_ body: JSON) -> [JSON] {
        guard case .object(let fields) = body else { return [] }
        return fields.keys.sorted().map { key in
            var copy = fields
            switch fields[key]! {
            case .string: copy[key] = 12345
            case .int, .double: copy[key] = "twelve"
            case .bool: copy[key] = "yes"
            case .array: copy[key] = "not-a-list"
            case .object: copy[key] = 7
            case .null: copy[key] = [1, 2]
            }
            return .object(copy)
        }
    }

    static func hugeStrings(_ body: JSON) -> [JSON] {
        guard case .object(let fields) = body else { return [] }
        let huge = String(repeating: "x", count: 1_048_576)
        return fields.keys.sorted().compactMap { key in
            guard case .string = fields[key]! else { return nil }
            var copy = fields
            copy[key] = .string(huge)
            return .object(copy)
        }
    }

    static func badIds(_ body: JSON) -> [JSON] {
        guard case .object(let fields) = body else { return [] }
        return fields.keys.sorted().compactMap { key in
            guard key.hasSuffix("_id") || key.hasSuffix("_ids") else { return nil }
            var copy = fields
            copy[key] = key.hasSuffix("_ids") ? ["not-a-uuid"] : "not-a-uuid"
            return .object(copy)
        }
    }
}

@Suite("Bad input over real HTTP")
struct BadInputOverHTTPTests {
    @Test("a body over the limit is refused by the running server with 413 problem+json")
    func oversizedOverTheWire() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let port = try await server.listen()
            let body = JSON.object(["name": .string(String(repeating: "x", count: 1_000_000)), "code": "XX"]).text
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/countries")
            request.method = .POST
            request.headers = f.admin.headers
            request.headers.contentType = .json
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            #expect(response.status == .payloadTooLarge)
            #expect(response.headers.first(name: .contentType) == "application/problem+json")
            #expect(response.headers.first(name: .connection) == "close", "the rest of the body is not read")
        }
    }
}
