import NIOConcurrencyHelpers

/// Whether this instance is on its way out: `/readyz` fails and every answer closes its connection, so that load
/// balancers and clients move to another instance while this one still answers.
final class ServerDrain: Sendable {
    private let draining = NIOLockedValueBox(false)

    var isDraining: Bool { draining.withLockedValue { $0 } }

    func begin() {
        draining.withLockedValue { $0 = true }
    }
}
