import DeskCore
import Vapor

/// Rooms under maintenance.
enum MaintenanceController {
    struct Input: Decodable {
        let reason: String
    }

    @Sendable static func start(_ req: Request) async throws -> MaintenanceDTO {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(Input.self)
        let outcome = try await req.services.maintenance.start(room: id, reason: input.reason, by: viewer, actor: req.actor)
        return MaintenanceDTO(room: RoomDTO(outcome.room), affectedBookings: outcome.affected.map(BookingDTO.init))
    }

    @Sendable static func end(_ req: Request) async throws -> RoomDTO {
        RoomDTO(try await req.services.maintenance.end(room: try req.id(), by: try req.requireViewer(), actor: req.actor))
    }
}
