import DeskCore
import Foundation
import NIOConcurrencyHelpers

/// Short-lived copies of the facts nearly every request reads — who the caller is, and a desk with its room,
/// location and gates — so that a booking costs no database round trip before it reaches the writer.
///
/// Every committed write that may change such facts clears the cache (`Transactor.write`), so one instance never
/// serves a fact older than its last write. Other instances (PostgreSQL) see a change within `lifetime`.
/// Booking invariants never rely on it: the writer re-reads what it decides on inside its transaction.
final class FactCache: Sendable {
    struct Caller: Sendable {
        let user: UserRecord
        let viewer: Viewer
    }

    struct Token: Sendable {
        let id: UUID
        let caller: Caller
        let scopes: Set<String>
    }

    static let lifetime: Duration = .seconds(5)

    private struct Entry<Value: Sendable>: Sendable {
        let value: Value
        let expires: ContinuousClock.Instant
    }

    private struct State: Sendable {
        var callers: [UUID: Entry<Caller>] = [:]
        var tokens: [String: Entry<Token>] = [:]
        var desks: [UUID: Entry<DeskContext>] = [:]
    }

    private let state = NIOLockedValueBox(State())
    private let capacity = 50_000

    func caller(_ userId: UUID) -> Caller? { read(\.callers, userId) }
    func remember(_ caller: Caller) { write(\.callers, caller.user.id, caller) }

    func token(_ hash: String) -> Token? { read(\.tokens, hash) }
    func remember(_ token: Token, hash: String) { write(\.tokens, hash, token) }

    func desk(_ deskId: UUID) -> DeskContext? { read(\.desks, deskId) }
    func remember(_ context: DeskContext) { write(\.desks, context.desk.id, context) }

    func invalidateAll() {
        state.withLockedValue { $0 = State() }
    }

    private func read<Key: Hashable, Value: Sendable>(_ path: WritableKeyPath<State, [Key: Entry<Value>]>, _ key: Key) -> Value? {
        let now = ContinuousClock.now
        return state.withLockedValue { state in
            guard let entry = state[keyPath: path][key], entry.expires > now else { return nil }
            return entry.value
        }
    }

    private func write<Key: Hashable, Value: Sendable>(_ path: WritableKeyPath<State, [Key: Entry<Value>]>, _ key: Key, _ value: Value) {
        let entry = Entry(value: value, expires: ContinuousClock.now.advanced(by: Self.lifetime))
        state.withLockedValue { state in
            if state[keyPath: path].count >= capacity { state[keyPath: path].removeAll(keepingCapacity: true) }
            state[keyPath: path][key] = entry
        }
    }
}
