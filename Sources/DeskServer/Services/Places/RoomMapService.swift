import DeskCore
import Foundation

/// Floor-map images of rooms, kept in the database so every instance serves the same picture.
struct RoomMapService: Sendable {
    static let maximumBytes = 5 * 1024 * 1024
    /// Sent with every map: no scripts, no loads but embedded images, a sandbox (see `PlaceController.map`).
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"

    let transactor: Transactor
    let clock: WallClock
    let placeService: PlaceService

    func map(of roomId: UUID, _ viewer: Viewer) async throws -> RoomMap {
        _ = try await placeService.visibleRoom(roomId, viewer)
        guard let map = try await RoomMapStore(sql: transactor.sql).map(of: roomId) else { throw DomainError.notFound("Map") }
        return map
    }

    /// Stores a new map after checking that the bytes really are the image type they claim to be. An SVG is stored
    /// as `FloorMapSVG` writes it back after checking it, never as uploaded.
    func setMap(of roomId: UUID, data: Data, by viewer: Viewer, actor: Actor) async throws {
        let (room, gate) = try await placeService.visibleRoom(roomId, viewer)
        try AccessRules.requireManager(of: gate, viewer)
        guard data.count <= Self.maximumBytes else {
            throw DomainError.validation(field: "image", "at most \(Self.maximumBytes / 1024 / 1024) MB")
        }
        let (type, image) = try Self.checked(data)
        try await store(roomId: roomId, locationId: room.locationId, contentType: type, data: image, actor: actor)
    }

    /// The content type and the bytes to store: PNG, JPEG and WebP as they are, SVG sanitised.
    static func checked(_ data: Data) throws(DomainError) -> (contentType: String, data: Data) {
        if let type = sniff(data) { return (type, data) }
        guard FloorMapSVG.isMarkup(data) else {
            throw DomainError.validation(field: "image", "a PNG, JPEG, WebP or SVG image")
        }
        return ("image/svg+xml", Data(try FloorMapSVG.sanitize([UInt8](data)).utf8))
    }

    /// Writes without access checks; for the demo seeder, which acts as the system.
    func store(roomId: UUID, locationId: UUID, contentType: String, data: Data, actor: Actor) async throws {
        let now = clock.now()
        try await transactor.write { sql in
            try await RoomMapStore(sql: sql).replace(mapOf: roomId, with: RoomMap(contentType: contentType, data: data, updatedAt: now))
            try await AuditLog(sql: sql).record("room.map_changed", target: "room", id: roomId, location: locationId, by: actor, at: now,
                                                details: ["content_type": contentType, "bytes": String(data.count)])
            return .unannounced
        }
    }

    /// The raster image type by its first bytes, not by what the client says; nil for anything else.
    static func sniff(_ data: Data) -> String? {
        let bytes = [UInt8](data.prefix(16))
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { return "image/webp" }
        return nil
    }
}
