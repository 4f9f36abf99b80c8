import Foundation

/// The one place that decides who may see and change what (SPEC §1–2).
public enum AccessRules {
    public static func manages(location locationId: UUID, _ viewer: Viewer) -> Bool {
        viewer.isSuperuser || viewer.managedLocationIds.contains(locationId)
    }

    /// Location managers are room managers of every room of their location.
    public static func manages(room: RoomGate, _ viewer: Viewer) -> Bool {
        manages(location: room.location.locationId, viewer) || viewer.managedRoomIds.contains(room.roomId)
    }

    /// Room managers see the location of their rooms, so that they can reach them.
    public static func passes(_ gate: LocationGate, _ viewer: Viewer) -> Bool {
        passesAsMember(gate, viewer) || viewer.roomManagerLocationIds.contains(gate.locationId)
    }

    /// Managing one room of a gated location opens that room, not the location's other rooms.
    public static func passes(_ gate: RoomGate, _ viewer: Viewer) -> Bool {
        if manages(room: gate, viewer) { return true }
        guard passesAsMember(gate.location, viewer) else { return false }
        return gate.groupIds.isEmpty || !gate.groupIds.isDisjoint(with: viewer.groupIds)
    }

    private static func passesAsMember(_ gate: LocationGate, _ viewer: Viewer) -> Bool {
        manages(location: gate.locationId, viewer) || gate.groupIds.isEmpty || !gate.groupIds.isDisjoint(with: viewer.groupIds)
    }

    /// A location is visible to whoever passes its gate; a hidden place answers 404, never 403.
    public static func requireVisible(_ gate: LocationGate, _ viewer: Viewer) throws(DomainError) {
        guard passes(gate, viewer) else { throw .notFound("Location") }
    }

    public static func requireVisible(_ gate: RoomGate, _ viewer: Viewer) throws(DomainError) {
        guard passes(gate, viewer) else { throw .notFound("Room") }
    }

    /// Visible but not managed answers 403; invisible answers 404.
    public static func requireManager(of gate: LocationGate, _ viewer: Viewer) throws(DomainError) {
        try requireVisible(gate, viewer)
        guard manages(location: gate.locationId, viewer) else { throw .forbidden }
    }

    public static func requireManager(of gate: RoomGate, _ viewer: Viewer) throws(DomainError) {
        try requireVisible(gate, viewer)
        guard manages(room: gate, viewer) else { throw .forbidden }
    }

    public static func requireSuperuser(_ viewer: Viewer) throws(DomainError) {
        guard viewer.isSuperuser else { throw .forbidden }
    }

    /// May this viewer see who booked a desk in a room? Their own bookings always; others per the privacy setting.
    public static func seesBooker(of ownerId: UUID, in room: RoomGate, policy: Policy, _ viewer: Viewer) -> Bool {
        ownerId == viewer.userId || policy.bookerVisibility == .everyone || manages(room: room, viewer)
    }

    /// May this viewer read a booking's note? Only its owner and the managers of its room (location managers and
    /// superusers included): a note is written for them, so it stays private whatever the privacy setting for names.
    public static func mayReadNote(ofBookingOwnedBy ownerId: UUID, in room: RoomGate, _ viewer: Viewer) -> Bool {
        ownerId == viewer.userId || manages(room: room, viewer)
    }

    /// May this viewer read a person's e-mail address? Their own; anyone's for a manager or superuser, who arrange
    /// desks and bookings with people; and a manager's for whoever is shown who manages a place, so that people can
    /// reach the ones who run it.
    public static func mayReadEmail(of personId: UUID, listedAsManager: Bool = false, _ viewer: Viewer) -> Bool {
        listedAsManager || personId == viewer.userId || viewer.isAnyManager
    }

    /// May this viewer find people by their e-mail address? Only those who may read everyone's.
    public static func maySearchByEmail(_ viewer: Viewer) -> Bool {
        viewer.isAnyManager
    }

    /// Owners change their own bookings; managers of the room (and superusers) change anyone's there.
    public static func mayModifyBooking(ownedBy ownerId: UUID, in room: RoomGate, _ viewer: Viewer) -> Bool {
        ownerId == viewer.userId || manages(room: room, viewer)
    }

    /// Location managers add and remove members of their location's groups. Room managers there may add members
    /// (not remove them, and not themselves, which would open rooms to them) only when the location allows it.
    public static func mayChangeMember(
        _ memberId: UUID, adding: Bool, ofGroupIn location: LocationGate, roomManagersMayAddMembers: Bool, _ viewer: Viewer
    ) -> Bool {
        if manages(location: location.locationId, viewer) { return true }
        return adding && roomManagersMayAddMembers && memberId != viewer.userId
            && viewer.roomManagerLocationIds.contains(location.locationId)
    }
}
