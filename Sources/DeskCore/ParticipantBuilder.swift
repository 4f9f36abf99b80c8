import Foundation

/// Turns requests into round participants the same way when a round runs, when it is replayed and when a waitlist is
/// offered desks.
public struct ParticipantBuilder {
    private struct ScopeKey: Hashable {
        let rooms: Set<UUID>
        let floors: Set<UUID>
        let preferred: [UUID]
        let denied: Set<UUID>
    }

    public let desks: [RoundDesk]
    /// Many people ask for the same rooms: each distinct scope is worked out once.
    private var scopes: [ScopeKey: Set<UUID>] = [:]

    public init(desks: [RoundDesk]) {
        self.desks = desks
    }

    /// - Parameters:
    ///   - window: the times the request books when it named a window; nil when it asked for the whole day, which
    ///     claims the desk for the day.
    ///   - deniedRooms: rooms its owner may not book in; their desks are out of scope.
    public mutating func participant(
        requestId: UUID, userId: UUID, criteria: DeskCriteria, window: TimeRange?, losses: Int, deniedRooms: Set<UUID>
    ) -> AllocationParticipant {
        var scope: Set<UUID>?
        if !criteria.roomIds.isEmpty || !criteria.floorIds.isEmpty || !deniedRooms.isEmpty {
            let key = ScopeKey(rooms: criteria.roomIds, floors: criteria.floorIds, preferred: criteria.preferredDesks, denied: deniedRooms)
            if let known = scopes[key] {
                scope = known
            } else {
                var place = criteria
                place.requiredTags = []  // tags are the round's to check
                place.acceptsOtherDesks = true
                let ids = Set(desks.filter { !deniedRooms.contains($0.roomId) && place.accepts($0.candidate) }.map(\.id))
                scopes[key] = ids
                scope = ids
            }
        }
        return AllocationParticipant(
            requestId: requestId, userId: userId, preferredDesks: criteria.preferredDesks, requiredTags: criteria.requiredTags,
            scope: scope, acceptsOtherDesks: criteria.acceptsOtherDesks, recentLosses: losses, window: window)
    }
}
