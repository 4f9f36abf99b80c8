import Foundation

/// A desk as an allocation round saw it: where it is, its tags, and its confirmed bookings that day. Stored with the
/// round (as JSON) so the round can be replayed.
public struct RoundDesk: Hashable, Sendable, Codable {
    public let id: UUID
    public let name: String
    public let roomId: UUID
    public let floorId: UUID
    public let tags: Set<String>
    /// Confirmed bookings of the desk that day when the round ran.
    public let busy: [TimeRange]

    public init(id: UUID, name: String, roomId: UUID, floorId: UUID, tags: Set<String>, busy: [TimeRange]) {
        self.id = id
        self.name = name
        self.roomId = roomId
        self.floorId = floorId
        self.tags = tags
        self.busy = busy
    }

    public var candidate: DeskCandidate { DeskCandidate(id: id, name: name, roomId: roomId, floorId: floorId, tags: tags) }
    public var allocationDesk: AllocationDesk { AllocationDesk(id: id, name: name, tags: tags, busy: busy) }
}
