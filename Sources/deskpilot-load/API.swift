import AsyncHTTPClient
import Foundation

enum RequestMethod: Sendable {
    case get
    case post
    case patch

    var name: String {
        switch self {
        case .get: "GET"
        case .post: "POST"
        case .patch: "PATCH"
        }
    }
}

/// How a setup request authenticates.
enum Credentials: Sendable {
    case anonymous
    case bearer(String)
    /// Cookies from a login, sent back with the CSRF header that cookie sessions need.
    case session(cookieHeader: String, csrf: String?)
}

/// A fully read response.
struct Reply: Sendable {
    let status: Int
    let body: String
    let setCookies: [String]

    var isSuccess: Bool { (200..<300).contains(status) }
}

/// An identifier from a response, kept both for URL paths and as a JSON literal for request bodies.
struct EntityID: Sendable {
    let text: String
    let json: String
}

/// Thin JSON-over-HTTP helper for the setup phase.
struct API: Sendable {
    let client: HTTPClient
    let baseURL: String

    func send(_ method: RequestMethod, _ path: String, json: [String: any Sendable]? = nil,
              credentials: Credentials = .anonymous) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        switch method {
        case .get: request.method = .GET
        case .post: request.method = .POST
        case .patch: request.method = .PATCH
        }
        request.headers.add(name: "Accept", value: "application/json")
        if let json {
            let data = try JSONSerialization.data(withJSONObject: json)
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(data)
        }
        switch credentials {
        case .anonymous:
            break
        case .bearer(let token):
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        case .session(let cookieHeader, let csrf):
            request.headers.add(name: "Cookie", value: cookieHeader)
            if let csrf {
                request.headers.add(name: "X-CSRF-Token", value: csrf)
            }
        }
        do {
            let response = try await client.execute(request, timeout: .seconds(120))
            let buffer = try await response.body.collect(upTo: 8 << 20)
            return Reply(
                status: Int(response.status.code),
                body: String(decoding: buffer.readableBytesView, as: UTF8.self),
                setCookies: response.headers["set-cookie"]
            )
        } catch {
            throw LoadError("cannot reach the DeskPilot server at \(baseURL) (is it running?): "
                + "\(method.name) \(path) failed: \(String(describing: error))")
        }
    }

    /// Sends a request and fails the run unless the answer is 2xx.
    func expectSuccess(_ step: String, _ method: RequestMethod, _ path: String, json: [String: any Sendable]? = nil,
                       credentials: Credentials = .anonymous) async throws -> Reply {
        let reply = try await send(method, path, json: json, credentials: credentials)
        guard reply.isSuccess else {
            throw LoadError("\(step): \(method.name) \(path) answered HTTP \(reply.status): \(truncated(reply.body, to: 2000))")
        }
        return reply
    }
}

enum JSONFields {
    static func object(_ reply: Reply, step: String) throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any] else {
            throw LoadError("\(step): response is not a JSON object: \(truncated(reply.body))")
        }
        return object
    }

    static func id(_ reply: Reply, step: String) throws -> EntityID {
        let object = try object(reply, step: step)
        if let text = object["id"] as? String {
            return EntityID(text: text, json: try literal(text))
        }
        if let number = object["id"] as? Int {
            return EntityID(text: String(number), json: String(number))
        }
        throw LoadError("\(step): response has no usable \"id\": \(truncated(reply.body))")
    }

    static func string(_ key: String, _ reply: Reply, step: String) throws -> String {
        guard let value = try object(reply, step: step)[key] as? String, !value.isEmpty else {
            throw LoadError("\(step): response has no \"\(key)\" string: \(truncated(reply.body))")
        }
        return value
    }

    /// The JSON string literal for `text`, quotes included.
    static func literal(_ text: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: try encoder.encode(text), as: UTF8.self)
    }
}

enum Cookies {
    /// `name=value` pairs from `Set-Cookie` headers, attributes dropped; later headers win.
    static func pairs(from setCookies: [String]) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        for header in setCookies {
            let first = header.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let equals = first.firstIndex(of: "=") else { continue }
            let name = first[..<equals].trimmingCharacters(in: .whitespaces)
            let value = first[first.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { continue }
            result.removeAll { $0.name == name }
            result.append((name: name, value: value))
        }
        return result
    }
}
