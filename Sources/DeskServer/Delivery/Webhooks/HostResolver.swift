#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers
import NIOPosix

/// Turns a host name into the addresses it names right now. A protocol so tests can make a name lead anywhere.
public protocol HostResolver: Sendable {
    /// Every address of the host, in the order the system prefers; throws `HostResolutionFailed` when there is none.
    func addresses(of host: String) async throws -> [IPAddress]
}

/// A name that did not resolve, with the resolver's reason.
public struct HostResolutionFailed: Error, CustomStringConvertible {
    public let host: String
    public let reason: String
    public var description: String { "\(host) does not resolve: \(reason)" }
}

/// The operating system's resolver (`getaddrinfo`: `/etc/hosts`, then DNS), run on a thread pool because it blocks.
/// A cancelled caller stops waiting at once; the lookup itself finishes in the background.
public struct SystemHostResolver: HostResolver {
    let threadPool: NIOThreadPool

    public init(threadPool: NIOThreadPool = .singleton) {
        self.threadPool = threadPool
    }

    public func addresses(of host: String) async throws -> [IPAddress] {
        let waiter = NIOLockedValueBox<CheckedContinuation<[IPAddress], any Error>?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiter.withLockedValue { $0 = continuation }
                if Task.isCancelled { Self.resume(waiter, with: .failure(CancellationError())) }
                threadPool.submit { _ in
                    Self.resume(waiter, with: Result { try Self.lookUp(host) })
                }
            }
        } onCancel: {
            Self.resume(waiter, with: .failure(CancellationError()))
        }
    }

    /// Resumes the waiting caller once; whichever of answer and cancellation comes second finds nobody waiting.
    private static func resume(
        _ waiter: NIOLockedValueBox<CheckedContinuation<[IPAddress], any Error>?>, with result: Result<[IPAddress], any Error>
    ) {
        waiter.withLockedValue { continuation in
            continuation?.resume(with: result)
            continuation = nil
        }
    }

    private static func lookUp(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            throw HostResolutionFailed(host: host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let address = Self.address(of: current.pointee), !addresses.contains(address) { addresses.append(address) }
            entry = current.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw HostResolutionFailed(host: host, reason: "no addresses") }
        return addresses
    }

    private static func address(of info: addrinfo) -> IPAddress? {
        guard let socketAddress = info.ai_addr else { return nil }
        switch info.ai_family {
        case AF_INET:
            let value = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
            return .v4(UInt32(bigEndian: value))
        case AF_INET6:
            var raw = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
            return .v6(withUnsafeBytes(of: &raw) { Array($0) })
        default:
            return nil
        }
    }
}
