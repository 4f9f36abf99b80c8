import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// How offering one message on a connection ended.
enum SMTPAttempt: Sendable {
    case sent
    /// The server refused this message; `connectionUsable` says whether the next one may follow on this connection.
    case refused(SMTPError, connectionUsable: Bool)
    /// The connection failed (timeout, closed, `421`) and is done. `afterContent`: the failure came after the whole
    /// message was sent, so the server may have accepted it without the reply arriving (RFC 1047); only a message
    /// that failed before that can be offered again without risking a duplicate.
    case broken(SMTPError, afterContent: Bool)
}

/// One open, greeted and (if configured) encrypted and authenticated SMTP session, ready for `MAIL FROM`.
/// It carries messages one after the other; a pool lends it to one sender at a time.
final class SMTPConnection: Sendable {
    let channel: any Channel
    /// The extensions from the last `EHLO`, keyword (upper case) to parameters.
    let extensions: [String: [String]]
    private let commandTimeout: TimeAmount
    private let firstFailure: SMTPFirstFailure

    private init(channel: any Channel, extensions: [String: [String]], commandTimeout: TimeAmount, firstFailure: SMTPFirstFailure) {
        self.channel = channel
        self.extensions = extensions
        self.commandTimeout = commandTimeout
        self.firstFailure = firstFailure
    }

    private var session: Session { Session(channel: channel, timeout: commandTimeout, firstFailure: firstFailure) }

    var isUsable: Bool { channel.isActive }

    // MARK: Opening a session

    /// Connects, reads the greeting, says `EHLO` (or `HELO`), starts TLS and logs in as configured.
    static func open(
        _ configuration: SMTPConfiguration, tls: NIOSSLContext?, group: any EventLoopGroup
    ) async throws(SMTPError) -> SMTPConnection {
        let host = configuration.host
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        // Server Name Indication and certificate checks use the name; an IP address is checked against the
        // certificate's IP entries instead.
        let serverName = isAddress ? nil : host
        let implicitTLS = configuration.security == .implicit ? tls : nil
        let firstFailure = SMTPFirstFailure()
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(configuration.connectTimeout)
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if let implicitTLS {
                            try pipeline.addHandler(NIOSSLClientHandler(context: implicitTLS, serverHostname: serverName))
                        }
                        try pipeline.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        try pipeline.addHandler(SMTPClientHandler(firstFailure: firstFailure))
                    }
                }
                .connect(host: host, port: configuration.port).get()
        } catch {
            throw .connect(host: host, port: configuration.port, reason: Self.reason(error))
        }

        let session = Session(channel: channel, timeout: configuration.commandTimeout, firstFailure: firstFailure)
        do {
            let greeting = try await session.exchange(nil, label: "the greeting")
            guard greeting.code == 220 else { throw SMTPError.unexpectedReply(command: "the greeting", reply: greeting) }
            var extensions = try await session.hello(configuration.heloName)
            if configuration.security == .startTLS {
                guard let tls else { throw SMTPError.tls("no TLS context for STARTTLS") }
                guard extensions["STARTTLS"] != nil else { throw SMTPError.startTLSNotOffered }
                try await session.expect(220, "STARTTLS")
                try await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: tls, serverHostname: serverName), position: .first)
                }.get()
                // Everything learnt before TLS is forgotten (RFC 3207 §4.2).
                extensions = try await session.hello(configuration.heloName)
            }
            if let credentials = configuration.credentials {
                try await session.authenticate(credentials, offered: extensions["AUTH"] ?? [])
            }
            return SMTPConnection(channel: channel, extensions: extensions, commandTimeout: configuration.commandTimeout,
                                  firstFailure: firstFailure)
        } catch {
            channel.close(promise: nil)
            throw SMTPError.from(error, command: "opening the session")
        }
    }

    /// A connection error in a few words (`connection refused`, `timed out`), without NIO's type names.
    private static func reason(_ error: any Error) -> String {
        if let error = error as? ChannelError, case .connectTimeout = error { return "no connection within the connect timeout" }
        if let error = error as? NIOConnectionError {
            if error.dnsAAAAError != nil && error.dnsAError != nil && error.connectionErrors.isEmpty { return "the host name does not resolve" }
            if let first = error.connectionErrors.first { return reason(first.error) }
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        return "\(error)"
    }

    // MARK: Sending

    /// Offers one message: `MAIL FROM`, `RCPT TO`, `DATA`, the content. After a refusal the transaction is reset
    /// (`RSET`) so the next message can follow on the same connection.
    func send(from: MailAddress, to: MailAddress, payload: ByteBuffer) async -> SMTPAttempt {
        let session = self.session
        do {
            let size = extensions["SIZE"] != nil ? " SIZE=\(payload.readableBytes)" : ""
            let steps: [(command: String?, label: String, expected: Int)] = [
                ("MAIL FROM:<\(from.address)>\(size)", "MAIL FROM", 250),
                ("RCPT TO:<\(to.address)>", "RCPT TO", 250),
                ("DATA", "DATA", 354),
            ]
            for step in steps {
                let reply = try await session.exchange(step.command, label: step.label)
                guard reply.code == step.expected || (step.expected == 250 && reply.code == 251) else {
                    return await refused(.unexpectedReply(command: step.label, reply: reply), session: session)
                }
            }
        } catch {
            return .broken(error, afterContent: false)
        }
        do {
            let reply = try await session.exchange(payload: payload, label: "the message content")
            guard reply.isPositive else {
                return await refused(.unexpectedReply(command: "the message content", reply: reply), session: session)
            }
            return .sent
        } catch {
            return .broken(error, afterContent: true)
        }
    }

    private func refused(_ error: SMTPError, session: Session) async -> SMTPAttempt {
        // 421: the server is closing this connection.
        if error.reply?.code == 421 { return .broken(error, afterContent: false) }
        let reset = try? await session.exchange("RSET", label: "RSET")
        return .refused(error, connectionUsable: reset?.code == 250)
    }

    /// Ends the session politely (`QUIT`) and closes the connection; never fails and never waits long.
    func close() async {
        if channel.isActive {
            _ = try? await Session(channel: channel, timeout: .seconds(2), firstFailure: firstFailure).exchange("QUIT", label: "QUIT")
        }
        try? await channel.close()
    }

    /// The message content as sent after `DATA`: lines starting with `.` get a second one (RFC 5321 §4.5.2), and the
    /// end is marked with a line holding only `.`.
    static func dataPayload(_ rendered: String) -> ByteBuffer {
        let bytes = Array(rendered.utf8)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(bytes.count + 64)
        // Copies whole runs and adds a dot where a line starts with one.
        var runStart = 0
        var lineStart = 0
        while lineStart < bytes.count {
            if bytes[lineStart] == UInt8(ascii: ".") {
                buffer.writeBytes(bytes[runStart..<lineStart])
                buffer.writeInteger(UInt8(ascii: "."))
                runStart = lineStart
            }
            guard let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            lineStart = newline + 1
        }
        buffer.writeBytes(bytes[runStart...])
        if bytes.last != UInt8(ascii: "\n") { buffer.writeString("\r\n") }
        buffer.writeString(".\r\n")
        return buffer
    }
}

/// The commands of one session on a channel whose pipeline ends in an `SMTPClientHandler`.
private struct Session {
    let channel: any Channel
    let timeout: TimeAmount
    let firstFailure: SMTPFirstFailure

    /// Sends a command line (or nothing) and waits for its reply.
    func exchange(_ command: String?, label: String) async throws(SMTPError) -> SMTPReply {
        try await exchange(bytes: command.map { ByteBuffer(string: $0 + "\r\n") }, label: label)
    }

    func exchange(payload: ByteBuffer, label: String) async throws(SMTPError) -> SMTPReply {
        try await exchange(bytes: payload, label: label)
    }

    private func exchange(bytes: ByteBuffer?, label: String) async throws(SMTPError) -> SMTPReply {
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        // A write that fails (the channel closed, TLS refused to carry it) must fail the wait for its reply too,
        // or the reply would be awaited forever; completing a promise twice is harmless.
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { [firstFailure] error in
            promise.fail(firstFailure.recorded ?? SMTPError.from(error, command: label))
        }
        channel.writeAndFlush(SMTPExchange(label: label, bytes: bytes, timeout: timeout, reply: promise), promise: written)
        do {
            return try await promise.futureResult.get()
        } catch {
            throw SMTPError.from(error, command: label)
        }
    }

    func expect(_ code: Int, _ command: String, label: String? = nil) async throws(SMTPError) {
        let reply = try await exchange(command, label: label ?? command)
        guard reply.code == code else { throw .unexpectedReply(command: label ?? command, reply: reply) }
    }

    /// `EHLO`, or `HELO` for a server that does not know it; the extensions the server offers.
    func hello(_ name: String) async throws(SMTPError) -> [String: [String]] {
        let reply = try await exchange("EHLO \(name)", label: "EHLO")
        if reply.isPositive {
            var extensions: [String: [String]] = [:]
            for line in reply.lines.dropFirst() {
                let words = line.split(separator: " ").map(String.init)
                if let keyword = words.first { extensions[keyword.uppercased()] = words.dropFirst().map { $0.uppercased() } }
            }
            return extensions
        }
        guard reply.isPermanent, reply.code != 421 else { throw .unexpectedReply(command: "EHLO", reply: reply) }
        try await expect(250, "HELO \(name)", label: "HELO")
        return [:]
    }

    /// `AUTH PLAIN` when offered, otherwise `AUTH LOGIN`; the password goes only into the command bytes.
    func authenticate(_ credentials: SMTPConfiguration.Credentials, offered: [String]) async throws(SMTPError) {
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        if offered.contains("PLAIN") {
            let token = base64("\u{0}\(credentials.user)\u{0}\(credentials.password)")
            try await expect(235, "AUTH PLAIN \(token)", label: "AUTH PLAIN")
        } else if offered.contains("LOGIN") {
            try await expect(334, "AUTH LOGIN", label: "AUTH LOGIN")
            try await expect(334, base64(credentials.user), label: "AUTH LOGIN (user)")
            try await expect(235, base64(credentials.password), label: "AUTH LOGIN (password)")
        } else {
            throw .authenticationNotOffered(offered: offered)
        }
    }
}
