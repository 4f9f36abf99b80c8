import Foundation
import SQLKit

/// A room's floor-map image as stored.
struct RoomMap: Sendable {
    let contentType: String
    let data: Data
    let updatedAt: Date
}

/// The `room_maps` table: at most one floor-map image per room.
struct RoomMapStore: Sendable {
    let sql: any SQLDatabase

    func map(of roomId: UUID) async throws -> RoomMap? {
        guard let row = try await sql.raw("SELECT content_type, image, updated_at FROM room_maps WHERE room_id = \(bind: roomId)").first() else {
            return nil
        }
        return RoomMap(contentType: try row.decode(column: "content_type", as: String.self),
                       data: try row.decode(column: "image", as: Data.self),
                       updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    /// Puts `map` in place of the room's map, if it has one.
    func replace(mapOf roomId: UUID, with map: RoomMap) async throws {
        try await sql.raw("DELETE FROM room_maps WHERE room_id = \(bind: roomId)").run()
        try await sql.raw("""
            INSERT INTO room_maps (room_id, content_type, image, updated_at)
            VALUES (\(bind: roomId), \(bind: map.contentType), \(bind: map.data), \(bind: map.updatedAt))
            """).run()
    }
}
