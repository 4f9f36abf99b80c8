import Foundation
import NIOConcurrencyHelpers

/// The application's clock while a demo is loaded: the seeder sets it to the moments of the demo's past, so that
/// bookings, rounds, check-ins and the autopilot's log are written by the real services at the times they happened,
/// and then lets it run with the wall clock again.
final class DemoClock: Sendable {
    private let fixed = NIOLockedValueBox<Date?>(nil)

    init() {}

    /// The wall clock, or the moment the seeder set.
    var wallClock: WallClock {
        WallClock { [fixed] in fixed.withLockedValue { $0 } ?? Date() }
    }

    /// Stops the clock at `moment`; nil lets it run with the wall clock again.
    func set(_ moment: Date?) {
        fixed.withLockedValue { $0 = moment }
    }
}
