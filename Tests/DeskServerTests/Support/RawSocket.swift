import Foundation
import NIOCore
import NIOPosix

/// A WebSocket client that does the handshake by hand and then misbehaves on purpose: it never answers pings and,
/// with `reading: false`, never reads (its receive window fills up).
final class RawSocket: Sendable {
    let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func open(port: Int, token: String, reading: Bool) async throws -> RawSocket {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.autoRead, value: reading)
            .channelOption(.socketOption(.so_rcvbuf), value: 4096)
            .connect(host: "127.0.0.1", port: port).get()
        let handshake = """
            GET /api/v1/ws HTTP/1.1\r
            Host: 127.0.0.1:\(port)\r
            Upgrade: websocket\r
            Connection: Upgrade\r
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
            Sec-WebSocket-Version: 13\r
            Authorization: Bearer \(token)\r
            \r

            """
        try await channel.writeAndFlush(ByteBuffer(string: handshake)).get()
        return RawSocket(channel: channel)
    }

    /// A masked text frame (all-zero mask key, so the payload goes as is).
    func send(text: String) async throws {
        let payload = Array(text.utf8)
        precondition(payload.count < 126)
        var frame = ByteBuffer(bytes: [0x81, 0x80 | UInt8(payload.count), 0, 0, 0, 0])
        frame.writeBytes(payload)
        try await channel.writeAndFlush(frame).get()
    }

    /// Whether the server closed the connection within `timeout`.
    func closed(within timeout: Duration) async -> Bool {
        await channel.closes(within: timeout)
    }

    func close() async {
        try? await channel.close()
    }
}

extension Channel {
    /// Whether the other side closed this connection within `timeout`.
    func closes(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !isActive { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !isActive
    }
}
