import AsyncHTTPClient
import DeskCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// What one delivery attempt to a webhook endpoint came to, for the delivery log and the retry decision.
public struct WebhookAttempt: Sendable, Hashable {
    /// A 2xx answer arrived in time.
    public let succeeded: Bool
    /// The receiver's HTTP status, when it answered at all.
    public let statusCode: Int?
    /// Why it failed ("HTTP 500", "timed out after 10 s", "connection refused", "target resolves to a private
    /// address" …); nil on success.
    public let error: String?
    /// The start of the response body (about 1 KB, control characters replaced), for the log.
    public let responseSnippet: String?
    public let startedAt: Date
    public let durationMilliseconds: Int

    public init(succeeded: Bool, statusCode: Int?, error: String?, responseSnippet: String?, startedAt: Date, durationMilliseconds: Int) {
        self.succeeded = succeeded
        self.statusCode = statusCode
        self.error = error
        self.responseSnippet = responseSnippet
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
    }
}

/// Sends one signed webhook delivery. A protocol so the delivery worker can be tested with a fake where needed.
public protocol WebhookSending: Sendable {
    /// POSTs `body` (the raw JSON) to `url`, signed with `secret`; never throws, the outcome is in the attempt.
    func send(url: String, body: Data, event: String, deliveryId: UUID, secret: String, allowPrivate: Bool) async -> WebhookAttempt
}

/// Limits and trust of the webhook sender; the defaults are the product's contract.
public struct WebhookSenderConfiguration: Sendable {
    /// For the whole attempt: resolving, connecting, TLS, sending and reading the answer.
    public var timeout: Duration = .seconds(10)
    /// Response bytes read at most; the rest is not waited for.
    public var maxResponseBytes = 64 * 1024
    /// Response bytes kept for the delivery log.
    public var snippetBytes = 1024
    /// Connections kept to one receiver, so deliveries in flight to it do not queue behind each other.
    public var connectionsPerReceiver = 32
    /// Pinned (host, address) clients kept for reuse.
    public var pinnedClients = 256
    /// Certificates trusted for https receivers; the system's roots by default (tests add their own).
    public var tlsConfiguration: TLSConfiguration = .makeClientConfiguration()
    public var userAgent = "DeskPilot-Webhooks/1"

    public init() {}
}

/// Sends webhook deliveries over HTTP with async-http-client: the target is checked and resolved on every attempt,
/// the connection goes to a checked address only (see `WebhookClientPool`), redirects are not followed, and the
/// whole attempt is bounded by one timeout.
public final class HTTPWebhookSender: WebhookSending {
    public let configuration: WebhookSenderConfiguration
    private let resolver: any HostResolver
    private let clients: WebhookClientPool
    private let now: @Sendable () -> Date

    public init(
        configuration: WebhookSenderConfiguration = .init(), resolver: any HostResolver = SystemHostResolver(),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.configuration = configuration
        self.resolver = resolver
        self.now = now
        var client = HTTPClient.Configuration(
            tlsConfiguration: configuration.tlsConfiguration,
            redirectConfiguration: .disallow,
            timeout: .init(connect: .init(configuration.timeout), read: .init(configuration.timeout)),
            proxy: nil,
            decompression: .disabled
        )
        client.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = configuration.connectionsPerReceiver
        // A refused connection is an answer for the delivery log, not something to retry for ten seconds.
        client.connectionPool.retryConnectionEstablishment = false
        self.clients = WebhookClientPool(configuration: client, capacity: configuration.pinnedClients)
    }

    /// Closes every connection; call once when the server stops.
    public func shutdown() async {
        await clients.shutdown()
    }

    public func send(url: String, body: Data, event: String, deliveryId: UUID, secret: String, allowPrivate: Bool) async -> WebhookAttempt {
        let startedAt = now()
        let clock = ContinuousClock()
        let start = clock.now
        let outcome: Outcome
        do {
            let check = WebhookTargetCheck(allowPrivate: allowPrivate, resolver: resolver)
            let target = try WebhookTarget(parsing: url, policy: check.policy)
            outcome = try await withTimeout(configuration.timeout) {
                try await self.deliver(to: target, check: check, body: body, event: event, deliveryId: deliveryId, secret: secret)
            }
        } catch {
            outcome = Outcome(failure: describe(error))
        }
        let elapsed = clock.now - start
        let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        return WebhookAttempt(
            succeeded: outcome.error == nil, statusCode: outcome.status, error: outcome.error,
            responseSnippet: outcome.snippet, startedAt: startedAt, durationMilliseconds: milliseconds
        )
    }

    // MARK: One attempt

    private struct Outcome: Sendable {
        var status: Int?
        var error: String?
        var snippet: String?

        init(status: Int?, error: String?, snippet: String?) {
            self.status = status
            self.error = error
            self.snippet = snippet
        }

        init(failure: String) {
            self.init(status: nil, error: failure, snippet: nil)
        }
    }

    private func deliver(
        to target: WebhookTarget, check: WebhookTargetCheck, body: Data, event: String, deliveryId: UUID, secret: String
    ) async throws -> Outcome {
        let addresses = try await check.addresses(for: target)
        var request = HTTPClientRequest(url: target.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        request.headers.add(name: "DeskPilot-Event", value: event)
        request.headers.add(name: "DeskPilot-Delivery", value: deliveryId.uuidString.lowercased())
        request.headers.add(name: WebhookSigner.headerName, value: WebhookSigner(secret: secret).headerValue(for: body, at: now()))
        request.body = .bytes(ByteBuffer(bytes: body))
        let limit = configuration.maxResponseBytes
        let snippetLimit = min(configuration.snippetBytes, limit)
        let deadline = NIODeadline.now() + TimeAmount(configuration.timeout)
        // A literal IP needs no pinning. A name is pinned to its approved addresses in the resolver's order, moving on
        // only when connecting fails (nothing was sent yet), as browsers try a host's addresses.
        var keys = target.literalAddress == nil
            ? addresses.map { WebhookClientPool.Key(host: target.host, address: $0) }[...]
            : [WebhookClientPool.Key(host: target.host, address: nil)]
        while let key = keys.popFirst() {
            do {
                return try await exchange(request, through: key, deadline: deadline, limit: limit, snippetLimit: snippetLimit)
            } catch {
                if keys.isEmpty || !Self.isConnectFailure(error) { throw error }
            }
        }
        throw WebhookRefusal("host \(target.host) does not resolve")
    }

    /// One request over the client pinned by `key`, reading at most `limit` bytes of the answer.
    private func exchange(
        _ request: HTTPClientRequest, through key: WebhookClientPool.Key, deadline: NIODeadline, limit: Int, snippetLimit: Int
    ) async throws -> Outcome {
        try await clients.withClient(for: key) { client in
            let response = try await client.execute(request, deadline: deadline)
            var kept = ByteBuffer()
            var read = 0
            // Stop at the limit: leaving the loop abandons the rest and closes that connection.
            for try await chunk in response.body {
                read += chunk.readableBytes
                if kept.readableBytes < snippetLimit {
                    kept.writeImmutableBuffer(chunk.getSlice(at: chunk.readerIndex, length: min(chunk.readableBytes, snippetLimit - kept.readableBytes))!)
                }
                if read >= limit { break }
            }
            let status = Int(response.status.code)
            let snippet = Self.sanitized(kept)
            switch status {
            case 200..<300:
                return Outcome(status: status, error: nil, snippet: snippet)
            case 300..<400:
                let location = response.headers.first(name: "Location").map { " to \(Self.clipped($0, to: 200))" } ?? ""
                return Outcome(status: status, error: "HTTP \(status): redirect\(location) not followed", snippet: snippet)
            default:
                return Outcome(status: status, error: "HTTP \(status)", snippet: snippet)
            }
        }
    }

    /// Text for the log: UTF-8 (invalid bytes replaced), control characters but tab and newline as spaces, trimmed.
    static func sanitized(_ buffer: ByteBuffer) -> String? {
        let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar == "\n" || scalar == "\t" || !(scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format)
                ? scalar : " "
        })).trimmingCharacters(in: .whitespacesAndNewlines)
        return cleaned.isEmpty ? nil : cleaned
    }

    private static func clipped(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length)) + "…"
    }

    // MARK: Time limit and errors

    private struct TimedOut: Error {}

    /// Runs `operation`, cancelling it when `limit` passes first.
    private func withTimeout<Value: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await withThrowingTaskGroup(of: Value.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw TimedOut()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw TimedOut() }
            return first
        }
    }

    /// One line for the delivery log, naming the kind of failure without internals.
    private func describe(_ error: any Error) -> String {
        let timedOut = "timed out after \(Self.seconds(configuration.timeout))"
        switch error {
        case let refusal as WebhookRefusal:
            return refusal.description
        case let invalid as DomainError:
            return "target URL " + (invalid.fieldErrors.first?.message ?? invalid.detail)
        case is TimedOut:
            return timedOut
        case let error as HTTPClientError:
            if [.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout].contains(error) { return timedOut }
            if error == .remoteConnectionClosed { return "connection closed by the receiver" }
            return "HTTP error: \(error)"
        case let error as IOError:
            return Self.socketError(error.errnoCode) ?? "network error: \(error)"
        case let error as NIOConnectionError:
            let underlying = error.connectionErrors.first.map(\.error) ?? error.dnsAError ?? error.dnsAAAAError
            if let io = underlying as? IOError, let text = Self.socketError(io.errnoCode) { return text }
            return "could not connect"
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError:
            return "TLS error: \(error)"
        case let error as ChannelError:
            if case .connectTimeout = error { return timedOut }
            return "network error: \(error)"
        case is CancellationError:
            return "cancelled"
        default:
            return "error: \(error)"
        }
    }

    /// Connecting failed before anything was sent, so another address of the host may be tried.
    private static func isConnectFailure(_ error: any Error) -> Bool {
        if let error = error as? IOError { return [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL].contains(error.errnoCode) }
        return error is NIOConnectionError
    }

    private static func socketError(_ code: Int32) -> String? {
        switch code {
        case ECONNREFUSED: "connection refused"
        case ECONNRESET: "connection reset by the receiver"
        case EHOSTUNREACH, ENETUNREACH: "receiver unreachable"
        case ETIMEDOUT: "connection timed out"
        default: nil
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}
