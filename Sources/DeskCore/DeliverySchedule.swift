import Foundation

/// When a failed delivery is tried again: about 10 s, 1 min, 5 min, 30 min, 2 h, 6 h and 12 h after each failure, each
/// ±20 % at random so that many deliveries failing together do not all come back at once. A webhook is tried for about
/// 21 hours (8 attempts); an e-mail, whose relay retries by itself once it has accepted it, 6 times.
public struct DeliverySchedule: Sendable, Equatable {
    public static let delays: [TimeInterval] = [10, 60, 300, 1_800, 7_200, 21_600, 43_200]
    public static let webhook = DeliverySchedule(maximumAttempts: 8)
    public static let email = DeliverySchedule(maximumAttempts: 6)

    public let maximumAttempts: Int

    public init(maximumAttempts: Int) {
        self.maximumAttempts = max(1, min(maximumAttempts, Self.delays.count + 1))
    }

    /// The next attempt after `attempts` failed ones, or nil when the delivery has failed for good.
    /// - Parameter jitter: a number in -1...1 (random in production), scaling the ±20 %.
    public func nextAttempt(after attempts: Int, failedAt now: Date, jitter: Double) -> Date? {
        guard attempts >= 1, attempts < maximumAttempts else { return nil }
        let delay = Self.delays[attempts - 1] * (1 + 0.2 * max(-1, min(1, jitter)))
        return now.addingTimeInterval(delay)
    }
}

/// What a webhook endpoint can subscribe to: changes to bookings (of its owner, or at its location) and every
/// notification kind.
public enum WebhookEventType {
    public static let bookingCreated = "booking.created"
    public static let bookingChanged = "booking.changed"
    public static let bookingCancelled = "booking.cancelled"
    /// Sent by "send a test event" only; not subscribable.
    public static let ping = "webhook.ping"

    public static let all: [String] = [bookingCreated, bookingChanged, bookingCancelled] + NotificationKind.allCases.map(\.rawValue)

    /// Checks a chosen list: at least one, each known, without repeats (returned sorted as given, de-duplicated).
    public static func validate(_ types: [String]) throws(DomainError) -> [String] {
        guard !types.isEmpty else { throw DomainError.validation(field: "event_types", "choose at least one event type") }
        var seen = Set<String>()
        var result: [String] = []
        for type in types where seen.insert(type).inserted {
            guard all.contains(type) else { throw DomainError.validation(field: "event_types", "unknown event type \(type)") }
            result.append(type)
        }
        return result
    }
}
