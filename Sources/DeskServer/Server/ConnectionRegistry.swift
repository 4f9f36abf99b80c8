import NIOConcurrencyHelpers
import NIOCore

/// The server's open connections, for the cap on them and for closing what is left at shutdown.
final class ConnectionRegistry: Sendable {
    /// One connection; `busy` while a request is under way or after it became a WebSocket.
    final class Slot: Sendable {
        let channel: any Channel
        fileprivate let state: NIOLockedValueBox<(busy: Bool, since: NIODeadline)>

        init(channel: any Channel) {
            self.channel = channel
            state = NIOLockedValueBox((false, .now()))
        }

        func markBusy(_ busy: Bool) {
            state.withLockedValue { $0 = (busy, .now()) }
        }
    }

    private let capacity: Int
    private let slots = NIOLockedValueBox([ObjectIdentifier: Slot]())

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { slots.withLockedValue { $0.count } }

    enum Admission {
        case admitted
        /// Admitted after closing this idle connection to make room.
        case admittedEvicting(Slot)
        case refused
    }

    /// Takes a new connection in, making room by closing the connection idle the longest when the cap is reached.
    func admit(_ slot: Slot) -> Admission {
        slots.withLockedValue { slots in
            var evicted: Slot?
            if slots.count >= capacity {
                evicted = slots.values
                    .map { ($0, $0.state.withLockedValue { $0 }) }
                    .filter { !$0.1.busy }
                    .min { $0.1.since < $1.1.since }?.0
                guard let evicted else { return .refused }
                slots[ObjectIdentifier(evicted)] = nil
            }
            slots[ObjectIdentifier(slot)] = slot
            return evicted.map { .admittedEvicting($0) } ?? .admitted
        }
    }

    func remove(_ slot: Slot) {
        _ = slots.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(slot)) }
    }

    /// Closes every connection still open (the last step of a shutdown that ran out of time).
    func closeAll() {
        for slot in slots.withLockedValue({ Array($0.values) }) {
            slot.channel.close(promise: nil)
        }
    }
}
