import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// The webhook endpoints that are switched on, kept in memory so that a write whose events nobody subscribed to costs
/// nothing. Changes made here clear it at once (`webhooksChanged`, also from other instances over NOTIFY); a copy
/// is never older than `lifetime`, so a missed NOTIFY heals by itself.
final class WebhookDirectory: Sendable {
    struct Endpoint: Sendable {
        let id: UUID
        let userId: UUID
        let locationId: UUID?
        let eventTypes: Set<String>
    }

    static let lifetime: Duration = .seconds(5)

    private struct State {
        var endpoints: [Endpoint]?
        var loaded = ContinuousClock.now
        var generation = 0
    }

    private let state = NIOLockedValueBox(State())

    func invalidate() {
        state.withLockedValue { state in
            state.endpoints = nil
            state.generation += 1
        }
    }

    /// The endpoints, read from `sql` when no fresh copy is at hand.
    func endpoints(on sql: any SQLDatabase) async throws -> [Endpoint] {
        let (cached, generation) = state.withLockedValue { state -> ([Endpoint]?, Int) in
            guard let endpoints = state.endpoints, ContinuousClock.now - state.loaded < Self.lifetime else { return (nil, state.generation) }
            return (endpoints, state.generation)
        }
        if let cached { return cached }
        let loaded = try await WebhookStore(sql: sql).active().map {
            Endpoint(id: $0.id, userId: $0.userId, locationId: $0.locationId, eventTypes: Set($0.subscribedTypes))
        }
        state.withLockedValue { state in
            guard state.generation == generation else { return }
            (state.endpoints, state.loaded) = (loaded, ContinuousClock.now)
        }
        return loaded
    }
}
