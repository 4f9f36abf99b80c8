import DeskCore
import Foundation

/// Keyset position in a list ordered by an instant and then by id.
struct Cursor {
    let instant: Date
    let id: UUID

    init(instant: Date, id: UUID) {
        self.instant = instant
        self.id = id
    }

    /// Reads `text`: seconds since 2001-01-01 (the `Date`'s own count, so the instant comes back bit for bit; seconds
    /// since 1970 would round, and the entry at the cursor would show again on the next page), `_`, the id.
    init?(_ text: String) {
        let parts = text.split(separator: "_")
        // Years 1 to 9999 only: databases cannot store instants far outside them (PostgreSQL would trap).
        guard parts.count == 2, let seconds = TimeInterval(parts[0]), (-63_113_904_000...252_423_993_599).contains(seconds),
              let id = UUID(uuidString: String(parts[1])) else { return nil }
        self.init(instant: Date(timeIntervalSinceReferenceDate: seconds), id: id)
    }

    /// A `cursor` query parameter: nil when absent, 422 when malformed.
    static func parse(_ text: String?) throws -> Cursor? {
        guard let text else { return nil }
        guard let cursor = Cursor(text) else { throw DomainError.validation(field: "cursor", "invalid cursor") }
        return cursor
    }

    /// Full precision: a rounded instant could skip or repeat entries that lie close together.
    var text: String { "\(instant.timeIntervalSinceReferenceDate)_\(id.uuidString)" }
}
