import DeskCore
import Foundation

/// A desk together with the places around it and the gates in front of it.
struct DeskContext: Sendable {
    let desk: DeskRecord
    let room: RoomRecord
    let location: LocationRecord
    let gate: RoomGate

    /// What the booking rules need of the desk, as of when this context was read.
    var state: DeskState {
        DeskState(deskId: desk.id, isActive: desk.isActive, maintenance: room.maintenance?.range, permanentAssigneeId: desk.permanentUserId)
    }
}
