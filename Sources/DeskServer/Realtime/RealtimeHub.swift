import DeskCore
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket
import WebSocketKit

/// Live updates: takes over signed-in people's sockets, answers their subscriptions, and writes every committed event
/// (this instance's or, on PostgreSQL, another's) to the subscribers that may see it, in the form `RealtimeDelivery`
/// chose for them.
///
/// Events are delivered by one task in commit order; a subscriber's access is checked when it subscribes, again for
/// every event of a gated room, and again for everyone when access rules change (`RealtimeAccess`).
final class RealtimeHub: Sendable {
    struct Settings: Sendable {
        /// A socket that answers nothing (no pong to the server's pings, sent every half of this) is closed within this.
        var idleTimeout: TimeAmount = .seconds(60)
        /// Unread frames that make a client that stopped reading too slow (see `RealtimeConnection.queueLimit`).
        var queueLimit = 256
        /// Topics per socket.
        var topicLimit = 100
    }

    let settings: Settings
    private let registry = SubscriberRegistry()
    private let access: RealtimeAccess
    private let delivery: RealtimeDelivery
    private let events: AsyncStream<[DomainEvent]>
    private let eventInput: AsyncStream<[DomainEvent]>.Continuation
    private let deliveryTask = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(
        settings: Settings, places: PlaceService, sessions: SessionService, users: UserService,
        availability: AvailabilityService, clock: WallClock, logger: Logger
    ) {
        self.settings = settings
        access = RealtimeAccess(registry: registry, places: places, sessions: sessions, users: users)
        delivery = RealtimeDelivery(
            facts: ServiceRealtimeFacts(places: places, users: users, availability: availability), clock: clock, logger: logger)
        (events, eventInput) = AsyncStream.makeStream()
    }

    /// Takes committed events for delivery, from this instance or another alike; returns at once.
    func publish(_ events: [DomainEvent], origin: EventOrigin) {
        eventInput.yield(events)
    }

    /// Starts delivering events; `shutdown()` stops it.
    func start() {
        deliveryTask.withLockedValue { task in
            guard task == nil else { return }
            task = Task { [self] in
                for await batch in events {
                    if batch.contains(.accessChanged) { access.scheduleRefresh() }
                    await delivery.deliver(batch, followers: registry.followers(of:), send: write)
                }
            }
        }
    }

    /// Closes every socket with "going away" (clients reconnect elsewhere) and stops delivering.
    func shutdown() async {
        for connection in registry.close() { connection.close(code: .goingAway) }
        eventInput.finish()
        await deliveryTask.withLockedValue({ $0 })?.value
    }

    var openConnections: Int { registry.count }

    func subscribers(of topic: Topic) -> Int { registry.count(of: topic) }

    // MARK: Sockets

    /// Takes over an upgraded socket of a signed-in person. Handlers are registered before this returns, so no
    /// message sent right after the handshake is lost.
    func accept(_ socket: WebSocket, viewer: Viewer) {
        let connection = RealtimeConnection(socket: socket, viewer: viewer, queueLimit: settings.queueLimit)
        guard registry.add(connection) else {
            socket.close(code: .goingAway, promise: nil)
            return
        }
        // WebSocketKit pings at this interval and closes a socket whose previous ping is still unanswered.
        socket.pingInterval = .nanoseconds(settings.idleTimeout.nanoseconds / 2)
        socket.onText { _, text in connection.received(text) }
        socket.onBinary { _, _ in connection.send(.error(code: "bad_message", detail: "Send JSON text messages.")) }
        socket.onClose.whenComplete { [self] _ in disconnect(connection) }
        Task { [self] in
            for await text in connection.inbox { await handle(text, from: connection) }
        }
    }

    private func disconnect(_ connection: RealtimeConnection) {
        connection.finishInbox()
        registry.remove(connection)
    }

    private func handle(_ text: String, from connection: RealtimeConnection) async {
        guard let message = try? JSONCoding.decoder.decode(ClientMessage.self, from: Data(text.utf8)) else {
            connection.send(.error(code: "bad_message", detail: #"Expected JSON such as {"type":"subscribe","topic":"room:<id>"}."#))
            return
        }
        switch message {
        case .ping:
            connection.send(.pong)
        case .subscribe(let name):
            guard let topic = topic(named: name, for: connection) else { return }
            guard await access.mayFollow(topic, connection.viewer) else {
                // Same answer for a place that does not exist and one behind a gate: nothing is revealed.
                connection.send(.error(code: "not_found", detail: "No such place, or you may not see it.", topic: name))
                return
            }
            guard registry.subscribe(connection, to: topic, limit: settings.topicLimit) else {
                connection.send(.error(code: "too_many_subscriptions", detail: "At most \(settings.topicLimit) topics per connection.", topic: name))
                return
            }
            connection.send(.subscribed(topic))
        case .unsubscribe(let name):
            guard let topic = topic(named: name, for: connection) else { return }
            registry.unsubscribe(connection, from: topic)
            connection.send(.unsubscribed(topic))
        case .unknown(let type):
            connection.send(.error(code: "bad_message", detail: "Unknown message type '\(type)'; use subscribe, unsubscribe or ping."))
        }
    }

    /// The topic a client named, or nil after telling it the name is not one.
    private func topic(named name: String?, for connection: RealtimeConnection) -> Topic? {
        guard let name, let topic = Topic(parsing: name, userId: connection.viewer.userId) else {
            connection.send(.error(code: "bad_topic", detail: "Topics are room:<id>, location:<id> or me.", topic: name))
            return nil
        }
        return topic
    }

    // MARK: Writing

    /// Encodes each parcel's frame once and hands the frames to their sockets' event loops: one task per loop instead
    /// of a hop for every frame; each socket still gets its frames in delivery order (a loop runs its tasks in order).
    private func write(_ parcels: [RealtimeDelivery.Parcel<RealtimeConnection>]) {
        var byLoop: [ObjectIdentifier: (loop: any EventLoop, frames: [(RealtimeConnection, ByteBuffer)])] = [:]
        for parcel in parcels {
            let frame = parcel.message.frame()
            for connection in parcel.recipients {
                let loop = connection.socket.eventLoop
                byLoop[ObjectIdentifier(loop), default: (loop, [])].frames.append((connection, frame))
            }
        }
        for (loop, frames) in byLoop.values {
            loop.execute { [self] in
                for (connection, frame) in frames where !connection.send(frame) { disconnect(connection) }
            }
        }
    }
}

extension RealtimeConnection: RealtimeDelivery.Subscriber {}
