import AsyncHTTPClient
@testable import DeskServer
import Foundation
import NIOCore
import NIOSSL
import Testing

/// `Tests/support/webhook_receiver.py` running as its own process on a loopback port: it verifies signatures as a
/// third party would and records each delivery. It exits when this object's pipe to its stdin closes (`stop()`, or
/// when the test process ends).
final class WebhookReceiver: @unchecked Sendable {
    struct Delivery: Decodable, Sendable {
        /// "ok", "unverified", or the misbehaviour it was told to show ("fail", "hang", …).
        let answer: String
        let deliveryId: String?
        let event: String?
        let verified: Bool
        let reason: String
        let path: String
        let host: String?
        let contentType: String?
        let userAgent: String?
        let payloadId: String?
        let peerPort: Int
    }

    let port: Int
    let secret: String
    private let process: Process
    private let input: Pipe
    private let log: URL

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("support/webhook_receiver.py")

    /// Starts a receiver sharing `secret`; with `certificate`, it speaks TLS with that PEM certificate and key.
    static func start(secret: String, certificate: (cert: URL, key: URL)? = nil) throws -> WebhookReceiver {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-receiver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("deliveries.jsonl")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--secret", secret, "--log", log.path]
            + (certificate.map { ["--cert", $0.cert.path, "--key", $0.key.path] } ?? [])
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The first line is the port it listens on.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw CommandError("the webhook receiver exited before listening") }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CommandError("the webhook receiver printed no port")
        }
        return WebhookReceiver(port: port, secret: secret, process: process, input: input, log: log)
    }

    private init(port: Int, secret: String, process: Process, input: Pipe, log: URL) {
        self.port = port
        self.secret = secret
        self.process = process
        self.input = input
        self.log = log
    }

    /// Tells it how to misbehave for the next deliveries, e.g. `["fail": 2, "status": 503]`.
    func control(_ command: [String: any Sendable]) async throws {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/_control")
        request.method = .POST
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: command)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        _ = try await response.body.collect(upTo: 1 << 16)
        #expect(response.status == .ok)
    }

    /// Every delivery it received so far, in order.
    func deliveries() throws -> [Delivery] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let text = try String(contentsOf: log, encoding: .utf8)
        return try text.split(separator: "\n").map { try decoder.decode(Delivery.self, from: Data($0.utf8)) }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: log.deletingLastPathComponent())
    }
}

@Suite("Webhook sender: signed deliveries over real HTTP to a receiver in another process", .serialized)
struct WebhookSenderTests {
    static let secret = "whsec_" + String(repeating: "s", count: 43)
    static let body = Data(#"{"id":"9b2f7e4c-0000-4000-8000-000000000001","type":"booking.created","occurred_at":"2026-05-04T09:00:00Z","data":{"desk":"12"}}"#.utf8)

    /// A fresh receiver and sender for one test, both stopped afterwards whatever happens.
    func withReceiver(
        configuration: WebhookSenderConfiguration = .init(), resolver: any HostResolver = SystemHostResolver(),
        certificate: (cert: URL, key: URL)? = nil,
        _ body: (WebhookReceiver, HTTPWebhookSender) async throws -> Void
    ) async throws {
        let receiver = try WebhookReceiver.start(secret: Self.secret, certificate: certificate)
        let sender = HTTPWebhookSender(configuration: configuration, resolver: resolver)
        do {
            try await body(receiver, sender)
        } catch {
            await sender.shutdown()
            receiver.stop()
            throw error
        }
        await sender.shutdown()
        receiver.stop()
    }

    func send(_ sender: HTTPWebhookSender, _ url: String, allowPrivate: Bool = true, id: UUID = UUID()) async -> WebhookAttempt {
        await sender.send(url: url, body: Self.body, event: "booking.created", deliveryId: id, secret: Self.secret, allowPrivate: allowPrivate)
    }

    @Test("the defaults are the contract: 10 s for an attempt, 64 KB of answer read at most")
    func defaults() {
        let configuration = WebhookSenderConfiguration()
        #expect(configuration.timeout == .seconds(10))
        #expect(configuration.maxResponseBytes == 65_536)
        #expect(configuration.userAgent == "DeskPilot-Webhooks/1")
    }

    @Test("a delivery arrives once, signed so a third party verifies it, with the event, delivery id and JSON headers")
    func delivered() async throws {
        try await withReceiver { (receiver, sender) async throws in
            let id = UUID()
            let attempt = await send(sender, "http://127.0.0.1:\(receiver.port)/hooks/desk?source=test", id: id)
            #expect(attempt.succeeded, "\(attempt.error ?? "")")
            #expect(attempt.statusCode == 200)
            #expect(attempt.error == nil)
            #expect(attempt.responseSnippet == #"{"ok":true}"#)
            #expect(attempt.durationMilliseconds >= 0 && attempt.durationMilliseconds < 5_000)
            let deliveries = try receiver.deliveries()
            try #require(deliveries.count == 1)
            let delivery = deliveries[0]
            #expect(delivery.verified, "\(delivery.reason)")
            #expect(delivery.deliveryId == id.uuidString.lowercased())
            #expect(delivery.event == "booking.created")
            #expect(delivery.path == "/hooks/desk?source=test")
            #expect(delivery.contentType == "application/json")
            #expect(delivery.userAgent == "DeskPilot-Webhooks/1")
            #expect(delivery.payloadId == "9b2f7e4c-0000-4000-8000-000000000001")
            #expect(delivery.host == "127.0.0.1:\(receiver.port)")

            // Signed with another secret, the receiver refuses it, and the attempt records its answer.
            let forged = await sender.send(
                url: "http://127.0.0.1:\(receiver.port)/hooks", body: Self.body, event: "booking.created", deliveryId: UUID(),
                secret: "whsec_wrong", allowPrivate: true)
            #expect(!forged.succeeded)
            #expect(forged.statusCode == 401)
            #expect(forged.error == "HTTP 401")
            #expect(forged.responseSnippet?.contains("signature mismatch") == true)
            #expect(try receiver.deliveries().last?.verified == false)
        }
    }

    @Test("a failing receiver gives a failure with its status; the next attempt, freshly signed, succeeds")
    func failingReceiver() async throws {
        try await withReceiver { (receiver, sender) async throws in
            try await receiver.control(["fail": 2, "status": 503])
            let id = UUID()
            let url = "http://127.0.0.1:\(receiver.port)/hooks"
            let first = await send(sender, url, id: id)
            #expect(!first.succeeded)
            #expect(first.statusCode == 503)
            #expect(first.error == "HTTP 503")
            #expect(first.responseSnippet == #"{"error":"failing on purpose"}"#)
            let second = await send(sender, url, id: id)
            #expect(second.statusCode == 503)
            let third = await send(sender, url, id: id)
            #expect(third.succeeded)
            #expect(third.statusCode == 200)
            let deliveries = try receiver.deliveries()
            #expect(deliveries.count == 3)
            #expect(deliveries.allSatisfy { $0.deliveryId == id.uuidString.lowercased() && $0.verified })
        }
    }

    @Test("a hanging receiver times out after the configured time")
    func hangingReceiver() async throws {
        var configuration = WebhookSenderConfiguration()
        configuration.timeout = .milliseconds(1_500)
        try await withReceiver(configuration: configuration) { (receiver, sender) async throws in
            try await receiver.control(["hang": 1, "seconds": 15])
            let attempt = await send(sender, "http://127.0.0.1:\(receiver.port)/hooks")
            #expect(!attempt.succeeded)
            #expect(attempt.statusCode == nil)
            #expect(attempt.error == "timed out after 1.5 s")
            #expect(attempt.durationMilliseconds >= 1_400 && attempt.durationMilliseconds < 5_000, "\(attempt.durationMilliseconds) ms")
            #expect(try receiver.deliveries().count == 1)
            // The sender stays usable.
            #expect(await send(sender, "http://127.0.0.1:\(receiver.port)/hooks").succeeded)
        }
    }

    @Test("a redirect is a failure and is not followed")
    func redirect() async throws {
        try await withReceiver { (receiver, sender) async throws in
            try await receiver.control(["redirect": 1, "location": "http://127.0.0.1:\(receiver.port)/followed"])
            let attempt = await send(sender, "http://127.0.0.1:\(receiver.port)/hooks")
            #expect(!attempt.succeeded)
            #expect(attempt.statusCode == 302)
            #expect(attempt.error == "HTTP 302: redirect to http://127.0.0.1:\(receiver.port)/followed not followed")
            let deliveries = try receiver.deliveries()
            #expect(deliveries.map(\.path) == ["/hooks"])
        }
    }

    @Test("an oversized answer is cut at 64 KB without error: the rest, even if it never comes, is not waited for")
    func oversizedAnswer() async throws {
        var configuration = WebhookSenderConfiguration()
        configuration.timeout = .seconds(5)
        try await withReceiver(configuration: configuration) { (receiver, sender) async throws in
            // 10 MB announced; the receiver sends 128 KB and then stalls for 15 s.
            try await receiver.control(["huge": 1, "bytes": 10 * 1024 * 1024, "stall_after": 128 * 1024, "seconds": 15])
            let attempt = await send(sender, "http://127.0.0.1:\(receiver.port)/hooks")
            #expect(attempt.succeeded, "\(attempt.error ?? "")")
            #expect(attempt.statusCode == 200)
            #expect(attempt.responseSnippet == String(repeating: "x", count: 1024))
            #expect(attempt.durationMilliseconds < 4_000, "\(attempt.durationMilliseconds) ms")
            // A plain huge answer, sent in full, is also cut and fine; the sender stays usable.
            try await receiver.control(["huge": 1, "bytes": 10 * 1024 * 1024, "stall_after": 0])
            #expect(await send(sender, "http://127.0.0.1:\(receiver.port)/hooks").succeeded)
            #expect(await send(sender, "http://127.0.0.1:\(receiver.port)/hooks").responseSnippet == #"{"ok":true}"#)
        }
    }

    @Test("loopback targets are refused without the setting, by address and by name, and nothing reaches them")
    func privateRefused() async throws {
        try await withReceiver { (receiver, sender) async throws in
            let literal = await send(sender, "https://127.0.0.1:\(receiver.port)/hooks", allowPrivate: false)
            #expect(!literal.succeeded)
            #expect(literal.statusCode == nil)
            #expect(literal.error == "target URL must not point to a loopback address (private targets are not allowed on this server)")
            let named = await send(sender, "https://localhost:\(receiver.port)/hooks", allowPrivate: false)
            #expect(named.error?.contains("loopback address") == true)
            let plain = await send(sender, "http://127.0.0.1:\(receiver.port)/hooks", allowPrivate: false)
            #expect(plain.error == "target URL must use https")
            #expect(try receiver.deliveries().isEmpty)
            // With the setting, the same name is delivered to, with its own name in the Host header.
            let allowed = await send(sender, "http://localhost:\(receiver.port)/hooks", allowPrivate: true)
            #expect(allowed.succeeded, "\(allowed.error ?? "")")
            #expect(try receiver.deliveries().map(\.host) == ["localhost:\(receiver.port)"])
        }
    }

    @Test("a name is resolved again at delivery and the connection goes to the address checked then")
    func resolvedAtDelivery() async throws {
        // Names that exist nowhere but in this table: reaching the receiver proves the checked address was used.
        let resolver = TableResolver(table: [
            "hooks.example.test": ["127.0.0.1"],
            "cloud.example.test": ["169.254.169.254"],
            "split.example.test": ["127.0.0.1", "169.254.170.2"],
            "two.example.test": ["127.0.0.2", "127.0.0.1"],
        ])
        try await withReceiver(resolver: resolver) { (receiver, sender) async throws in
            let refused = await send(sender, "https://hooks.example.test:\(receiver.port)/hooks", allowPrivate: false)
            #expect(refused.error == "target resolves to a loopback address (private targets are not allowed on this server)")
            #expect(try receiver.deliveries().isEmpty)

            let delivered = await send(sender, "http://hooks.example.test:\(receiver.port)/hooks", allowPrivate: true)
            #expect(delivered.succeeded, "\(delivered.error ?? "")")
            #expect(try receiver.deliveries().map(\.host) == ["hooks.example.test:\(receiver.port)"])

            // Where the first address refuses the connection, the next one is tried.
            let second = await send(sender, "http://two.example.test:\(receiver.port)/hooks", allowPrivate: true)
            #expect(second.succeeded, "\(second.error ?? "")")
            #expect(try receiver.deliveries().map(\.host) == ["hooks.example.test:\(receiver.port)", "two.example.test:\(receiver.port)"])

            // Metadata is refused always, even when private targets are allowed, and even as one address of several.
            for host in ["cloud.example.test", "split.example.test"] {
                let attempt = await send(sender, "http://\(host):\(receiver.port)/hooks", allowPrivate: true)
                #expect(attempt.error == "target resolves to a cloud metadata address", "\(host)")
            }
            let literal = await send(sender, "http://169.254.169.254/latest/meta-data/", allowPrivate: true)
            #expect(literal.error == "target URL must not point to a cloud metadata address")
            let unknown = await send(sender, "http://nowhere.example.test/hooks", allowPrivate: true)
            #expect(unknown.error == "target host nowhere.example.test does not resolve")
            #expect(try receiver.deliveries().count == 2)
        }
    }

    @Test("https: TLS is verified for the URL's host name while connecting to the checked address")
    func tlsForTheOriginalName() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cert = folder.appendingPathComponent("cert.pem")
        let key = folder.appendingPathComponent("key.pem")
        try run("/usr/bin/env", "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-keyout", key.path, "-out", cert.path, "-subj", "/CN=hooks.example.test",
                "-addext", "subjectAltName=DNS:hooks.example.test")
        var configuration = WebhookSenderConfiguration()
        configuration.tlsConfiguration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(cert.path))
        let resolver = TableResolver(table: ["hooks.example.test": ["127.0.0.1"], "other.example.test": ["127.0.0.1"]])
        try await withReceiver(configuration: configuration, resolver: resolver, certificate: (cert, key)) { (receiver, sender) async throws in
            let good = await send(sender, "https://hooks.example.test:\(receiver.port)/hooks")
            #expect(good.succeeded, "\(good.error ?? "")")
            #expect(try receiver.deliveries().first?.verified == true)
            // Same address, but the certificate is not for this name: refused by TLS, nothing delivered.
            let wrongName = await send(sender, "https://other.example.test:\(receiver.port)/hooks")
            #expect(!wrongName.succeeded)
            #expect(wrongName.error?.hasPrefix("TLS error") == true, "\(wrongName.error ?? "")")
            #expect(try receiver.deliveries().count == 1)
        }
        // Without trusting that certificate, the system roots refuse it.
        try await withReceiver(resolver: resolver, certificate: (cert, key)) { (receiver, sender) async throws in
            let untrusted = await send(sender, "https://hooks.example.test:\(receiver.port)/hooks")
            #expect(untrusted.error?.hasPrefix("TLS error") == true, "\(untrusted.error ?? "")")
            #expect(try receiver.deliveries().isEmpty)
        }
    }

    @Test("nothing listening: the connection is refused at once, not retried until the timeout")
    func connectionRefused() async throws {
        let port = try await ServerProcess.freePort()
        let sender = HTTPWebhookSender()
        let attempt = await send(sender, "http://127.0.0.1:\(port)/hooks")
        await sender.shutdown()
        #expect(attempt.error == "connection refused")
        #expect(attempt.durationMilliseconds < 2_000)
    }

    @Test("the answer kept for the log is text: control characters blanked, invalid UTF-8 replaced, blank is nothing")
    func snippet() {
        #expect(HTTPWebhookSender.sanitized(ByteBuffer(string: "ok\u{0}\u{1b}[31m\r\nline\u{202e}")) == "ok  [31m \nline")
        #expect(HTTPWebhookSender.sanitized(ByteBuffer(bytes: [0x6F, 0x6B, 0xFF])) == "ok\u{FFFD}")
        #expect(HTTPWebhookSender.sanitized(ByteBuffer(string: " \r\n\t")) == nil)
    }

    @Test("pinned clients are reused per host and address, idle ones beyond the limit are closed, busy ones never")
    func clientPool() async throws {
        let pool = WebhookClientPool(configuration: .init(), capacity: 1)
        let a = WebhookClientPool.Key(host: "a.example", address: IPAddress(127, 0, 0, 1))
        let b = WebhookClientPool.Key(host: "b.example", address: IPAddress(127, 0, 0, 1))
        let rebound = WebhookClientPool.Key(host: "a.example", address: IPAddress(127, 0, 0, 2))
        let first = try await pool.withClient(for: a) { ObjectIdentifier($0) }
        #expect(try await pool.withClient(for: a) { ObjectIdentifier($0) } == first)
        try await pool.withClient(for: a) { _ in
            // `a` is busy: a second client is made beside it, not instead of it.
            try await pool.withClient(for: b) { _ in #expect(pool.count == 2) }
        }
        // Both idle now: the next new client pushes the least recently used out, down to the limit.
        _ = try await pool.withClient(for: rebound) { _ in pool.count }
        #expect(pool.count == 1)
        await pool.shutdown()
        #expect(pool.count == 0)
        await #expect(throws: WebhookClientPool.Closed.self) { try await pool.withClient(for: a) { _ in } }
    }

    /// Deliveries in parallel share keep-alive connections. `DESKPILOT_WEBHOOK_DELIVERIES` raises the count for the
    /// throughput measurement (`scripts/webhook-throughput.sh`), which prints the rate.
    @Test("many deliveries in parallel all arrive verified, once each, over a few reused connections")
    func manyInParallel() async throws {
        let total = ProcessInfo.processInfo.environment["DESKPILOT_WEBHOOK_DELIVERIES"].flatMap(Int.init) ?? 400
        let inFlight = 32
        try await withReceiver { (receiver, sender) async throws in
            let url = "http://127.0.0.1:\(receiver.port)/hooks"
            let start = ContinuousClock.now
            let failures = await withTaskGroup(of: Int.self) { group in
                var next = 0
                var failures = 0
                func add() {
                    next += 1
                    group.addTask { await send(sender, url).succeeded ? 0 : 1 }
                }
                while next < min(inFlight, total) { add() }
                while let failed = await group.next() {
                    failures += failed
                    if next < total { add() }
                }
                return failures
            }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("webhook deliveries: \(total) in \(String(format: "%.2f", seconds)) s, \(Int(Double(total) / seconds))/s, \(inFlight) in flight")
            #expect(failures == 0)
            let deliveries = try receiver.deliveries()
            #expect(deliveries.count == total)
            #expect(deliveries.allSatisfy { $0.verified })
            #expect(Set(deliveries.compactMap(\.deliveryId)).count == total)
            let connections = Set(deliveries.map(\.peerPort)).count
            #expect(connections <= inFlight + 8, "\(connections) connections for \(total) deliveries")
        }
    }

    private func run(_ command: String, _ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CommandError("\(arguments.joined(separator: " ")) failed") }
    }
}
