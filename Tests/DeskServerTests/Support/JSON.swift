import Foundation
import NIOCore
import Vapor
import VaporTesting

/// A JSON value literal for request bodies: `["desk_id": .string(id), "x": 0.5]`.
indirect enum JSON: Sendable, Encodable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    case string(String), int(Int), double(Double), bool(Bool), array([JSON]), object([String: JSON]), null

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(floatLiteral value: Double) { self = .double(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: JSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, JSON)...) { self = .object(Dictionary(uniqueKeysWithValues: elements)) }
    init(nilLiteral: ()) { self = .null }

    static func id(_ uuid: UUID) -> JSON { .string(uuid.uuidString) }
    static func time(_ date: Date) -> JSON { .string(date.formatted(.iso8601)) }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    var text: String { String(decoding: try! JSONEncoder().encode(self), as: UTF8.self) }
}

/// A decoded response body, read by key path: `body["user", "id"]`.
struct ResponseBody: @unchecked Sendable {
    let value: Any?

    init(_ response: TestingHTTPResponse) {
        var buffer = response.body
        let data = buffer.readData(length: buffer.readableBytes) ?? Data()
        value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    subscript(_ keys: String...) -> Any? {
        keys.reduce(value) { ($0 as? [String: Any])?[$1] }
    }

    func string(_ keys: String...) -> String? {
        keys.reduce(value) { ($0 as? [String: Any])?[$1] } as? String
    }

    func uuid(_ keys: String...) -> UUID? {
        (keys.reduce(value) { ($0 as? [String: Any])?[$1] } as? String).flatMap(UUID.init(uuidString:))
    }

    var array: [[String: Any]] { (value as? [[String: Any]]) ?? ((value as? [String: Any])?["items"] as? [[String: Any]]) ?? [] }

    /// The array of objects under a key.
    func array(at key: String) -> [[String: Any]] { ((value as? [String: Any])?[key] as? [[String: Any]]) ?? [] }

    var code: String? { string("code") }
}
