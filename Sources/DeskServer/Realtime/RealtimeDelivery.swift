import DeskCore
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Turns committed events into the messages each audience may see: booker names per the location's privacy setting,
/// whether a booking, hold or desk is the reader's own, and for a location's followers the room's free-desk counts
/// on each local day the events touched. It works on any kind of subscriber, so tests drive it without sockets.
final class RealtimeDelivery: Sendable {
    /// Someone who follows topics; delivery needs only who they are.
    protocol Subscriber {
        var viewer: Viewer { get }
    }

    /// One message and the subscribers who get it: a frame is encoded once per parcel.
    struct Parcel<Recipient> {
        let message: RealtimeMessage
        var recipients: [Recipient]
    }

    /// How one subscriber sees an event.
    private struct Audience: Hashable {
        var mine = false
        var named = false
    }

    /// Local days one change may touch at most; a longer change refreshes its first month.
    static let dayLimit = 31

    private let facts: any RealtimeFacts
    private let clock: WallClock
    private let logger: Logger
    /// Booker names, looked up once and kept until people change.
    private let names = NIOLockedValueBox<[UUID: BookerDTO]>([:])

    init(facts: any RealtimeFacts, clock: WallClock, logger: Logger) {
        self.facts = facts
        self.clock = clock
        self.logger = logger
    }

    /// Delivers one batch in order. `followers` answers who follows a topic at the moment; `send` takes the parcels
    /// of each event as soon as they are ready, then those of the day counts.
    func deliver<S: Subscriber>(_ batch: [DomainEvent], followers: (Topic) -> [S], send: ([Parcel<S>]) -> Void) async {
        if batch.contains(.accessChanged) { names.withLockedValue { $0.removeAll(keepingCapacity: true) } }
        /// Rooms whose day view changed, with the instants that changed, in order of first change.
        var changed: [(context: RoomContext, ranges: [TimeRange])] = []
        for event in batch {
            var parcels: [Parcel<S>] = []
            addPlaceless(event, followers: followers, to: &parcels)
            if let context = await roomContextIfFollowed(event, followers: followers) {
                if case .booking(let booking) = event { await prepareName(of: booking.userId) }
                add(event, in: context, followers: followers, to: &parcels)
                let ranges = Self.changedRanges(of: event, now: clock.now())
                if let index = changed.firstIndex(where: { $0.context.room.id == context.room.id }) {
                    changed[index].ranges += ranges
                } else if !ranges.isEmpty {
                    changed.append((context, ranges))
                }
            }
            if !parcels.isEmpty { send(parcels) }
        }
        for (context, ranges) in changed {
            let parcels = await dayCounts(of: context, covering: ranges, followers: followers)
            if !parcels.isEmpty { send(parcels) }
        }
    }

    /// The instants whose day view an event changes.
    private static func changedRanges(of event: DomainEvent, now: Date) -> [TimeRange] {
        switch event {
        case .booking(let booking): booking.ranges
        // Every day changes; the view everyone looks at first is today's.
        case .maintenance, .permanent: [TimeRange(uncheckedStart: now, end: now.addingTimeInterval(1))]
        case .hold, .deskStatus, .request, .round, .autopilot, .accessChanged, .notification, .deliveriesQueued, .webhooksChanged: []
        }
    }

    /// The room of an event, when anyone follows it (the room, its location, or the person it concerns).
    private func roomContextIfFollowed<S: Subscriber>(_ event: DomainEvent, followers: (Topic) -> [S]) async -> RoomContext? {
        guard let roomId = event.roomId, Self.topics(of: event).contains(where: { !followers($0).isEmpty }) else { return nil }
        return try? await facts.roomContext(roomId)
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
        case .notification(let e): [.user(e.userId)]
        case .accessChanged, .deliveriesQueued, .webhooksChanged: []
        }
    }

    /// An event in a room, to the room's and location's followers who pass the room's gate, and to the person it
    /// concerns on their own topic.
    private func add<S: Subscriber>(_ event: DomainEvent, in context: RoomContext, followers: (Topic) -> [S], to parcels: inout [Parcel<S>]) {
        let place: [Topic] = [.room(context.room.id), .location(context.location.id)]
        func fanOut(_ topics: [Topic], gate: RoomGate?, audience: (Viewer) -> Audience, message: (Topic, Audience) -> RealtimeMessage) {
            Self.fanOut(topics, gate: gate, followers: followers, audience: audience, message: message, to: &parcels)
        }
        switch event {
        case .booking(let e):
            let policy = context.location.effectivePolicy
            let name = names.withLockedValue { $0[e.userId] }
            let message = { (topic: Topic, audience: Audience) in
                RealtimeMessage.booking(
                    e.change, topic: topic, booking: LiveBookingDTO(e, booker: name, named: audience.named),
                    previous: e.previous.map { LiveRangeDTO(start: $0.start, end: $0.end) }, mine: audience.mine)
            }
            fanOut(place, gate: context.gate, audience: { viewer in
                Audience(mine: viewer.userId == e.userId, named: AccessRules.seesBooker(of: e.userId, in: context.gate, policy: policy, viewer))
            }, message: message)
            fanOut([.user(e.userId)], gate: nil, audience: { _ in Audience(mine: true, named: true) }, message: message)
        case .hold(let e):
            let message = { (topic: Topic, audience: Audience) in
                RealtimeMessage.hold(e.change, topic: topic, hold: LiveHoldDTO(deskId: e.deskId, roomId: e.roomId, expiresAt: e.expiresAt),
                                     mine: audience.mine)
            }
            fanOut(place, gate: context.gate, audience: { Audience(mine: $0.userId == e.userId) }, message: message)
            fanOut([.user(e.userId)], gate: nil, audience: { _ in Audience(mine: true) }, message: message)
        case .maintenance(let e):
            fanOut(place, gate: context.gate, audience: { _ in Audience() }) { topic, _ in
                .maintenance(topic: topic, roomId: e.roomId, reason: e.reason, period: e.period)
            }
        case .permanent(let e):
            let message = { (topic: Topic, audience: Audience) in
                RealtimeMessage.permanent(topic: topic, deskId: e.deskId, roomId: e.roomId, permanent: e.userId != nil, mine: audience.mine)
            }
            fanOut(place, gate: context.gate, audience: { Audience(mine: $0.userId == e.userId) }, message: message)
            if let assignee = e.userId { fanOut([.user(assignee)], gate: nil, audience: { _ in Audience(mine: true) }, message: message) }
        case .deskStatus(let e):
            fanOut(place, gate: context.gate, audience: { Audience(mine: $0.userId == e.occupantId) }) { topic, audience in
                .deskStatus(topic: topic, deskId: e.deskId, roomId: e.roomId, status: e.status, at: e.at, mine: audience.mine)
            }
        case .request, .round, .autopilot, .accessChanged, .notification, .deliveriesQueued, .webhooksChanged:
            break
        }
    }

    /// Events about no single room: a person's requests and autopilot (to them alone) and rounds (to the location's
    /// followers; subscribing already checked the location's gate).
    private func addPlaceless<S: Subscriber>(_ event: DomainEvent, followers: (Topic) -> [S], to parcels: inout [Parcel<S>]) {
        let everyone = { (_: Viewer) in Audience() }
        switch event {
        case .request(let e):
            Self.fanOut([.user(e.userId)], gate: nil, followers: followers, audience: everyone, message: { topic, _ in
                .request(topic: topic, LiveRequestDTO(id: e.requestId, locationId: e.locationId, date: e.day, status: e.status,
                                                      deskId: e.deskId, bookingId: e.bookingId, reason: e.reason, ruleId: e.ruleId))
            }, to: &parcels)
        case .autopilot(let e):
            Self.fanOut([.user(e.userId)], gate: nil, followers: followers, audience: everyone, message: { topic, _ in
                switch e {
                case .ruleChanged(let change):
                    .autopilotRule(topic: topic, LiveRuleDTO(id: change.ruleId, status: change.status.rawValue, reason: change.reason))
                case .logged(let entry):
                    .autopilotLog(topic: topic, AutopilotLogDTO(entry))
                }
            }, to: &parcels)
        case .notification(let e):
            Self.fanOut([.user(e.userId)], gate: nil, followers: followers, audience: everyone, message: { topic, _ in
                .notification(topic: topic, NotificationDTO(e))
            }, to: &parcels)
        case .round(let e):
            Self.fanOut([.location(e.locationId)], gate: nil, followers: followers, audience: everyone, message: { topic, _ in
                .round(topic: topic, date: e.day, roundId: e.roundId)
            }, to: &parcels)
        default:
            break
        }
    }

    /// One parcel per topic and audience, for the followers of the topics who pass the gate.
    private static func fanOut<S: Subscriber>(
        _ topics: [Topic], gate: RoomGate?, followers: (Topic) -> [S], audience: (Viewer) -> Audience,
        message: (Topic, Audience) -> RealtimeMessage, to parcels: inout [Parcel<S>]
    ) {
        for topic in topics {
            var index: [Audience: Int] = [:]
            for follower in followers(topic) {
                let viewer = follower.viewer
                if let gate, !AccessRules.passes(gate, viewer) { continue }
                let who = audience(viewer)
                if let existing = index[who] {
                    parcels[existing].recipients.append(follower)
                } else {
                    index[who] = parcels.count
                    parcels.append(Parcel(message: message(topic, who), recipients: [follower]))
                }
            }
        }
    }

    /// The room's new free-desk counts for the location's followers who pass the room's gate, per local day touched.
    private func dayCounts<S: Subscriber>(of context: RoomContext, covering ranges: [TimeRange], followers: (Topic) -> [S]) async -> [Parcel<S>] {
        let topic = Topic.location(context.location.id)
        let subscribers = followers(topic).filter { AccessRules.passes(context.gate, $0.viewer) }
        guard !subscribers.isEmpty else { return [] }
        let dates = Self.localDays(of: ranges, in: ZonedCalendar(timeZone: context.location.timeZone))
        let days: AvailabilityService.RoomDayFacts
        do {
            days = try await facts.roomDays(context, dates: dates)
        } catch {
            logger.warning("live room counts for \(context.room.id) failed: \(error)")
            return []
        }
        let assignees = days.assignees
        var parcels: [Parcel<S>] = []
        for date in dates {
            var index: [UUID?: Int] = [:]
            for subscriber in subscribers {
                let viewerId = subscriber.viewer.userId
                // Only a person with a permanent desk here sees other counts than everyone else.
                let key: UUID? = assignees.contains(viewerId) ? viewerId : nil
                if let existing = index[key] {
                    parcels[existing].recipients.append(subscriber)
                } else {
                    index[key] = parcels.count
                    let day = days.day(date, viewerId: key ?? UUID())
                    parcels.append(Parcel(message: .availability(topic: topic, date: date, room: RoomDayDTO(day)), recipients: [subscriber]))
                }
            }
        }
        return parcels
    }

    /// The local days the ranges touch, in order, at most `dayLimit` of them.
    static func localDays(of ranges: [TimeRange], in calendar: ZonedCalendar) -> [LocalDate] {
        var dates = Set<LocalDate>()
        for range in ranges {
            var day = calendar.date(of: range.start)
            let last = calendar.date(of: range.end.addingTimeInterval(-1))
            while day <= last, dates.count < dayLimit {
                dates.insert(day)
                day = calendar.adding(days: 1, to: day)
            }
        }
        return dates.sorted()
    }

    /// Loads a booker's name before their booking's event is delivered.
    private func prepareName(of userId: UUID) async {
        guard names.withLockedValue({ $0[userId] }) == nil, let booker = try? await facts.booker(userId) else { return }
        names.withLockedValue { names in
            if names.count > 50_000 { names.removeAll(keepingCapacity: true) }
            names[userId] = booker
        }
    }
}
