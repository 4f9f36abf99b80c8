import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import Vapor

/// DeskPilot's HTTP/1.1 server: Vapor's middleware, router and WebSocket upgrades behind connection handling of its
/// own. What protects a server from slow and idle clients (deadlines for a request's head and body, an idle timeout,
/// a cap on connections) and a drain before stopping need a handler in every connection's pipeline, and Vapor's
/// server does not let an application add one.
final class GuardedHTTPServer: Server, Sendable {
    /// Unowned: the application keeps its server (through `app.servers`), and the server lives no longer than it.
    private unowned let application: Application
    private let limits: HTTPLimits
    private let drain: ServerDrain
    private let metrics: ServerMetrics
    let connections: ConnectionRegistry
    private let listener = NIOLockedValueBox<(channel: (any Channel)?, quiesce: ServerQuiescingHelper?)>((nil, nil))
    /// Completed when the server has stopped; made at start, so a server that never starts leaves no promise behind.
    private let stopped = NIOLockedValueBox<EventLoopPromise<Void>?>(nil)

    init(application: Application, limits: HTTPLimits, drain: ServerDrain, metrics: ServerMetrics) {
        self.application = application
        self.drain = drain
        self.metrics = metrics
        var limits = limits
        limits.maxConnections = Self.connectionCap(limits.maxConnections, logger: application.logger)
        self.limits = limits
        connections = ConnectionRegistry(capacity: limits.maxConnections)
    }

    var onShutdown: EventLoopFuture<Void> {
        stopped.withLockedValue { $0?.futureResult } ?? application.eventLoopGroup.any().makeSucceededVoidFuture()
    }

    var localAddress: SocketAddress? { listener.withLockedValue { $0.channel?.localAddress } }

    @available(*, noasync, message: "Use the async start() method instead.")
    func start(address: BindAddress?) throws {
        try bind(address).wait()
    }

    func start(address: BindAddress?) async throws {
        try await bind(address).get()
    }

    @available(*, noasync, message: "Use the async shutdown() method instead.")
    func shutdown() {
        try? stop().wait()
    }

    func shutdown() async {
        try? await stop().get()
    }

    /// Stops accepting connections (after taking in what the kernel queued), lets requests under way finish (a
    /// connection between requests gets a moment for one already on its way), and after the
    /// shutdown timeout closes whatever is still open. Safe to call more than once.
    private func stop() -> EventLoopFuture<Void> {
        let (channel, quiesce) = listener.withLockedValue { state in
            defer { state = (nil, nil) }
            return state
        }
        guard let channel, let quiesce else { return onShutdown }
        let eventLoop = application.eventLoopGroup.any()
        let done = eventLoop.makePromise(of: Void.self)
        ListenerGate.shut(channel).whenComplete { _ in quiesce.initiateShutdown(promise: done) }
        let timeout = eventLoop.scheduleTask(in: .milliseconds(Int64(limits.shutdownTimeout * 1000))) { [connections, logger = application.logger] in
            logger.warning("closing the connections still open after the shutdown timeout")
            connections.closeAll()
        }
        let stopped = self.stopped.withLockedValue { $0 }
        return done.futureResult.always { _ in
            timeout.cancel()
            stopped?.succeed(())
        }
    }

    private func bind(_ address: BindAddress?) -> EventLoopFuture<Void> {
        let configured = application.http.server.configuration
        var requested = (host: configured.hostname, port: configured.port)
        if case .hostname(let host, let port) = address {
            requested = (host ?? requested.host, port ?? requested.port)
        }
        let (host, port) = requested
        let quiesce = ServerQuiescingHelper(group: application.eventLoopGroup)
        let shared = HTTPConnectionHandler.Shared(
            application: application, responder: application.responder.current, limits: limits,
            bodyLimits: BodyLimits(routes: application.routes, standard: application.routes.defaultMaxBodySize.value),
            drain: drain, metrics: metrics)
        let connections = self.connections
        let metrics = self.metrics
        let bootstrap = ServerBootstrap(group: application.eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiesce.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.setUp(channel, shared: shared, connections: connections, metrics: metrics)
                }
            }
        let logger = application.logger
        return bootstrap.bind(host: host, port: port).map { [listener, stopped] channel in
            listener.withLockedValue { $0 = (channel, quiesce) }
            stopped.withLockedValue { $0 = channel.eventLoop.makePromise() }
            logger.notice("Server started on http://\(host):\(channel.localAddress?.port ?? port)")
        }
    }

    /// One accepted connection: admitted under the cap (or answered 503), then the HTTP handlers.
    private static func setUp(_ channel: any Channel, shared: HTTPConnectionHandler.Shared, connections: ConnectionRegistry, metrics: ServerMetrics) throws {
        let slot = ConnectionRegistry.Slot(channel: channel)
        switch connections.admit(slot) {
        case .refused:
            metrics.httpConnectionRefused()
            let answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\nConnection: close\r\n"
                + "Retry-After: 1\r\nContent-Length: 95\r\n\r\n"
                + #"{"type":"about:blank","title":"Service Unavailable","status":503,"code":"too_many_connections"}"#
            // The sending side closes first, so that a request already sent cannot make the kernel reset the answer.
            channel.writeAndFlush(ByteBuffer(string: answer)).whenComplete { _ in
                channel.close(mode: .output, promise: nil)
                channel.eventLoop.scheduleTask(in: .milliseconds(500)) { channel.close(promise: nil) }
            }
            return
        case .admittedEvicting(let idle):
            metrics.httpConnectionEvicted()
            idle.channel.close(promise: nil)
        case .admitted:
            break
        }
        metrics.httpConnections.set(Double(connections.count))
        channel.closeFuture.whenComplete { _ in
            connections.remove(slot)
            metrics.httpConnections.set(Double(connections.count))
        }

        let input = ConnectionInput()
        let responseEncoder = HTTPResponseEncoder()
        let requestDecoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
        let pipelining = HTTPServerPipelineHandler()
        let protocolErrors = HTTPServerProtocolErrorHandler()
        let connection = HTTPConnectionHandler(
            shared: shared, slot: slot, input: input,
            httpHandlers: [responseEncoder, requestDecoder, pipelining, protocolErrors])
        input.connection = connection
        try channel.pipeline.syncOperations.addHandlers([input, responseEncoder, requestDecoder, pipelining, protocolErrors, connection])
    }

    /// The cap, kept below the open-file limit (raised first as far as the cap needs, up to the hard limit), so that accepting never fails
    /// for want of descriptors: the database, the log and the listener need some too.
    private static func connectionCap(_ wanted: Int, logger: Logger) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return wanted }
        let reserve = 128
        if limit.rlim_cur < limit.rlim_max, Int(clamping: limit.rlim_cur) < wanted + reserve {
            var raised = limit
            raised.rlim_cur = min(limit.rlim_max, rlim_t(wanted + reserve))
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        let available = Int(clamping: limit.rlim_cur) - reserve
        guard available < wanted else { return wanted }
        let cap = max(16, available)
        logger.warning("open-file limit \(limit.rlim_cur): at most \(cap) connections (raise LimitNOFILE for more)")
        return cap
    }
}
