import DeskCore
import Foundation
import NIOConcurrencyHelpers

/// Short-lived copies of the facts nearly every request reads — who the caller is, and a desk or room with its
/// location and gates — so that a booking costs no database round trip before it reaches the writer.
///
/// Every committed write that may change such facts clears the cache (`Transactor.write`) and starts a new
/// generation; a fact read before that is not stored afterwards (callers pass the generation they read under), so
/// one instance never serves a fact older than its last write. Other instances (PostgreSQL) see a change within
/// `lifetime`.
/// Booking invariants never rely on it: the writer re-reads what it decides on inside its transaction.
final class FactCache: Sendable {
    struct Caller: Sendable {
        let user: UserRecord
        let viewer: Viewer
    }

    struct Token: Sendable {
        let caller: Caller
        let scopes: Set<String>
    }

    static let lifetime: Duration = .seconds(5)

    private struct Entry<Value: Sendable>: Sendable {
        let value: Value
        let expires: ContinuousClock.Instant
    }

    private struct State: Sendable {
        var generation = 0
        var callers: [UUID: Entry<Caller>] = [:]
        var tokens: [String: Entry<Token>] = [:]
        var desks: [UUID: Entry<DeskContext>] = [:]
        var rooms: [UUID: Entry<RoomContext>] = [:]
    }

    private let state = NIOLockedValueBox(State())
    private let capacity = 50_000

    /// Read this before loading a fact from the database, and pass it when remembering the fact.
    var generation: Int { state.withLockedValue { $0.generation } }

    func caller(_ userId: UUID) -> Caller? { read(\.callers, userId) }
    func remember(_ caller: Caller, from generation: Int) { write(\.callers, caller.user.id, caller, generation) }

    func token(_ hash: String) -> Token? { read(\.tokens, hash) }
    func remember(_ token: Token, hash: String, from generation: Int) { write(\.tokens, hash, token, generation) }

    func desk(_ deskId: UUID) -> DeskContext? { read(\.desks, deskId) }
    func remember(_ context: DeskContext, from generation: Int) { write(\.desks, context.desk.id, context, generation) }

    func room(_ roomId: UUID) -> RoomContext? { read(\.rooms, roomId) }
    func remember(_ context: RoomContext, from generation: Int) { write(\.rooms, context.room.id, context, generation) }

    func invalidateAll() {
        state.withLockedValue { $0 = State(generation: $0.generation + 1) }
    }

    private func read<Key: Hashable, Value: Sendable>(_ path: WritableKeyPath<State, [Key: Entry<Value>]>, _ key: Key) -> Value? {
        let now = ContinuousClock.now
        return state.withLockedValue { state in
            guard let entry = state[keyPath: path][key], entry.expires > now else { return nil }
            return entry.value
        }
    }

    private func write<Key: Hashable, Value: Sendable>(
        _ path: WritableKeyPath<State, [Key: Entry<Value>]>, _ key: Key, _ value: Value, _ generation: Int
    ) {
        let entry = Entry(value: value, expires: ContinuousClock.now.advanced(by: Self.lifetime))
        state.withLockedValue { state in
            guard state.generation == generation else { return }  // a write committed since the fact was read
            if state[keyPath: path].count >= capacity { state[keyPath: path].removeAll(keepingCapacity: true) }
            state[keyPath: path][key] = entry
        }
    }
}
