import Foundation
import NIOConcurrencyHelpers

/// Recently computed room availability, shared by everyone who looks at the same room and range: a room map is read
/// far more often than it changes, and each answer is large.
///
/// Every write that changes what a room report shows invalidates that room (bookings and holds) or everything (places,
/// gates, policies), after it commits. A report computed before such a write is not stored afterwards (callers pass
/// the room's version they read under). Entries also expire after `lifetime`: a desk's status follows the clock, and
/// other instances' writes (PostgreSQL) are not seen here.
final class AvailabilityCache: Sendable {
    struct Key: Hashable, Sendable {
        let roomId: UUID
        let from: Date
        let to: Date
        let showsBookers: Bool
    }

    static let lifetime: Duration = .seconds(1)

    private struct Entry: Sendable {
        let snapshot: AvailabilityService.RoomSnapshot
        let expires: ContinuousClock.Instant
        let version: Int
    }

    private struct State: Sendable {
        var entries: [Key: Entry] = [:]
        var versions: [UUID: Int] = [:]
        var epoch = 0
    }

    private let state = NIOLockedValueBox(State())
    private let capacity = 2_000

    /// Read this before computing a report, and pass it when storing the report.
    func version(of roomId: UUID) -> (epoch: Int, room: Int) {
        state.withLockedValue { ($0.epoch, $0.versions[roomId, default: 0]) }
    }

    func snapshot(_ key: Key) -> AvailabilityService.RoomSnapshot? {
        let now = ContinuousClock.now
        return state.withLockedValue { state in
            guard let entry = state.entries[key], entry.expires > now, entry.version == state.versions[key.roomId, default: 0] else {
                return nil
            }
            return entry.snapshot
        }
    }

    func store(_ snapshot: AvailabilityService.RoomSnapshot, for key: Key, readAt version: (epoch: Int, room: Int)) {
        let entry = Entry(snapshot: snapshot, expires: ContinuousClock.now.advanced(by: Self.lifetime), version: version.room)
        state.withLockedValue { state in
            guard state.epoch == version.epoch, state.versions[key.roomId, default: 0] == version.room else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = entry
        }
    }

    func invalidate(rooms: some Sequence<UUID>) {
        state.withLockedValue { state in
            for room in rooms { state.versions[room, default: 0] += 1 }
        }
    }

    func invalidateAll() {
        state.withLockedValue { state in
            state.epoch += 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }
}
