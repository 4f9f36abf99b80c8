import DeskCore
@testable import DeskServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// E-mail from the outbox to a real SMTP server (aiosmtpd), checked with Python's own MIME parser: what a person
/// receives when someone else changes their booking, that a failing mail server never blocks the change, and how a
/// delivery is retried and given up.
@Suite("Deliveries by e-mail: the outbox to a real SMTP server",
       .enabled(if: SMTPSink.isAvailable, "needs python3 with aiosmtpd: pip install aiosmtpd (scripts/test.sh does)"))
struct DeliveryTests {
    static let baseURL = "https://desks.example.com"
    static let settingsPage = baseURL + "/settings#notifications"
    /// `DESKPILOT_MAIL_FROM`, with a name that needs encoding in the header.
    static let mailFrom = "DeskPilot Büro <desks@example.org>"
    static let monday = "2026-03-23"
    static let tuesday = "2026-03-24"

    /// A server sending mail to `sink` (through `DESKPILOT_SMTP_URL`, plain on loopback), with the fixture.
    func withMailServer(
        port: Int, _ body: (TestServer, Fixture) async throws -> Void
    ) async throws {
        try await withServer(configure: { config in
            config.baseURL = URL(string: Self.baseURL)!
            config.smtp = try! SMTPConfiguration.load(url: "smtp://127.0.0.1:\(port)?tls=none", from: Self.mailFrom)
            config.smtp?.commandTimeout = .seconds(5)
        }) { server in
            try await body(server, try await Fixture.make(server))
        }
    }

    /// Ann's booking on Monday at `desk`, cancelled by Leo (who manages Berlin): she is told.
    func cancelledByManager(_ server: TestServer, _ fixture: Fixture, desk: Int = 0, day: String = monday,
                            owner: Caller? = nil) async throws -> UUID {
        let owner = owner ?? fixture.ann
        let booked = try await server.book(fixture.desks[desk], as: owner, day: day, from: "09:00", to: "17:00")
        try #require(booked.status == .created, "\(booked.body.string)")
        let bookingId = try #require(ResponseBody(booked).uuid("id"))
        let cancelled = try await server.send(.DELETE, "/api/v1/bookings/\(bookingId)", as: fixture.leo)
        try #require(cancelled.status == .ok, "\(cancelled.body.string)")
        return bookingId
    }

    @Test("a manager cancels someone's booking: one mail to them, with the kind's title, both parts escaped, the headers and the booking's .ics")
    func cancellationMail() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        try await withMailServer(port: sink.port) { server, fixture in
            // A desk name that must never become markup.
            let deskName = #"A1 <b>&"x""#
            let renamed = try await server.send(.PATCH, "/api/v1/desks/\(fixture.desks[0])", as: fixture.admin, json: ["name": .string(deskName)])
            try #require(renamed.status == .ok, "\(renamed.body.string)")
            let booked = try await server.book(fixture.desks[0], as: fixture.ann, day: Self.monday, from: "09:00", to: "17:00")
            let bookingId = try #require(ResponseBody(booked).uuid("id"))
            await server.deliverDue()
            #expect(try sink.received().isEmpty, "her own booking is no news to her")

            let cancelled = try await server.send(.DELETE, "/api/v1/bookings/\(bookingId)", as: fixture.leo)
            #expect(cancelled.status == .ok)
            await server.deliverDue()

            let mails = try sink.received()
            try #require(mails.count == 1)
            let mail = mails[0]
            #expect(mail.message.defects.isEmpty, "\(mail.message.defects)")
            #expect(mail.mailFrom == "desks@example.org")
            #expect(mail.rcptTos == ["ann@example.com"])
            #expect(mail.message.fromAddress == [["DeskPilot Büro", "desks@example.org"]])
            #expect(mail.message.toAddress == [["Ann", "ann@example.com"]])
            #expect(mail.header("Subject") == NotificationKind.bookingCancelledForYou.title)
            #expect(mail.header("List-Unsubscribe") == "<\(Self.settingsPage)>")
            let date = try #require(mail.message.dateEpoch)
            #expect(abs(date - Fixture.defaultNow.timeIntervalSince1970) < 1, "the Date is when it happened")

            let email = try #require(try await server.deliveries(as: fixture.admin, channel: "email").first)
            #expect(email.status == "delivered")
            #expect(email.attempts == 1)
            #expect(email.eventType == NotificationKind.bookingCancelledForYou.rawValue)
            #expect(email.recipient == fixture.ann.userId.uuidString)
            #expect(mail.header("Message-ID") == "<\(email.id.uuidString.lowercased())@example.org>")

            let message = "Leo cancelled your booking of desk \(deskName) at Berlin"
            let text = try #require(mail.part("text/plain")?.text)
            #expect(text.contains(message), "\(text)")
            #expect(text.contains("Open in DeskPilot: \(Self.baseURL)/"), "\(text)")
            #expect(text.contains(Self.settingsPage), "\(text)")
            let html = try #require(mail.part("text/html")?.text)
            #expect(html.contains("Leo cancelled your booking of desk A1 &lt;b&gt;&amp;&quot;x&quot; at Berlin"), "\(html)")
            #expect(!html.contains("<b>"), "the desk's name stays text")
            #expect(html.contains(#"href="\#(Self.settingsPage)""#))

            let calendar = try #require(mail.part("text/calendar"))
            #expect(calendar.filename == "booking.ics")
            let ics = String(decoding: calendar.bytes, as: UTF8.self)
            #expect(ics.contains("UID:\(bookingId.uuidString.lowercased())@deskpilot"), "\(ics)")
            #expect(ics.contains("STATUS:CANCELLED"), "\(ics)")
        }
    }

    @Test("a person who switched a kind's e-mail off gets it in the inbox only: no delivery, no mail")
    func switchedOff() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        try await withMailServer(port: sink.port) { server, fixture in
            let changed = try await server.send(.PUT, "/api/v1/me/notification-settings", as: fixture.bob, json: [
                "kinds": [["kind": "booking.cancelled_for_you", "channels": ["email": false]]],
            ])
            #expect(changed.status == .ok, "\(changed.body.string)")
            _ = try await cancelledByManager(server, fixture, desk: 1, owner: fixture.bob)
            // Ann, with the defaults, still hears of hers.
            _ = try await cancelledByManager(server, fixture, desk: 2)
            await server.deliverDue()

            #expect(try await server.notifications(of: fixture.bob).map { $0["kind"] as? String } == ["booking.cancelled_for_you"])
            #expect(try sink.received().flatMap(\.rcptTos) == ["ann@example.com"])
            #expect(try await server.deliveries(as: fixture.admin, channel: "email").map(\.recipient) == [fixture.ann.userId.uuidString])
        }
    }

    @Test("an administrator's test mail arrives, its UTF-8 subject intact")
    func testMail() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        try await withMailServer(port: sink.port) { server, fixture in
            let queued = try await server.send(.POST, "/api/v1/admin/mail/test", as: fixture.admin, json: ["to": "ops@example.com"])
            #expect(queued.status == .accepted, "\(queued.body.string)")
            await server.deliverDue()
            let mails = try sink.received()
            try #require(mails.count == 1)
            #expect(mails[0].rcptTos == ["ops@example.com"])
            #expect(mails[0].header("Subject") == "DeskPilot test mail ✓")
            #expect(mails[0].part("text/plain")?.text?.contains(Self.baseURL) == true)
            #expect(try await server.deliveries(as: fixture.admin, channel: "email").map(\.status) == ["delivered"])
        }
    }

    @Test("with the mail server down the change still succeeds and is in the inbox; the mail waits about 10 s and goes out once the server is back")
    func serverDown() async throws {
        var sink = try await SMTPSink.start()
        let port = sink.port
        try await withMailServer(port: port) { server, fixture in
            // A first mail leaves a connection open in the pool; the server then goes away under it.
            _ = try await cancelledByManager(server, fixture, desk: 0)
            await server.deliverDue()
            #expect(try sink.received().count == 1)
            sink.stop()

            let bookingId = try await cancelledByManager(server, fixture, desk: 1, day: Self.tuesday)
            let inbox = try await server.notifications(of: fixture.ann)
            #expect(inbox.count == 2)
            #expect(inbox.contains { $0["booking_id"] as? String == bookingId.uuidString && $0["kind"] as? String == "booking.cancelled_for_you" })

            let failedAt = server.clock.now
            await server.deliverDue()
            let waiting = try #require(try await server.deliveries(as: fixture.admin, channel: "email", status: "pending").first)
            #expect(waiting.attempts == 1)
            #expect(waiting.lastError?.isEmpty == false, "\(waiting.lastError ?? "no error")")
            let delay = try #require(waiting.nextAttemptAt).timeIntervalSince(failedAt)
            #expect(delay >= 8 && delay <= 12, "next attempt in \(delay) s")

            // Not due yet: nothing is tried.
            await server.deliverDue()
            #expect(try await server.deliveries(as: fixture.admin, channel: "email", status: "pending").first?.attempts == 1)

            sink = try await SMTPSink.start(.init(port: port))
            server.clock.advance(by: 13)
            await server.deliverDue()
            let mails = try sink.received()
            #expect(mails.count == 1)
            let calendar = mails.first?.part("text/calendar").map { String(decoding: $0.bytes, as: UTF8.self) } ?? ""
            #expect(calendar.contains("UID:\(bookingId.uuidString.lowercased())@deskpilot"))
            let delivered = try await server.deliveries(as: fixture.admin, channel: "email")
            #expect(delivered.map(\.status) == ["delivered", "delivered"])
            let retried = try #require(delivered.first { $0.id == waiting.id })
            #expect(retried.attempts == 2)
            #expect(retried.attemptLog.map(\.succeeded) == [true, false])
        }
        sink.stop()
    }

    @Test("a permanent refusal (5xx) fails the delivery at once; a temporary one (4xx) is retried")
    func permanentRefusal() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        try await withMailServer(port: sink.port) { server, fixture in
            try await sink.control("refuse 1 550")
            _ = try await cancelledByManager(server, fixture, desk: 0)
            await server.deliverDue()
            let refused = try await server.deliveries(as: fixture.admin, channel: "email")
            #expect(refused.map(\.status) == ["failed"])
            #expect(refused.first?.attempts == 1)
            #expect(refused.first?.lastError?.contains("550") == true, "\(refused.first?.lastError ?? "")")

            try await sink.control("refuse 1 451")
            _ = try await cancelledByManager(server, fixture, desk: 1)
            await server.deliverDue()
            let deferred = try #require(try await server.deliveries(as: fixture.admin, channel: "email", status: "pending").first)
            #expect(deferred.attempts == 1)
            server.clock.advance(by: 13)
            await server.deliverDue()
            #expect(try await server.deliveries(as: fixture.admin, channel: "email", status: "delivered").map(\.id) == [deferred.id])
            #expect(try sink.received().count == 1)
        }
    }

    @Test("an e-mail is tried 6 times over about 2½ hours, then it has failed for good")
    func givesUp() async throws {
        let port = try await ServerProcess.freePort()
        try await withMailServer(port: port) { server, fixture in
            _ = try await cancelledByManager(server, fixture)
            for attempt in 1...DeliverySchedule.email.maximumAttempts {
                await server.deliverDue()
                let delivery = try #require(try await server.deliveries(as: fixture.admin, channel: "email").first)
                #expect(delivery.attempts == attempt)
                if attempt < DeliverySchedule.email.maximumAttempts {
                    #expect(delivery.status == "pending")
                    let delay = try #require(delivery.nextAttemptAt).timeIntervalSince(server.clock.now)
                    let expected = DeliverySchedule.delays[attempt - 1]
                    #expect(delay >= expected * 0.8 && delay <= expected * 1.2, "attempt \(attempt): next in \(delay) s")
                    server.clock.advance(by: expected * 1.2 + 1)
                } else {
                    #expect(delivery.status == "failed")
                    #expect(delivery.attemptLog.count == attempt)
                    #expect(delivery.attemptLog.allSatisfy { !$0.succeeded && $0.error != nil })
                }
            }
            // Failed is final: nothing is tried again.
            server.clock.advance(by: 86_400)
            await server.deliverDue()
            #expect(try await server.deliveries(as: fixture.admin, channel: "email").first?.attempts == DeliverySchedule.email.maximumAttempts)
        }
    }
}
