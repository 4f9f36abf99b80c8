import DeskCore
import Vapor

/// Groups, members, managers, gates and permanent desks.
enum AccessController {
    struct GroupInput: Decodable {
        let name: String?
        let description: String?
    }

    struct PermanentInput: Decodable {
        let userId: UUID
    }

    struct GateInput: Decodable {
        let groupIds: [UUID]
    }

    @Sendable static func groups(_ req: Request) async throws -> [GroupDTO] {
        try await req.services.access.groups(locationId: try req.id(), try req.requireViewer()).map(GroupDTO.init)
    }

    @Sendable static func createGroup(_ req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(GroupInput.self)
        return try .created(GroupDTO(try await req.services.access.createGroup(
            in: id, name: input.name, description: input.description, by: viewer, actor: req.actor)))
    }

    @Sendable static func updateGroup(_ req: Request) async throws -> GroupDTO {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(GroupInput.self)
        return GroupDTO(try await req.services.access.updateGroup(
            id, name: input.name, description: input.description, by: viewer, actor: req.actor))
    }

    @Sendable static func deleteGroup(_ req: Request) async throws -> HTTPStatus {
        try await req.services.access.deleteGroup(try req.id(), by: try req.requireViewer(), actor: req.actor)
        return .noContent
    }

    @Sendable static func members(_ req: Request) async throws -> [UserDTO] {
        let viewer = try req.requireViewer()
        return try await req.services.access.members(of: try req.id(), viewer).map { UserDTO($0, for: viewer) }
    }

    @Sendable static func addMember(_ req: Request) async throws -> HTTPStatus {
        try await setMember(req, present: true)
    }

    @Sendable static func removeMember(_ req: Request) async throws -> HTTPStatus {
        try await setMember(req, present: false)
    }

    private static func setMember(_ req: Request, present: Bool) async throws -> HTTPStatus {
        let viewer = try req.requireViewer()
        try await req.services.access.setMember(try req.id("user_id"), of: try req.id(), present: present, by: viewer, actor: req.actor)
        return .noContent
    }

    @Sendable static func locationManagers(_ req: Request) async throws -> [UserDTO] {
        let viewer = try req.requireViewer()
        return try await req.services.access.locationManagers(try req.id(), viewer).map { UserDTO($0, for: viewer, listedAsManager: true) }
    }

    @Sendable static func addLocationManager(_ req: Request) async throws -> HTTPStatus {
        try await setLocationManager(req, present: true)
    }

    @Sendable static func removeLocationManager(_ req: Request) async throws -> HTTPStatus {
        try await setLocationManager(req, present: false)
    }

    private static func setLocationManager(_ req: Request, present: Bool) async throws -> HTTPStatus {
        let viewer = try req.requireViewer()
        try await req.services.access.setLocationManager(
            try req.id("user_id"), of: try req.id(), present: present, by: viewer, actor: req.actor)
        return .noContent
    }

    @Sendable static func roomManagers(_ req: Request) async throws -> [UserDTO] {
        let viewer = try req.requireViewer()
        return try await req.services.access.roomManagers(try req.id(), viewer).map { UserDTO($0, for: viewer, listedAsManager: true) }
    }

    @Sendable static func addRoomManager(_ req: Request) async throws -> HTTPStatus {
        try await setRoomManager(req, present: true)
    }

    @Sendable static func removeRoomManager(_ req: Request) async throws -> HTTPStatus {
        try await setRoomManager(req, present: false)
    }

    private static func setRoomManager(_ req: Request, present: Bool) async throws -> HTTPStatus {
        let viewer = try req.requireViewer()
        try await req.services.access.setRoomManager(try req.id("user_id"), of: try req.id(), present: present, by: viewer, actor: req.actor)
        return .noContent
    }

    @Sendable static func locationGate(_ req: Request) async throws -> GateDTO {
        GateDTO(groupIds: try await req.services.access.locationGate(try req.id(), try req.requireViewer()))
    }

    @Sendable static func roomGate(_ req: Request) async throws -> GateDTO {
        GateDTO(groupIds: try await req.services.access.roomGate(try req.id(), try req.requireViewer()))
    }

    @Sendable static func setLocationGate(_ req: Request) async throws -> GateDTO {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(GateInput.self)
        return GateDTO(groupIds: try await req.services.access.setLocationGate(id, groupIds: input.groupIds, by: viewer, actor: req.actor))
    }

    @Sendable static func setRoomGate(_ req: Request) async throws -> GateDTO {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(GateInput.self)
        return GateDTO(groupIds: try await req.services.access.setRoomGate(id, groupIds: input.groupIds, by: viewer, actor: req.actor))
    }

    @Sendable static func assignPermanent(_ req: Request) async throws -> DeskDTO {
        let viewer = try req.requireViewer()
        let id = try req.id()
        let input = try req.body(PermanentInput.self)
        return DeskDTO(try await req.services.access.setPermanent(desk: id, userId: input.userId, by: viewer, actor: req.actor))
    }

    @Sendable static func clearPermanent(_ req: Request) async throws -> DeskDTO {
        DeskDTO(try await req.services.access.setPermanent(desk: try req.id(), userId: nil, by: try req.requireViewer(), actor: req.actor))
    }
}
