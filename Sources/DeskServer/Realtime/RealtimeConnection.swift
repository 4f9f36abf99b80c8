import DeskCore
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket
import WebSocketKit

/// One client's socket: who it is, what it subscribed to, and how many frames wait to be written to it.
final class RealtimeConnection: Sendable {
    let id = UUID()
    let socket: WebSocket
    /// Frames written but not yet taken by the client's TCP window, at most; beyond that the client is too slow to
    /// keep up and is disconnected (it reconnects and reloads), so that it never holds back anyone else.
    let queueLimit: Int

    private struct State {
        var viewer: Viewer
        var topics: Set<Topic> = []
        var pending = 0
        var closing = false
    }

    private let state: NIOLockedValueBox<State>
    /// Client messages, handled one after another in arrival order.
    let inbox: AsyncStream<String>
    private let inboxInput: AsyncStream<String>.Continuation

    init(socket: WebSocket, viewer: Viewer, queueLimit: Int) {
        self.socket = socket
        self.queueLimit = queueLimit
        state = NIOLockedValueBox(State(viewer: viewer))
        (inbox, inboxInput) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
    }

    var viewer: Viewer { state.withLockedValue { $0.viewer } }
    var topics: Set<Topic> { state.withLockedValue { $0.topics } }

    func received(_ text: String) { inboxInput.yield(text) }
    func finishInbox() { inboxInput.finish() }

    func update(viewer: Viewer) { state.withLockedValue { $0.viewer = viewer } }

    /// Adds a topic; false when the connection already has `limit` topics.
    func add(_ topic: Topic, limit: Int) -> Bool {
        state.withLockedValue { state in
            guard state.topics.contains(topic) || state.topics.count < limit else { return false }
            state.topics.insert(topic)
            return true
        }
    }

    func remove(_ topic: Topic) { _ = state.withLockedValue { $0.topics.remove(topic) } }

    /// Queues one text frame; a client that has `queueLimit` frames outstanding is closed instead.
    func send(_ frame: ByteBuffer) {
        let accepted = state.withLockedValue { state -> Bool in
            guard !state.closing else { return false }
            guard state.pending < queueLimit else {
                state.closing = true
                return false
            }
            state.pending += 1
            return true
        }
        guard accepted else {
            close(code: .unknown(1013))  // "try again later": the client reconnects and reloads
            return
        }
        let promise = socket.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenComplete { [state] _ in state.withLockedValue { $0.pending -= 1 } }
        socket.send(frame, opcode: .text, promise: promise)
    }

    func send(_ message: RealtimeMessage) { send(message.frame()) }

    func close(code: WebSocketErrorCode) {
        state.withLockedValue { $0.closing = true }
        socket.close(code: code, promise: nil)
    }
}
