@testable import DeskServer
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import WebSocketKit

/// One message from the server, read by key path like `ResponseBody`.
struct LiveMessage: @unchecked Sendable, CustomStringConvertible {
    let text: String
    let value: [String: Any]

    init(_ text: String) {
        self.text = text
        value = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    subscript(_ keys: String...) -> Any? {
        keys.reduce(value as Any?) { ($0 as? [String: Any])?[$1] }
    }

    func string(_ keys: String...) -> String? {
        keys.reduce(value as Any?) { ($0 as? [String: Any])?[$1] } as? String
    }

    var type: String? { string("type") }
    var topic: String? { string("topic") }
    var description: String { text }
}

/// A real WebSocket client of a test server listening on loopback.
final class LiveClient: Sendable {
    let socket: WebSocket
    private let received = NIOLockedValueBox<[LiveMessage]>([])

    private init(socket: WebSocket) {
        self.socket = socket
    }

    /// Connects as `caller` (their Bearer token or cookies).
    static func connect(_ server: TestServer, as caller: Caller, extraHeaders: HTTPHeaders = [:]) async throws -> LiveClient {
        let port = try await server.listen()
        var headers = caller.headers
        headers.add(contentsOf: extraHeaders)
        return try await connect(to: "ws://127.0.0.1:\(port)/api/v1/ws", headers: headers)
    }

    static func connect(to url: String, headers: HTTPHeaders) async throws -> LiveClient {
        let group = MultiThreadedEventLoopGroup.singleton
        let ready = group.next().makePromise(of: LiveClient.self)
        WebSocket.connect(to: url, headers: headers, on: group) { socket in
            let client = LiveClient(socket: socket)
            socket.onText { _, text in client.received.withLockedValue { $0.append(LiveMessage(text)) } }
            ready.succeed(client)
        }.cascadeFailure(to: ready)
        return try await ready.futureResult.get()
    }

    func send(_ json: JSON) {
        socket.send(json.text)
    }

    /// Everything received so far.
    var messages: [LiveMessage] { received.withLockedValue { $0 } }

    /// The first message so far that matches, waiting up to `timeout` for it.
    func first(within timeout: Duration = .seconds(1), where matches: (LiveMessage) -> Bool) async -> LiveMessage? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let message = messages.first(where: matches) { return message }
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Subscribes and returns the answer for that topic (`subscribed` or `error`).
    func subscribe(_ topic: String) async -> LiveMessage? {
        send(["type": "subscribe", "topic": .string(topic)])
        return await first { $0.topic == topic && ($0.type == "subscribed" || $0.type == "error") }
    }

    func close() async {
        try? await socket.close(code: .normalClosure).get()
    }
}

extension Topic {
    static func roomName(_ id: UUID) -> String { Topic.room(id).name }
    static func locationName(_ id: UUID) -> String { Topic.location(id).name }
}
