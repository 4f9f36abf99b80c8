import DeskCore
import Foundation

/// How one attempt of a delivery went.
struct DeliveryOutcome: Sendable, Equatable {
    let succeeded: Bool
    let statusCode: Int?
    let error: String?
    let durationMs: Int
    /// A failure that a retry cannot mend (a refused address, an endpoint that is gone): no more attempts.
    var permanent = false

    static func failed(_ error: String, permanent: Bool = false) -> DeliveryOutcome {
        DeliveryOutcome(succeeded: false, statusCode: nil, error: error, durationMs: 0, permanent: permanent)
    }
}

/// One way out of the outbox (e-mail, webhooks; chat later). A channel never throws: every failure is an outcome, so
/// that the worker records it and retries.
protocol DeliveryChannel: Sendable {
    /// Sends one delivery once.
    func send(_ delivery: DeliveryRecord) async -> DeliveryOutcome
    /// How often a failed delivery of this channel is tried.
    var schedule: DeliverySchedule { get }
}
