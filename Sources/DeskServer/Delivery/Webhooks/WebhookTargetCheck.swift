import DeskCore

/// A delivery that must not be attempted, with the reason for the delivery log (never the resolved address, so the
/// log cannot be used to map an internal network).
public struct WebhookRefusal: Error, Hashable, CustomStringConvertible {
    /// What is wrong with the target, e.g. "resolves to a loopback address".
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "target \(reason)" }
}

/// Where a webhook may connect: the URL's checks plus the address policy applied to every address its host resolves
/// to. Used at creation (`validate`) and again before every delivery (`addresses(for:)`), whose answer is the only
/// place the sender connects to — a name that re-resolves to another address in between gains nothing.
public struct WebhookTargetCheck: Sendable {
    public let policy: AddressPolicy
    public let resolver: any HostResolver

    public init(allowPrivate: Bool, resolver: any HostResolver = SystemHostResolver()) {
        self.policy = AddressPolicy(allowPrivate: allowPrivate)
        self.resolver = resolver
    }

    /// The creation check of a URL a person typed: its syntax, then every address of its host. Errors name the field
    /// `url` (422).
    public func validate(_ text: String) async throws(DomainError) -> WebhookTarget {
        let target = try WebhookTarget(parsing: text, policy: policy)
        do {
            _ = try await addresses(for: target)
        } catch let refusal as WebhookRefusal {
            throw .validation(field: "url", refusal.reason)
        } catch {
            throw .validation(field: "url", "could not be checked")
        }
        return target
    }

    /// The addresses a delivery may connect to now, all permitted, in the resolver's order; throws `WebhookRefusal`
    /// when the host does not resolve or any of its addresses is refused (one bad address refuses the name, as a
    /// resolver may hand any of them to the next caller).
    public func addresses(for target: WebhookTarget) async throws -> [IPAddress] {
        if let literal = target.literalAddress {
            if let scope = policy.refusal(of: literal) { throw WebhookRefusal("is \(scope.phrase)\(WebhookTarget.hint(for: scope))") }
            return [literal]
        }
        if WebhookTarget.isLoopbackName(target.host), let scope = policy.refusal(of: IPAddress(127, 0, 0, 1)) {
            throw WebhookRefusal("resolves to \(scope.phrase)\(WebhookTarget.hint(for: scope))")
        }
        let addresses: [IPAddress]
        do {
            addresses = try await resolver.addresses(of: target.host)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw WebhookRefusal("host \(target.host) does not resolve")
        }
        // The worst scope decides, so a name with a metadata address reads "metadata", not "private".
        let refusals = addresses.compactMap { policy.refusal(of: $0) }
        if let scope = refusals.first(where: { $0 == .metadata }) ?? refusals.first {
            throw WebhookRefusal("resolves to \(scope.phrase)\(WebhookTarget.hint(for: scope))")
        }
        guard !addresses.isEmpty else { throw WebhookRefusal("host \(target.host) does not resolve") }
        return addresses
    }
}
