import DeskCore
import Foundation
import NIOCore

/// What a client sends: `{"type":"subscribe","topic":"room:<id>"}`, `unsubscribe`, or `ping`.
struct ClientMessage: Decodable {
    let type: String
    let topic: String?
}

/// Everything the server sends on the socket; fields a message does not use are left out.
struct RealtimeMessage: Encodable {
    let type: String
    var topic: String?
    var code: String?
    var detail: String?
    var booking: LiveBookingDTO?
    /// Where a changed booking was before.
    var previous: LiveRangeDTO?
    var hold: LiveHoldDTO?
    var roomId: UUID?
    var deskId: UUID?
    var underMaintenance: Bool?
    var reason: String?
    var permanent: Bool?
    var status: String?
    /// Whether the booking, hold, permanent desk or occupant is the reader's own.
    var mine: Bool?
    var at: Date?
    var date: LocalDate?
    var room: RoomDayDTO?
    var request: LiveRequestDTO?
    var roundId: UUID?
    var rule: LiveRuleDTO?
    var entry: AutopilotLogDTO?

    init(type: String, topic: Topic? = nil) {
        self.type = type
        self.topic = topic?.name
    }

    static func error(_ code: String, _ detail: String, topic: String? = nil) -> RealtimeMessage {
        var message = RealtimeMessage(type: "error")
        message.code = code
        message.detail = detail
        message.topic = topic
        return message
    }

    /// The message as one text frame's payload.
    func frame() -> ByteBuffer {
        // Encoding these plain values cannot fail.
        ByteBuffer(bytes: (try? JSONCoding.encoder.encode(self)) ?? Data(#"{"type":"error","code":"internal"}"#.utf8))
    }
}

/// A booking as a live reader may see it; `user_id` and `user` only where the privacy setting lets them.
struct LiveBookingDTO: Encodable {
    let id: UUID
    let deskId: UUID
    let roomId: UUID
    let locationId: UUID
    let start: Date
    let end: Date
    let status: String
    let userId: UUID?
    let user: BookerDTO?
}

struct LiveRangeDTO: Encodable {
    let start: Date
    let end: Date
}

struct LiveHoldDTO: Encodable {
    let deskId: UUID
    let roomId: UUID
    /// When the hold lapses (for a released hold: when it was let go).
    let expiresAt: Date
}

/// A person's request for a desk, on their own `me` topic.
struct LiveRequestDTO: Encodable {
    let id: UUID
    let locationId: UUID
    let date: LocalDate
    let status: String
    let deskId: UUID?
    let bookingId: UUID?
    let reason: String?
    let ruleId: UUID?
}

/// An autopilot rule's new status, on its owner's `me` topic.
struct LiveRuleDTO: Encodable {
    let id: UUID
    let status: String
    let reason: String?
}
