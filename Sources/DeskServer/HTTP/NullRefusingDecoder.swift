import DeskCore
import Foundation

/// Decodes a request body's own fields so that absent and `null` are different things.
///
/// Swift's synthesized decoding reads an optional property with `decodeIfPresent`, which takes `null` for "absent": a
/// body `{"name": null}` would change nothing and succeed, although the API document allows no `null` there. Read
/// through this decoder, a field refuses `null`, and a required field refuses to be missing, with 422
/// `validation_failed` naming every such field. A field where `null` means something ("back to the default", "none")
/// says so by reading itself with `decodeNullable(_:forKey:)`, and the document marks it nullable.
///
/// Only the body object's own fields are checked; nested objects keep their plain decoding (their required fields
/// are not optional, so `null` there fails to decode as before).
struct NullRefusingDecoder: Decoder {
    /// The fields refused so far; a `decodeIfPresent` refusal does not stop decoding, so all of them are named.
    final class Findings {
        var errors: [FieldError] = []
    }

    /// Thrown where decoding cannot go on (a missing or `null` required field).
    struct Refusal: Error {
        let error: FieldError
    }

    let base: any Decoder
    let findings: Findings

    var codingPath: [any CodingKey] { base.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { base.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RefusingContainer(base: try base.container(keyedBy: type), findings: findings))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { try base.unkeyedContainer() }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { try base.singleValueContainer() }

    /// The field's name as clients send it: the snake_case JSON key, with its parents.
    static func fieldName(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? ProblemMiddleware.snakeCase($0.stringValue) }.joined(separator: ".")
    }
}

/// A request body decoded through `NullRefusingDecoder`; refusals become one `validation_failed` error.
struct StrictBody<Value: Decodable>: Decodable {
    let value: Value

    init(from decoder: any Decoder) throws {
        let findings = NullRefusingDecoder.Findings()
        do {
            value = try Value(from: NullRefusingDecoder(base: decoder, findings: findings))
        } catch let refusal as NullRefusingDecoder.Refusal {
            throw DomainError.validation(findings.errors + [refusal.error])
        }
        guard findings.errors.isEmpty else { throw DomainError.validation(findings.errors) }
    }
}

extension KeyedDecodingContainer {
    /// A field where `null` is a value of its own: nil when absent, `.some(nil)` when `null`, else the value.
    func decodeNullable<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T?? {
        guard contains(key) else { return nil }
        return .some(try decodeNil(forKey: key) ? nil : decode(type, forKey: key))
    }
}

/// Forwards to the body's own container, refusing `null` and missing required fields.
private struct RefusingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let base: KeyedDecodingContainer<Key>
    let findings: NullRefusingDecoder.Findings

    var codingPath: [any CodingKey] { base.codingPath }
    var allKeys: [Key] { base.allKeys }

    func contains(_ key: Key) -> Bool { base.contains(key) }

    func decodeNil(forKey key: Key) throws -> Bool { try base.decodeNil(forKey: key) }

    private func field(_ key: Key, _ message: String) -> FieldError {
        FieldError(field: NullRefusingDecoder.fieldName(codingPath + [key]), message: message)
    }

    /// A required field: present and not `null`.
    private func required<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        guard base.contains(key) else { throw NullRefusingDecoder.Refusal(error: field(key, "is required")) }
        if try base.decodeNil(forKey: key) { throw NullRefusingDecoder.Refusal(error: field(key, "must not be null")) }
        return try base.decode(type, forKey: key)
    }

    /// An optional field: absent, or a value; `null` is refused.
    private func optional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        guard base.contains(key) else { return nil }
        if try base.decodeNil(forKey: key) {
            findings.errors.append(field(key, "must not be null; leave the field out instead"))
            return nil
        }
        return try base.decode(type, forKey: key)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try required(type, key) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try required(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try required(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try required(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try required(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try required(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try required(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try required(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try required(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try required(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try required(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try required(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try required(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try required(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try required(type, key) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try optional(type, key) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(type, key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try base.nestedContainer(keyedBy: type, forKey: key)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try base.nestedUnkeyedContainer(forKey: key)
    }

    func superDecoder() throws -> any Decoder { try base.superDecoder() }

    func superDecoder(forKey key: Key) throws -> any Decoder { try base.superDecoder(forKey: key) }
}
