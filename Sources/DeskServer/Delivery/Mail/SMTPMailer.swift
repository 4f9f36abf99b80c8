import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Sends mail over SMTP through a small pool of reused connections (`maxConnections` in parallel).
///
/// A batch is shared by up to `maxConnections` senders, each carrying message after message on its connection. A
/// refused message is reported and the next one follows on the same connection; a broken connection (timeout,
/// closed, `421`) fails the message it carried and its sender stops, leaving the rest to the others. When no
/// sender is left — the server cannot be reached — the messages not yet tried fail as transient, so the caller
/// gets an answer within one connect timeout and one command timeout, never an error and never a hang.
public final class SMTPMailer: Mailer {
    public let configuration: SMTPConfiguration
    private let tls: NIOSSLContext?
    private let group: any EventLoopGroup
    private let pool: SMTPConnectionPool
    private let logger: Logger

    /// Fails only when the configured `ca_file` cannot be loaded into a TLS context.
    public init(
        configuration: SMTPConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "deskpilot.mail")
    ) throws {
        self.configuration = configuration
        self.tls = try configuration.makeTLSContext()
        self.group = group
        self.pool = SMTPConnectionPool(limit: configuration.maxConnections, idleTimeout: configuration.idleTimeout)
        self.logger = logger
    }

    public func send(_ messages: [MailMessage]) async -> [MailOutcome] {
        guard !messages.isEmpty else { return [] }
        let batch = MailBatch(messages)
        await withTaskGroup(of: Void.self) { senders in
            for _ in 0..<min(configuration.maxConnections, messages.count) {
                senders.addTask { await self.drain(batch) }
            }
        }
        return await batch.outcomes()
    }

    /// Closes the idle connections; call when the server stops.
    public func shutdown() async {
        await pool.shutdown()
    }

    /// Connections open right now, lent out or idle.
    var openConnections: Int {
        get async { await pool.openConnections }
    }

    private struct Lease {
        var connection: SMTPConnection
        var reused: Bool
        var carried = 0
    }

    /// One sender: takes a connection and carries the batch's next message until none is left or the connection
    /// breaks.
    private func drain(_ batch: MailBatch) async {
        guard var lease = await obtainLease(batch) else { return }
        while let (index, message) = await batch.next() {
            let payload = SMTPConnection.dataPayload(message.render())
            var attempt = await lease.connection.send(from: message.from, to: message.to, payload: payload)
            if case .broken(_, afterContent: false) = attempt, lease.reused, lease.carried == 0 {
                // The server may have closed a connection that waited in the pool: one try on a fresh one, in
                // the same place of the pool.
                let stale = lease.connection
                Task { await stale.close() }
                switch await openConnection() {
                case let .success(fresh):
                    lease = fresh
                    attempt = await lease.connection.send(from: message.from, to: message.to, payload: payload)
                case let .failure(error):
                    await batch.record(index, .failed(permanent: false, reason: error.description))
                    await batch.senderStopped(error)
                    return
                }
            }
            lease.carried += 1
            switch attempt {
            case .sent:
                await batch.record(index, .sent)
            case let .refused(error, connectionUsable):
                logger.notice("mail refused", metadata: ["message_id": "\(message.messageID)", "reason": "\(error)"])
                await batch.record(index, .failed(permanent: Self.isPermanent(error), reason: error.description))
                if !connectionUsable {
                    await pool.release(lease.connection, reusable: false)
                    await batch.senderStopped(error)
                    return
                }
            case let .broken(error, _):
                logger.warning("mail connection failed", metadata: ["message_id": "\(message.messageID)", "reason": "\(error)"])
                await batch.record(index, .failed(permanent: false, reason: error.description))
                await pool.release(lease.connection, reusable: false)
                await batch.senderStopped(error)
                return
            }
        }
        await pool.release(lease.connection, reusable: true)
    }

    /// A connection from the pool, or a new one; `nil` (and the sender stops) when none can be opened.
    private func obtainLease(_ batch: MailBatch) async -> Lease? {
        if case let .reuse(connection) = await pool.acquire() {
            return Lease(connection: connection, reused: true)
        }
        switch await openConnection() {
        case let .success(lease): return lease
        case let .failure(error):
            await batch.senderStopped(error)
            return nil
        }
    }

    /// Opens a session in a place the pool granted; gives the place back when that fails.
    private func openConnection() async -> Result<Lease, SMTPError> {
        do {
            return .success(Lease(connection: try await SMTPConnection.open(configuration, tls: tls, group: group), reused: false))
        } catch {
            await pool.slotFreed()
            logger.warning("cannot open an SMTP session", metadata: ["server": "\(configuration.host):\(configuration.port)", "reason": "\(error)"])
            return .failure(error)
        }
    }

    /// `5xx` means the message will never be accepted — except the replies about the session rather than the
    /// message (authentication needed or failed), which an administrator fixes and which then go through.
    private static func isPermanent(_ error: SMTPError) -> Bool {
        guard let reply = error.reply else { return false }
        return reply.isPermanent && ![530, 534, 535, 538].contains(reply.code)
    }
}

/// The messages of one `send` call and their outcomes, shared by its senders.
private actor MailBatch {
    private let messages: [MailMessage]
    private var results: [MailOutcome?]
    private var nextIndex = 0
    private(set) var lastError: SMTPError?

    init(_ messages: [MailMessage]) {
        self.messages = messages
        self.results = Array(repeating: nil, count: messages.count)
    }

    func next() -> (Int, MailMessage)? {
        guard nextIndex < messages.count else { return nil }
        defer { nextIndex += 1 }
        return (nextIndex, messages[nextIndex])
    }

    func record(_ index: Int, _ outcome: MailOutcome) {
        results[index] = outcome
    }

    func senderStopped(_ error: SMTPError) {
        lastError = error
    }

    /// Every message's outcome; those no sender reached failed for the reason the last sender stopped.
    func outcomes() -> [MailOutcome] {
        results.map { $0 ?? .failed(permanent: false, reason: "not sent: \(lastError?.description ?? "no connection to the mail server")") }
    }
}
