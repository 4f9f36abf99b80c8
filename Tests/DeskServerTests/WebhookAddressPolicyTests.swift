@testable import DeskServer
import Testing

@Suite("Webhook address policy: which addresses a webhook may reach")
struct WebhookAddressPolicyTests {
    /// Address, its scope. Each row is checked with and without the allow-private setting below.
    static let table: [(String, AddressScope)] = [
        // IPv4 public
        ("8.8.8.8", .global), ("93.184.216.34", .global), ("1.1.1.1", .global), ("100.63.255.255", .global),
        ("100.128.0.0", .global), ("172.15.255.255", .global), ("172.32.0.0", .global), ("192.167.255.255", .global),
        ("198.17.255.255", .global), ("198.20.0.0", .global), ("223.255.255.255", .global), ("11.0.0.1", .global),
        // loopback, private, carrier-grade NAT, link-local, benchmarking
        ("127.0.0.1", .loopback), ("127.255.255.254", .loopback), ("127.1.2.3", .loopback),
        ("10.0.0.1", .privateNetwork), ("10.255.255.255", .privateNetwork), ("172.16.0.1", .privateNetwork),
        ("172.31.255.255", .privateNetwork), ("192.168.0.1", .privateNetwork), ("192.168.255.255", .privateNetwork),
        ("100.64.0.1", .sharedAddressSpace), ("100.127.255.255", .sharedAddressSpace),
        ("169.254.0.1", .linkLocal), ("169.254.1.1", .linkLocal), ("169.254.255.255", .linkLocal),
        ("198.18.0.1", .benchmarking), ("198.19.255.255", .benchmarking),
        // never reachable
        ("0.0.0.0", .unspecified), ("0.1.2.3", .unspecified), ("255.255.255.255", .broadcast),
        ("224.0.0.1", .multicast), ("239.255.255.250", .multicast), ("240.0.0.1", .reserved), ("255.255.255.254", .reserved),
        ("192.0.2.10", .documentation), ("198.51.100.7", .documentation), ("203.0.113.200", .documentation),
        ("192.0.0.8", .reserved), ("192.88.99.1", .reserved),
        // metadata services
        ("169.254.169.254", .metadata), ("169.254.170.2", .metadata), ("169.254.170.23", .metadata),
        ("169.254.169.123", .metadata), ("169.254.0.23", .metadata), ("100.100.100.200", .metadata),
        ("192.0.0.192", .metadata), ("168.63.129.16", .metadata),
        // IPv6
        ("2606:4700:4700::1111", .global), ("2001:4860:4860::8888", .global), ("2a00:1450:4001:80b::200e", .global),
        ("::1", .loopback), ("::", .unspecified), ("fe80::1", .linkLocal), ("febf:ffff::1", .linkLocal),
        ("fc00::1", .privateNetwork), ("fd12:3456:789a::1", .privateNetwork), ("fec0::1", .privateNetwork),
        ("ff02::1", .multicast), ("ff05::1:3", .multicast), ("2001:db8::1", .documentation), ("3fff::1", .documentation),
        ("100::1", .reserved), ("2001::1", .reserved), ("2001:10::1", .reserved), ("2001:2::1", .benchmarking),
        ("4000::1", .reserved), ("::2:3", .unspecified), ("1::", .reserved),
        ("fd00:ec2::254", .metadata), ("fd00:ec2::23", .metadata), ("fd20:ce::254", .metadata),
        // IPv6 forms that carry an IPv4 address are judged by it
        ("::ffff:127.0.0.1", .loopback), ("::ffff:7f00:1", .loopback), ("::ffff:10.1.2.3", .privateNetwork),
        ("::ffff:169.254.169.254", .metadata), ("::ffff:8.8.8.8", .global), ("::ffff:0.0.0.0", .unspecified),
        ("::127.0.0.1", .loopback), ("::10.0.0.1", .privateNetwork), ("::8.8.8.8", .reserved),
        ("::ffff:0:127.0.0.1", .loopback), ("::ffff:0:8.8.8.8", .global),
        ("64:ff9b::7f00:1", .loopback), ("64:ff9b::169.254.169.254", .metadata), ("64:ff9b::a00:1", .privateNetwork),
        ("64:ff9b::808:808", .global), ("64:ff9b:1::808:808", .privateNetwork), ("64:ff9b:1::a9fe:a9fe", .metadata),
        ("2002:7f00:1::1", .loopback), ("2002:a9fe:a9fe::", .metadata), ("2002:808:808::1", .global),
    ]

    @Test("every address in the table gets its scope", arguments: Self.table)
    func scope(address text: String, expected: AddressScope) throws {
        let address = try #require(IPAddress(text), "\(text) parses")
        #expect(AddressPolicy.scope(of: address) == expected, "\(text)")
    }

    @Test("without the setting only public addresses pass; with it private ranges open up, metadata and the unreachable never")
    func decisions() throws {
        let strict = AddressPolicy(allowPrivate: false)
        let lenient = AddressPolicy(allowPrivate: true)
        for (text, scope) in Self.table {
            let address = try #require(IPAddress(text))
            #expect(strict.permits(address) == (scope == .global), "\(text) without the setting")
            let opened: Set<AddressScope> = [.global, .loopback, .privateNetwork, .sharedAddressSpace, .linkLocal, .benchmarking]
            #expect(lenient.permits(address) == opened.contains(scope), "\(text) with the setting")
            if scope != .global { #expect(strict.refusal(of: address) == scope) }
        }
        for metadata in ["169.254.169.254", "fd00:ec2::254", "100.100.100.200", "169.254.170.2", "::ffff:169.254.169.254"] {
            #expect(lenient.refusal(of: IPAddress(metadata)!) == .metadata, "\(metadata) is refused even when private targets are allowed")
        }
    }

    @Test("only strict address forms parse; brackets and zones are accepted, text round-trips canonically")
    func parsing() {
        for bad in ["", "127.1", "0x7f000001", "2130706433", "127.0.0.1.", "256.0.0.1", "1.2.3", "example.com", "::g", "[::1", "1.2.3.4/8", " 1.2.3.4"] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
        #expect(IPAddress("[::1]") == IPAddress("::1"))
        #expect(IPAddress("fe80::1%eth0") == IPAddress("fe80::1"))
        #expect(IPAddress("::FFFF:7F00:1")?.description == "::ffff:127.0.0.1")
        #expect(IPAddress("2001:DB8:0:0:0:0:0:1")?.description == "2001:db8::1")
        #expect(IPAddress("10.0.0.1")?.description == "10.0.0.1")
        #expect(IPAddress(127, 0, 0, 1) == IPAddress("127.0.0.1"))
        #expect(IPAddress("::1")?.urlHost == "[::1]")
    }
}
