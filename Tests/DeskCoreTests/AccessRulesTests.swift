import Foundation
import Testing
@testable import DeskCore

/// Two locations: Hamburg gated to its staff group, with an open room and a room gated to a project group;
/// Munich gated to its own staff group. Plus an open location with one open room.
private enum Places {
    static let hamburgStaff = UUID()
    static let hamburgProject = UUID()
    static let munichStaff = UUID()

    static let hamburg = LocationGate(locationId: UUID(), groupIds: [hamburgStaff])
    static let hamburgOpenRoom = RoomGate(roomId: UUID(), location: hamburg, groupIds: [])
    static let hamburgProjectRoom = RoomGate(roomId: UUID(), location: hamburg, groupIds: [hamburgProject])

    static let munich = LocationGate(locationId: UUID(), groupIds: [munichStaff])
    static let munichRoom = RoomGate(roomId: UUID(), location: munich, groupIds: [])

    static let openLocation = LocationGate(locationId: UUID(), groupIds: [])
    static let openRoom = RoomGate(roomId: UUID(), location: openLocation, groupIds: [])
    static let openLocationGatedRoom = RoomGate(roomId: UUID(), location: openLocation, groupIds: [hamburgProject])
}

private func user(groups: Set<UUID> = []) -> Viewer {
    Viewer(userId: UUID(), isSuperuser: false, groupIds: groups)
}

private let superuser = Viewer(userId: UUID(), isSuperuser: true)
private let hamburgManager = Viewer(userId: UUID(), isSuperuser: false, managedLocationIds: [Places.hamburg.locationId])
/// Manages the gated project room of Hamburg without being in any group.
private let projectRoomManager = Viewer(
    userId: UUID(), isSuperuser: false,
    managedRoomIds: [Places.hamburgProjectRoom.roomId],
    roomManagerLocationIds: [Places.hamburg.locationId]
)

@Suite("AccessRules: gates")
struct AccessGateTests {
    @Test("a superuser passes every gate and manages every place")
    func superuserPassesAll() throws {
        for location in [Places.hamburg, Places.munich, Places.openLocation] {
            #expect(AccessRules.passes(location, superuser))
            #expect(AccessRules.manages(location: location.locationId, superuser))
            try AccessRules.requireManager(of: location, superuser)
        }
        for room in [Places.hamburgOpenRoom, Places.hamburgProjectRoom, Places.munichRoom, Places.openLocationGatedRoom] {
            #expect(AccessRules.passes(room, superuser))
            #expect(AccessRules.manages(room: room, superuser))
            try AccessRules.requireManager(of: room, superuser)
        }
        try AccessRules.requireSuperuser(superuser)
    }

    @Test("a location without groups is open to every user")
    func openLocation() throws {
        let nobody = user()
        #expect(AccessRules.passes(Places.openLocation, nobody))
        #expect(AccessRules.passes(Places.openRoom, nobody))
        try AccessRules.requireVisible(Places.openLocation, nobody)
        try AccessRules.requireVisible(Places.openRoom, nobody)
    }

    @Test("a gated location admits only members of its groups")
    func gatedLocation() {
        #expect(AccessRules.passes(Places.hamburg, user(groups: [Places.hamburgStaff])))
        #expect(AccessRules.passes(Places.hamburg, user(groups: [UUID(), Places.hamburgStaff])))
        #expect(!AccessRules.passes(Places.hamburg, user()))
        #expect(!AccessRules.passes(Places.hamburg, user(groups: [UUID()])))
        #expect(!AccessRules.passes(Places.hamburgOpenRoom, user()))
    }

    @Test("membership of another location's group does not open a gate")
    func otherLocationsGroup() {
        let munichUser = user(groups: [Places.munichStaff])
        #expect(AccessRules.passes(Places.munich, munichUser))
        #expect(AccessRules.passes(Places.munichRoom, munichUser))
        #expect(!AccessRules.passes(Places.hamburg, munichUser))
        #expect(!AccessRules.passes(Places.hamburgOpenRoom, munichUser))
    }

    @Test("an open room is open to whoever passes its location")
    func openRoomFollowsLocation() {
        #expect(AccessRules.passes(Places.hamburgOpenRoom, user(groups: [Places.hamburgStaff])))
        #expect(!AccessRules.passes(Places.hamburgOpenRoom, user(groups: [Places.munichStaff])))
    }

    @Test("a room gate restricts further than the location gate")
    func roomGateRestricts() {
        #expect(!AccessRules.passes(Places.hamburgProjectRoom, user(groups: [Places.hamburgStaff])))
        #expect(AccessRules.passes(Places.hamburgProjectRoom, user(groups: [Places.hamburgStaff, Places.hamburgProject])))
        #expect(!AccessRules.passes(Places.openLocationGatedRoom, user()))
        #expect(AccessRules.passes(Places.openLocationGatedRoom, user(groups: [Places.hamburgProject])))
    }

    @Test("a room's group does not bypass its location's gate")
    func roomGroupNeedsLocation() {
        let projectOnly = user(groups: [Places.hamburgProject])
        #expect(!AccessRules.passes(Places.hamburg, projectOnly))
        #expect(!AccessRules.passes(Places.hamburgProjectRoom, projectOnly))
    }

    @Test("a location manager passes and manages every room of the location, and nothing elsewhere")
    func locationManager() throws {
        #expect(AccessRules.passes(Places.hamburg, hamburgManager))
        #expect(AccessRules.manages(location: Places.hamburg.locationId, hamburgManager))
        for room in [Places.hamburgOpenRoom, Places.hamburgProjectRoom] {
            #expect(AccessRules.passes(room, hamburgManager))
            #expect(AccessRules.manages(room: room, hamburgManager))
            try AccessRules.requireManager(of: room, hamburgManager)
        }
        try AccessRules.requireManager(of: Places.hamburg, hamburgManager)

        #expect(!AccessRules.passes(Places.munich, hamburgManager))
        #expect(!AccessRules.passes(Places.munichRoom, hamburgManager))
        #expect(!AccessRules.manages(location: Places.munich.locationId, hamburgManager))
        #expect(!AccessRules.manages(room: Places.openRoom, hamburgManager))
    }

    @Test("a room manager passes their gated room and sees its location, but manages only the room")
    func roomManager() throws {
        #expect(AccessRules.passes(Places.hamburgProjectRoom, projectRoomManager))
        #expect(AccessRules.manages(room: Places.hamburgProjectRoom, projectRoomManager))
        try AccessRules.requireManager(of: Places.hamburgProjectRoom, projectRoomManager)

        #expect(AccessRules.passes(Places.hamburg, projectRoomManager))
        try AccessRules.requireVisible(Places.hamburg, projectRoomManager)
        #expect(!AccessRules.manages(location: Places.hamburg.locationId, projectRoomManager))
        #expect(!AccessRules.manages(room: Places.hamburgOpenRoom, projectRoomManager))

        #expect(!AccessRules.passes(Places.munich, projectRoomManager))
        #expect(!AccessRules.passes(Places.munichRoom, projectRoomManager))
    }

    @Test("a room manager does not pass another gated room of the same location")
    func roomManagerOfOtherRoom() {
        let otherGatedRoom = RoomGate(roomId: UUID(), location: Places.hamburg, groupIds: [UUID()])
        #expect(!AccessRules.passes(otherGatedRoom, projectRoomManager))
        #expect(!AccessRules.manages(room: otherGatedRoom, projectRoomManager))
    }

    @Test("managing one room of a gated location does not open the location's other rooms")
    func roomManagerSeesOnlyTheirRoomInAGatedLocation() {
        #expect(AccessRules.passes(Places.hamburg, projectRoomManager))
        #expect(!AccessRules.passes(Places.hamburgOpenRoom, projectRoomManager))
        // A member of the location's staff group does pass the open room.
        #expect(AccessRules.passes(Places.hamburgOpenRoom, user(groups: [Places.hamburgStaff])))
    }

    @Test("managing one room grants nothing in another room of the same location")
    func roomManagerOfOneRoomOnly() {
        let manager = Viewer(userId: UUID(), isSuperuser: false, managedRoomIds: [Places.openRoom.roomId])
        #expect(AccessRules.manages(room: Places.openRoom, manager))
        #expect(!AccessRules.manages(room: Places.openLocationGatedRoom, manager))
        #expect(!AccessRules.passes(Places.openLocationGatedRoom, manager))
    }

    @Test("isAnyManager is true for superusers and managers of any place")
    func anyManager() {
        #expect(superuser.isAnyManager)
        #expect(hamburgManager.isAnyManager)
        #expect(projectRoomManager.isAnyManager)
        #expect(!user(groups: [Places.hamburgStaff]).isAnyManager)
        #expect(!Viewer(userId: UUID(), isSuperuser: false, roomManagerLocationIds: [UUID()]).isAnyManager)
    }
}

@Suite("AccessRules: errors")
struct AccessErrorTests {
    @Test("an invisible location or room answers not_found")
    func invisibleIsNotFound() {
        let outsider = user(groups: [Places.munichStaff])
        let locationError = expectRefusal("not_found", kind: .notFound) {
            try AccessRules.requireVisible(Places.hamburg, outsider)
        }
        #expect(locationError?.detail.contains("Location") == true)
        let roomError = expectRefusal("not_found", kind: .notFound) {
            try AccessRules.requireVisible(Places.hamburgProjectRoom, user(groups: [Places.hamburgStaff]))
        }
        #expect(roomError?.detail.contains("Room") == true)
    }

    @Test("requireManager answers not_found before forbidden for a place the viewer cannot see")
    func invisibleBeatsForbidden() {
        expectRefusal("not_found", kind: .notFound) { try AccessRules.requireManager(of: Places.hamburg, user()) }
        expectRefusal("not_found", kind: .notFound) {
            try AccessRules.requireManager(of: Places.hamburgProjectRoom, user(groups: [Places.hamburgStaff]))
        }
        expectRefusal("not_found", kind: .notFound) { try AccessRules.requireManager(of: Places.munich, hamburgManager) }
    }

    @Test("requireManager answers forbidden for a visible place the viewer does not manage")
    func visibleButUnmanaged() {
        let staff = user(groups: [Places.hamburgStaff])
        expectRefusal("forbidden", kind: .forbidden) { try AccessRules.requireManager(of: Places.hamburg, staff) }
        expectRefusal("forbidden", kind: .forbidden) { try AccessRules.requireManager(of: Places.hamburgOpenRoom, staff) }
        expectRefusal("forbidden", kind: .forbidden) { try AccessRules.requireManager(of: Places.openLocation, user()) }
        expectRefusal("forbidden", kind: .forbidden) {
            try AccessRules.requireManager(of: Places.hamburg, projectRoomManager)
        }
    }

    @Test("requireSuperuser refuses everyone else with forbidden", arguments: [hamburgManager, projectRoomManager, user()])
    func requireSuperuser(viewer: Viewer) {
        expectRefusal("forbidden", kind: .forbidden) { try AccessRules.requireSuperuser(viewer) }
    }
}

@Suite("AccessRules: bookings")
struct AccessBookingTests {
    static var managersOnly: Policy {
        var policy = Policy.defaults
        policy.bookerVisibility = .managers
        return policy
    }

    @Test("with visibility everyone, anyone who sees the room sees who booked")
    func everyoneSeesBooker() {
        let colleague = user(groups: [Places.hamburgStaff])
        #expect(AccessRules.seesBooker(of: UUID(), in: Places.hamburgOpenRoom, policy: .defaults, colleague))
    }

    @Test("with visibility managers, only the booker and the room's managers see who booked")
    func managersSeeBooker() {
        let room = Places.hamburgProjectRoom
        let policy = Self.managersOnly
        let booker = user(groups: [Places.hamburgStaff, Places.hamburgProject])
        let colleague = user(groups: [Places.hamburgStaff, Places.hamburgProject])
        #expect(AccessRules.seesBooker(of: booker.userId, in: room, policy: policy, booker))
        #expect(!AccessRules.seesBooker(of: booker.userId, in: room, policy: policy, colleague))
        #expect(AccessRules.seesBooker(of: booker.userId, in: room, policy: policy, projectRoomManager))
        #expect(AccessRules.seesBooker(of: booker.userId, in: room, policy: policy, hamburgManager))
        #expect(AccessRules.seesBooker(of: booker.userId, in: room, policy: policy, superuser))
        #expect(!AccessRules.seesBooker(of: booker.userId, in: Places.hamburgOpenRoom, policy: policy, projectRoomManager))
    }

    @Test("a note is read by the booking's owner and the room's managers only, whatever the privacy setting")
    func mayReadNote() {
        let room = Places.hamburgProjectRoom
        let owner = user(groups: [Places.hamburgStaff, Places.hamburgProject])
        let colleague = user(groups: [Places.hamburgStaff, Places.hamburgProject])
        // Colleagues see who booked with visibility everyone; the note is still not theirs to read.
        #expect(AccessRules.seesBooker(of: owner.userId, in: room, policy: .defaults, colleague))
        #expect(!AccessRules.mayReadNote(ofBookingOwnedBy: owner.userId, in: room, colleague))
        #expect(AccessRules.mayReadNote(ofBookingOwnedBy: owner.userId, in: room, owner))
        #expect(AccessRules.mayReadNote(ofBookingOwnedBy: owner.userId, in: room, projectRoomManager))
        #expect(AccessRules.mayReadNote(ofBookingOwnedBy: owner.userId, in: room, hamburgManager))
        #expect(AccessRules.mayReadNote(ofBookingOwnedBy: owner.userId, in: room, superuser))
        // Managing another room, or another location, does not open the note.
        #expect(!AccessRules.mayReadNote(ofBookingOwnedBy: owner.userId, in: Places.hamburgOpenRoom, projectRoomManager))
        let munichManager = Viewer(userId: UUID(), isSuperuser: false, managedLocationIds: [Places.munich.locationId])
        #expect(!AccessRules.mayReadNote(ofBookingOwnedBy: owner.userId, in: room, munichManager))
    }

    @Test("owners and the room's managers may change a booking; others may not")
    func mayModifyBooking() {
        let owner = user(groups: [Places.hamburgStaff, Places.hamburgProject])
        let room = Places.hamburgProjectRoom
        #expect(AccessRules.mayModifyBooking(ownedBy: owner.userId, in: room, owner))
        #expect(AccessRules.mayModifyBooking(ownedBy: owner.userId, in: room, projectRoomManager))
        #expect(AccessRules.mayModifyBooking(ownedBy: owner.userId, in: room, hamburgManager))
        #expect(AccessRules.mayModifyBooking(ownedBy: owner.userId, in: room, superuser))
        #expect(!AccessRules.mayModifyBooking(ownedBy: owner.userId, in: room, user(groups: [Places.hamburgStaff, Places.hamburgProject])))
        #expect(!AccessRules.mayModifyBooking(ownedBy: owner.userId, in: Places.hamburgOpenRoom, projectRoomManager))
        let munichManager = Viewer(userId: UUID(), isSuperuser: false, managedLocationIds: [Places.munich.locationId])
        #expect(!AccessRules.mayModifyBooking(ownedBy: owner.userId, in: room, munichManager))
    }

    @Test("room managers add group members only where the location allows it, never remove, never themselves")
    func mayChangeMember() {
        let someone = UUID()
        #expect(AccessRules.mayChangeMember(someone, adding: true, ofGroupIn: Places.hamburg, roomManagersMayAddMembers: false, hamburgManager))
        #expect(AccessRules.mayChangeMember(someone, adding: false, ofGroupIn: Places.hamburg, roomManagersMayAddMembers: false, hamburgManager))
        #expect(AccessRules.mayChangeMember(someone, adding: false, ofGroupIn: Places.hamburg, roomManagersMayAddMembers: false, superuser))
        #expect(!AccessRules.mayChangeMember(someone, adding: true, ofGroupIn: Places.hamburg, roomManagersMayAddMembers: false, projectRoomManager))
        #expect(AccessRules.mayChangeMember(someone, adding: true, ofGroupIn: Places.hamburg, roomManagersMayAddMembers: true, projectRoomManager))
        #expect(!AccessRules.mayChangeMember(someone, adding: false, ofGroupIn: Places.hamburg, roomManagersMayAddMembers: true, projectRoomManager))
        #expect(!AccessRules.mayChangeMember(projectRoomManager.userId, adding: true, ofGroupIn: Places.hamburg,
                                             roomManagersMayAddMembers: true, projectRoomManager))
        #expect(!AccessRules.mayChangeMember(someone, adding: true, ofGroupIn: Places.munich, roomManagersMayAddMembers: true, projectRoomManager))
        #expect(!AccessRules.mayChangeMember(
            someone, adding: true, ofGroupIn: Places.hamburg, roomManagersMayAddMembers: true, user(groups: [Places.hamburgStaff])
        ))
    }
}

@Suite("AccessRules: e-mail addresses")
struct EmailVisibilityTests {
    @Test("people read their own address; managers and superusers read everyone's; others read none")
    func whoReadsWhom() {
        let colleague = user()
        let someone = UUID()
        #expect(AccessRules.mayReadEmail(of: colleague.userId, colleague))
        #expect(!AccessRules.mayReadEmail(of: someone, colleague))
        #expect(AccessRules.mayReadEmail(of: someone, hamburgManager))
        #expect(AccessRules.mayReadEmail(of: someone, projectRoomManager))
        #expect(AccessRules.mayReadEmail(of: someone, superuser))
    }

    @Test("a manager's address is readable by whoever is shown who manages the place")
    func managersAreReachable() {
        let colleague = user()
        #expect(AccessRules.mayReadEmail(of: hamburgManager.userId, listedAsManager: true, colleague))
        #expect(!AccessRules.mayReadEmail(of: hamburgManager.userId, colleague), "not when met elsewhere, e.g. in a search")
    }

    @Test("only those who read everyone's address may search by it")
    func searchByAddress() {
        #expect(!AccessRules.maySearchByEmail(user()))
        #expect(AccessRules.maySearchByEmail(hamburgManager))
        #expect(AccessRules.maySearchByEmail(projectRoomManager))
        #expect(AccessRules.maySearchByEmail(superuser))
    }
}
