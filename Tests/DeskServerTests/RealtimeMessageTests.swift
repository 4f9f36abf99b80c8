import DeskCore
@testable import DeskServer
import Foundation
import NIOCore
import Testing

/// The JSON of every live message, as the web app (`Public/js`) and the load tool read it. The expected objects are
/// what the server sent before messages were an enum; keys are compared as objects, since their order on the wire
/// is not fixed.
@Suite("Live messages on the wire")
struct RealtimeMessageTests {
    static func id(_ n: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))! }
    static let nine = Date(timeIntervalSince1970: 1_774_256_400)  // 2026-03-23T09:00:00Z
    static let noon = nine.addingTimeInterval(3 * 3600)
    static let day = LocalDate(year: 2026, month: 3, day: 23)
    static let room = Topic.room(id(1)), location = Topic.location(id(2)), me = Topic.user(id(9))

    static func booking(_ change: BookingEvent.Change) -> BookingEvent {
        BookingEvent(change, BookingRecord(
            id: id(10), deskId: id(11), userId: id(9), startAt: nine, endAt: noon, status: .confirmed, source: .web,
            createdBy: id(9), createdAt: nine, updatedAt: nine, checkedInAt: nil, note: "private"), roomId: id(1), locationId: id(2))
    }

    static let bob = BookerDTO(username: "bob", displayName: "Bob B")

    static let cases: [(RealtimeMessage, String)] = [
        (.pong, #"{"type":"pong"}"#),
        (.subscribed(room), #"{"topic":"room:00000000-0000-0000-0000-000000000001","type":"subscribed"}"#),
        (.unsubscribed(location), #"{"topic":"location:00000000-0000-0000-0000-000000000002","type":"unsubscribed"}"#),
        (.subscribed(me), #"{"topic":"me","type":"subscribed"}"#),
        (.error(code: "bad_message", detail: "Send JSON text messages."),
         #"{"code":"bad_message","detail":"Send JSON text messages.","type":"error"}"#),
        (.error(code: "bad_topic", detail: "Topics are room:<id>, location:<id> or me.", topic: "desk:12"),
         #"{"code":"bad_topic","detail":"Topics are room:<id>, location:<id> or me.","topic":"desk:12","type":"error"}"#),
        (.booking(.changed, topic: room, booking: LiveBookingDTO(booking(.changed), booker: bob, named: true),
                  previous: LiveRangeDTO(start: nine.addingTimeInterval(-3600), end: noon), mine: false),
         #"{"booking":{"desk_id":"00000000-0000-0000-0000-000000000011","end":"2026-03-23T12:00:00Z","id":"00000000-0000-0000-0000-000000000010","location_id":"00000000-0000-0000-0000-000000000002","room_id":"00000000-0000-0000-0000-000000000001","start":"2026-03-23T09:00:00Z","status":"confirmed","user":{"display_name":"Bob B","username":"bob"},"user_id":"00000000-0000-0000-0000-000000000009"},"mine":false,"previous":{"end":"2026-03-23T12:00:00Z","start":"2026-03-23T08:00:00Z"},"topic":"room:00000000-0000-0000-0000-000000000001","type":"booking.changed"}"#),
        (.booking(.created, topic: me, booking: LiveBookingDTO(booking(.created), booker: bob, named: false), previous: nil, mine: true),
         #"{"booking":{"desk_id":"00000000-0000-0000-0000-000000000011","end":"2026-03-23T12:00:00Z","id":"00000000-0000-0000-0000-000000000010","location_id":"00000000-0000-0000-0000-000000000002","room_id":"00000000-0000-0000-0000-000000000001","start":"2026-03-23T09:00:00Z","status":"confirmed"},"mine":true,"topic":"me","type":"booking.created"}"#),
        (.booking(.released, topic: room, booking: LiveBookingDTO(booking(.released), booker: nil, named: false), previous: nil, mine: false),
         #"{"booking":{"desk_id":"00000000-0000-0000-0000-000000000011","end":"2026-03-23T12:00:00Z","id":"00000000-0000-0000-0000-000000000010","location_id":"00000000-0000-0000-0000-000000000002","room_id":"00000000-0000-0000-0000-000000000001","start":"2026-03-23T09:00:00Z","status":"released"},"mine":false,"topic":"room:00000000-0000-0000-0000-000000000001","type":"booking.released"}"#),
        (.hold(.acquired, topic: room, hold: LiveHoldDTO(deskId: id(11), roomId: id(1), expiresAt: noon), mine: false),
         #"{"hold":{"desk_id":"00000000-0000-0000-0000-000000000011","expires_at":"2026-03-23T12:00:00Z","room_id":"00000000-0000-0000-0000-000000000001"},"mine":false,"topic":"room:00000000-0000-0000-0000-000000000001","type":"hold.acquired"}"#),
        (.maintenance(topic: room, roomId: id(1), reason: "painting"),
         #"{"reason":"painting","room_id":"00000000-0000-0000-0000-000000000001","topic":"room:00000000-0000-0000-0000-000000000001","type":"room.maintenance","under_maintenance":true}"#),
        (.maintenance(topic: location, roomId: id(1), reason: nil),
         #"{"room_id":"00000000-0000-0000-0000-000000000001","topic":"location:00000000-0000-0000-0000-000000000002","type":"room.maintenance","under_maintenance":false}"#),
        (.permanent(topic: room, deskId: id(11), roomId: id(1), permanent: true, mine: true),
         #"{"desk_id":"00000000-0000-0000-0000-000000000011","mine":true,"permanent":true,"room_id":"00000000-0000-0000-0000-000000000001","topic":"room:00000000-0000-0000-0000-000000000001","type":"desk.permanent"}"#),
        (.deskStatus(topic: room, deskId: id(11), roomId: id(1), status: .held, at: nine, mine: false),
         #"{"at":"2026-03-23T09:00:00Z","desk_id":"00000000-0000-0000-0000-000000000011","mine":false,"room_id":"00000000-0000-0000-0000-000000000001","status":"held","topic":"room:00000000-0000-0000-0000-000000000001","type":"desk.status"}"#),
        (.request(topic: me, LiveRequestDTO(id: id(20), locationId: id(2), date: day, status: "won", deskId: id(11), bookingId: id(10),
                                            reason: nil, ruleId: id(21))),
         #"{"request":{"booking_id":"00000000-0000-0000-0000-000000000010","date":"2026-03-23","desk_id":"00000000-0000-0000-0000-000000000011","id":"00000000-0000-0000-0000-000000000020","location_id":"00000000-0000-0000-0000-000000000002","rule_id":"00000000-0000-0000-0000-000000000021","status":"won"},"topic":"me","type":"request.updated"}"#),
        (.autopilotRule(topic: me, LiveRuleDTO(id: id(21), status: "paused", reason: "no desks")),
         #"{"rule":{"id":"00000000-0000-0000-0000-000000000021","reason":"no desks","status":"paused"},"topic":"me","type":"autopilot.rule"}"#),
        (.autopilotLog(topic: me, AutopilotLogDTO(AutopilotLogRecord(id: id(22), userId: id(9), ruleId: id(21), requestId: nil, at: nine,
                                                                      level: .info, message: "Booked"))),
         #"{"entry":{"at":"2026-03-23T09:00:00Z","id":"00000000-0000-0000-0000-000000000022","level":"info","message":"Booked","rule_id":"00000000-0000-0000-0000-000000000021"},"topic":"me","type":"autopilot.log"}"#),
        (.round(topic: location, date: day, roundId: id(30)),
         #"{"date":"2026-03-23","round_id":"00000000-0000-0000-0000-000000000030","topic":"location:00000000-0000-0000-0000-000000000002","type":"round.committed"}"#),
        (.availability(topic: location, date: day, room: RoomDayDTO(AvailabilityService.RoomDay(
            room: RoomRecord(id: id(1), floorId: id(3), locationId: id(2), name: "Open space", description: "", maintenanceReason: nil),
            desks: 3, free: [id(12), id(13)], partlyFree: [id(11)], full: 0, unavailable: 0))),
         #"{"date":"2026-03-23","room":{"desks":3,"floor_id":"00000000-0000-0000-0000-000000000003","free":2,"free_desk_ids":["00000000-0000-0000-0000-000000000012","00000000-0000-0000-0000-000000000013"],"full":0,"name":"Open space","partly_free":1,"partly_free_desk_ids":["00000000-0000-0000-0000-000000000011"],"room_id":"00000000-0000-0000-0000-000000000001","unavailable":0,"under_maintenance":false},"topic":"location:00000000-0000-0000-0000-000000000002","type":"availability"}"#),
    ]

    static func object(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    @Test("each message encodes to the JSON object clients read", arguments: cases.indices)
    func wireFormat(_ index: Int) throws {
        let (message, expected) = Self.cases[index]
        var frame = message.frame()
        let data = frame.readData(length: frame.readableBytes)
        let sent = try Self.object(try #require(data))
        let wanted = try Self.object(Data(expected.utf8))
        #expect(sent == wanted, "\(message.type)")
        #expect(sent["type"] as? String == message.type)
        #expect(sent["topic"] as? String == message.topic)
    }

    @Test("client messages decode to their case; unknown types and bad JSON are told apart")
    func clientMessages() throws {
        func decode(_ text: String) throws -> ClientMessage {
            try JSONCoding.decoder.decode(ClientMessage.self, from: Data(text.utf8))
        }
        #expect(try decode(#"{"type":"subscribe","topic":"room:abc"}"#) == .subscribe(topic: "room:abc"))
        #expect(try decode(#"{"type":"unsubscribe","topic":"me"}"#) == .unsubscribe(topic: "me"))
        #expect(try decode(#"{"type":"subscribe"}"#) == .subscribe(topic: nil))
        #expect(try decode(#"{"type":"ping","extra":1}"#) == .ping)
        #expect(try decode(#"{"type":"publish","topic":"me"}"#) == .unknown(type: "publish"))
        #expect(throws: (any Error).self) { try decode(#"{"topic":"me"}"#) }
        #expect(throws: (any Error).self) { try decode(#"{"type":"subscribe","topic":5}"#) }
        #expect(throws: (any Error).self) { try decode("ping") }
    }
}
