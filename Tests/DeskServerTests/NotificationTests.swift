import DeskCore
@testable import DeskServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// The inbox, its live messages, channel choices and what causes notifications, through the API as the web app and
/// other clients use it. The clock stands at Friday 2026-03-20 10:00 Berlin; Rita manages the open space.
@Suite("Notifications")
struct NotificationTests {
    /// An SMTP server that is never reached: deliveries are only queued (the worker runs in a serving process only).
    static func smtp(_ config: inout AppConfig) {
        config.smtp = try! SMTPConfiguration.load(url: "smtp://deskpilot:s3cret-pass@127.0.0.1:2525?tls=none",
                                                  from: "DeskPilot <desk@example.com>")
    }

    private func inbox(_ server: TestServer, _ caller: Caller, query: String = "") async throws -> ResponseBody {
        let response = try await server.send(.GET, "/api/v1/me/notifications" + query, as: caller)
        #expect(response.status == .ok, "\(response.body.string)")
        return ResponseBody(response)
    }

    private func kinds(_ server: TestServer, _ caller: Caller) async throws -> [String] {
        try await inbox(server, caller).array.compactMap { $0["kind"] as? String }
    }

    /// Stores notifications for a person as the writes that cause them do.
    private func append(_ server: TestServer, _ records: [NotificationRecord]) async throws {
        try await server.services.transactor.write { sql in
            Written(events: try await NotificationStore(sql: sql).append(records))
        }
    }

    /// The fields a 422 names.
    private func fields(_ response: TestingHTTPResponse) -> [String] {
        ResponseBody(response).array(at: "errors").compactMap { $0["field"] as? String }
    }

    // MARK: What others do to one's bookings

    @Test("a manager booking, moving and cancelling for someone tells them, in their formats, with a link; doing it oneself tells nobody")
    func bookingsByOthers() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let prefs = try await server.send(.PATCH, "/api/v1/me/preferences", as: f.ann, json: ["date_format": "DD.MM.YYYY", "time_format": "12h"])
            #expect(prefs.status == .ok)

            // Her own booking, changed and cancelled by herself: nothing.
            let own = try #require(ResponseBody(try await server.book(f.desks[1], as: f.ann, day: "2026-03-24", from: "09:00", to: "10:00")).string("id"))
            #expect(try await server.send(.PATCH, "/api/v1/bookings/\(own)", as: f.ann, json: [
                "start": .time(local("2026-03-24", "10:00")), "end": .time(local("2026-03-24", "11:00")),
            ]).status == .ok)
            #expect(try await server.send(.DELETE, "/api/v1/bookings/\(own)", as: f.ann).status == .ok)
            #expect(try await inbox(server, f.ann).array.isEmpty)

            let made = try await server.book(f.desks[0], as: f.rita, day: "2026-03-23", from: "09:00", to: "12:00",
                                             extra: ["user_id": .id(f.ann.userId)])
            #expect(made.status == .created, "\(made.body.string)")
            let booking = try #require(ResponseBody(made).string("id"))
            var latest = try #require(try await inbox(server, f.ann).array.first)
            #expect(latest["kind"] as? String == "booking.made_for_you")
            #expect(latest["title"] as? String == "Booking made for you")
            #expect(latest["message"] as? String == "Rita booked desk A1 at Berlin for you: Mon 23.03.2026, 9:00 AM–12:00 PM (Berlin time).")
            #expect(latest["booking_id"] as? String == booking)
            #expect(latest["location_id"] as? String == f.berlin.uuidString)
            #expect(latest["link"] as? String == "/bookings?booking=\(booking.lowercased())")
            #expect(latest["read_at"] == nil)

            // A note alone is no news; new times are. (The clock moves on between changes, so that the newest is first.)
            server.clock.advance(by: 60)
            #expect(try await server.send(.PATCH, "/api/v1/bookings/\(booking)", as: f.rita, json: ["note": "Window seat"]).status == .ok)
            #expect(try await kinds(server, f.ann) == ["booking.made_for_you"])
            let moved = try await server.send(.PATCH, "/api/v1/bookings/\(booking)", as: f.rita, json: [
                "start": .time(local("2026-03-23", "13:00")), "end": .time(local("2026-03-23", "15:00")),
            ])
            #expect(moved.status == .ok, "\(moved.body.string)")
            server.clock.advance(by: 60)
            latest = try #require(try await inbox(server, f.ann).array.first)
            #expect(latest["kind"] as? String == "booking.changed_for_you")
            #expect(latest["message"] as? String == "Rita moved your booking of desk A1 at Berlin from Mon 23.03.2026, 9:00 AM–12:00 PM "
                + "(Berlin time) to Mon 23.03.2026, 1:00 PM–3:00 PM (Berlin time).")
            #expect(latest["link"] as? String == "/bookings?booking=\(booking.lowercased())")

            #expect(try await server.send(.DELETE, "/api/v1/bookings/\(booking)", as: f.rita).status == .ok)
            latest = try #require(try await inbox(server, f.ann).array.first)
            #expect(latest["kind"] as? String == "booking.cancelled_for_you")
            #expect(latest["title"] as? String == "Your booking was cancelled")
            #expect(latest["message"] as? String == "Rita cancelled your booking of desk A1 at Berlin: Mon 23.03.2026, 1:00 PM–3:00 PM (Berlin time).")
            #expect(latest["booking_id"] as? String == booking)

            #expect(try await inbox(server, f.ann)["unread_count"] as? Int == 3)
            // The manager who acted hears nothing of it.
            #expect(try await inbox(server, f.rita).array.isEmpty)
        }
    }

    @Test("several bookings made at once for a person make one notification listing them")
    func bulkForSomeone() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let intervals: [JSON] = ["2026-03-25", "2026-03-23", "2026-03-24"].map { day in
                ["start": .time(local(day, "09:00")), "end": .time(local(day, "17:00"))]
            }
            let made = try await server.send(.POST, "/api/v1/bookings/bulk", as: f.rita, json: [
                "desk_id": .id(f.desks[2]), "user_id": .id(f.ann.userId), "intervals": .array(intervals),
            ])
            #expect(made.status == .created, "\(made.body.string)")
            let notes = try await inbox(server, f.ann).array
            #expect(notes.count == 1)
            #expect(notes.first?["kind"] as? String == "booking.made_for_you")
            #expect(notes.first?["message"] as? String == "Rita booked desk A3 at Berlin for you: Mon 2026-03-23, 09:00–17:00 (Berlin time); "
                + "Tue 2026-03-24, 09:00–17:00 (Berlin time); Wed 2026-03-25, 09:00–17:00 (Berlin time).")
            // Bulk bookings of her own: nothing more.
            let mine = try await server.send(.POST, "/api/v1/bookings/bulk", as: f.ann, json: [
                "desk_id": .id(f.desks[1]), "intervals": .array(["2026-03-26", "2026-03-27"].map { day in
                    ["start": .time(local(day, "09:00")), "end": .time(local(day, "17:00"))]
                }),
            ])
            #expect(mine.status == .created)
            #expect(try await inbox(server, f.ann).array.count == 1)
        }
    }

    @Test("bookings made for a person in separate requests at the same moment each tell them, even when committed together")
    func separateRequestsEachTell() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let days = ["2026-03-23", "2026-03-24", "2026-03-25", "2026-03-26", "2026-03-27"]
            // Sent at once, they reach the writer together and commit in one group.
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for day in days {
                    group.addTask {
                        try await server.send(.POST, "/api/v1/bookings", as: f.rita, json: [
                            "desk_id": .id(f.desks[2]), "user_id": .id(f.ann.userId),
                            "start": .time(local(day, "09:00")), "end": .time(local(day, "17:00")),
                        ]).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: .created, count: days.count))
            let notes = try await inbox(server, f.ann).array
            #expect(notes.count == days.count)
            #expect(Set(notes.compactMap { $0["booking_id"] as? String }).count == days.count)
        }
    }

    // MARK: The inbox

    @Test("paging with limit and next_cursor returns every notification once, newest first, even with equal times")
    func paging() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let now = server.clock.now
            // Six at the same instant, four at others, and Bob's one, which Ann never sees.
            var records = (0..<6).map { NotificationRecord(to: f.ann.userId, .watchAlert, "Same time \($0)", at: now) }
            records += (1...4).map { NotificationRecord(to: f.ann.userId, .allocationWon, "Earlier \($0)", at: now.addingTimeInterval(Double(-60 * $0))) }
            try await append(server, records)
            try await append(server, [NotificationRecord(to: f.bob.userId, .allocationWon, "Bob's", at: now)])

            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await inbox(server, f.ann, query: "?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
                seen += page.array.compactMap { $0["id"] as? String }
                #expect(page["unread_count"] as? Int == 10)
                cursor = page.string("next_cursor")
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 4)
            #expect(seen.count == 10 && Set(seen) == Set(records.map(\.id.uuidString)))
            // Newest first: the six of the same instant, then one minute, two, three and four minutes before.
            let messages = try await inbox(server, f.ann).array.compactMap { $0["message"] as? String }
            #expect(messages.prefix(6).allSatisfy { $0.hasPrefix("Same time") })
            #expect(Array(messages.suffix(4)) == ["Earlier 1", "Earlier 2", "Earlier 3", "Earlier 4"])
            // A full last page says there is no more.
            #expect(try await inbox(server, f.ann, query: "?limit=10")["next_cursor"] == nil)

            for query in ["?limit=0", "?limit=501", "?cursor=garbage", "?cursor=1774000000_nope"] {
                let response = try await server.send(.GET, "/api/v1/me/notifications\(query)", as: f.ann)
                #expect(response.status == .unprocessableEntity, "\(query): \(response.status)")
                #expect(response.headers.contentType?.description == "application/problem+json")
            }
            for query in ["?unread=maybe", "?limit=ten"] {
                #expect(try await server.send(.GET, "/api/v1/me/notifications\(query)", as: f.ann).status == .badRequest, "\(query)")
            }
        }
    }

    @Test("marking read: by ids (others' ignored) or all; the unread filter and count follow")
    func markRead() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let now = server.clock.now
            let ann = (0..<5).map { NotificationRecord(to: f.ann.userId, .allocationWon, "Won \($0)", at: now.addingTimeInterval(Double(-$0))) }
            let bobs = NotificationRecord(to: f.bob.userId, .allocationWon, "Bob's", at: now)
            try await append(server, ann + [bobs])

            server.clock.advance(by: 60)
            let marked = try await server.send(.POST, "/api/v1/me/notifications/read", as: f.ann, json: [
                "ids": [.id(ann[0].id), .id(ann[1].id), .id(bobs.id)],
            ])
            #expect(marked.status == .ok, "\(marked.body.string)")
            #expect(ResponseBody(marked)["unread_count"] as? Int == 3)
            #expect(try await inbox(server, f.bob)["unread_count"] as? Int == 1)

            let unread = try await inbox(server, f.ann, query: "?unread=true")
            #expect(Set(unread.array.compactMap { $0["id"] as? String }) == Set(ann[2...].map(\.id.uuidString)))
            #expect(unread.array.allSatisfy { $0["read_at"] == nil })
            let read = try await inbox(server, f.ann, query: "?unread=false")
            #expect(read.array.compactMap { $0["id"] as? String } == [ann[0].id.uuidString, ann[1].id.uuidString])
            #expect(read.array.allSatisfy { $0["read_at"] as? String == server.clock.now.formatted(.iso8601) })

            // Marking again changes nothing, not even when.
            server.clock.advance(by: 60)
            let again = try await server.send(.POST, "/api/v1/me/notifications/read", as: f.ann, json: ["ids": [.id(ann[0].id)]])
            #expect(ResponseBody(again)["unread_count"] as? Int == 3)
            #expect(try await inbox(server, f.ann, query: "?unread=false").array.first?["read_at"] as? String
                == now.addingTimeInterval(60).formatted(.iso8601))

            let all = try await server.send(.POST, "/api/v1/me/notifications/read", as: f.ann, json: ["all": true])
            #expect(ResponseBody(all)["unread_count"] as? Int == 0)
            #expect(try await inbox(server, f.ann, query: "?unread=true").array.isEmpty)
            #expect(try await inbox(server, f.ann)["unread_count"] as? Int == 0)
            #expect(try await inbox(server, f.bob)["unread_count"] as? Int == 1)
        }
    }

    @Test("a mark-read body must name ids or all, not both, at most 500 ids, each a UUID")
    func markReadBadBodies() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let note = NotificationRecord(to: f.ann.userId, .allocationWon, "Won", at: server.clock.now)
            try await append(server, [note])
            let tooMany = JSON.array((0...500).map { _ in .id(UUID()) })
            let cases: [(JSON?, String?, UInt)] = [
                ([:], nil, 422), (["ids": [.id(note.id)], "all": true], nil, 422), (["ids": []], nil, 422), (["all": false], nil, 422),
                (["ids": tooMany], nil, 422), (["ids": ["not-a-uuid"]], nil, 400), (["ids": "all"], nil, 400), (nil, "[1,2", 400),
            ]
            for (json, raw, status) in cases {
                let response = try await server.send(.POST, "/api/v1/me/notifications/read", as: f.ann, json: json, rawBody: raw)
                #expect(response.status.code == status, "\(json?.text ?? raw ?? ""): \(response.status) \(response.body.string)")
                #expect(response.headers.contentType?.description == "application/problem+json")
            }
            #expect(try await inbox(server, f.ann)["unread_count"] as? Int == 1)
        }
    }

    @Test("a person following their me topic receives the notification live when a manager cancels their booking")
    func live() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let booking = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00")).string("id"))
            let ann = try await LiveClient.connect(server, as: f.ann)
            let bob = try await LiveClient.connect(server, as: f.bob)
            #expect(await ann.subscribe("me")?.type == "subscribed")
            #expect(await bob.subscribe("me")?.type == "subscribed")

            #expect(try await server.send(.DELETE, "/api/v1/bookings/\(booking)", as: f.rita).status == .ok)
            let message = try #require(await ann.first { $0.type == "notification" })
            #expect(message.topic == "me")
            #expect(message.string("notification", "kind") == "booking.cancelled_for_you")
            #expect(message.string("notification", "booking_id") == booking)
            #expect(message.string("notification", "message")?.hasPrefix("Rita cancelled your booking of desk A1 at Berlin") == true)
            let stored = try #require(try await inbox(server, f.ann).array.first)
            #expect(message.string("notification", "id") == stored["id"] as? String)
            #expect(await bob.first(within: .milliseconds(300)) { $0.type == "notification" } == nil)
            await ann.close()
            await bob.close()
        }
    }

    // MARK: Channels

    @Test("without SMTP every kind goes to the inbox and e-mail is not offered; bad changes are 422 naming the field")
    func settingsWithoutMail() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let settings = ResponseBody(try await server.send(.GET, "/api/v1/me/notification-settings", as: f.ann))
            let kinds = settings.array(at: "kinds")
            #expect(kinds.compactMap { $0["kind"] as? String } == NotificationKind.allCases.map(\.rawValue))
            #expect(kinds.allSatisfy { ($0["channels"] as? [String: Bool]) == ["inbox": true, "email": false] })
            #expect(kinds.allSatisfy { !(($0["title"] as? String) ?? "").isEmpty && !(($0["group"] as? String) ?? "").isEmpty })
            let channels = settings.array(at: "channels")
            #expect(channels.first { $0["channel"] as? String == "inbox" }?["always_on"] as? Bool == true)
            #expect(channels.first { $0["channel"] as? String == "email" }?["available"] as? Bool == false)

            func put(_ kinds: JSON) async throws -> TestingHTTPResponse {
                try await server.send(.PUT, "/api/v1/me/notification-settings", as: f.ann, json: ["kinds": kinds])
            }
            let refusals: [(JSON, String)] = [
                ([["kind": "allocation.won", "channels": ["email": true]]], "kinds[0].channels.email"),
                ([["kind": "allocation.won", "channels": ["inbox": true]], ["kind": "desk.exploded", "channels": ["inbox": true]]], "kinds[1].kind"),
                ([["kind": "allocation.won", "channels": ["pigeon": true]]], "kinds[0].channels"),
                ([["kind": "allocation.won", "channels": ["inbox": false]]], "kinds[0].channels.inbox"),
            ]
            for (body, field) in refusals {
                let response = try await put(body)
                #expect(response.status == .unprocessableEntity, "\(body.text): \(response.body.string)")
                #expect(fields(response) == [field], "\(body.text): \(response.body.string)")
            }
            #expect(try await put([["kind": "allocation.won"]]).status == .badRequest)
            #expect(try await put(.array((0...100).map { _ in ["kind": "allocation.won", "channels": ["inbox": true]] })).status == .unprocessableEntity)
            #expect(try await put([["kind": "allocation.won", "channels": ["inbox": true]]]).status == .ok)
        }
    }

    @Test("with SMTP, e-mail choices persist per kind and the outbox queues e-mail only for the kinds left on")
    func settingsWithMail() async throws {
        try await withServer(configure: Self.smtp) { server in
            let f = try await Fixture.make(server)
            let before = ResponseBody(try await server.send(.GET, "/api/v1/me/notification-settings", as: f.ann))
            #expect(before.array(at: "channels").first { $0["channel"] as? String == "email" }?["available"] as? Bool == true)
            let defaults = Dictionary(uniqueKeysWithValues: before.array(at: "kinds").map {
                ($0["kind"] as? String ?? "", ($0["channels"] as? [String: Bool])?["email"])
            })
            #expect(defaults == Dictionary(uniqueKeysWithValues: NotificationKind.allCases.map { ($0.rawValue, $0.sentByDefault) }))
            #expect(defaults["allocation.waitlisted"] == false && defaults["booking.cancelled_for_you"] == true)

            let changed = try await server.send(.PUT, "/api/v1/me/notification-settings", as: f.ann, json: ["kinds": [
                ["kind": "booking.cancelled_for_you", "channels": ["email": false]],
                ["kind": "allocation.waitlisted", "channels": ["email": true, "inbox": true]],
            ]])
            #expect(changed.status == .ok, "\(changed.body.string)")
            let email = { (body: ResponseBody) in
                Dictionary(uniqueKeysWithValues: body.array(at: "kinds").map { ($0["kind"] as? String ?? "", ($0["channels"] as? [String: Bool])?["email"]) })
            }
            var expected = defaults
            expected["booking.cancelled_for_you"] = false
            expected["allocation.waitlisted"] = true
            #expect(email(ResponseBody(changed)) == expected)
            #expect(email(ResponseBody(try await server.send(.GET, "/api/v1/me/notification-settings", as: f.ann))) == expected)
            // Bob's are his own.
            #expect(email(ResponseBody(try await server.send(.GET, "/api/v1/me/notification-settings", as: f.bob))) == defaults)
            // Only what is given changes: switching one kind back leaves the other.
            _ = try await server.send(.PUT, "/api/v1/me/notification-settings", as: f.ann, json: ["kinds": [
                ["kind": "allocation.waitlisted", "channels": ["email": false]],
            ]])
            expected["allocation.waitlisted"] = false
            #expect(email(ResponseBody(try await server.send(.GET, "/api/v1/me/notification-settings", as: f.ann))) == expected)

            // Rita books for Ann (e-mail on) and cancels it (e-mail off): one e-mail, about the first.
            let made = try await server.book(f.desks[0], as: f.rita, day: "2026-03-23", from: "09:00", to: "12:00",
                                             extra: ["user_id": .id(f.ann.userId)])
            let booking = try #require(ResponseBody(made).string("id"))
            server.clock.advance(by: 60)
            #expect(try await server.send(.DELETE, "/api/v1/bookings/\(booking)", as: f.rita).status == .ok)
            #expect(try await kinds(server, f.ann) == ["booking.cancelled_for_you", "booking.made_for_you"])
            let mails = ResponseBody(try await server.send(.GET, "/api/v1/admin/deliveries?channel=email", as: f.admin)).array
            #expect(mails.compactMap { $0["event_type"] as? String } == ["booking.made_for_you"])
            #expect(mails.first?["recipient"] as? String == f.ann.userId.uuidString)
            #expect(mails.first?["status"] as? String == "pending" && mails.first?["channel"] as? String == "email")
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/admin/deliveries?channel=webhook", as: f.admin)).array.isEmpty)
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/admin/deliveries?status=pending", as: f.admin)).array.count == 1)
            #expect(try await server.send(.GET, "/api/v1/admin/deliveries?channel=pigeon", as: f.admin).status == .unprocessableEntity)
        }
    }

    // MARK: Causes

    @Test("check-in reminders: once when check-in opens for a booking that requires it, none for one made after that")
    func checkInReminder() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            #expect(try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo, json: ["check_in_required": true]).status == .ok)
            let nine = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00")).string("id"))
            let halfPast = try #require(ResponseBody(try await server.book(f.desks[1], as: f.bob, day: "2026-03-23", from: "09:30", to: "12:00")).string("id"))
            let reminders = { (caller: Caller) async throws -> [String] in
                try await self.inbox(server, caller).array.filter { $0["kind"] as? String == "check_in.reminder" }.compactMap { $0["booking_id"] as? String }
            }

            // Before check-in opens: nothing.
            server.clock.set(local("2026-03-23", "08:44"))
            try await server.services.bookings.remindCheckIns()
            #expect(try await reminders(f.ann) == [])

            server.clock.set(local("2026-03-23", "08:50"))
            try await server.services.bookings.remindCheckIns()
            #expect(try await reminders(f.ann) == [nine])
            #expect(try await reminders(f.bob) == [])
            let note = try #require(try await inbox(server, f.ann).array.first)
            #expect(note["title"] as? String == "Check-in reminder")
            #expect((note["message"] as? String)?.hasPrefix("Your booking of desk A1 at Berlin starts soon: Mon 2026-03-23, 09:00–12:00 (Berlin time). Check in by ") == true)
            #expect(note["link"] as? String == "/bookings?booking=\(nine.lowercased())")
            try await server.services.bookings.remindCheckIns()
            #expect(try await reminders(f.ann) == [nine])

            // Booked five minutes before it starts: the person knows.
            server.clock.set(local("2026-03-23", "08:55"))
            #expect(try await server.book(f.desks[2], as: f.gus, day: "2026-03-23", from: "09:00", to: "10:00").status == .created)
            server.clock.set(local("2026-03-23", "08:56"))
            try await server.services.bookings.remindCheckIns()
            #expect(try await reminders(f.gus) == [])

            // The later booking's turn; the first is not reminded twice.
            server.clock.set(local("2026-03-23", "09:16"))
            try await server.services.bookings.remindCheckIns()
            #expect(try await reminders(f.bob) == [halfPast])
            #expect(try await reminders(f.ann) == [nine])
            #expect(try await reminders(f.gus) == [])
        }
    }

    @Test("no check-in reminder where the location does not require check-in, or for a booking already checked in")
    func noReminderWithoutCheckIn() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            _ = try await server.book(f.desks[0], as: f.ann, day: "2026-03-23", from: "09:00", to: "12:00")
            server.clock.set(local("2026-03-23", "08:50"))
            try await server.services.bookings.remindCheckIns()
            #expect(try await inbox(server, f.ann).array.isEmpty)

            server.clock.set(Fixture.defaultNow)
            #expect(try await server.send(.PATCH, "/api/v1/locations/\(f.berlin)/policy", as: f.leo, json: ["check_in_required": true]).status == .ok)
            let tuesday = try #require(ResponseBody(try await server.book(f.desks[0], as: f.ann, day: "2026-03-24", from: "09:00", to: "12:00")).string("id"))
            server.clock.set(local("2026-03-24", "08:46"))
            #expect(try await server.send(.POST, "/api/v1/bookings/\(tuesday)/check-in", as: f.ann).status == .ok)
            server.clock.set(local("2026-03-24", "08:50"))
            try await server.services.bookings.remindCheckIns()
            #expect(try await inbox(server, f.ann).array.isEmpty)
        }
    }

    @Test("an administrator suspending and resuming a rule tells its owner once each")
    func autopilotSuspension() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let created = try await server.send(.POST, "/api/v1/me/autopilot/rules", as: f.ann,
                                                json: ["name": "Mondays", "location_id": .id(f.berlin), "weekdays": [1], "mode": "watch"])
            let rule = try #require(ResponseBody(created).string("id"))
            let suspend = "/api/v1/admin/autopilot/rules/\(rule)/suspend"
            #expect(try await server.send(.POST, suspend, as: f.admin, json: ["reason": "Books too much"]).status == .ok)
            #expect(try await server.send(.POST, suspend, as: f.admin, json: ["reason": "Still too much"]).status == .ok)
            var notes = try await inbox(server, f.ann).array
            #expect(notes.compactMap { $0["kind"] as? String } == ["autopilot.suspended"])
            #expect(notes.first?["message"] as? String
                == "An administrator suspended your autopilot rule “Mondays”: Books too much. It books nothing until they resume it.")
            #expect(notes.first?["link"] as? String == "/autopilot")
            #expect(notes.first?["location_id"] as? String == f.berlin.uuidString)

            server.clock.advance(by: 60)
            #expect(try await server.send(.POST, "/api/v1/admin/autopilot/rules/\(rule)/resume", as: f.admin).status == .ok)
            notes = try await inbox(server, f.ann).array
            #expect(notes.compactMap { $0["kind"] as? String } == ["autopilot.resumed", "autopilot.suspended"])
            #expect(notes.first?["message"] as? String == "An administrator resumed your autopilot rule “Mondays”.")
            // Pausing and resuming it herself is no news.
            #expect(try await server.send(.POST, "/api/v1/me/autopilot/rules/\(rule)/pause", as: f.ann).status == .ok)
            #expect(try await server.send(.POST, "/api/v1/me/autopilot/rules/\(rule)/resume", as: f.ann).status == .ok)
            #expect(try await inbox(server, f.ann).array.count == 2)
            #expect(try await inbox(server, f.admin).array.isEmpty)
        }
    }

    // MARK: Administration

    @Test("the mail set-up: not configured without SMTP, where it sends with SMTP, never the password; administrators only")
    func mailStatus() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let status = ResponseBody(try await server.send(.GET, "/api/v1/admin/mail", as: f.admin))
            #expect(status["configured"] as? Bool == false && status["host"] == nil)
            for caller in [f.ann, f.leo] {
                #expect(try await server.send(.GET, "/api/v1/admin/mail", as: caller).status == .forbidden)
            }
            let refused = try await server.send(.POST, "/api/v1/admin/mail/test", as: f.admin, json: ["to": "ops@example.com"])
            #expect(refused.status == .conflict && ResponseBody(refused).code == "mail_not_configured")
        }
        try await withServer(configure: Self.smtp) { server in
            let f = try await Fixture.make(server)
            let response = try await server.send(.GET, "/api/v1/admin/mail", as: f.admin)
            let status = ResponseBody(response)
            #expect(status["configured"] as? Bool == true)
            #expect(status.string("host") == "127.0.0.1" && status["port"] as? Int == 2525 && status.string("tls") == "none")
            #expect(status.string("username") == "deskpilot")
            #expect(status.string("from")?.contains("desk@example.com") == true)
            #expect(!response.body.string.contains("s3cret"))
            #expect(status["pending"] as? Int == 0)
        }
    }

    @Test("a test mail is queued (202) for an address, refused for a bad one, and shown in the deliveries")
    func testMail() async throws {
        try await withServer(configure: Self.smtp) { server in
            let f = try await Fixture.make(server)
            for caller in [f.ann, f.leo, f.rita] {
                #expect(try await server.send(.POST, "/api/v1/admin/mail/test", as: caller, json: ["to": "ops@example.com"]).status == .forbidden)
                #expect(try await server.send(.GET, "/api/v1/admin/deliveries", as: caller).status == .forbidden)
            }
            for bad in ["not-an-address", "", "ops@", "a@b.c\r\nBcc: x@y.z"] {
                let response = try await server.send(.POST, "/api/v1/admin/mail/test", as: f.admin, json: ["to": .string(bad)])
                #expect(response.status == .unprocessableEntity && fields(response) == ["to"], "\(bad): \(response.body.string)")
            }
            let queued = try await server.send(.POST, "/api/v1/admin/mail/test", as: f.admin, json: ["to": " ops@example.com "])
            #expect(queued.status == .accepted, "\(queued.body.string)")
            #expect(ResponseBody(queued).string("event_type") == "mail.test" && ResponseBody(queued).string("status") == "pending")
            let id = try #require(ResponseBody(queued).string("id"))
            let listed = ResponseBody(try await server.send(.GET, "/api/v1/admin/deliveries?channel=email&status=pending", as: f.admin)).array
            #expect(listed.compactMap { $0["id"] as? String } == [id])
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/admin/mail", as: f.admin))["pending"] as? Int == 1)
            // An administrator may send any delivery again: a copy with a new id, due now.
            let copy = try await server.send(.POST, "/api/v1/admin/deliveries/\(id)/redeliver", as: f.admin)
            #expect(copy.status == .accepted && ResponseBody(copy).string("event_type") == "mail.test")
            #expect(ResponseBody(copy).string("id") != id)
            #expect(ResponseBody(try await server.send(.GET, "/api/v1/admin/deliveries?channel=email", as: f.admin)).array.count == 2)
            #expect(try await server.send(.POST, "/api/v1/admin/deliveries/\(UUID())/redeliver", as: f.admin).status == .notFound)
            let audit = ResponseBody(try await server.send(.GET, "/api/v1/audit", as: f.admin)).array
            #expect(audit.contains { $0["action"] as? String == "mail.test_queued" })
        }
    }

    // MARK: Upgrading

    @Test("upgrading renames the kinds written before: maintenance, released, assigned and failed allocations")
    func oldKindsRenamed() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let sql = server.services.transactor.sql
            let old = ["room_maintenance": "booking.maintenance", "booking_released": "check_in.released",
                       "desk_assigned": "desk.permanent_assigned", "allocation.failed": "allocation.lost", "allocation.expired": "allocation.lost"]
            var ids: [String: String] = [:]
            for (index, kind) in old.keys.sorted().enumerated() {
                let record = NotificationRecord(to: f.ann.userId, .allocationWon, "Old \(kind)", at: server.clock.now.addingTimeInterval(Double(-index)))
                try await append(server, [record])
                try await sql.raw("UPDATE notifications SET kind = \(bind: kind) WHERE id = \(bind: record.id)").run()
                ids[record.id.uuidString] = kind
            }
            try await SchemaDialect.apply(AddNotificationOutbox.statements.filter { $0.hasPrefix("UPDATE notifications SET kind") }, to: server.app.db)
            let notes = try await inbox(server, f.ann).array
            #expect(notes.count == old.count)
            for note in notes {
                let before = try #require(ids[note["id"] as? String ?? ""])
                #expect(note["kind"] as? String == old[before], "\(before)")
                #expect(note["title"] as? String == NotificationKind(rawValue: old[before]!)?.title)
            }
        }
    }
}
