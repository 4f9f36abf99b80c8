import Foundation
import SQLKit

extension PlaceStore {
    /// Places that have names to show in messages.
    enum Named: String {
        case locations, rooms, desks
    }

    /// The names of these places by id; unknown ids are left out.
    func names(in table: Named, _ ids: Set<UUID>) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        var names: [UUID: String] = [:]
        for row in try await sql.raw("SELECT id, name FROM \(ident: table.rawValue) WHERE id IN (\(binds: Array(ids)))").all() {
            names[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "name", as: String.self)
        }
        return names
    }
}
