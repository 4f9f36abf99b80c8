import Foundation
import NIOConcurrencyHelpers
import NIOCore
import WebSocketKit

/// Counts `booking.created` frames over all clients, so a round can tell when every client has had one.
final class FrameCounter: Sendable {
    private let box = NIOLockedValueBox(0)

    func increment() {
        box.withLockedValue { $0 += 1 }
    }

    var value: Int { box.withLockedValue { $0 } }
}

/// One live-update socket following the room. The `onText` callback runs on the socket's event loop: it takes the
/// time first, then only looks for the frame type and the booking id by byte search; matching against the rounds'
/// bookings happens after each round, off the event loop.
final class FanoutClient: Sendable {
    struct Arrival: Sendable {
        let bookingId: BookingKey
        let at: ContinuousClock.Instant
    }

    private struct State {
        var socket: WebSocket?
        /// Completed when the server confirms the subscription (or the client fails before that).
        var ready: EventLoopPromise<Void>?
        var arrivals: [Arrival] = []
        var otherFrames = 0
        var stopping = false
        var closed = false
        var closedEarly = false
        var firstError: String?
    }

    let index: Int
    private let counter: FrameCounter
    private let subscribeText: String
    private let state = NIOLockedValueBox(State())

    init(index: Int, roomId: String, counter: FrameCounter) {
        self.index = index
        self.counter = counter
        subscribeText = #"{"type":"subscribe","topic":"room:\#(roomId)"}"#
    }

    /// Opens the socket and subscribes; completes when the server answered `subscribed`.
    func start(client: WebSocketClient, host: String, port: Int, token: String, on loop: any EventLoop,
               timeout: TimeAmount) -> EventLoopFuture<Void> {
        let ready = loop.makePromise(of: Void.self)
        state.withLockedValue { $0.ready = ready }
        let timer = loop.scheduleTask(in: timeout) { [self] in
            fail("no subscription confirmed within \(timeout.nanoseconds / 1_000_000_000) s")
        }
        ready.futureResult.whenComplete { _ in timer.cancel() }
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer \(token)")
        client.connect(scheme: "ws", host: host, port: port, path: "/api/v1/ws", headers: headers) { [self] socket in
            attach(socket)
        }.whenFailure { [self] error in
            fail("connect: \(error)")
        }
        return ready.futureResult
    }

    /// Registers the handlers before anything is sent, then subscribes.
    private func attach(_ socket: WebSocket) {
        state.withLockedValue { $0.socket = socket }
        socket.onText { [self] _, text in
            received(text, at: ContinuousClock.now)
        }
        socket.onClose.whenComplete { [self] _ in
            let early = state.withLockedValue { state -> Bool in
                state.closed = true
                if !state.stopping { state.closedEarly = true }
                return !state.stopping
            }
            if early { fail("socket closed by the server (code \(String(describing: socket.closeCode)))") }
        }
        socket.send(subscribeText)
    }

    private func received(_ text: String, at time: ContinuousClock.Instant) {
        switch FanoutFrames.classify(text) {
        case .bookingCreated(let id):
            state.withLockedValue { $0.arrivals.append(Arrival(bookingId: id, at: time)) }
            counter.increment()
        case .subscribed:
            let ready = state.withLockedValue { state -> EventLoopPromise<Void>? in
                defer { state.ready = nil }
                return state.ready
            }
            ready?.succeed(())
        case .error:
            fail("server sent an error: \(truncated(text))")
        case .other:
            state.withLockedValue { $0.otherFrames += 1 }
        }
    }

    private func fail(_ reason: String) {
        let ready = state.withLockedValue { state -> EventLoopPromise<Void>? in
            if state.firstError == nil { state.firstError = reason }
            defer { state.ready = nil }
            return state.ready
        }
        ready?.fail(LoadError("client \(index + 1): \(reason)"))
    }

    /// When this client received the `booking.created` frame of a booking; nil when it has not.
    func arrival(of bookingId: BookingKey) -> ContinuousClock.Instant? {
        state.withLockedValue { state in state.arrivals.first { $0.bookingId == bookingId }?.at }
    }

    var otherFrames: Int { state.withLockedValue { $0.otherFrames } }
    var closedEarly: Bool { state.withLockedValue { $0.closedEarly } }
    var isClosed: Bool { state.withLockedValue { $0.closed || $0.socket == nil } }

    /// Starts a normal close; the server's answer completes it.
    func stop() {
        let socket = state.withLockedValue { state -> WebSocket? in
            state.stopping = true
            return state.socket
        }
        guard let socket, !socket.isClosed else { return }
        socket.close(code: .normalClosure, promise: nil)
    }
}

/// Just enough of the server's frames to tell them apart, by byte search on the UTF-8 text.
enum FanoutFrames {
    enum Kind: Equatable {
        case bookingCreated(BookingKey)
        case subscribed
        case error
        case other
    }

    private static let bookingCreated = Array(#""type":"booking.created""#.utf8)
    private static let subscribed = Array(#""type":"subscribed""#.utf8)
    private static let error = Array(#""type":"error""#.utf8)
    private static let bookingObject = Array(#""booking":{"#.utf8)
    private static let idKey = Array(#""id":""#.utf8)

    static func classify(_ text: String) -> Kind {
        var text = text
        return text.withUTF8 { bytes in
            if find(bookingCreated, in: bytes, from: 0) != nil {
                guard let object = find(bookingObject, in: bytes, from: 0),
                      let key = find(idKey, in: bytes, from: object + bookingObject.count)
                else { return .other }
                let start = key + idKey.count
                guard start + BookingKey.textLength <= bytes.count,
                      let id = BookingKey(UnsafeBufferPointer(rebasing: bytes[start..<(start + BookingKey.textLength)]))
                else { return .other }
                return .bookingCreated(id)
            }
            if find(subscribed, in: bytes, from: 0) != nil { return .subscribed }
            if find(error, in: bytes, from: 0) != nil { return .error }
            return .other
        }
    }

    /// Index of the first occurrence of `pattern` in `bytes` at or after `from`.
    static func find(_ pattern: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let count = pattern.count
        guard count > 0, bytes.count >= count, from <= bytes.count - count else { return nil }
        let first = pattern[0]
        var index = from
        while index <= bytes.count - count {
            if bytes[index] == first {
                var matched = 1
                while matched < count, bytes[index + matched] == pattern[matched] { matched += 1 }
                if matched == count { return index }
            }
            index += 1
        }
        return nil
    }
}

/// A booking's UUID as two integers, read straight from its 36 characters (either case); cheaper on the event loop
/// than Foundation's `UUID(uuidString:)`, which goes through `sscanf`.
struct BookingKey: Hashable, Sendable {
    static let textLength = 36

    let high: UInt64
    let low: UInt64

    init?(_ text: String) {
        var text = text
        guard let key = text.withUTF8({ BookingKey($0) }) else { return nil }
        self = key
    }

    /// `8-4-4-4-12` hexadecimal digits with hyphens.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == Self.textLength else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        for (offset, byte) in bytes.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            if digits < 16 {
                high = high << 4 | UInt64(value)
            } else {
                low = low << 4 | UInt64(value)
            }
            digits += 1
        }
        self.high = high
        self.low = low
    }
}
