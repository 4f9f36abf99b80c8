@testable import DeskServer
import Foundation

/// A real SMTP server for the tests: `Tests/support/smtp_sink.py` (Python's aiosmtpd) on a loopback port, storing
/// what it receives together with what Python's `email` package reads in it. It exits when its stdin closes, so
/// `stop()` (or the test process ending) ends it.
final class SMTPSink: @unchecked Sendable {
    /// Whether `python3` can import aiosmtpd (`scripts/test.sh` installs it).
    static let isAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import aiosmtpd"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("support/smtp_sink.py")
    }

    let port: Int
    let directory: URL
    private let process: Process
    private let input: Pipe
    private let output: LineReader

    struct Options {
        var certificate: TestCertificate?
        var implicitTLS = false
        var user: String?
        var password: String?
        var mechanisms = "PLAIN,LOGIN"
        var idleTimeout: Double = 60
        /// A fixed port, e.g. to start a sink again where a stopped one listened; a free one when nil.
        var port: Int?
        /// `false` stores messages without parsing them (`message` is then `nil`): the sink keeps up with throughput runs.
        var parse = true
        /// Refuse `EHLO` (502), as a server from before ESMTP does.
        var heloOnly = false
    }

    static func start(_ options: Options = Options()) async throws -> SMTPSink {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var arguments = ["python3", script.path, "--dir", directory.path, "--auth-mechanisms", options.mechanisms,
                         "--idle-timeout", String(options.idleTimeout)]
        if let port = options.port { arguments += ["--port", String(port)] }
        if let certificate = options.certificate {
            arguments += ["--tls-cert", certificate.certificate.path, "--tls-key", certificate.key.path]
        }
        if options.implicitTLS { arguments.append("--implicit-tls") }
        if !options.parse { arguments.append("--no-parse") }
        if options.heloOnly { arguments.append("--helo-only") }
        if let user = options.user { arguments += ["--auth-user", user, "--auth-password", options.password ?? ""] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        let log = directory.appendingPathComponent("sink.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let reader = LineReader(output.fileHandleForReading)
        guard let ready = try await reader.next(timeout: .seconds(20)), ready.hasPrefix("READY "),
              let port = Int(ready.dropFirst(6))
        else {
            process.terminate()
            throw CommandError("the SMTP sink did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        return SMTPSink(port: port, directory: directory, process: process, input: input, output: reader)
    }

    private init(port: Int, directory: URL, process: Process, input: Pipe, output: LineReader) {
        self.port = port
        self.directory = directory
        self.process = process
        self.input = input
        self.output = output
    }

    /// Changes what the server does next (`refuse 1 550`, `refuse-rcpt 1 550`, `stall 1`); returns once applied.
    func control(_ line: String) async throws {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
        guard try await output.next(timeout: .seconds(10)) == "OK" else { throw CommandError("the sink did not apply '\(line)'") }
    }

    /// The messages received so far, in order.
    func received() throws -> [ReceivedMail] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { name in
            let base = directory.appendingPathComponent(String(name.dropLast(4)))
            var mail = try JSONDecoder().decode(ReceivedMail.self, from: Data(contentsOf: base.appendingPathExtension("json")))
            mail.raw = try Data(contentsOf: base.appendingPathExtension("eml"))
            return mail
        }
    }

    /// Waits until at least `count` messages arrived.
    func waitForMessages(_ count: Int, timeout: Duration = .seconds(10)) async throws -> [ReceivedMail] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let mails = try received()
            if mails.count >= count || ContinuousClock.now >= deadline { return mails }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A configuration pointing at this sink.
    func configuration(
        security: SMTPConfiguration.Security = .none, host: String = "127.0.0.1", user: String? = nil,
        password: String? = nil, caFile: URL? = nil
    ) throws -> SMTPConfiguration {
        var configuration = SMTPConfiguration(
            host: host, port: port, security: security,
            credentials: user.map { SMTPConfiguration.Credentials(user: $0, password: password ?? "") },
            caFile: caFile?.path, sender: try MailAddress("deskpilot@example.com", displayName: "DeskPilot"))
        configuration.commandTimeout = .seconds(10)
        return configuration
    }
}

/// One message as the sink stored it.
struct ReceivedMail: Decodable {
    var mailFrom: String
    var rcptTos: [String]
    var tls: Bool
    var authUser: String?
    var peerPort: Int?
    /// How Python's `email` package reads the message (`nil` when the sink was told not to parse).
    var message: Message!
    /// The bytes after `DATA`, dot-stuffing undone.
    var raw = Data()

    struct Message: Decodable {
        enum CodingKeys: String, CodingKey {
            case headers, defects, dateEpoch = "date_epoch", fromAddress = "from_address", toAddress = "to_address", parts
        }
        var headers: [String: [String]]
        var defects: [String]
        /// The `Date` header as Python parsed it, in seconds since 1970.
        var dateEpoch: Double?
        var fromAddress: [[String]]
        var toAddress: [[String]]
        var parts: [Part]
    }

    struct Part: Decodable {
        enum CodingKeys: String, CodingKey {
            case contentType = "content_type", multipart, params,
                 transferEncoding = "transfer_encoding", filename, disposition, base64, text
        }
        var contentType: String
        var multipart: Bool?
        /// The `Content-Type` parameters (`charset`, `method`, `name`, …).
        var params: [String: String]?
        var transferEncoding: String?
        var filename: String?
        var disposition: String?
        var base64: String?
        var text: String?

        var bytes: [UInt8] { base64.flatMap { Data(base64Encoded: $0) }.map(Array.init) ?? [] }
    }

    enum CodingKeys: String, CodingKey {
        case mailFrom = "mail_from", rcptTos = "rcpt_tos", tls, authUser = "auth_user", peerPort = "peer_port", message
    }

    /// The single value of a header, as Python decoded it.
    func header(_ name: String) -> String? { message.headers[name.lowercased()]?.first }

    func part(_ contentType: String) -> Part? { message.parts.first { $0.contentType == contentType && $0.multipart != true } }

    var rawText: String { String(decoding: raw, as: UTF8.self) }
}

/// A self-signed certificate for `localhost` and 127.0.0.1, made with `openssl` for one test.
struct TestCertificate {
    var certificate: URL
    var key: URL

    static func make() throws -> TestCertificate {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-cert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("cert.pem")
        let key = directory.appendingPathComponent("key.pem")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.path, "-out", certificate.path,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CommandError("openssl could not make a certificate") }
        return TestCertificate(certificate: certificate, key: key)
    }
}

/// Reads a child's stdout line by line without blocking the test's threads.
private final class LineReader: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = Data()
    private var closed = false

    init(_ handle: FileHandle) {
        handle.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.withLock {
                if data.isEmpty { self.closed = true } else { self.buffer.append(data) }
            }
            if data.isEmpty { handle.readabilityHandler = nil }
        }
    }

    func next(timeout: Duration) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let line: String? = lock.withLock {
                guard let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                return line
            }
            if let line { return line }
            if lock.withLock({ closed }) { return nil }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }
}
