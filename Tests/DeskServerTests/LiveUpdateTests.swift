import DeskCore
@testable import DeskServer
import Foundation
import NIOHTTP1
import Testing
import Vapor
import VaporTesting

/// Real WebSocket clients against a server listening on loopback.
@Suite("Live updates")
struct LiveUpdateTests {
    @Test("subscriptions are authorised: visible places yes, gated or unknown ones not_found, anonymous callers refused")
    func authorisation() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let ann = try await LiveClient.connect(server, as: f.ann)
            #expect(await ann.subscribe(Topic.roomName(f.openSpace))?.type == "subscribed")
            #expect(await ann.subscribe(Topic.locationName(f.berlin))?.type == "subscribed")
            #expect(await ann.subscribe("me")?.type == "subscribed")
            let gated = await ann.subscribe(Topic.roomName(f.lab))
            #expect(gated?.type == "error")
            #expect(gated?.string("code") == "not_found")
            let unknown = await ann.subscribe(Topic.roomName(UUID()))
            #expect(unknown?.string("code") == "not_found")
            let bad = await ann.subscribe("desk:12")
            #expect(bad?.string("code") == "bad_topic")
            ann.send(["type": "ping"])
            #expect(await ann.first { $0.type == "pong" } != nil)

            let gus = try await LiveClient.connect(server, as: f.gus)
            #expect(await gus.subscribe(Topic.roomName(f.lab))?.type == "subscribed")

            // Anonymous: refused before the upgrade, as a problem document.
            let upgrade: HTTPHeaders = ["Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                                        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="]
            let anonymous = try await server.send(.GET, "/api/v1/ws", headers: upgrade)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            await #expect(throws: (any Error).self) { try await LiveClient.connect(server, as: .anonymous) }
            // A browser session from a foreign page may not open a socket with its cookies.
            let (_, session) = try await server.login("ann", "ann-password")
            await #expect(throws: (any Error).self) {
                try await LiveClient.connect(server, as: session.caller(csrf: false), extraHeaders: ["Origin": "https://evil.example"])
            }
            let own = try await LiveClient.connect(server, as: session.caller(csrf: false))
            #expect(await own.subscribe("me")?.type == "subscribed")
        }
    }

    @Test("a booking reaches room, location and me subscribers within 1 s, with names per the privacy setting")
    func bookingEvents() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            _ = try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo, json: ["booker_visibility": "managers"])
            let ann = try await LiveClient.connect(server, as: f.ann)
            let rita = try await LiveClient.connect(server, as: f.rita)  // manages the room: sees names
            let bob = try await LiveClient.connect(server, as: f.bob)
            for client in [ann, rita] {
                #expect(await client.subscribe(Topic.roomName(f.openSpace))?.type == "subscribed")
                #expect(await client.subscribe(Topic.locationName(f.berlin))?.type == "subscribed")
            }
            #expect(await bob.subscribe("me")?.type == "subscribed")

            let booked = try await server.book(f.desks[0], as: f.bob, day: "2026-03-23", from: "09:00", to: "12:00")
            #expect(booked.status == .created)
            let id = try #require(ResponseBody(booked).string("id"))
            let roomTopic = Topic.roomName(f.openSpace), locationTopic = Topic.locationName(f.berlin)

            let seenByAnn = try #require(await ann.first { $0.type == "booking.created" && $0.topic == roomTopic })
            #expect(seenByAnn.string("booking", "id") == id)
            #expect(seenByAnn.string("booking", "desk_id") == f.desks[0].uuidString)
            #expect(seenByAnn["booking", "user_id"] == nil)  // hidden from ordinary colleagues
            #expect(seenByAnn["mine"] as? Bool == false)
            #expect(await ann.first { $0.type == "booking.created" && $0.topic == locationTopic } != nil)
            // The location view's counts for that day: one of three desks is no longer entirely free.
            let counts = try #require(await ann.first { $0.type == "availability" && $0.topic == locationTopic })
            #expect(counts.string("date") == "2026-03-23")
            #expect(counts.string("room", "room_id") == f.openSpace.uuidString)
            #expect(counts["room", "free"] as? Int == 2)
            #expect(counts["room", "partly_free"] as? Int == 1)

            let seenByRita = try #require(await rita.first { $0.type == "booking.created" && $0.topic == roomTopic })
            #expect(seenByRita.string("booking", "user_id") == f.bob.userId.uuidString)
            #expect(seenByRita.string("booking", "user", "username") == "bob")
            let mine = try #require(await bob.first { $0.type == "booking.created" && $0.topic == "me" })
            #expect(mine["mine"] as? Bool == true)
            #expect(mine.string("booking", "user", "username") == "bob")

            // Cancelling is an event too.
            #expect(try await server.send(.DELETE, "/api/v1/bookings/\(id)", as: f.bob).status == .ok)
            let cancelled = try #require(await ann.first { $0.type == "booking.cancelled" && $0.topic == roomTopic })
            #expect(cancelled.string("booking", "status") == "cancelled")
        }
    }

    @Test("live booking events never carry the note, with names visible to everyone; its owner and managers read it over REST")
    func notesStayPrivate() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo,
                                          json: ["booker_visibility": "everyone"]).status == .ok)
            let bob = try await LiveClient.connect(server, as: f.bob)
            let rita = try await LiveClient.connect(server, as: f.rita)
            let ann = try await LiveClient.connect(server, as: f.ann)
            for client in [bob, rita] {
                #expect(await client.subscribe(Topic.roomName(f.openSpace))?.type == "subscribed")
                #expect(await client.subscribe(Topic.locationName(f.berlin))?.type == "subscribed")
            }
            #expect(await ann.subscribe("me")?.type == "subscribed")

            let booked = try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00",
                                               extra: ["note": "Dentist at noon"])
            let id = try #require(ResponseBody(booked).string("id"))
            #expect(try await server.send(.PATCH, "/api/v1/bookings/\(id)", as: f.ann, json: ["note": "Dentist moved to one"]).status == .ok)
            let roomTopic = Topic.roomName(f.openSpace), locationTopic = Topic.locationName(f.berlin)
            // Bob sees who booked, live, and is told of the note's change, but never its text.
            let created = try #require(await bob.first { $0.type == "booking.created" && $0.topic == roomTopic })
            #expect(created.string("booking", "user", "username") == "ann")
            #expect(created["booking", "note"] == nil)
            #expect(await bob.first { $0.type == "booking.changed" && $0.topic == roomTopic } != nil)
            #expect(await bob.first { $0.type == "booking.changed" && $0.topic == locationTopic } != nil)
            #expect(await rita.first { $0.type == "booking.changed" && $0.topic == roomTopic } != nil)
            #expect(await ann.first { $0.type == "booking.changed" && $0.topic == "me" } != nil)
            try await Task.sleep(for: .milliseconds(300))
            for client in [bob, rita, ann] {
                #expect(!client.messages.contains { $0.text.contains("Dentist") })
            }
            // What a page does on the event: read the booking again, which answers per reader.
            for (caller, readsNote) in [(f.ann, true), (f.rita, true), (f.bob, false)] {
                let body = ResponseBody(try await server.send(.GET, "/api/v1/bookings/\(id)", as: caller))
                #expect(body.string("user", "username") == "ann")
                #expect(body.string("note") == (readsNote ? "Dentist moved to one" : nil))
            }
        }
    }

    @Test("a subscriber who may not see a room receives nothing of it, also after losing access")
    func unauthorisedReceiveNothing() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let ann = try await LiveClient.connect(server, as: f.ann)
            let gus = try await LiveClient.connect(server, as: f.gus)
            #expect(await ann.subscribe(Topic.roomName(f.lab))?.string("code") == "not_found")
            #expect(await ann.subscribe(Topic.locationName(f.berlin))?.type == "subscribed")
            #expect(await gus.subscribe(Topic.roomName(f.lab))?.type == "subscribed")
            #expect(await gus.subscribe(Topic.locationName(f.berlin))?.type == "subscribed")

            #expect(try await server.book(f.labDesk, as: f.gus, day: "2026-03-23", from: "09:00", to: "12:00").status == .created)
            #expect(await gus.first { $0.type == "booking.created" && $0.topic == Topic.roomName(f.lab) } != nil)
            #expect(await gus.first { $0.type == "availability" && $0.string("room", "room_id") == f.lab.uuidString } != nil)
            // Everything for gus has arrived; ann got nothing about the lab.
            try await Task.sleep(for: .milliseconds(300))
            #expect(!ann.messages.contains { $0.text.contains(f.lab.uuidString) || $0.text.contains(f.labDesk.uuidString) })

            // Gus leaves the group: his lab subscription ends and later lab bookings do not reach him.
            try await server.services.access.setMember(
                f.gus.userId, of: f.engineering, present: false,
                by: try await server.services.sessions.viewer(for: try #require(try await server.services.users.user(id: f.admin.userId))),
                actor: Actor(userId: nil, ip: nil))
            #expect(await gus.first(within: .seconds(2)) { $0.type == "error" && $0.topic == Topic.roomName(f.lab) } != nil)
            let seen = gus.messages.count
            #expect(try await server.book(f.labDesk, as: f.admin, day: "2026-03-24", from: "09:00", to: "12:00").status == .created)
            try await Task.sleep(for: .milliseconds(300))
            #expect(!gus.messages.dropFirst(seen).contains { $0.text.contains(f.lab.uuidString) })
        }
    }

    @Test("holds, maintenance and desk status reach the room's subscribers")
    func roomState() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let ann = try await LiveClient.connect(server, as: f.ann)
            let roomTopic = Topic.roomName(f.openSpace)
            #expect(await ann.subscribe(roomTopic)?.type == "subscribed")

            #expect(try await server.send(.PUT, "/api/v1/desks/\(f.desks[1])/hold", as: f.bob).status == .ok)
            let hold = try #require(await ann.first { $0.type == "hold.acquired" })
            #expect(hold.string("hold", "desk_id") == f.desks[1].uuidString)
            #expect(hold["mine"] as? Bool == false)
            let held = try #require(await ann.first { $0.type == "desk.status" && $0.string("desk_id") == f.desks[1].uuidString })
            #expect(held.string("status") == "held")

            #expect(try await server.send(.PUT, "/api/v1/rooms/\(f.openSpace)/maintenance", as: f.rita, json: ["reason": "painting"]).status == .ok)
            let maintenance = try #require(await ann.first { $0.type == "room.maintenance" })
            #expect(maintenance["under_maintenance"] as? Bool == true)
            #expect(maintenance.string("reason") == "painting")
            #expect(await ann.first { $0.type == "desk.status" && $0.string("status") == "maintenance" } != nil)
        }
    }
}

@Suite("Live update sockets under stress")
struct LiveSocketStressTests {
    @Test("a client that stops reading is dropped without holding back the others, who get every event")
    func slowClient() async throws {
        try await withServer(configure: { $0.webSocketQueueLimit = 32 }) { server in
            let f = try await Fixture.make(server)
            let port = try await server.listen()
            let reader = try await LiveClient.connect(server, as: f.bob)
            #expect(await reader.subscribe(Topic.roomName(f.openSpace))?.type == "subscribed")
            let token = try #require(f.ann.headers.bearerAuthorization?.token)
            let stalled = try await RawSocket.open(port: port, token: token, reading: false)
            // Like a browser, it speaks WebSocket only once the upgrade is done.
            for _ in 0..<500 where server.services.realtime.openConnections < 2 {
                try await Task.sleep(for: .milliseconds(10))
            }
            try await stalled.send(text: #"{"type":"subscribe","topic":"\#(Topic.roomName(f.openSpace))"}"#)
            for _ in 0..<500 where server.services.realtime.subscribers(of: .room(f.openSpace)) < 2 {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(server.services.realtime.subscribers(of: .room(f.openSpace)) == 2, "open: \(server.services.realtime.openConnections)")

            // A burst of 2,000 frames of 4 KB: more than the stalled client's socket buffers (it reads nothing; the
            // kernel holds at most 4 MB for it) and than the queue limit of 32 frames; the reader keeps taking them, so it
            // rides the burst out.
            let reason = String(repeating: "x", count: 4_000)
            func publish(_ range: Range<Int>) {
                for index in range {
                    server.services.transactor.events.publish([.maintenance(MaintenanceEvent(
                        roomId: f.openSpace, locationId: f.berlin, reason: "\(index) \(reason)"))])
                }
            }
            publish(0..<2_000)
            #expect(await reader.first(within: .seconds(20)) { $0.string("reason")?.hasPrefix("1999 ") == true } != nil)
            // The stalled client has taken nothing for longer than the stall timeout: the next event drops it.
            try await Task.sleep(for: RealtimeConnection.stallTimeout + .milliseconds(500))
            publish(2_000..<2_005)
            #expect(await reader.first(within: .seconds(5)) { $0.string("reason")?.hasPrefix("2004 ") == true } != nil)
            #expect(reader.messages.filter { $0.type == "room.maintenance" }.count == 2_005)
            #expect(server.services.realtime.subscribers(of: .room(f.openSpace)) == 1)
            #expect(server.services.realtime.openConnections == 1)
            await stalled.close()
        }
    }

    @Test("a first frame sent together with the handshake is served; a refused upgrade closes its connection")
    func frameWithTheHandshake() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let port = try await server.listen()
            let token = try #require(f.ann.headers.bearerAuthorization?.token)
            func handshake(_ authorization: String) -> String {
                "GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(authorization)\r\n"
            }
            // One write: the handshake and a masked text frame (all-zero mask key) right behind it.
            let subscribe = Array(#"{"type":"subscribe","topic":"me"}"#.utf8)
            let eager = try await RawConnection.open(port: port)
            try await eager.send(bytes: Array(handshake("Authorization: Bearer \(token)\r\n").utf8)
                + [0x81, 0x80 | UInt8(subscribe.count), 0, 0, 0, 0] + subscribe)
            #expect(await eager.receives("subscribed", within: .seconds(5)), "\(eager.text)")
            await eager.close()

            // Without credentials the upgrade is refused; the HTTP decoder has stopped at the upgrade request, so the
            // connection closes after the answer instead of waiting for a request it could never read.
            let refused = try await RawConnection.open(port: port)
            try await refused.send(handshake(""))
            #expect(await refused.closed(within: .seconds(3)))
            #expect(refused.text.hasPrefix("HTTP/1.1 401"), "\(refused.text)")
        }
    }

    @Test("a socket that answers no pings is closed within the idle timeout; one that answers stays")
    func idleTimeout() async throws {
        try await withServer(configure: { $0.webSocketIdleTimeout = 2 }) { server in
            let f = try await Fixture.make(server)
            let port = try await server.listen()
            let alive = try await LiveClient.connect(server, as: f.bob)  // WebSocketKit answers pings
            let token = try #require(f.ann.headers.bearerAuthorization?.token)
            let silent = try await RawSocket.open(port: port, token: token, reading: true)
            #expect(!(await silent.closed(within: .milliseconds(500))))
            #expect(await silent.closed(within: .seconds(5)))
            #expect(!alive.socket.isClosed)
            #expect(await alive.subscribe("me")?.type == "subscribed")
        }
    }
}

@Suite("Event bridge payloads")
struct EventBridgePayloadTests {
    @Test("a large batch is split into NOTIFY payloads under the limit that decode back to the same events in order")
    func split() throws {
        let room = UUID(), location = UUID()
        let events: [DomainEvent] = (0..<500).map { index in
            index.isMultiple(of: 2)
                ? .deskStatus(DeskStatusEvent(deskId: UUID(), roomId: room, locationId: location, status: .booked, occupantId: UUID(),
                                              at: Date(timeIntervalSince1970: Double(index))))
                : .maintenance(MaintenanceEvent(roomId: room, locationId: location, reason: String(repeating: "r", count: 300)))
        }
        let origin = UUID()
        let payloads = PostgresEventBridge.payloads(events, origin: origin)
        #expect(payloads.count > 1)
        #expect(payloads.allSatisfy { $0.utf8.count <= PostgresEventBridge.maximumPayload })
        struct Envelope: Decodable {
            let origin: UUID
            let events: [DomainEvent]
        }
        let decoded = try payloads.map { try JSONDecoder().decode(Envelope.self, from: Data($0.utf8)) }
        #expect(decoded.allSatisfy { $0.origin == origin })
        #expect(decoded.flatMap(\.events) == events)
    }
}
