import Vapor

/// Who is really calling when a reverse proxy stands in front: login throttling and the audit log must see the
/// client, not the proxy.
enum ClientAddress {
    /// The peer's address, unless the peer is a trusted proxy: then the right-most `X-Forwarded-For` entry that is
    /// not itself a trusted proxy (entries further left were written by the client and could be forged).
    static func resolve(peer: String?, forwardedFor: [String], trusted: Set<String>) -> String? {
        guard let peer, trusted.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last { !trusted.contains($0) } ?? hops.first ?? peer
    }
}

extension Request {
    /// The calling client's address (see `ClientAddress`).
    var clientAddress: String? {
        ClientAddress.resolve(peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor],
                              trusted: services.config.trustedProxies)
    }
}
