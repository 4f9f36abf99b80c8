@testable import DeskServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// The API document as the server serves it (`/api/openapi.json`), read the way a client would, so tests keep working
/// whatever the document is written in.
struct ServedDocument: @unchecked Sendable {
    let root: [String: Any]

    static func load(_ server: TestServer) async throws -> ServedDocument {
        let response = try await server.send(.GET, "/api/openapi.json")
        try #require(response.status == .ok)
        let data = Data(response.body.readableBytesView)
        return ServedDocument(root: try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]))
    }

    static let methods = ["get", "put", "post", "delete", "patch", "options", "head", "trace"]

    var paths: [String: [String: Any]] { (root["paths"] as? [String: [String: Any]]) ?? [:] }

    /// Every operation: its method (lower case), path template and object.
    var operations: [(method: String, path: String, operation: [String: Any])] {
        paths.flatMap { path, item in
            item.compactMap { key, value in
                guard Self.methods.contains(key), let operation = value as? [String: Any] else { return nil }
                return (method: key, path: path, operation: operation)
            }
        }.sorted { ($0.path, $0.method) < ($1.path, $1.method) }
    }

    func operation(_ method: String, _ path: String) -> [String: Any]? {
        paths[path]?[method.lowercased()] as? [String: Any]
    }

    /// Whether the operation declares an answer with this status.
    func declares(_ method: String, _ path: String, status: UInt) -> Bool {
        ((operation(method, path)?["responses"] as? [String: Any])?[String(status)]) != nil
    }

    /// Follows `$ref`s to the schema they name.
    func resolve(_ schema: Any?) -> [String: Any]? {
        var current = schema as? [String: Any]
        while let reference = current?["$ref"] as? String {
            guard reference.hasPrefix("#/") else { return nil }
            current = reference.dropFirst(2).split(separator: "/").reduce(root as Any?) { node, token in
                (node as? [String: Any])?[String(token)]
            } as? [String: Any]
        }
        return current
    }

    /// The object schema of an operation's JSON request body, if it has one.
    func jsonBody(_ method: String, _ path: String) -> [String: Any]? {
        let body = operation(method, path)?["requestBody"] as? [String: Any]
        let media = (body?["content"] as? [String: Any])?["application/json"] as? [String: Any]
        return media.flatMap { resolve($0["schema"]) }
    }

    /// Whether a schema accepts JSON `null`: `type` lists it (or OpenAPI 3.0's `nullable`), or one of `anyOf`/`oneOf` does.
    func acceptsNull(_ schema: Any?) -> Bool {
        guard let schema = resolve(schema) else { return false }
        if schema["type"] as? String == "null" || schema["nullable"] as? Bool == true { return true }
        if let types = schema["type"] as? [String], types.contains("null") { return true }
        let alternatives = ((schema["anyOf"] as? [Any]) ?? []) + ((schema["oneOf"] as? [Any]) ?? [])
        return alternatives.contains { acceptsNull($0) }
    }

    /// Whether a schema describes a JSON string (alone or with `null`).
    func isString(_ schema: Any?) -> Bool {
        guard let schema = resolve(schema) else { return false }
        if schema["type"] as? String == "string" { return true }
        return (schema["type"] as? [String])?.contains("string") == true
    }

    /// `/api/v1/desks/:id` (a Vapor route) as the document writes it: `/api/v1/desks/{id}`.
    static func template(_ route: String) -> String {
        route.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            .joined(separator: "/")
    }
}
