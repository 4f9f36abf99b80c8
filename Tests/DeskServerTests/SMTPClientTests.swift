@testable import DeskServer
import Foundation
import NIOCore
import NIOPosix
import Testing

/// The SMTP client against a real server (aiosmtpd, `Tests/support/smtp_sink.py`) on loopback: what arrives is read
/// back with Python's `email` package.
@Suite("SMTP client against aiosmtpd", .enabled(if: SMTPSink.isAvailable, "needs python3 with aiosmtpd: pip install aiosmtpd (scripts/test.sh does)"))
struct SMTPClientTests {
    let sender = try! MailAddress("deskpilot@example.com", displayName: "DeskPilot")
    let ics = Array("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\nUID:b-1@desk\r\nSUMMARY:Desk 12\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".utf8)

    func mail(to address: String = "ann@example.com", name: String? = "Ann", subject: String = "Desk 12 is yours",
              text: String = "Hello Ann", html: String? = nil, attachments: [MailAttachment] = [],
              headers: [MailHeader] = []) throws -> MailMessage {
        MailMessage(from: sender, to: try MailAddress(address, displayName: name), subject: subject, text: text, html: html,
                    attachments: attachments, headers: headers)
    }

    /// A sink started with `options` and a mailer for it (as `sink.configuration` makes it, then `tune`d).
    /// The caller stops the sink (`defer`) and shuts the mailer down.
    func start(
        _ options: SMTPSink.Options = .init(), security: SMTPConfiguration.Security = .none, host: String = "127.0.0.1",
        user: String? = nil, password: String? = nil, caFile: URL? = nil, tune: (inout SMTPConfiguration) -> Void = { _ in }
    ) async throws -> (SMTPSink, SMTPMailer) {
        let sink = try await SMTPSink.start(options)
        do {
            var configuration = try sink.configuration(security: security, host: host, user: user, password: password, caFile: caFile)
            tune(&configuration)
            return (sink, try SMTPMailer(configuration: configuration))
        } catch {
            sink.stop()
            throw error
        }
    }

    @Test("a booking mail arrives whole: headers, UTF-8 subject and names, text and escaped HTML, the .ics byte for byte")
    func fullMessage() async throws {
        let (sink, mailer) = try await start()
        defer { sink.stop() }
        let subject = "Schreibtisch 12 für Donnerstag — bestätigt ✅"
        let html = MailHTML.document(title: "Desk <12> & you", paragraphs: ["Booked by O'Brien \"the manager\""])
        let unsubscribe = URL(string: "https://desk.example.com/settings/notifications")!
        let message = try mail(name: "Zoë Çelik", subject: subject, text: "Hello Zoë,\nDesk 12 is yours.", html: html,
                               attachments: [MailAttachment(filename: "booking.ics", contentType: "text/calendar; method=PUBLISH; charset=utf-8", data: ics)],
                               headers: [.listUnsubscribe(unsubscribe), .listUnsubscribeOneClick])
        #expect(await mailer.send([message]) == [.sent])

        let received = try #require(try await sink.waitForMessages(1).first)
        #expect(received.mailFrom == "deskpilot@example.com")
        #expect(received.rcptTos == ["ann@example.com"])
        #expect(received.message.defects.isEmpty, "\(received.message.defects)")
        #expect(received.header("Subject") == subject)
        #expect(received.message.toAddress == [["Zoë Çelik", "ann@example.com"]])
        #expect(received.message.fromAddress == [["DeskPilot", "deskpilot@example.com"]])
        #expect(received.header("Message-ID") == message.messageID)
        #expect(received.header("List-Unsubscribe") == "<\(unsubscribe.absoluteString)>")
        #expect(received.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
        let date = try #require(received.message.dateEpoch)
        #expect(abs(date - message.date.timeIntervalSince1970) < 1)

        #expect(received.message.parts.map(\.contentType) == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar"])
        #expect(received.part("text/plain")?.text == "Hello Zoë,\r\nDesk 12 is yours.")
        let receivedHTML = try #require(received.part("text/html")?.text)
        #expect(receivedHTML.contains("Desk &lt;12&gt; &amp; you"))
        #expect(receivedHTML.contains("Booked by O&#39;Brien &quot;the manager&quot;"))
        let calendar = try #require(received.part("text/calendar"))
        #expect(calendar.filename == "booking.ics")
        #expect(calendar.disposition == "attachment")
        #expect(calendar.params == ["method": "PUBLISH", "charset": "utf-8", "name": "booking.ics"])
        #expect(calendar.bytes == ics)
        await mailer.shutdown()
    }

    @Test("STARTTLS with a self-signed certificate trusted through ca_file")
    func startTLS() async throws {
        let certificate = try TestCertificate.make()
        let (sink, mailer) = try await start(.init(certificate: certificate), security: .startTLS, host: "localhost", caFile: certificate.certificate)
        defer { sink.stop() }
        #expect(await mailer.send([try mail()]) == [.sent])
        #expect(try await sink.waitForMessages(1).first?.tls == true)
        await mailer.shutdown()
    }

    @Test("STARTTLS refuses a certificate it was not told to trust")
    func untrustedCertificate() async throws {
        let certificate = try TestCertificate.make()
        let (sink, mailer) = try await start(.init(certificate: certificate), security: .startTLS, host: "localhost")
        defer { sink.stop() }
        let outcome = try #require(await mailer.send([try mail()]).first)
        #expect(outcome.isTransientFailure && outcome.reason?.contains("TLS failed: the server's certificate is not trusted") == true, "\(outcome)")
        #expect(try sink.received().isEmpty)
        await mailer.shutdown()
    }

    @Test("STARTTLS configured but not offered by the server: nothing is sent in clear text")
    func startTLSNotOffered() async throws {
        let (sink, mailer) = try await start(security: .startTLS)
        defer { sink.stop() }
        let outcomes = await mailer.send([try mail(), try mail()])
        #expect(outcomes.allSatisfy { $0.isTransientFailure && $0.reason?.contains("does not offer STARTTLS") == true }, "\(outcomes)")
        #expect(try sink.received().isEmpty)
        await mailer.shutdown()
    }

    @Test("implicit TLS (smtps)")
    func implicitTLS() async throws {
        let certificate = try TestCertificate.make()
        let (sink, mailer) = try await start(.init(certificate: certificate, implicitTLS: true), security: .implicit, caFile: certificate.certificate)
        defer { sink.stop() }
        #expect(await mailer.send([try mail()]) == [.sent])
        #expect(try await sink.waitForMessages(1).first?.tls == true)
        await mailer.shutdown()
    }

    @Test("AUTH PLAIN over STARTTLS; a wrong password fails without showing it")
    func authPlain() async throws {
        let certificate = try TestCertificate.make()
        let options = SMTPSink.Options(certificate: certificate, user: "mailer", password: "s3cret-pässword")
        let (sink, mailer) = try await start(options, security: .startTLS, host: "localhost", user: "mailer",
                                             password: "s3cret-pässword", caFile: certificate.certificate)
        defer { sink.stop() }
        #expect(await mailer.send([try mail()]) == [.sent])
        let received = try #require(try await sink.waitForMessages(1).first)
        #expect(received.authUser == "mailer" && received.tls)
        await mailer.shutdown()

        let wrong = try SMTPMailer(configuration: try sink.configuration(
            security: .startTLS, host: "localhost", user: "mailer", password: "wrong-password", caFile: certificate.certificate))
        let outcome = try #require(await wrong.send([try mail()]).first)
        #expect(outcome.isTransientFailure, "\(outcome)")
        #expect(outcome.reason?.contains("AUTH PLAIN answered 535") == true, "\(outcome)")
        #expect(outcome.reason?.contains("wrong-password") == false)
        #expect(try sink.received().count == 1)
        await wrong.shutdown()
    }

    @Test("AUTH LOGIN when the server offers only LOGIN")
    func authLogin() async throws {
        let certificate = try TestCertificate.make()
        let options = SMTPSink.Options(certificate: certificate, user: "mailer", password: "pw", mechanisms: "LOGIN")
        let (sink, mailer) = try await start(options, security: .startTLS, host: "localhost", user: "mailer", password: "pw",
                                             caFile: certificate.certificate)
        defer { sink.stop() }
        #expect(await mailer.send([try mail()]) == [.sent])
        #expect(try await sink.waitForMessages(1).first?.authUser == "mailer")
        await mailer.shutdown()
    }

    @Test("a server that refuses EHLO is greeted with HELO, and the mail still goes")
    func heloFallback() async throws {
        let (sink, mailer) = try await start(.init(heloOnly: true))
        defer { sink.stop() }
        #expect(await mailer.send([try mail()]) == [.sent])
        #expect(try await sink.waitForMessages(1).first?.rcptTos == ["ann@example.com"])
        await mailer.shutdown()
    }

    @Test("a refused message (550 permanent, 451 transient) does not stop the next one on the same connection")
    func refusals() async throws {
        var options = SMTPSink.Options()
        options.idleTimeout = 60
        let (sink, mailer) = try await start(options, tune: { $0.maxConnections = 1 })
        defer { sink.stop() }
        try await sink.control("refuse 1 550")
        try await sink.control("refuse-rcpt 1 450")
        let batch = try (0..<4).map { try mail(subject: "Mail \($0)") }
        let outcomes = await mailer.send(batch)
        // The recipient of the first is refused for now, the content of the second for good.
        #expect(outcomes[0].isTransientFailure && outcomes[0].reason?.contains("RCPT TO answered 450") == true, "\(outcomes[0])")
        #expect(outcomes[1].isPermanentFailure && outcomes[1].reason?.contains("the message content answered 550") == true, "\(outcomes[1])")
        #expect(Array(outcomes[2...]) == [.sent, .sent])
        try await sink.control("refuse-rcpt 1 550")
        #expect(await mailer.send([try mail(subject: "Mail 4"), try mail(subject: "Mail 5")]).map(\.isPermanentFailure) == [true, false])
        let received = try await sink.waitForMessages(3)
        #expect(received.map { $0.header("Subject") } == ["Mail 2", "Mail 3", "Mail 5"])
        // One connection carried all of them, across both batches.
        #expect(Set(received.map(\.peerPort)).count == 1)
        await mailer.shutdown()
    }

    @Test("nobody listening: every message fails as transient, at once")
    func connectionRefused() async throws {
        let port = try await ServerProcess.freePort()
        let mailer = try SMTPMailer(configuration: SMTPConfiguration(host: "127.0.0.1", port: port, security: .none, sender: sender))
        let started = ContinuousClock.now
        let outcomes = await mailer.send(try (0..<20).map { _ in try mail() })
        #expect(ContinuousClock.now - started < .seconds(3))
        #expect(outcomes.count == 20)
        #expect(outcomes.allSatisfy { $0.isTransientFailure })
        #expect(outcomes.first?.reason?.contains("cannot connect to 127.0.0.1:\(port)") == true, "\(outcomes)")
        #expect(await mailer.openConnections == 0)
    }

    @Test("a server that stops answering: transient failure after the command timeout, and the next batch goes through")
    func stalledServer() async throws {
        let (sink, mailer) = try await start(tune: {
            $0.maxConnections = 1
            $0.commandTimeout = .milliseconds(800)
        })
        defer { sink.stop() }
        try await sink.control("stall 1")
        let started = ContinuousClock.now
        let outcomes = await mailer.send([try mail(subject: "stalled"), try mail(subject: "behind it")])
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(outcomes.allSatisfy { $0.isTransientFailure }, "\(outcomes)")
        #expect(outcomes[0].reason == "no reply to the message content in time", "\(outcomes)")
        #expect(await mailer.send([try mail(subject: "after")]) == [.sent])
        #expect(try await sink.waitForMessages(1).map { $0.header("Subject") } == ["after"])
        await mailer.shutdown()
    }

    @Test("a command on a connection that closed underneath fails at once instead of waiting for a reply")
    func closedUnderneath() async throws {
        let (sink, mailer) = try await start()
        defer { sink.stop() }
        let connection = try await SMTPConnection.open(try sink.configuration(), tls: nil, group: MultiThreadedEventLoopGroup.singleton)
        try await connection.channel.close()
        let message = try mail()
        // Polled rather than awaited: a send that waits forever must fail this test, not hang the run.
        let outcome = ResultBox<SMTPAttempt>()
        Task { outcome.set(await connection.send(from: message.from, to: message.to, payload: SMTPConnection.dataPayload(message.render()))) }
        let deadline = ContinuousClock.now + .seconds(3)
        while outcome.value == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        guard case let .broken(error, afterContent)? = outcome.value else {
            Issue.record("the send on a closed connection did not end as broken: \(String(describing: outcome.value))")
            return
        }
        #expect(!afterContent)
        #expect(error.description.contains("closed"), "\(error)")
        await mailer.shutdown()
    }

    @Test("dot-stuffing, a lone dot line and very long lines arrive unchanged; no line on the wire exceeds 78")
    func dotsAndLongLines() async throws {
        let (sink, mailer) = try await start()
        defer { sink.stop() }
        let longWord = String(repeating: "0123456789", count: 120)
        let text = ".starts with a dot\n.\n..two dots\nmiddle\n" + longWord + "\n" + String(repeating: "wörds and ", count: 150) + "\n."
        #expect(await mailer.send([try mail(text: text, html: "<pre>\n.\n" + longWord + "</pre>")]) == [.sent])
        let received = try #require(try await sink.waitForMessages(1).first)
        #expect(received.part("text/plain")?.text == text.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(received.part("text/html")?.text == ("<pre>\n.\n" + longWord + "</pre>").replacingOccurrences(of: "\n", with: "\r\n"))
        for line in received.rawText.components(separatedBy: "\r\n") {
            #expect(line.count <= 78, "\(line)")
        }
        await mailer.shutdown()
    }

    @Test("header injection through the subject or a display name adds no recipient and no header")
    func headerInjection() async throws {
        let (sink, mailer) = try await start()
        defer { sink.stop() }
        let message = try mail(name: "Ann\r\nBcc: victim@example.com", subject: "Hi\r\nBcc: victim@example.com\r\n\r\nforged body")
        #expect(await mailer.send([message]) == [.sent])
        let received = try #require(try await sink.waitForMessages(1).first)
        #expect(received.rcptTos == ["ann@example.com"])
        #expect(received.message.headers["bcc"] == nil)
        #expect(received.header("Subject") == "Hi  Bcc: victim@example.com    forged body")
        // A single-part body ends with the line break that SMTP's end-of-data needs.
        #expect(received.part("text/plain")?.text == "Hello Ann\r\n")
        await mailer.shutdown()
    }

    @Test("a batch spreads over at most maxConnections connections, each reused for many messages")
    func pooledBatch() async throws {
        // scripts/mail-throughput.sh raises the count to measure throughput; then the sink only stores what it gets.
        let benchmark = ProcessInfo.processInfo.environment["DESKPILOT_MAIL_BENCH_COUNT"].flatMap { Int($0) }
        let count = benchmark ?? 120
        let (sink, mailer) = try await start(.init(parse: benchmark == nil))
        defer { sink.stop() }
        let messages = try (0..<count).map { try mail(to: "user\($0)@example.com", subject: "Mail \($0)") }
        let started = ContinuousClock.now
        let outcomes = await mailer.send(messages)
        let elapsed = ContinuousClock.now - started
        #expect(outcomes.allSatisfy { $0.isSent })
        let received = try await sink.waitForMessages(count)
        #expect(Set(received.map(\.rcptTos)) == Set((0..<count).map { ["user\($0)@example.com"] }))
        #expect(Set(received.map { $0.rawText.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: ") } }).count == count)
        let connections = Set(received.map(\.peerPort))
        #expect((2...4).contains(connections.count), "\(connections)")
        #expect(await mailer.openConnections == connections.count)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("mails: \(count) in \(String(format: "%.2f", seconds)) s, \(Int(Double(count) / seconds))/s over \(connections.count) connections")
        await mailer.shutdown()
    }

    @Test("idle connections are closed after the idle timeout; a connection the server closed is replaced")
    func idleConnections() async throws {
        var options = SMTPSink.Options()
        options.idleTimeout = 1
        let (sink, mailer) = try await start(options, tune: { $0.idleTimeout = .milliseconds(300) })
        defer { sink.stop() }
        #expect(await mailer.send([try mail(subject: "first")]) == [.sent])
        #expect(await mailer.openConnections == 1)
        try await Task.sleep(for: .milliseconds(800))
        #expect(await mailer.openConnections == 0)

        // The pool keeps its connection for 30 s, the server drops the session after 1 s: the next mail still goes.
        let patient = try SMTPMailer(configuration: try sink.configuration())
        #expect(await patient.send([try mail(subject: "second")]) == [.sent])
        try await Task.sleep(for: .milliseconds(1500))
        #expect(await patient.send([try mail(subject: "third")]) == [.sent])
        let received = try await sink.waitForMessages(3)
        #expect(received.map { $0.header("Subject") } == ["first", "second", "third"])
        #expect(Set(received.map(\.peerPort)).count == 3)
        await patient.shutdown()
    }
}

/// A value set by one task and read by another.
private final class ResultBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?
    func set(_ value: Value) { lock.withLock { stored = value } }
    var value: Value? { lock.withLock { stored } }
}

extension MailOutcome {
    var reason: String? {
        if case let .failed(_, reason) = self { return reason }
        return nil
    }
    var isPermanentFailure: Bool { if case .failed(true, _) = self { true } else { false } }
    var isTransientFailure: Bool { if case .failed(false, _) = self { true } else { false } }
}
