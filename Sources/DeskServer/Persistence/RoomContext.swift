import DeskCore
import Foundation

/// A room with its location and the gates in front of it.
struct RoomContext: Sendable {
    let room: RoomRecord
    let location: LocationRecord
    let gate: RoomGate
}
