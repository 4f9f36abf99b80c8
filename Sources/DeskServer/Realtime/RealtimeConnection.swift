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
    /// Frames queued but not yet taken by the client's TCP window: a client with this many that has not taken any
    /// for `stallTimeout`, or with 64 times as many, is too slow to keep up and is disconnected (it reconnects and
    /// reloads), so that it never holds back anyone else or grows the server's memory. A client that keeps reading
    /// rides out bursts of events larger than the limit.
    let queueLimit: Int
    static let stallTimeout: Duration = .seconds(5)

    private struct State {
        var viewer: Viewer
        var topics: Set<Topic> = []
        var pending = 0
        /// When the client last took a frame (or when its queue last became non-empty).
        var lastProgress = ContinuousClock.now
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

    /// Queues one text frame; a client too slow to keep up (see `queueLimit`) is closed instead and false returned: it
    /// is to be dropped (its TCP connection ends at the next unanswered ping at the latest).
    @discardableResult
    func send(_ frame: ByteBuffer) -> Bool {
        let now = ContinuousClock.now
        let accepted = state.withLockedValue { state -> Bool in
            guard !state.closing else { return false }
            if state.pending == 0 { state.lastProgress = now }
            if state.pending >= queueLimit, now - state.lastProgress > Self.stallTimeout || state.pending >= queueLimit * 64 {
                state.closing = true
                return false
            }
            state.pending += 1
            return true
        }
        guard accepted else {
            close(code: .unknown(1013))  // "try again later": the client reconnects and reloads
            return false
        }
        let promise = socket.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenComplete { [state] _ in
            state.withLockedValue { state in
                state.pending -= 1
                state.lastProgress = .now
            }
        }
        socket.send(frame, opcode: .text, promise: promise)
        return true
    }

    func send(_ message: RealtimeMessage) { send(message.frame()) }

    func close(code: WebSocketErrorCode) {
        state.withLockedValue { $0.closing = true }
        socket.close(code: code, promise: nil)
    }
}
