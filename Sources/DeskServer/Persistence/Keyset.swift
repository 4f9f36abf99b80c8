import Foundation
import SQLKit

/// The rows after a keyset position in a list ordered by an instant, newest first, then by id.
///
/// Instants compare within `tolerance`: SQLite keeps them as seconds since 1970 in a double, and a `Date` read from
/// such a row and bound again can come back one unit in the last place off, which made the row at the position show
/// again on the next page. PostgreSQL keeps whole microseconds, well apart at this tolerance.
enum Keyset {
    static let tolerance: TimeInterval = 0.000_000_3

    /// `column` before `instant`, or at it with an id after (`idAscending`) or before `id`.
    static func olderThan(_ instant: Date, id: UUID, column: String, idAscending: Bool = true) -> SQLQueryString {
        let (low, high) = (instant.addingTimeInterval(-tolerance), instant.addingTimeInterval(tolerance))
        let next: SQLQueryString = idAscending ? "id > \(bind: id)" : "id < \(bind: id)"
        return "(\(ident: column) < \(bind: low) OR (\(ident: column) <= \(bind: high) AND " + next + "))"
    }
}
