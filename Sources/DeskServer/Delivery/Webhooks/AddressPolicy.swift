/// The kind of network an address belongs to, as far as a webhook target is concerned.
public enum AddressScope: String, Sendable, CaseIterable {
    /// Reachable on the public internet.
    case global
    case loopback
    /// RFC 1918, unique local `fc00::/7` and the retired site-local `fec0::/10`.
    case privateNetwork = "private"
    /// Carrier-grade NAT, `100.64.0.0/10`.
    case sharedAddressSpace = "carrier-grade NAT"
    case linkLocal = "link-local"
    /// Network benchmarking ranges (`198.18.0.0/15`, `2001:2::/48`), used inside test labs.
    case benchmarking
    case multicast
    /// `0.0.0.0/8` and `::` (on Linux, connecting to `0.0.0.0` reaches the host itself).
    case unspecified
    case broadcast
    /// Ranges reserved for documentation examples; never a real host.
    case documentation
    /// Reserved, retired or unallocated ranges, and tunnelling prefixes that hide where they lead (Teredo).
    case reserved
    /// Cloud instance metadata and platform services: they hand out credentials to whoever asks from inside.
    case metadata
}

/// Decides which addresses a webhook may connect to. Public addresses always; loopback, private, carrier-grade NAT,
/// link-local and benchmarking ones only when private targets are allowed (tests, on-premises receivers); metadata
/// services, multicast, broadcast, unspecified, documentation and reserved ranges never. IPv6 forms that carry an
/// IPv4 address (mapped, compatible, translated, NAT64, 6to4) are judged by the IPv4 address they lead to.
public struct AddressPolicy: Sendable, Hashable {
    public var allowPrivate: Bool

    public init(allowPrivate: Bool) {
        self.allowPrivate = allowPrivate
    }

    /// Scopes the allow-private setting opens up; every other non-global scope stays refused.
    public static let privateScopes: Set<AddressScope> = [.loopback, .privateNetwork, .sharedAddressSpace, .linkLocal, .benchmarking]

    /// Why the address is refused, or nil when a webhook may connect to it.
    public func refusal(of address: IPAddress) -> AddressScope? {
        let scope = Self.scope(of: address)
        if scope == .global { return nil }
        if allowPrivate, Self.privateScopes.contains(scope) { return nil }
        return scope
    }

    public func permits(_ address: IPAddress) -> Bool {
        refusal(of: address) == nil
    }

    /// The scope of an address; pure, no lookups.
    public static func scope(of address: IPAddress) -> AddressScope {
        switch address {
        case .v4(let value): scope(ofIPv4: value)
        case .v6(let bytes): scope(ofIPv6: bytes)
        }
    }

    // MARK: IPv4

    private struct IPv4Block {
        let base: UInt32
        let prefix: Int
        let scope: AddressScope

        init(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ prefix: Int, _ scope: AddressScope) {
            self.base = a << 24 | b << 16 | c << 8 | d
            self.prefix = prefix
            self.scope = scope
        }

        func contains(_ value: UInt32) -> Bool {
            let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix)
            return value & mask == base & mask
        }
    }

    /// Most specific first: the first block that contains an address names its scope.
    private static let ipv4Blocks: [IPv4Block] = [
        // Metadata and platform services of the common clouds.
        .init(169, 254, 169, 0, 24, .metadata),      // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle (…169.254)
        .init(169, 254, 170, 0, 24, .metadata),      // AWS ECS task metadata (…170.2), EKS pod identity (…170.23)
        .init(169, 254, 0, 23, 32, .metadata),       // Tencent Cloud
        .init(100, 100, 100, 200, 32, .metadata),    // Alibaba Cloud
        .init(192, 0, 0, 192, 32, .metadata),        // Oracle Cloud
        .init(168, 63, 129, 16, 32, .metadata),      // Azure WireServer (a public address inside every Azure host)
        .init(255, 255, 255, 255, 32, .broadcast),
        .init(0, 0, 0, 0, 8, .unspecified),
        .init(10, 0, 0, 0, 8, .privateNetwork),
        .init(100, 64, 0, 0, 10, .sharedAddressSpace),
        .init(127, 0, 0, 0, 8, .loopback),
        .init(169, 254, 0, 0, 16, .linkLocal),
        .init(172, 16, 0, 0, 12, .privateNetwork),
        .init(192, 0, 0, 0, 24, .reserved),          // IETF protocol assignments
        .init(192, 0, 2, 0, 24, .documentation),
        .init(192, 88, 99, 0, 24, .reserved),        // retired 6to4 relay anycast
        .init(192, 168, 0, 0, 16, .privateNetwork),
        .init(198, 18, 0, 0, 15, .benchmarking),
        .init(198, 51, 100, 0, 24, .documentation),
        .init(203, 0, 113, 0, 24, .documentation),
        .init(224, 0, 0, 0, 4, .multicast),
        .init(240, 0, 0, 0, 4, .reserved),
    ]

    private static func scope(ofIPv4 value: UInt32) -> AddressScope {
        ipv4Blocks.first { $0.contains(value) }?.scope ?? .global
    }

    // MARK: IPv6

    private struct IPv6Block {
        let bytes: [UInt8]
        let prefix: Int
        let scope: AddressScope

        init(_ text: String, _ prefix: Int, _ scope: AddressScope) {
            guard case .v6(let bytes) = IPAddress(text) else { preconditionFailure("not an IPv6 address: \(text)") }
            self.bytes = bytes
            self.prefix = prefix
            self.scope = scope
        }

        func contains(_ address: [UInt8]) -> Bool {
            var bits = prefix
            for index in 0..<16 where bits > 0 {
                let take = min(bits, 8)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
                if address[index] & mask != bytes[index] & mask { return false }
                bits -= take
            }
            return true
        }
    }

    private static let ipv6Blocks: [IPv6Block] = [
        .init("fd00:ec2::", 64, .metadata),          // AWS instance metadata, EKS pod identity, time sync over IPv6
        .init("fd20:ce::254", 128, .metadata),       // GCP metadata over IPv6
        .init("::", 128, .unspecified),
        .init("::1", 128, .loopback),
        .init("ff00::", 8, .multicast),
        .init("fe80::", 10, .linkLocal),
        .init("fec0::", 10, .privateNetwork),        // retired site-local
        .init("fc00::", 7, .privateNetwork),         // unique local
        .init("2001:db8::", 32, .documentation),
        .init("3fff::", 20, .documentation),
        .init("100::", 64, .reserved),               // discard-only
        .init("2001::", 32, .reserved),              // Teredo: the IPv4 end is obfuscated
        .init("2001:2::", 48, .benchmarking),
        .init("2001:10::", 28, .reserved),           // ORCHID
        .init("2001:20::", 28, .reserved),           // ORCHIDv2
    ]

    private static func scope(ofIPv6 bytes: [UInt8]) -> AddressScope {
        guard bytes.count == 16 else { return .reserved }
        if let embedded = embeddedIPv4(in: bytes) {
            let scope = scope(ofIPv4: embedded.address)
            return scope == .global ? embedded.globalScope : scope
        }
        if let block = ipv6Blocks.first(where: { $0.contains(bytes) }) { return block.scope }
        // Only 2000::/3 is allocated for global unicast; everything else is unassigned.
        return bytes[0] & 0xE0 == 0x20 ? .global : .reserved
    }

    /// The IPv4 address an IPv6 form leads to, and the scope to give it when that IPv4 address is public.
    private static func embeddedIPv4(in bytes: [UInt8]) -> (address: UInt32, globalScope: AddressScope)? {
        func ipv4(at offset: Int) -> UInt32 {
            bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
        let zeros = { (range: Range<Int>) in bytes[range].allSatisfy { $0 == 0 } }
        // ::ffff:a.b.c.d (mapped) — the kernel connects to a.b.c.d itself.
        if zeros(0..<10), bytes[10] == 0xFF, bytes[11] == 0xFF { return (ipv4(at: 12), .global) }
        // ::ffff:0:a.b.c.d (SIIT translated).
        if zeros(0..<8), bytes[8] == 0xFF, bytes[9] == 0xFF, zeros(10..<12) { return (ipv4(at: 12), .global) }
        // ::a.b.c.d (deprecated compatible form); :: and ::1 are their own scopes.
        if zeros(0..<12), ipv4(at: 12) > 1 { return (ipv4(at: 12), .reserved) }
        // 64:ff9b::/96 well-known NAT64 prefix: a translator forwards to the embedded address.
        if bytes[0] == 0x00, bytes[1] == 0x64, bytes[2] == 0xFF, bytes[3] == 0x9B, zeros(4..<12) { return (ipv4(at: 12), .global) }
        // 64:ff9b:1::/48 local-use NAT64 (RFC 8215): local by definition; the common /96 layout embeds at the end.
        if bytes[0] == 0x00, bytes[1] == 0x64, bytes[2] == 0xFF, bytes[3] == 0x9B, bytes[4] == 0x00, bytes[5] == 0x01 {
            return (ipv4(at: 12), .privateNetwork)
        }
        // 2002::/16 6to4: the tunnel ends at the IPv4 address in bytes 2–5.
        if bytes[0] == 0x20, bytes[1] == 0x02 { return (ipv4(at: 2), .global) }
        return nil
    }
}
