import Foundation
import NIOConcurrencyHelpers

/// Recently computed room availability, shared by everyone who looks at the same room and range: a room map is read
/// far more often than it changes, and each answer is large.
///
/// Every write that changes what a room report shows invalidates that room (bookings and holds) or everything (places,
/// gates, policies), after it commits. A report computed from data read before such a write is not stored. Entries also expire after `lifetime`: a desk's status follows the clock, and
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

    /// A computation under way, joined by requests that would compute the same thing from the same data.
    private struct Flight: Hashable, Sendable {
        let key: Key
        let epoch: Int
        let room: Int
    }

    private struct State: Sendable {
        var entries: [Key: Entry] = [:]
        var flights: [Flight: Task<AvailabilityService.RoomSnapshot, any Error>] = [:]
        var versions: [UUID: Int] = [:]
        var epoch = 0
    }

    private let state = NIOLockedValueBox(State())
    private let capacity = 2_000

    /// The cached snapshot, or the one `compute` makes. Concurrent requests for the same key share one computation
    /// (when an entry expires under load, one request computes and the others wait for it instead of all computing),
    /// but only while no write has invalidated the room since it started: a reader always sees writes that
    /// committed before its request.
    func snapshot(
        _ key: Key, orCompute compute: @escaping @Sendable () async throws -> AvailabilityService.RoomSnapshot
    ) async throws -> AvailabilityService.RoomSnapshot {
        let now = ContinuousClock.now
        let (cached, flight, task, started) = state.withLockedValue { state in
            let version = state.versions[key.roomId, default: 0]
            let flight = Flight(key: key, epoch: state.epoch, room: version)
            if let entry = state.entries[key], entry.expires > now, entry.version == version {
                return (Optional(entry.snapshot), flight, Task<AvailabilityService.RoomSnapshot, any Error>?.none, false)
            }
            if let running = state.flights[flight] { return (nil, flight, running, false) }
            let task = Task { try await compute() }
            state.flights[flight] = task
            return (nil, flight, task, true)
        }
        if let cached { return cached }
        guard let task else { preconditionFailure("neither cached nor computing") }
        let result = await task.result
        if started { finish(flight, with: result) }
        return try result.get()
    }

    private func finish(_ flight: Flight, with result: Result<AvailabilityService.RoomSnapshot, any Error>) {
        let expires = ContinuousClock.now.advanced(by: Self.lifetime)
        state.withLockedValue { state in
            state.flights[flight] = nil
            guard case .success(let snapshot) = result,
                  state.epoch == flight.epoch, state.versions[flight.key.roomId, default: 0] == flight.room
            else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[flight.key] = Entry(snapshot: snapshot, expires: expires, version: flight.room)
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
