import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// HTTP clients for webhook deliveries, one per (host name, checked address), each pinned to that address.
///
/// Why clients per address: a delivery must connect to the address `WebhookTargetCheck` just approved, while the
/// request keeps the original host name for `Host`, TLS SNI and certificate verification. async-http-client 1.37
/// offers exactly that with `Configuration.dnsOverride` (host → address; the pool then connects to the address and
/// still verifies the certificate for the host), but only per client, not per request. So each pinned pair gets its
/// own client, kept for reuse so deliveries to one receiver share keep-alive connections; a name that now resolves
/// elsewhere simply gets another client. A bounded number are kept; the least recently used idle ones are shut down.
final class WebhookClientPool: Sendable {
    struct Key: Hashable {
        let host: String
        /// nil for a URL whose host is an IP address: nothing to override.
        let address: IPAddress?
    }

    private struct Entry {
        let client: HTTPClient
        var inFlight = 0
        var lastUse: UInt64 = 0
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var uses: UInt64 = 0
        var closed = false
    }

    private let state = NIOLockedValueBox(State())
    private let base: HTTPClient.Configuration
    private let eventLoopGroup: any EventLoopGroup
    private let capacity: Int

    init(configuration: HTTPClient.Configuration, capacity: Int, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.base = configuration
        self.capacity = max(1, capacity)
        self.eventLoopGroup = eventLoopGroup
    }

    deinit {
        // `shutdown()` normally ran; if not, close what is left instead of leaking it (HTTPClient traps on that in
        // debug builds).
        for client in state.withLockedValue({ $0.entries.values.map(\.client) }) { client.shutdown { _ in } }
    }

    /// Runs `body` with the client for `key`; the client is not shut down while any caller holds it.
    func withClient<Result: Sendable>(for key: Key, _ body: (HTTPClient) async throws -> Result) async throws -> Result {
        let client = try lease(key)
        defer { release(key) }
        return try await body(client)
    }

    /// Shuts every client down; later deliveries fail instead of opening new ones.
    func shutdown() async {
        let clients = state.withLockedValue { state in
            state.closed = true
            defer { state.entries = [:] }
            return state.entries.values.map(\.client)
        }
        for client in clients { try? await client.shutdown() }
    }

    /// How many pinned clients are kept right now.
    var count: Int { state.withLockedValue { $0.entries.count } }

    struct Closed: Error, CustomStringConvertible {
        var description: String { "webhook sender is shut down" }
    }

    private func lease(_ key: Key) throws -> HTTPClient {
        let (client, evicted) = try state.withLockedValue { state throws -> (HTTPClient, [HTTPClient]) in
            guard !state.closed else { throw Closed() }
            state.uses += 1
            if var entry = state.entries[key] {
                entry.inFlight += 1
                entry.lastUse = state.uses
                state.entries[key] = entry
                return (entry.client, [])
            }
            var configuration = base
            if let address = key.address { configuration.dnsOverride = [key.host: address.description] }
            let client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
            state.entries[key] = Entry(client: client, inFlight: 1, lastUse: state.uses)
            return (client, Self.evict(from: &state, keeping: capacity))
        }
        for old in evicted { old.shutdown { _ in } }
        return client
    }

    private func release(_ key: Key) {
        state.withLockedValue { state in
            state.entries[key]?.inFlight -= 1
        }
    }

    /// Removes the least recently used idle clients beyond `capacity`; busy ones stay until a later lease.
    private static func evict(from state: inout State, keeping capacity: Int) -> [HTTPClient] {
        guard state.entries.count > capacity else { return [] }
        let idle = state.entries.filter { $0.value.inFlight == 0 }.sorted { $0.value.lastUse < $1.value.lastUse }
        return idle.prefix(state.entries.count - capacity).map { key, entry in
            state.entries[key] = nil
            return entry.client
        }
    }
}
