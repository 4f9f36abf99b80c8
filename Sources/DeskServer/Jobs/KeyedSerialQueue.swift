import DequeModule
import NIOConcurrencyHelpers

/// Runs background work by key: one key's work one item at a time, in the order it was submitted; different keys side
/// by side, at most `limit` of them at once. Keys beyond the limit wait their turn in arrival order. A key keeps its
/// worker for the items it had queued when its turn came, then goes to the back of the line, so no key holds a worker
/// for ever while others wait.
///
/// Work that throws is reported to `onError` and the queue goes on. Nothing polls: workers exist only while there is
/// work, and `idle()` and `run` wait on continuations that the last item resumes.
final class KeyedSerialQueue<Key: Hashable & Sendable>: Sendable {
    typealias Work = @Sendable () async throws -> Void

    /// A coalescing token, type-erased. Unchecked: it is only ever made from a Sendable value.
    private struct Token: Hashable, @unchecked Sendable {
        let value: AnyHashable

        init(_ value: any Hashable & Sendable) {
            self.value = AnyHashable(value)
        }
    }

    private struct Item: Sendable {
        let token: Token?
        let work: Work
        /// Callers of `run` waiting for this item: told true once it ran, false when it was dropped.
        var waiters: [CheckedContinuation<Bool, Never>]
    }

    private struct Lane: Sendable {
        var items: Deque<Item> = []
        /// A worker holds the key: running one of its items or about to take the next.
        var held = false
    }

    private enum Phase: Sendable {
        case open
        /// Takes no new key; keys for which `finishes` is true run what they have (and what their own items add).
        case stopping(finishes: @Sendable (Key) -> Bool)
    }

    private struct State: Sendable {
        /// Keys with work queued or running.
        var lanes: [Key: Lane] = [:]
        /// Keys with queued work and no worker, in the order they became ready.
        var ready: Deque<Key> = []
        var workers = 0
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        var phase = Phase.open

        func accepts(_ key: Key) -> Bool {
            switch phase {
            case .open: true
            case .stopping(let finishes): lanes[key] != nil && finishes(key)
            }
        }

        /// The idle waiters to resume when nothing is queued or running any more.
        mutating func idleWaitersIfIdle() -> [CheckedContinuation<Void, Never>] {
            guard lanes.isEmpty else { return [] }
            defer { idleWaiters = [] }
            return idleWaiters
        }
    }

    /// How many keys run at once.
    let limit: Int
    private let onError: @Sendable (Key, any Error) -> Void
    private let state = NIOLockedValueBox(State())

    init(limit: Int, onError: @escaping @Sendable (Key, any Error) -> Void) {
        precondition(limit > 0, "a queue needs at least one worker")
        self.limit = limit
        self.onError = onError
    }

    /// Queues work for `key`; it runs after the key's earlier work, never at the same time. With a `token`, work equal
    /// to an item of the key that is queued and not yet started is left out (that item does the same). Returns false
    /// when the queue no longer takes work (see `stop`).
    @discardableResult
    func submit(_ key: Key, coalescing token: (any Hashable & Sendable)? = nil, _ work: @escaping Work) -> Bool {
        enqueue(key, token: token.map(Token.init), work: work, waiter: nil)
    }

    /// Queues work like `submit` and returns once it (or the queued item it was coalesced with) has run: true, or
    /// false when the queue did not take it or dropped it on `stop`.
    @discardableResult
    func run(_ key: Key, coalescing token: (any Hashable & Sendable)? = nil, _ work: @escaping Work) async -> Bool {
        await withCheckedContinuation { waiter in
            _ = enqueue(key, token: token.map(Token.init), work: work, waiter: waiter)
        }
    }

    /// Returns once nothing is queued or running, including work that running items submitted before they ended.
    func idle() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let idle = state.withLockedValue { state in
                guard !state.lanes.isEmpty else { return true }
                state.idleWaiters.append(waiter)
                return false
            }
            if idle { waiter.resume() }
        }
    }

    /// Stops taking work and returns when nothing runs any more. Work already running always finishes; queued work of
    /// keys for which `finishes` is true runs too (with what it queues for its own key), the rest is dropped and its
    /// `run` callers are told false. Later calls only wait.
    func stop(finishingQueued finishes: @escaping @Sendable (Key) -> Bool) async {
        let (dropped, idle) = state.withLockedValue { state -> ([CheckedContinuation<Bool, Never>], [CheckedContinuation<Void, Never>]) in
            guard case .open = state.phase else { return ([], []) }
            state.phase = .stopping(finishes: finishes)
            var dropped: [CheckedContinuation<Bool, Never>] = []
            for key in Array(state.lanes.keys) where !finishes(key) {
                dropped += state.lanes[key]?.items.flatMap(\.waiters) ?? []
                state.lanes[key]?.items.removeAll()
                if state.lanes[key]?.held == false { state.lanes[key] = nil }
            }
            state.ready.removeAll { state.lanes[$0] == nil }
            return (dropped, state.idleWaitersIfIdle())
        }
        for waiter in dropped { waiter.resume(returning: false) }
        for waiter in idle { waiter.resume() }
        await self.idle()
    }

    /// Stops taking work; queued work runs (`finishingQueued: true`) or is dropped. See `stop(finishingQueued:)`.
    func stop(finishingQueued: Bool = false) async {
        await stop(finishingQueued: { _ in finishingQueued })
    }

    /// Items queued and not yet started, per key with any.
    var queuedItems: [Key: Int] {
        state.withLockedValue { $0.lanes.compactMapValues { $0.items.isEmpty ? nil : $0.items.count } }
    }

    /// Callers of `run` whose work has not started yet.
    var waitingCallers: Int {
        state.withLockedValue { $0.lanes.values.reduce(0) { $0 + $1.items.reduce(0) { $0 + $1.waiters.count } } }
    }

    /// Whether `stop` has begun.
    var isStopping: Bool {
        state.withLockedValue { state in
            if case .open = state.phase { return false }
            return true
        }
    }

    private func enqueue(_ key: Key, token: Token?, work: @escaping Work, waiter: CheckedContinuation<Bool, Never>?) -> Bool {
        let outcome = state.withLockedValue { state -> (accepted: Bool, newWorker: Bool) in
            guard state.accepts(key) else { return (false, false) }
            let wasWaiting = state.lanes[key].map { $0.held || !$0.items.isEmpty } ?? false
            if let token, let index = state.lanes[key]?.items.firstIndex(where: { $0.token == token }) {
                if let waiter { state.lanes[key]?.items[index].waiters.append(waiter) }
                return (true, false)
            }
            state.lanes[key, default: Lane()].items.append(Item(token: token, work: work, waiters: waiter.map { [$0] } ?? []))
            // A key that was neither held nor queued becomes ready; any other is already in line or on a worker.
            guard !wasWaiting else { return (true, false) }
            state.ready.append(key)
            guard state.workers < limit else { return (true, false) }
            state.workers += 1
            return (true, true)
        }
        if !outcome.accepted { waiter?.resume(returning: false) }
        if outcome.newWorker { Task { await self.work() } }
        return outcome.accepted
    }

    /// A worker: takes ready keys one after another until none is left.
    private func work() async {
        var held: Key?
        // Items the held key may still run in this turn.
        var turn = 0
        while true {
            let (next, idle) = state.withLockedValue { state -> ((Key, Item)?, [CheckedContinuation<Void, Never>]) in
                if let key = held {
                    if turn > 0, let item = state.lanes[key]?.items.popFirst() {
                        turn -= 1
                        return ((key, item), [])
                    }
                    if state.lanes[key]?.items.isEmpty ?? true {
                        state.lanes[key] = nil
                    } else {
                        state.lanes[key]?.held = false
                        state.ready.append(key)
                    }
                }
                while let key = state.ready.popFirst() {
                    guard let item = state.lanes[key]?.items.popFirst() else { continue }
                    state.lanes[key]?.held = true
                    turn = state.lanes[key]?.items.count ?? 0
                    return ((key, item), [])
                }
                state.workers -= 1
                return (nil, state.idleWaitersIfIdle())
            }
            for waiter in idle { waiter.resume() }
            guard let (key, item) = next else { return }
            held = key
            do {
                try await item.work()
            } catch {
                onError(key, error)
            }
            for waiter in item.waiters { waiter.resume(returning: true) }
        }
    }
}
