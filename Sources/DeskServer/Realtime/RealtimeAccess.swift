import DeskCore
import Foundation
import NIOConcurrencyHelpers

/// Who may follow which topic: checked when a socket subscribes, and again for every open socket after people,
/// places or gates change (a subscription outlives the access that allowed it otherwise).
final class RealtimeAccess: Sendable {
    /// A pass over every socket is under way (`running`) or wanted (`requested`).
    private struct Passes {
        var running = false
        var requested = false
    }

    private let registry: SubscriberRegistry
    private let places: PlaceService
    private let sessions: SessionService
    private let users: UserService
    private let passes = NIOLockedValueBox(Passes())

    init(registry: SubscriberRegistry, places: PlaceService, sessions: SessionService, users: UserService) {
        self.registry = registry
        self.places = places
        self.sessions = sessions
        self.users = users
    }

    /// Whether the viewer may follow a topic: the place must be visible to them; `me` is always their own.
    func mayFollow(_ topic: Topic, _ viewer: Viewer) async -> Bool {
        switch topic {
        case .room(let id): (try? await places.visibleRoomContext(id, viewer)) != nil
        case .location(let id): (try? await places.visibleLocation(id, viewer)) != nil
        case .user(let id): id == viewer.userId
        }
    }

    /// Looks at every socket's access again soon: once for a burst of changes, and never in two passes at once
    /// (changes during a pass cause one more pass after it).
    func scheduleRefresh() {
        let start = passes.withLockedValue { passes -> Bool in
            passes.requested = true
            guard !passes.running else { return false }
            passes.running = true
            return true
        }
        guard start else { return }
        Task { [self] in
            while true {
                try? await Task.sleep(for: .milliseconds(200))
                let again = passes.withLockedValue { passes -> Bool in
                    passes.running = passes.requested
                    passes.requested = false
                    return passes.running
                }
                guard again else { return }
                await refresh()
            }
        }
    }

    /// Reloads each connected person's access facts; closes the sockets of people who can no longer sign in and
    /// ends subscriptions they may no longer follow.
    private func refresh() async {
        for (userId, sockets) in Dictionary(grouping: registry.all, by: { $0.viewer.userId }) {
            let user: UserRecord?
            do {
                user = try await users.user(id: userId)
            } catch {
                continue  // the database is unreachable: keep what we have and look again on the next change
            }
            guard let user, user.isActive, let viewer = try? await sessions.viewer(for: user) else {
                for socket in sockets { socket.close(code: .policyViolation) }
                continue
            }
            for socket in sockets {
                socket.update(viewer: viewer)
                for topic in socket.topics where !(await mayFollow(topic, viewer)) {
                    registry.unsubscribe(socket, from: topic)
                    socket.send(.error(code: "not_found", detail: "You may no longer see this place.", topic: topic.name))
                }
            }
        }
    }
}
