import Foundation
import NIOCore
import NIOHTTP1
import Vapor

/// One HTTP/1.1 connection: collects each request within the head and body deadlines and the route's body limit,
/// hands it to Vapor's responder (middleware and router), writes the answer, and decides whether the connection
/// stays open: not when the client or the drain says otherwise, not when it sits idle too long.
final class HTTPConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// What the connection handler shares with every connection of one server.
    struct Shared: Sendable {
        let application: Application
        let responder: any Responder
        let limits: HTTPLimits
        let bodyLimits: BodyLimits
        let drain: ServerDrain
        let metrics: ServerMetrics
    }

    private enum State {
        /// Waiting for a request; `started` once its first bytes are in.
        case awaitingHead(started: Bool)
        case readingBody(head: HTTPRequestHead, body: ByteBuffer?, limit: Int)
        case responding(head: HTTPRequestHead, bytesWaiting: Bool)
        case upgraded
        case closing
    }

    private let shared: Shared
    private let slot: ConnectionRegistry.Slot
    private let input: ConnectionInput
    /// The HTTP handlers an upgrade takes out of the pipeline.
    private let httpHandlers: [any RemovableChannelHandler]
    private var state = State.awaitingHead(started: false)
    /// Set when the server stops accepting connections: no answer keeps its connection open after that.
    private var quiescing = false
    /// How long a connection between requests may still deliver one once the server stops accepting connections.
    static let quiescingGrace = 1.0
    private var deadline: Scheduled<Void>?
    private var dateHeader = DateHeader()
    /// Answers written on this connection so far.
    private var servedRequests = 0
    /// Bytes that arrived for the new protocol while an upgrade was being put in place.
    private var bytesForUpgrade: [NIOAny] = []

    init(shared: Shared, slot: ConnectionRegistry.Slot, input: ConnectionInput, httpHandlers: [any RemovableChannelHandler]) {
        self.shared = shared
        self.slot = slot
        self.input = input
        self.httpHandlers = httpHandlers
    }

    func handlerAdded(context: ChannelHandlerContext) {
        currentContext = context
        // A new connection has as long as a request's head to send its first request.
        arm(shared.limits.headerTimeout, .header, context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        currentContext = nil
        disarm()
    }

    /// The client went away: nothing more is written, and no deadline keeps the connection alive in memory.
    func channelInactive(context: ChannelHandlerContext) {
        if case .upgraded = state {} else { state = .closing }
        disarm()
        context.fireChannelInactive()
    }

    // MARK: Reading a request

    /// Called by `ConnectionInput` for every read: the first bytes of a request start its head's deadline.
    func bytesArrived() {
        switch state {
        case .awaitingHead(started: false):
            state = .awaitingHead(started: true)
            // A new connection's head deadline has run since it opened; only an idle wait turns into one here.
            guard servedRequests > 0 || quiescing, let context = currentContext else { return }
            arm(shared.limits.headerTimeout, .header, context)
        case .responding(let head, false):
            // The next request is already coming (pipelined or eager): it gets a head deadline, not the idle time.
            state = .responding(head: head, bytesWaiting: true)
        default:
            break
        }
    }

    /// The server has stopped accepting connections. A connection in the middle of a request closes after its answer;
    /// one between requests gets a moment for a request already on its way, is answered, and closes.
    func quiesce() {
        quiescing = true
        guard case .awaitingHead(started: false) = state, let context = currentContext else { return }
        arm(min(Self.quiescingGrace, shared.limits.headerTimeout), .idle, context)
    }

    /// Set while the handler is in the pipeline, for `bytesArrived`, which comes from the handler before the decoder.
    private var currentContext: ChannelHandlerContext?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .upgraded = state {
            // What the HTTP decoder had read past the upgrade request, handed on as it is taken out: raw bytes of
            // the new protocol, passed on once its handlers are in place.
            bytesForUpgrade.append(data)
            return
        }
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .awaitingHead):
            slot.markBusy(true)
            let limit = head.headers.contains(name: .contentLength) || head.headers.contains(name: .transferEncoding)
                ? shared.bodyLimits.limit(method: head.method, uri: head.uri) : shared.bodyLimits.standard
            if let length = head.headers.first(name: .contentLength).flatMap(Int.init), length > limit {
                return refuse(.payloadTooLarge, code: "payload_too_large", "The body is larger than \(limit / 1024) KB.", head, context)
            }
            if head.headers[.expect].contains(where: { $0.lowercased() == "100-continue" }) {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
            }
            state = .readingBody(head: head, body: nil, limit: limit)
            arm(shared.limits.bodyTimeout, .body, context)
        case (.body(var chunk), .readingBody(let head, var body, let limit)):
            guard (body?.readableBytes ?? 0) + chunk.readableBytes <= limit else {
                return refuse(.payloadTooLarge, code: "payload_too_large", "The body is larger than \(limit / 1024) KB.", head, context)
            }
            if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
            state = .readingBody(head: head, body: body, limit: limit)
        case (.end, .readingBody(let head, let body, _)):
            disarm()
            // NIO's decoder reads nothing after an upgrade request; what comes next waits for the answer.
            if Self.asksForUpgrade(head) { input.hold() }
            state = .responding(head: head, bytesWaiting: false)
            respond(to: head, body: body, context)
        case (_, .closing):
            break
        default:
            // Parts out of order cannot come from NIO's decoder; close rather than guess.
            close(context)
        }
    }

    private static func asksForUpgrade(_ head: HTTPRequestHead) -> Bool {
        head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "upgrade" }
    }

    // MARK: Answering

    private func respond(to head: HTTPRequestHead, body: ByteBuffer?, _ context: ChannelHandlerContext) {
        let request = Request(
            application: shared.application, method: head.method, url: URI(path: head.uri), version: head.version,
            headersNoUpdate: head.headers, collectedBody: body, remoteAddress: context.channel.remoteAddress,
            logger: shared.application.logger, byteBufferAllocator: context.channel.allocator, on: context.eventLoop)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        shared.responder.respond(to: request).hop(to: context.eventLoop).whenComplete { result in
            let (handler, context) = bound.value
            switch result {
            case .success(let response):
                if response.status == .switchingProtocols, let upgrader = response.upgrader, Self.asksForUpgrade(head) {
                    handler.upgrade(with: upgrader, request: request, response: response, head: head, context)
                } else {
                    // The decoder stopped at the upgrade request, so the connection cannot carry another one.
                    handler.input.release()
                    handler.write(response, for: head, context, forceClose: Self.asksForUpgrade(head))
                }
            case .failure(let error):
                handler.shared.application.logger.error("request failed outside the error middleware: \(String(reflecting: error))")
                handler.input.release()
                handler.write(Response(status: .internalServerError), for: head, context, forceClose: true)
            }
        }
    }

    private func write(_ response: Response, for head: HTTPRequestHead, _ context: ChannelHandlerContext, forceClose: Bool = false) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        response.body.collect(on: context.eventLoop).whenComplete { result in
            let (handler, context) = bound.value
            switch result {
            case .success(let body):
                handler.send(response.status, response.headers, body: body, for: head, context, forceClose: forceClose)
            case .failure(let error):
                // A streamed body that broke off: its status line would promise what cannot follow.
                handler.shared.application.logger.error("a response body failed: \(String(reflecting: error))")
                handler.send(.internalServerError, [:], body: nil, for: head, context, forceClose: true)
            }
        }
    }

    /// Writes one answer and moves on: to the next request when the connection stays open, else to closing it.
    private func send(
        _ status: HTTPResponseStatus, _ responseHeaders: HTTPHeaders, body: ByteBuffer?, for head: HTTPRequestHead,
        _ context: ChannelHandlerContext, forceClose: Bool = false
    ) {
        guard case .responding(_, let bytesWaiting) = state, context.channel.isActive else { return }
        let keepAlive = head.isKeepAlive && !forceClose && !shared.drain.isDraining && !quiescing
        var headers = responseHeaders
        if keepAlive {
            if head.version.minor == 0 { headers.replaceOrAdd(name: .connection, value: "keep-alive") }
        } else {
            headers.replaceOrAdd(name: .connection, value: "close")
        }
        let hasBody = !(100..<200).contains(status.code) && status != .noContent && status != .notModified
        if hasBody {
            headers.replaceOrAdd(name: .contentLength, value: String(body?.readableBytes ?? 0))
        } else {
            headers.remove(name: .contentLength)
        }
        if !headers.contains(name: .date) { headers.add(name: .date, value: dateHeader.now()) }

        // The state moves before the answer's end is written: the pipelining handler may hand over the next
        // request from inside that write.
        slot.markBusy(false)
        servedRequests += 1
        if keepAlive {
            state = .awaitingHead(started: bytesWaiting)
            if bytesWaiting {
                arm(shared.limits.headerTimeout, .header, context)
            } else {
                arm(shared.limits.idleTimeout, .idle, context)
            }
        } else {
            state = .closing
        }

        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        if hasBody, head.method != .HEAD, let body, body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        guard !keepAlive else { return }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        written.whenComplete { _ in
            let (handler, context) = bound.value
            handler.closeAfterAnswer(context)
        }
    }

    /// Refuses a request before reading its body, then closes (the rest of the body is never read).
    private func refuse(_ status: HTTPResponseStatus, code: String, _ detail: String, _ head: HTTPRequestHead, _ context: ChannelHandlerContext) {
        disarm()
        input.release()
        state = .responding(head: head, bytesWaiting: false)
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: "application/problem+json")
        let problem = #"{"type":"about:blank","title":"\#(status.reasonPhrase)","status":\#(status.code),"code":"\#(code)","detail":"\#(detail)"}"#
        send(status, headers, body: ByteBuffer(string: problem), for: head, context, forceClose: true)
    }

    // MARK: Deadlines

    enum Deadline: String {
        case idle, header, body
    }

    /// Starts the deadline of this kind; `counted: false` for the short wait after a last answer, which is no timeout.
    private func arm(_ seconds: Double, _ kind: Deadline, _ context: ChannelHandlerContext, counted: Bool = true) {
        deadline?.cancel()
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: .milliseconds(Int64(seconds * 1000))) {
            let (handler, context) = bound.value
            handler.expired(kind, context, counted: counted)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }

    private func expired(_ kind: Deadline, _ context: ChannelHandlerContext, counted: Bool) {
        deadline = nil
        if counted { shared.metrics.httpTimeout(kind.rawValue) }
        switch state {
        case .awaitingHead(started: true), .readingBody:
            // A request was on its way: say why it ends. The answer goes out beneath the HTTP handlers, which hold
            // no request yet when the head is what is missing, and the connection closes right after.
            let what = kind == .body ? "body" : "head"
            let problem = #"{"type":"about:blank","title":"Request Timeout","status":408,"code":"request_timeout","detail":"The request's \#(what) did not arrive in time."}"#
            let answer = "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/problem+json\r\nConnection: close\r\n"
                + "Content-Length: \(problem.utf8.count)\r\n\r\n" + problem
            state = .closing
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            input.sendBeneathHTTP(ByteBuffer(string: answer)).whenComplete { _ in
                let (handler, context) = bound.value
                handler.closeAfterAnswer(context)
            }
        case .awaitingHead(started: false), .closing:
            close(context)
        case .responding, .upgraded:
            break
        }
    }

    private func close(_ context: ChannelHandlerContext) {
        disarm()
        state = .closing
        context.close(promise: nil)
    }

    /// Ends a connection after its last answer: the sending side first, so that unread request bytes (an early 413
    /// or 408) cannot make the kernel reset the connection before the client has read the answer; what the client
    /// still sends is read and dropped until it closes too, or for a moment at most.
    private func closeAfterAnswer(_ context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        state = .closing
        context.close(mode: .output, promise: nil)
        arm(Self.lingerAfterAnswer, .idle, context, counted: false)
    }

    /// How long a connection whose sending side is closed may keep sending before it is closed for good.
    static let lingerAfterAnswer = 2.0

    // MARK: Upgrades

    /// Answers 101, takes the HTTP handlers out and lets the upgrader put its own in (WebSocket).
    private func upgrade(with upgrader: any Upgrader, request: Request, response: Response, head: HTTPRequestHead, _ context: ChannelHandlerContext) {
        disarm()
        state = .upgraded
        slot.markBusy(true)
        let protocolUpgrader = upgrader.applyUpgrade(req: request, res: response)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let upgrading = NIOLoopBound(protocolUpgrader, eventLoop: context.eventLoop)
        protocolUpgrader.buildUpgradeResponse(channel: context.channel, upgradeRequest: head, initialResponseHeaders: [:])
            .flatMap { headers -> EventLoopFuture<Void> in
                let (handler, context) = bound.value
                context.write(handler.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .switchingProtocols, headers: headers))), promise: nil)
                return context.writeAndFlush(handler.wrapOutboundOut(.end(nil)))
            }
            .flatMap {
                let (handler, context) = bound.value
                return .andAllSucceed(handler.httpHandlers.map { context.pipeline.syncOperations.removeHandler($0) }, on: context.eventLoop)
            }
            .flatMap {
                let (_, context) = bound.value
                return upgrading.value.upgrade(context: context, upgradeRequest: head)
            }
            .flatMapThrowing {
                let (handler, context) = bound.value
                // In the order they arrived: what the decoder had read, then what `ConnectionInput` held back (it
                // goes on when that handler is removed, after this one, so it never reaches this handler).
                for data in handler.bytesForUpgrade { context.fireChannelRead(data) }
                handler.bytesForUpgrade = []
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
                context.pipeline.syncOperations.removeHandler(handler.input, promise: nil)
            }
            .whenFailure { error in
                let (handler, context) = bound.value
                handler.shared.application.logger.debug("upgrade failed: \(error)")
                handler.close(context)
            }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close(context)
    }
}

/// The `Date` header, formatted once per second per connection.
private struct DateHeader {
    private var second: Int = -1
    private var text = ""

    mutating func now() -> String {
        let now = Date()
        let current = Int(now.timeIntervalSince1970)
        if current != second {
            second = current
            text = Self.format(now)
        }
        return text
    }

    private static func format(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
