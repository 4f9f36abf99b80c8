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

    init?(_ text: String) {
        let parts = text.split(separator: "_")
        // Years 1 to 9999 only: databases cannot store instants far outside them (PostgreSQL would trap).
        guard parts.count == 2, let seconds = TimeInterval(parts[0]), (-62_135_596_800...253_402_300_799).contains(seconds),
              let id = UUID(uuidString: String(parts[1])) else { return nil }
        self.init(instant: Date(timeIntervalSince1970: seconds), id: id)
    }

    /// A `cursor` query parameter: nil when absent, 422 when malformed.
    static func parse(_ text: String?) throws -> Cursor? {
        guard let text else { return nil }
        guard let cursor = Cursor(text) else { throw DomainError.validation(field: "cursor", "invalid cursor") }
        return cursor
    }

    /// Full precision: a rounded instant could skip or repeat entries that lie close together.
    var text: String { "\(instant.timeIntervalSince1970)_\(id.uuidString)" }
}
