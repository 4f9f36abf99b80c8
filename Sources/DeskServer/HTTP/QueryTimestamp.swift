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
