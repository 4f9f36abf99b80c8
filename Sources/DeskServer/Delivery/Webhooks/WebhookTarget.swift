import DeskCore
import Foundation

/// A webhook URL that passed the syntax checks: absolute, `https` (plain `http` only where private targets are
/// allowed), a valid host, no user name or password, no fragment, at most 2,000 characters. A literal IP host has
/// also passed the address policy; a host name still has to be resolved (`WebhookTargetCheck`).
public struct WebhookTarget: Sendable, Hashable {
    public static let maxLength = 2_000

    /// The URL as it will be called: scheme and host lower-cased, an IDN host in its `xn--` form.
    public let url: URL
    /// The host without brackets, lower-cased; it goes into the `Host` header and TLS server name.
    public let host: String
    public let port: Int
    public let usesTLS: Bool
    /// Set when the host is written as an IP address: then that is the only address ever connected to.
    public let literalAddress: IPAddress?

    /// Checks the text of a URL as given by a person. Errors name the field `url` and become 422 problems.
    public init(parsing text: String, policy: AddressPolicy) throws(DomainError) {
        func invalid(_ message: String) -> DomainError { .validation(field: "url", message) }
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw invalid("is required") }
        guard text.count <= Self.maxLength else { throw invalid("must be at most \(Self.maxLength) characters") }
        guard var components = URLComponents(string: text) else { throw invalid("is not a valid URL") }
        guard let rawScheme = components.scheme, text.contains("://") else {
            throw invalid("must be an absolute URL such as https://example.com/hooks")
        }
        let scheme = rawScheme.lowercased()
        switch scheme {
        case "https": break
        case "http" where policy.allowPrivate: break
        case "http": throw invalid("must use https")
        default: throw invalid("must use https, not \(scheme)")
        }
        guard components.user == nil, components.password == nil else {
            throw invalid("must not contain a user name or password; the signature authenticates deliveries")
        }
        guard components.fragment == nil else { throw invalid("must not contain a fragment (#…)") }
        guard let encodedHost = components.encodedHost, !encodedHost.isEmpty else { throw invalid("must name a host") }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65_535).contains(port) else { throw invalid("has an invalid port") }

        let host: String
        let literal: IPAddress?
        if encodedHost.hasPrefix("[") {
            guard let address = IPAddress(encodedHost), case .v6 = address, !encodedHost.contains("%") else {
                throw invalid("has an invalid IPv6 address")
            }
            literal = address
            host = address.description
        } else if let address = IPAddress(encodedHost), case .v4 = address {
            literal = address
            host = address.description
        } else {
            host = encodedHost.lowercased()
            guard Self.isHostName(host) else { throw invalid("has an invalid host name") }
            literal = nil
        }
        if let address = literal ?? (Self.isLoopbackName(host) ? IPAddress(127, 0, 0, 1) : nil), let scope = policy.refusal(of: address) {
            throw invalid("must not point to \(scope.phrase)\(Self.hint(for: scope))")
        }

        components.scheme = scheme
        components.encodedHost = encodedHost.lowercased()
        if components.percentEncodedPath.isEmpty { components.percentEncodedPath = "/" }
        guard let url = components.url else { throw invalid("is not a valid URL") }
        self.url = url
        self.host = host
        self.port = port
        self.usesTLS = scheme == "https"
        self.literalAddress = literal
    }

    /// RFC 6761: `localhost` and names under it are the machine itself, whatever a resolver would answer.
    static func isLoopbackName(_ host: String) -> Bool {
        let name = host.hasSuffix(".") ? String(host.dropLast()) : host
        return name == "localhost" || name.hasSuffix(".localhost")
    }

    /// Names the refused kind of address for people; metadata gets no hint, nothing opens it.
    static func hint(for scope: AddressScope) -> String {
        AddressPolicy.privateScopes.contains(scope) ? " (private targets are not allowed on this server)" : ""
    }

    /// Letters, digits, `-` and `_` in labels of 1–63 characters, 253 at most, an optional final dot.
    private static func isHostName(_ host: String) -> Bool {
        let name = host.hasSuffix(".") ? String(host.dropLast()) : host
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.utf8.count)
                && label.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
                && !label.hasPrefix("-") && !label.hasSuffix("-")
        }
    }
}

extension AddressScope {
    /// "a loopback address", "a cloud metadata address", … for messages.
    public var phrase: String {
        switch self {
        case .global: "a public address"
        case .loopback: "a loopback address"
        case .privateNetwork: "a private address"
        case .sharedAddressSpace: "a carrier-grade NAT address"
        case .linkLocal: "a link-local address"
        case .benchmarking: "a benchmarking address"
        case .multicast: "a multicast address"
        case .unspecified: "an unspecified address"
        case .broadcast: "a broadcast address"
        case .documentation: "a documentation address"
        case .reserved: "a reserved address"
        case .metadata: "a cloud metadata address"
        }
    }
}

private extension UInt8 {
    var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}
