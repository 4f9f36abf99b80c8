import DequeModule
import Foundation
import NIOCore

/// One command (or none, for the greeting) and the promise for its reply.
struct SMTPExchange: Sendable {
    /// What the error says was being done; never the command's arguments.
    var label: String
    /// The bytes to send; `nil` only waits for the next reply (the greeting).
    var bytes: ByteBuffer?
    var timeout: TimeAmount
    var reply: EventLoopPromise<SMTPReply>
}

/// Pairs each command with the next reply, in order, and fails a command whose reply does not come in time.
///
/// A reply that arrives before anyone waits for it (the greeting, or a `421` the server sends before closing) is
/// kept for the next exchange. Any failure — a timeout, a closed connection,
/// a TLS error — fails every waiting command and closes the channel: after it, nothing on this connection can be
/// trusted to line up.
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = SMTPReply
    typealias OutboundIn = SMTPExchange
    typealias OutboundOut = ByteBuffer

    private struct Waiter {
        var label: String
        var reply: EventLoopPromise<SMTPReply>
        var timer: Scheduled<Void>
    }

    private var waiters: Deque<Waiter> = []
    private var unclaimed: Deque<SMTPReply> = []
    private var failure: SMTPError?
    private let firstFailure: SMTPFirstFailure

    init(firstFailure: SMTPFirstFailure) {
        self.firstFailure = firstFailure
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        // What the server said unasked answers the next command, which is then not sent: the greeting, or a
        // `421` before the server hung up, is what the caller must see.
        if waiters.isEmpty, let reply = unclaimed.popFirst() {
            promise?.succeed()
            exchange.reply.succeed(reply)
            return
        }
        if let failure {
            exchange.reply.fail(failure)
            promise?.fail(failure)
            return
        }
        if let bytes = exchange.bytes {
            context.write(wrapOutboundOut(bytes), promise: promise)
        } else {
            promise?.succeed()
        }
        let label = exchange.label
        let timer = context.eventLoop.assumeIsolated().scheduleTask(in: exchange.timeout) { [self] in
            fail(.timeout(command: label), context: context)
        }
        waiters.append(Waiter(label: exchange.label, reply: exchange.reply, timer: timer))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        guard let waiter = waiters.popFirst() else {
            unclaimed.append(reply)
            if unclaimed.count > 4 { fail(.malformedReply("the server sends replies nobody asked for"), context: context) }
            return
        }
        waiter.timer.cancel()
        waiter.reply.succeed(reply)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(SMTPError.from(error, command: waiters.first?.label ?? "the session"), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.closed(command: waiters.first?.label ?? "the session"), context: context)
        context.fireChannelInactive()
    }

    private func fail(_ error: SMTPError, context: ChannelHandlerContext) {
        if failure == nil {
            failure = error
            firstFailure.record(error)
        }
        let failed = waiters
        waiters.removeAll()
        for waiter in failed {
            waiter.timer.cancel()
            waiter.reply.fail(failure ?? error)
        }
        context.close(promise: nil)
    }
}

/// The first thing that broke a connection, kept where the sending side can read it after the pipeline is gone:
/// a command written to a closed channel then fails with the cause (a TLS handshake error, say), not just "closed".
final class SMTPFirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var error: SMTPError?

    func record(_ error: SMTPError) {
        lock.withLock { if self.error == nil { self.error = error } }
    }

    var recorded: SMTPError? { lock.withLock { error } }
}
