import DeskCore
import Vapor

/// Rooms under maintenance for a period: preview the affected bookings, set the period, end it.
enum MaintenanceController {
    struct Input: Decodable {
        let reason: String
        let from: Date?
        let until: Date?
        let affected: String?
    }

    @Sendable static func preview(_ req: Request) async throws -> MaintenancePreviewDTO {
        let from = try req.query[String.self, at: "from"].map { try QueryTimestamp.parse($0, field: "from") }
        let until = try req.query[String.self, at: "until"].map { try QueryTimestamp.parse($0, field: "until") }
        let preview = try await req.services.maintenance.preview(room: try req.id(), from: from, until: until, by: try req.requireViewer())
        return MaintenancePreviewDTO(affectedBookings: preview.affected.map(BookingDTO.init), from: preview.period.from,
                                     until: preview.period.until)
    }

    @Sendable static func start(_ req: Request) async throws -> MaintenanceDTO {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(Input.self)
        let choice = try input.affected.map { try QueryChoice.parse($0, field: "affected", as: AffectedBookingsChoice.self) } ?? .cancel
        let (outcome, affected) = try await req.services.maintenance.start(
            room: id, from: input.from, until: input.until, reason: input.reason, affected: choice, by: viewer, actor: req.actor)
        return MaintenanceDTO(affected: .init(contract: outcome.choice.rawValue), affectedBookings: affected.map(BookingDTO.init),
                              maintenance: MaintenancePeriodDTO(outcome.period),
                              room: RoomDTO(outcome.room, now: req.services.clock.now()))
    }

    @Sendable static func end(_ req: Request) async throws -> RoomDTO {
        let room = try await req.services.maintenance.end(room: try req.id(), by: try req.requireViewer(), actor: req.actor)
        return RoomDTO(room, now: req.services.clock.now())
    }
}
