import AsyncHTTPClient

/// The requests one load client sends, one after another.
protocol Workload: Sendable {
    /// The status every request should answer; any other is counted and sampled as unexpected.
    static var expectedStatus: Int { get }

    /// The next request, or nil when this client has nothing left to send.
    mutating func next() -> HTTPClientRequest?
}
