import NIOCore

/// Closes a listener without resetting connections the kernel has already queued for it.
///
/// Closing a listening socket resets every connection still in its accept queue, and a client (a proxy) may already
/// have sent its request on one: a POST that it then must not send again. So first a socket filter that drops every
/// packet reaching the listener goes on (a new client's SYN goes unanswered: it retries, and a proxy passes the request
/// to another instance, with nothing sent), the queued connections are accepted and answered for a moment, and only
/// then does the listener close. Linux only; elsewhere the listener closes at once.
enum ListenerGate {
    /// Long enough to accept what was queued; nothing new can join the queue meanwhile.
    static let settle = TimeAmount.milliseconds(100)

    static func shut(_ listener: any Channel) -> EventLoopFuture<Void> {
        #if os(Linux)
        guard let provider = listener as? any SocketOptionProvider else { return listener.eventLoop.makeSucceededVoidFuture() }
        // One classic BPF instruction, `ret #0`: keep nothing of any packet.
        let instruction = UnsafeMutablePointer<Instruction>.allocate(capacity: 1)
        instruction.initialize(to: Instruction(code: 0x06, jt: 0, jf: 0, k: 0))
        let program = Program(length: 1, instructions: instruction)
        return provider.unsafeSetSocketOption(level: .socket, name: attachFilter, value: program)
            .always { _ in program.instructions.deallocate() }
            .flatMap { listener.eventLoop.scheduleTask(in: settle) {}.futureResult }
            .recover { _ in }
        #else
        return listener.eventLoop.makeSucceededVoidFuture()
        #endif
    }

    /// `SO_ATTACH_FILTER` (asm-generic/socket.h), which the C headers Swift imports do not name.
    private static let attachFilter = NIOBSDSocket.Option(rawValue: 26)

    /// `struct sock_filter`.
    private struct Instruction {
        var code: UInt16
        var jt: UInt8
        var jf: UInt8
        var k: UInt32
    }

    /// `struct sock_fprog`; the kernel copies the instructions during the call, so the pointer is only lent.
    private struct Program: @unchecked Sendable {
        var length: UInt16
        var instructions: UnsafeMutablePointer<Instruction>
    }
}
