import DeskCore
import Foundation

enum QueryTimestamp {
    /// A timestamp from a query string: ISO-8601 with a zone, else a 400.
    static func parse(_ text: String, field: String) throws -> Date {
        guard let date = Timestamp.parse(text) else {
            throw DomainError(.badRequest, code: "invalid_timestamp", detail: "\(field) must be an ISO-8601 timestamp with a zone.")
        }
        return date
    }
}

enum QueryDate {
    /// A calendar day from a query string, `YYYY-MM-DD`, else a 422 on that field.
    static func parse(_ text: String, field: String) throws -> LocalDate {
        guard let date = LocalDate(parsing: text) else { throw DomainError.validation(field: field, "a date as YYYY-MM-DD") }
        return date
    }
}

/// A query parameter naming one of an enumeration's cases.
enum QueryChoice {
    static func parse<T: RawRepresentable & CaseIterable>(_ text: String, field: String, as type: T.Type) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: text) else {
            throw DomainError.validation(field: field, "one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
