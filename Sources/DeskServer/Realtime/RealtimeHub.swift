import DeskCore
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket
import WebSocketKit

/// Live updates: the open sockets with their topics. Every committed event (this instance's or, on PostgreSQL,
/// another's) goes to the subscribers that may see it, in the form that subscriber may see: booker names per the
/// location's privacy setting, and whether it is their own.
///
/// Events are delivered by one task in commit order; a subscriber's access is checked when it subscribes, again for
/// every event of a gated room, and again for everyone when access rules change.
final class RealtimeHub: Sendable {
    struct Settings: Sendable {
        /// A socket that answers nothing (no pong to the server's pings, sent every half of this) is closed within this.
        var idleTimeout: TimeAmount = .seconds(60)
        /// Unread frames that make a client that stopped reading too slow (see `RealtimeConnection.queueLimit`).
        var queueLimit = 256
        /// Topics per socket.
        var topicLimit = 100
    }

    /// How one subscriber sees an event; frames are encoded once per distinct audience.
    private struct Audience: Hashable {
        var mine = false
        var named = false
    }

    private struct State {
        var connections: [UUID: RealtimeConnection] = [:]
        var subscribers: [Topic: [UUID: RealtimeConnection]] = [:]
        var accepting = true
        /// A pass over every socket's access is under way (`refreshRunning`) or wanted (`refreshRequested`).
        var refreshRunning = false
        var refreshRequested = false
        var names: [UUID: BookerDTO] = [:]
    }

    let settings: Settings
    private let places: PlaceService
    private let sessions: SessionService
    private let users: UserService
    private let availability: AvailabilityService
    private let clock: WallClock
    private let logger: Logger
    private let state = NIOLockedValueBox(State())
    private let events: AsyncStream<[DomainEvent]>
    private let eventInput: AsyncStream<[DomainEvent]>.Continuation
    private let delivery = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(
        settings: Settings, bus: EventBus, places: PlaceService, sessions: SessionService, users: UserService,
        availability: AvailabilityService, clock: WallClock, logger: Logger
    ) {
        self.settings = settings
        self.places = places
        self.sessions = sessions
        self.users = users
        self.availability = availability
        self.clock = clock
        self.logger = logger
        (events, eventInput) = AsyncStream.makeStream()
        bus.subscribe { [eventInput] events, _ in eventInput.yield(events) }
    }

    /// Starts delivering events; `shutdown()` stops it.
    func start() {
        delivery.withLockedValue { task in
            guard task == nil else { return }
            task = Task { [self] in
                for await batch in events { await deliver(batch) }
            }
        }
    }

    /// Closes every socket with "going away" (clients reconnect elsewhere) and stops delivering.
    func shutdown() async {
        let connections = state.withLockedValue { state in
            state.accepting = false
            return Array(state.connections.values)
        }
        for connection in connections { connection.close(code: .goingAway) }
        eventInput.finish()
        await delivery.withLockedValue({ $0 })?.value
    }

    var openConnections: Int { state.withLockedValue { $0.connections.count } }

    func subscribers(of topic: Topic) -> Int { state.withLockedValue { $0.subscribers[topic]?.count ?? 0 } }

    // MARK: Sockets

    /// Takes over an upgraded socket of a signed-in person. Handlers are registered before this returns, so no
    /// message sent right after the handshake is lost.
    func accept(_ socket: WebSocket, viewer: Viewer) {
        let connection = RealtimeConnection(socket: socket, viewer: viewer, queueLimit: settings.queueLimit)
        let accepted = state.withLockedValue { state in
            guard state.accepting else { return false }
            state.connections[connection.id] = connection
            return true
        }
        guard accepted else {
            socket.close(code: .goingAway, promise: nil)
            return
        }
        // WebSocketKit pings at this interval and closes a socket whose previous ping is still unanswered.
        socket.pingInterval = .nanoseconds(settings.idleTimeout.nanoseconds / 2)
        socket.onText { _, text in connection.received(text) }
        socket.onBinary { _, _ in connection.send(.error("bad_message", "Send JSON text messages.")) }
        socket.onClose.whenComplete { [self] _ in disconnect(connection) }
        Task { [self] in
            for await text in connection.inbox { await handle(text, from: connection) }
        }
    }

    private func disconnect(_ connection: RealtimeConnection) {
        connection.finishInbox()
        state.withLockedValue { state in
            state.connections[connection.id] = nil
            for topic in connection.topics { state.subscribers[topic]?[connection.id] = nil }
        }
    }

    private func handle(_ text: String, from connection: RealtimeConnection) async {
        guard let message = try? JSONCoding.decoder.decode(ClientMessage.self, from: Data(text.utf8)) else {
            connection.send(.error("bad_message", #"Expected JSON such as {"type":"subscribe","topic":"room:<id>"}."#))
            return
        }
        switch message.type {
        case "ping":
            connection.send(RealtimeMessage(type: "pong"))
        case "subscribe", "unsubscribe":
            let viewer = connection.viewer
            guard let name = message.topic, let topic = Topic(parsing: name, userId: viewer.userId) else {
                connection.send(.error("bad_topic", "Topics are room:<id>, location:<id> or me.", topic: message.topic))
                return
            }
            if message.type == "unsubscribe" {
                unsubscribe(connection, from: topic)
                connection.send(RealtimeMessage(type: "unsubscribed", topic: topic))
            } else if await mayFollow(topic, viewer) {
                guard connection.add(topic, limit: settings.topicLimit) else {
                    connection.send(.error("too_many_subscriptions", "At most \(settings.topicLimit) topics per connection.", topic: name))
                    return
                }
                state.withLockedValue { state in
                    // A socket that closed meanwhile is not subscribed again.
                    if state.connections[connection.id] != nil { state.subscribers[topic, default: [:]][connection.id] = connection }
                }
                connection.send(RealtimeMessage(type: "subscribed", topic: topic))
            } else {
                // Same answer for a place that does not exist and one behind a gate: nothing is revealed.
                connection.send(.error("not_found", "No such place, or you may not see it.", topic: name))
            }
        default:
            connection.send(.error("bad_message", "Unknown message type '\(message.type)'; use subscribe, unsubscribe or ping."))
        }
    }

    private func unsubscribe(_ connection: RealtimeConnection, from topic: Topic) {
        connection.remove(topic)
        state.withLockedValue { state in _ = state.subscribers[topic]?.removeValue(forKey: connection.id) }
    }

    /// Whether the viewer may follow a topic: the place must be visible to them; `me` is always their own.
    private func mayFollow(_ topic: Topic, _ viewer: Viewer) async -> Bool {
        switch topic {
        case .room(let id): (try? await places.visibleRoomContext(id, viewer)) != nil
        case .location(let id): (try? await places.visibleLocation(id, viewer)) != nil
        case .user(let id): id == viewer.userId
        }
    }

    // MARK: Delivery

    private func deliver(_ batch: [DomainEvent]) async {
        if batch.contains(.accessChanged) { scheduleAccessRefresh() }
        /// Rooms whose day view changed, with the local days, for location subscribers.
        var changedDays: [UUID: (context: RoomContext, ranges: [TimeRange])] = [:]
        for event in batch {
            deliverPlaceless(event)
            guard let roomId = event.roomId, let context = await roomContextIfFollowed(event) else { continue }
            if case .booking(let booking) = event { await prepareName(of: booking.userId) }
            deliver(event, in: context)
            switch event {
            case .booking(let booking):
                changedDays[roomId, default: (context, [])].ranges += booking.ranges
            case .maintenance, .permanent:
                // Every day changes; the view everyone looks at first is today's.
                let now = clock.now()
                changedDays[roomId, default: (context, [])].ranges.append(TimeRange(uncheckedStart: now, end: now.addingTimeInterval(1)))
            case .hold, .deskStatus, .request, .round, .autopilot, .accessChanged:
                break
            }
        }
        for (context, ranges) in changedDays.values {
            await deliverDays(of: context, covering: ranges)
        }
    }

    /// The room of an event, when anyone follows it (the room, its location, or the person it concerns).
    private func roomContextIfFollowed(_ event: DomainEvent) async -> RoomContext? {
        guard let roomId = event.roomId else { return nil }
        let topics = Self.topics(of: event)
        let followed = state.withLockedValue { state in topics.contains { !(state.subscribers[$0]?.isEmpty ?? true) } }
        guard followed else { return nil }
        return try? await places.roomContext(roomId)
    }

    private static func topics(of event: DomainEvent) -> [Topic] {
        switch event {
        case .booking(let e): [.room(e.roomId), .location(e.locationId), .user(e.userId)]
        case .hold(let e): [.room(e.roomId), .location(e.locationId), .user(e.userId)]
        case .maintenance(let e): [.room(e.roomId), .location(e.locationId)]
        case .permanent(let e): [.room(e.roomId), .location(e.locationId)] + (e.userId.map { [.user($0)] } ?? [])
        case .deskStatus(let e): [.room(e.roomId), .location(e.locationId)]
        case .request(let e): [.user(e.userId)]
        case .round(let e): [.location(e.locationId)]
        case .autopilot(let e): [.user(e.userId)]
        case .accessChanged: []
        }
    }

    private func deliver(_ event: DomainEvent, in context: RoomContext) {
        let place: [Topic] = [.room(context.room.id), .location(context.location.id)]
        switch event {
        case .booking(let e):
            let policy = context.location.effectivePolicy
            let booker = e.userId
            let name = cachedName(booker)
            let message = { (topic: Topic, audience: Audience) -> RealtimeMessage in
                var message = RealtimeMessage(type: event.type, topic: topic)
                message.booking = LiveBookingDTO(
                    id: e.bookingId, deskId: e.deskId, roomId: e.roomId, locationId: e.locationId, start: e.range.start, end: e.range.end,
                    status: e.change.bookingStatus.rawValue, userId: audience.named ? booker : nil, user: audience.named ? name : nil)
                message.previous = e.previous.map { LiveRangeDTO(start: $0.start, end: $0.end) }
                message.mine = audience.mine
                return message
            }
            fanOut(place, gate: context.gate, audience: { viewer in
                Audience(mine: viewer.userId == booker, named: AccessRules.seesBooker(of: booker, in: context.gate, policy: policy, viewer))
            }, message: message)
            fanOut([.user(booker)], gate: nil, audience: { _ in Audience(mine: true, named: true) }, message: message)
        case .hold(let e):
            let message = { (topic: Topic, audience: Audience) -> RealtimeMessage in
                var message = RealtimeMessage(type: event.type, topic: topic)
                message.hold = LiveHoldDTO(deskId: e.deskId, roomId: e.roomId, expiresAt: e.expiresAt)
                message.mine = audience.mine
                return message
            }
            fanOut(place, gate: context.gate, audience: { Audience(mine: $0.userId == e.userId) }, message: message)
            fanOut([.user(e.userId)], gate: nil, audience: { _ in Audience(mine: true) }, message: message)
        case .maintenance(let e):
            fanOut(place, gate: context.gate, audience: { _ in Audience() }) { topic, _ in
                var message = RealtimeMessage(type: event.type, topic: topic)
                message.roomId = e.roomId
                message.underMaintenance = e.reason != nil
                message.reason = e.reason
                return message
            }
        case .permanent(let e):
            let message = { (topic: Topic, audience: Audience) -> RealtimeMessage in
                var message = RealtimeMessage(type: event.type, topic: topic)
                message.deskId = e.deskId
                message.roomId = e.roomId
                message.permanent = e.userId != nil
                message.mine = audience.mine
                return message
            }
            fanOut(place, gate: context.gate, audience: { Audience(mine: $0.userId == e.userId) }, message: message)
            if let assignee = e.userId { fanOut([.user(assignee)], gate: nil, audience: { _ in Audience(mine: true) }, message: message) }
        case .deskStatus(let e):
            fanOut(place, gate: context.gate, audience: { Audience(mine: $0.userId == e.occupantId) }) { topic, audience in
                var message = RealtimeMessage(type: event.type, topic: topic)
                message.deskId = e.deskId
                message.roomId = e.roomId
                message.status = e.status.rawValue
                message.at = e.at
                message.mine = audience.mine
                return message
            }
        case .request, .round, .autopilot, .accessChanged:
            break
        }
    }

    /// Events about no single room: a person's requests (to them alone) and rounds (to the location's followers; the
    /// subscription already checked the location gate).
    private func deliverPlaceless(_ event: DomainEvent) {
        switch event {
        case .request(let e):
            fanOut([.user(e.userId)], gate: nil, audience: { _ in Audience(mine: true) }) { topic, _ in
                var message = RealtimeMessage(type: event.type, topic: topic)
                message.request = LiveRequestDTO(id: e.requestId, locationId: e.locationId, date: e.day, status: e.status,
                                                 deskId: e.deskId, bookingId: e.bookingId, reason: e.reason, ruleId: e.ruleId)
                return message
            }
        case .autopilot(let e):
            fanOut([.user(e.userId)], gate: nil, audience: { _ in Audience(mine: true) }) { topic, _ in
                var message = RealtimeMessage(type: event.type, topic: topic)
                switch e {
                case .ruleChanged(let change):
                    message.rule = LiveRuleDTO(id: change.ruleId, status: change.status.rawValue, reason: change.reason)
                case .logged(let entry):
                    message.entry = AutopilotLogDTO(entry)
                }
                return message
            }
        case .round(let e):
            fanOut([.location(e.locationId)], gate: nil, audience: { _ in Audience() }) { topic, _ in
                var message = RealtimeMessage(type: event.type, topic: topic)
                message.date = e.day
                message.roundId = e.roundId
                return message
            }
        default:
            break
        }
    }

    /// Sends one frame per audience to every subscriber of the topics who passes the gate.
    private func fanOut(
        _ topics: [Topic], gate: RoomGate?, audience: (Viewer) -> Audience, message: (Topic, Audience) -> RealtimeMessage
    ) {
        var sends = Sends()
        for topic in topics {
            let subscribers = state.withLockedValue { $0.subscribers[topic].map { Array($0.values) } ?? [] }
            guard !subscribers.isEmpty else { continue }
            var frames: [Audience: ByteBuffer] = [:]
            for connection in subscribers {
                let viewer = connection.viewer
                if let gate, !AccessRules.passes(gate, viewer) { continue }
                let who = audience(viewer)
                if frames[who] == nil { frames[who] = message(topic, who).frame() }
                sends.add(frames[who]!, to: connection)
            }
        }
        dispatch(sends)
    }

    /// Frames to write, grouped by the event loop of their sockets.
    private struct Sends {
        var byLoop: [ObjectIdentifier: (loop: any EventLoop, frames: [(RealtimeConnection, ByteBuffer)])] = [:]

        mutating func add(_ frame: ByteBuffer, to connection: RealtimeConnection) {
            let loop = connection.socket.eventLoop
            byLoop[ObjectIdentifier(loop), default: (loop, [])].frames.append((connection, frame))
        }
    }

    /// One task per event loop writes its sockets' frames, instead of a hop onto the loop for every frame; each
    /// socket still gets its frames in delivery order (a loop runs its tasks in order).
    private func dispatch(_ sends: Sends) {
        for (loop, frames) in sends.byLoop.values {
            loop.execute { [self] in
                for (connection, frame) in frames where !connection.send(frame) { disconnect(connection) }
            }
        }
    }

    /// Location subscribers get the room's new free-desk counts for each local day the changes touched.
    private func deliverDays(of context: RoomContext, covering ranges: [TimeRange]) async {
        let topic = Topic.location(context.location.id)
        let subscribers = state.withLockedValue { $0.subscribers[topic].map { Array($0.values) } ?? [] }
            .filter { AccessRules.passes(context.gate, $0.viewer) }
        guard !subscribers.isEmpty else { return }
        let calendar = ZonedCalendar(timeZone: context.location.timeZone)
        var dates = Set<LocalDate>()
        for range in ranges {
            var day = calendar.date(of: range.start)
            let last = calendar.date(of: range.end.addingTimeInterval(-1))
            while day <= last, dates.count < 31 {
                dates.insert(day)
                day = calendar.adding(days: 1, to: day)
            }
        }
        let days: AvailabilityService.RoomDayFacts
        do {
            days = try await availability.roomDays(context, dates: dates.sorted())
        } catch {
            logger.warning("live room counts for \(context.room.id) failed: \(error)")
            return
        }
        let assignees = days.assignees
        var sends = Sends()
        for date in dates.sorted() {
            var frames: [UUID?: ByteBuffer] = [:]
            for connection in subscribers {
                let viewerId = connection.viewer.userId
                // Only a person with a permanent desk here sees other counts than everyone else.
                let key: UUID? = assignees.contains(viewerId) ? viewerId : nil
                if frames[key] == nil {
                    var message = RealtimeMessage(type: "availability", topic: topic)
                    message.date = date
                    message.room = RoomDayDTO(days.day(date, viewerId: key ?? UUID()))
                    frames[key] = message.frame()
                }
                sends.add(frames[key]!, to: connection)
            }
        }
        dispatch(sends)
    }

    // MARK: Names and access

    /// The booker's name for readers allowed to see it; looked up once and kept until people change.
    private func cachedName(_ userId: UUID) -> BookerDTO? {
        state.withLockedValue { $0.names[userId] }
    }

    /// Loads a booker's name before their booking's event is delivered.
    private func prepareName(of userId: UUID) async {
        guard cachedName(userId) == nil, let user = try? await users.user(id: userId) else { return }
        state.withLockedValue { state in
            if state.names.count > 50_000 { state.names.removeAll(keepingCapacity: true) }
            state.names[userId] = BookerDTO(username: user.username, displayName: user.displayName)
        }
    }

    /// After people, places or gates change, every socket's access is looked at again: once for a burst of changes,
    /// and never in two passes at once (changes during a pass cause one more pass after it).
    private func scheduleAccessRefresh() {
        let start = state.withLockedValue { state -> Bool in
            state.names.removeAll(keepingCapacity: true)
            state.refreshRequested = true
            guard !state.refreshRunning else { return false }
            state.refreshRunning = true
            return true
        }
        guard start else { return }
        Task { [self] in
            while true {
                try? await Task.sleep(for: .milliseconds(200))
                let again = state.withLockedValue { state -> Bool in
                    state.refreshRunning = state.refreshRequested
                    state.refreshRequested = false
                    return state.refreshRunning
                }
                guard again else { return }
                await refreshAccess()
            }
        }
    }

    /// Reloads each connected person's access facts; closes the sockets of people who can no longer sign in and
    /// ends subscriptions they may no longer follow.
    private func refreshAccess() async {
        let connections = state.withLockedValue { Array($0.connections.values) }
        for (userId, sockets) in Dictionary(grouping: connections, by: { $0.viewer.userId }) {
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
                    unsubscribe(socket, from: topic)
                    socket.send(.error("not_found", "You may no longer see this place.", topic: topic.name))
                }
            }
        }
    }
}

extension BookingEvent.Change {
    var bookingStatus: BookingStatus {
        switch self {
        case .created, .changed: .confirmed
        case .cancelled: .cancelled
        case .released: .released
        }
    }
}
