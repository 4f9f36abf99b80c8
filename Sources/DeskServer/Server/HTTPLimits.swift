import Foundation

/// What the HTTP server allows each connection, and how it stops. Every value is a setting (see the README).
public struct HTTPLimits: Sendable {
    /// A keep-alive connection without a request for this long is closed. Longer than a proxy's pooled-connection
    /// timeout, so that the proxy, not the server, closes a connection it may be about to reuse.
    public var idleTimeout: Double = 75
    /// A request's head must arrive whole within this time of its first byte (for a new connection, of its opening).
    public var headerTimeout: Double = 10
    /// A request's body must arrive whole within this time of its head (a 5 MB floor map on a slow line fits).
    public var bodyTimeout: Double = 60
    /// Open connections at most. A connection beyond it closes the longest-idle one that has no request under way,
    /// or, when every one is busy, is answered 503 at once; either way the server keeps answering.
    public var maxConnections: Int = 10_000
    /// After SIGTERM: how long the server keeps answering (with `/readyz` failing and `Connection: close` on every
    /// answer) before it stops accepting connections, so a load balancer moves away without a failed request.
    public var drainPeriod: Double = 5
    /// How long requests under way may take to finish once the server stops accepting connections.
    public var shutdownTimeout: Double = 10

    public init() {}
}
