import Foundation

/// Everything the access rules need to know about the person making a request.
public struct Viewer: Hashable, Sendable {
    public let userId: UUID
    public let isSuperuser: Bool
    public let groupIds: Set<UUID>
    public let managedLocationIds: Set<UUID>
    public let managedRoomIds: Set<UUID>
    /// Locations that contain a room this viewer manages (they may see the location to reach the room).
    public let roomManagerLocationIds: Set<UUID>

    public init(
        userId: UUID,
        isSuperuser: Bool,
        groupIds: Set<UUID> = [],
        managedLocationIds: Set<UUID> = [],
        managedRoomIds: Set<UUID> = [],
        roomManagerLocationIds: Set<UUID> = []
    ) {
        self.userId = userId
        self.isSuperuser = isSuperuser
        self.groupIds = groupIds
        self.managedLocationIds = managedLocationIds
        self.managedRoomIds = managedRoomIds
        self.roomManagerLocationIds = roomManagerLocationIds
    }

    /// Superusers and managers of any place see e-mail addresses in the user directory.
    public var isAnyManager: Bool {
        isSuperuser || !managedLocationIds.isEmpty || !managedRoomIds.isEmpty
    }
}

/// The gate facts of a location.
public struct LocationGate: Hashable, Sendable {
    public let locationId: UUID
    /// Groups allowed in; empty means every active user.
    public let groupIds: Set<UUID>

    public init(locationId: UUID, groupIds: Set<UUID>) {
        self.locationId = locationId
        self.groupIds = groupIds
    }
}

/// The gate facts of a room together with its location's.
public struct RoomGate: Hashable, Sendable {
    public let roomId: UUID
    public let location: LocationGate
    /// Groups allowed in; empty means open to everyone who passes the location gate.
    public let groupIds: Set<UUID>

    public init(roomId: UUID, location: LocationGate, groupIds: Set<UUID>) {
        self.roomId = roomId
        self.location = location
        self.groupIds = groupIds
    }
}
