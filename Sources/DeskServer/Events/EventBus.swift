import Foundation
import NIOConcurrencyHelpers

/// Where a batch of events was committed: here, or on another instance (re-published from PostgreSQL NOTIFY).
enum EventOrigin: Sendable, Equatable {
    case local
    case remote
}

/// Delivers committed events to the subscribers in this process, in publishing order. Handlers run inline and must
/// not block: each hands the events to its own task (the hub, the NOTIFY bridge) or does constant work (caches).
final class EventBus: Sendable {
    typealias Handler = @Sendable ([DomainEvent], EventOrigin) -> Void

    private let handlers = NIOLockedValueBox<[Handler]>([])

    /// Handlers are added while the application is configured, before any event is published.
    func subscribe(_ handler: @escaping Handler) {
        handlers.withLockedValue { $0.append(handler) }
    }

    func publish(_ events: [DomainEvent], origin: EventOrigin = .local) {
        guard !events.isEmpty else { return }
        for handler in handlers.withLockedValue({ $0 }) { handler(events, origin) }
    }
}
