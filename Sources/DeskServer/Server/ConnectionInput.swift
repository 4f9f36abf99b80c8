import NIOCore

/// The first handler of a connection, before the HTTP decoder. It tells the connection handler when the bytes of
/// a request start to arrive (the head's deadline runs from there), and once an upgrade is asked for it holds back
/// what arrives next, so that no byte meant for the new protocol is read as HTTP; the held bytes go on when the
/// handler is removed (the upgrade is in place) or released (no upgrade after all).
final class ConnectionInput: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    weak var connection: HTTPConnectionHandler?
    private var held: [ByteBuffer]?
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if held != nil {
            held?.append(unwrapInboundIn(data))
            return
        }
        connection?.bytesArrived()
        context.fireChannelRead(data)
    }

    /// The server is stopping. The event does not go on to NIO's pipelining handler, which would close a connection
    /// between requests at once: one accepted just before the listener closed may have its request on the way.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, let connection {
            connection.quiesce()
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func hold() {
        if held == nil { held = [] }
    }

    /// Sends the held bytes on to the HTTP decoder.
    func release() {
        guard let buffers = held, let context else { return }
        held = nil
        for buffer in buffers { context.fireChannelRead(wrapInboundOut(buffer)) }
    }

    /// Writes bytes straight to the socket, past the HTTP encoder (for an answer when no request was parsed).
    func sendBeneathHTTP(_ bytes: ByteBuffer) -> EventLoopFuture<Void> {
        guard let context else { return NIOSingletons.posixEventLoopGroup.any().makeSucceededVoidFuture() }
        return context.writeAndFlush(wrapOutboundOut(bytes))
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        let buffers = held ?? []
        held = nil
        self.context = nil
        for buffer in buffers { context.fireChannelRead(wrapInboundOut(buffer)) }
    }
}
