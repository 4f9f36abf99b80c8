import Foundation
import NIOConcurrencyHelpers

/// The open live sockets and who follows which topic (HTTP connections are counted in `ConnectionRegistry`).
final class SubscriberRegistry: Sendable {
    private struct State {
        var connections: [UUID: RealtimeConnection] = [:]
        var followers: [Topic: [UUID: RealtimeConnection]] = [:]
        var accepting = true
    }

    private let state = NIOLockedValueBox(State())

    var count: Int { state.withLockedValue { $0.connections.count } }

    var all: [RealtimeConnection] { state.withLockedValue { Array($0.connections.values) } }

    func count(of topic: Topic) -> Int { state.withLockedValue { $0.followers[topic]?.count ?? 0 } }

    func followers(of topic: Topic) -> [RealtimeConnection] {
        state.withLockedValue { $0.followers[topic].map { Array($0.values) } ?? [] }
    }

    /// Registers a new socket; false once the registry is closed (the server is stopping).
    func add(_ connection: RealtimeConnection) -> Bool {
        state.withLockedValue { state in
            guard state.accepting else { return false }
            state.connections[connection.id] = connection
            return true
        }
    }

    /// Forgets a closed socket and its subscriptions.
    func remove(_ connection: RealtimeConnection) {
        state.withLockedValue { state in
            state.connections[connection.id] = nil
            for topic in connection.topics { state.followers[topic]?[connection.id] = nil }
        }
    }

    /// Adds a subscription; false when the socket already has `limit` topics. A socket that closed meanwhile keeps
    /// the topic in its own list but is not registered as a follower again.
    func subscribe(_ connection: RealtimeConnection, to topic: Topic, limit: Int) -> Bool {
        guard connection.add(topic, limit: limit) else { return false }
        state.withLockedValue { state in
            if state.connections[connection.id] != nil { state.followers[topic, default: [:]][connection.id] = connection }
        }
        return true
    }

    func unsubscribe(_ connection: RealtimeConnection, from topic: Topic) {
        connection.remove(topic)
        state.withLockedValue { state in _ = state.followers[topic]?.removeValue(forKey: connection.id) }
    }

    /// Stops accepting sockets and returns the open ones, to be closed.
    func close() -> [RealtimeConnection] {
        state.withLockedValue { state in
            state.accepting = false
            return Array(state.connections.values)
        }
    }
}
