import DeskCore
import Foundation
import NIOCore

/// Everything the server sends on a live socket, one case per message. Each encodes to one JSON object: `type`,
/// `topic` where the message concerns one, and that message's own fields (absent ones are left out) — the shape the
/// web app and the load tool read.
enum RealtimeMessage: Encodable, Sendable {
    case subscribed(Topic)
    case unsubscribed(Topic)
    case pong
    /// `topic` is the name the client sent, which need not be a valid topic.
    case error(code: String, detail: String, topic: String? = nil)
    /// A booking as this reader may see it; `previous` is where a changed booking was before.
    case booking(BookingEvent.Change, topic: Topic, booking: LiveBookingDTO, previous: LiveRangeDTO?, mine: Bool)
    case hold(HoldEvent.Change, topic: Topic, hold: LiveHoldDTO, mine: Bool)
    /// A room's maintenance changed: `reason` while it is under maintenance now, `period` the current or scheduled one.
    case maintenance(topic: Topic, roomId: UUID, reason: String?, period: MaintenancePeriod? = nil)
    case permanent(topic: Topic, deskId: UUID, roomId: UUID, permanent: Bool, mine: Bool)
    /// `mine`: whether the booking, hold or permanent desk that makes the status is the reader's.
    case deskStatus(topic: Topic, deskId: UUID, roomId: UUID, status: DeskStatus, at: Date, mine: Bool)
    case request(topic: Topic, LiveRequestDTO)
    case autopilotRule(topic: Topic, LiveRuleDTO)
    case autopilotLog(topic: Topic, AutopilotLogDTO)
    /// A new notification for the follower of their own `me` topic.
    case notification(topic: Topic, NotificationDTO)
    case round(topic: Topic, date: LocalDate, roundId: UUID)
    /// A room's free-desk counts on one local day, for the location's followers.
    case availability(topic: Topic, date: LocalDate, room: RoomDayDTO)

    /// The message's `type`; for an event, the event's `DomainEvent.type`.
    var type: String {
        switch self {
        case .subscribed: "subscribed"
        case .unsubscribed: "unsubscribed"
        case .pong: "pong"
        case .error: "error"
        case .booking(let change, _, _, _, _): "booking.\(change.rawValue)"
        case .hold(let change, _, _, _): "hold.\(change.rawValue)"
        case .maintenance: "room.maintenance"
        case .permanent: "desk.permanent"
        case .deskStatus: "desk.status"
        case .request: "request.updated"
        case .autopilotRule: "autopilot.rule"
        case .autopilotLog: "autopilot.log"
        case .notification: "notification"
        case .round: "round.committed"
        case .availability: "availability"
        }
    }

    /// The topic's name as clients know it.
    var topic: String? {
        switch self {
        case .pong: nil
        case .error(_, _, let topic): topic
        case .subscribed(let topic), .unsubscribed(let topic), .booking(_, let topic, _, _, _), .hold(_, let topic, _, _),
             .maintenance(let topic, _, _, _), .permanent(let topic, _, _, _, _), .deskStatus(let topic, _, _, _, _, _),
             .request(let topic, _), .autopilotRule(let topic, _), .autopilotLog(let topic, _), .notification(let topic, _), .round(let topic, _, _),
             .availability(let topic, _, _):
            topic.name
        }
    }

    /// The keys of every message, as on the wire.
    private enum Key: String, CodingKey {
        case type, topic, code, detail, booking, previous, hold
        case roomId = "room_id", deskId = "desk_id", underMaintenance = "under_maintenance", reason, maintenance, permanent, status, mine, at
        case date, room, request, roundId = "round_id", rule, entry, notification
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(topic, forKey: .topic)
        switch self {
        case .subscribed, .unsubscribed, .pong:
            break
        case .error(let code, let detail, _):
            try container.encode(code, forKey: .code)
            try container.encode(detail, forKey: .detail)
        case .booking(_, _, let booking, let previous, let mine):
            try container.encode(booking, forKey: .booking)
            try container.encodeIfPresent(previous, forKey: .previous)
            try container.encode(mine, forKey: .mine)
        case .hold(_, _, let hold, let mine):
            try container.encode(hold, forKey: .hold)
            try container.encode(mine, forKey: .mine)
        case .maintenance(_, let roomId, let reason, let period):
            try container.encode(roomId, forKey: .roomId)
            try container.encode(reason != nil, forKey: .underMaintenance)
            try container.encodeIfPresent(reason, forKey: .reason)
            try container.encodeIfPresent(period.map(MaintenancePeriodDTO.init), forKey: .maintenance)
        case .permanent(_, let deskId, let roomId, let permanent, let mine):
            try container.encode(deskId, forKey: .deskId)
            try container.encode(roomId, forKey: .roomId)
            try container.encode(permanent, forKey: .permanent)
            try container.encode(mine, forKey: .mine)
        case .deskStatus(_, let deskId, let roomId, let status, let at, let mine):
            try container.encode(deskId, forKey: .deskId)
            try container.encode(roomId, forKey: .roomId)
            try container.encode(status.rawValue, forKey: .status)
            try container.encode(at, forKey: .at)
            try container.encode(mine, forKey: .mine)
        case .request(_, let request):
            try container.encode(request, forKey: .request)
        case .autopilotRule(_, let rule):
            try container.encode(rule, forKey: .rule)
        case .autopilotLog(_, let entry):
            try container.encode(entry, forKey: .entry)
        case .notification(_, let notification):
            try container.encode(notification, forKey: .notification)
        case .round(_, let date, let roundId):
            try container.encode(date, forKey: .date)
            try container.encode(roundId, forKey: .roundId)
        case .availability(_, let date, let room):
            try container.encode(date, forKey: .date)
            try container.encode(room, forKey: .room)
        }
    }

    /// The message as one text frame's payload.
    func frame() -> ByteBuffer {
        // Encoding these plain values cannot fail.
        ByteBuffer(bytes: (try? JSONCoding.encoder.encode(self)) ?? Data(#"{"type":"error","code":"internal"}"#.utf8))
    }
}
