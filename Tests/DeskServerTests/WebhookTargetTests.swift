import DeskCore
@testable import DeskServer
import Foundation
import Testing

/// A resolver that answers from a table, so a name can be made to lead anywhere; unknown names do not resolve.
struct TableResolver: HostResolver {
    let table: [String: [String]]

    func addresses(of host: String) async throws -> [IPAddress] {
        guard let texts = table[host] else { throw HostResolutionFailed(host: host, reason: "unknown") }
        return texts.map { IPAddress($0)! }
    }
}

@Suite("Webhook targets: the URL a person gives, checked at creation")
struct WebhookTargetTests {
    static let strict = AddressPolicy(allowPrivate: false)
    static let lenient = AddressPolicy(allowPrivate: true)

    /// The message of the `url` field error the text is refused with.
    func refusal(_ text: String, policy: AddressPolicy = strict) -> String? {
        do {
            _ = try WebhookTarget(parsing: text, policy: policy)
            return nil
        } catch {
            #expect(error.kind == .unprocessable)
            #expect(error.fieldErrors.first?.field == "url")
            return error.fieldErrors.first?.message
        }
    }

    @Test("bad URLs are refused with a message that says what is wrong", arguments: [
        ("", "is required"),
        ("   ", "is required"),
        ("http://example.com/hook", "must use https"),
        ("ftp://example.com/hook", "must use https, not ftp"),
        ("file:///etc/passwd", "must use https, not file"),
        ("javascript:alert(1)", "must be an absolute URL"),
        ("example.com/hook", "must be an absolute URL"),
        ("/hooks", "must be an absolute URL"),
        ("https://user:secret@example.com/hook", "must not contain a user name or password"),
        ("https://user@example.com/hook", "must not contain a user name or password"),
        ("https://@example.com/hook", "must not contain a user name or password"),
        ("https:///hook", "must name a host"),
        ("https://example.com/hook#part", "must not contain a fragment"),
        ("https://example.com:0/hook", "has an invalid port"),
        ("https://example.com:70000/hook", "has an invalid port"),
        ("https://exa mple.com/", "is not a valid URL"),
        ("https://ex%41mple.com/", "has an invalid host name"),
        ("https://-example.com/", "has an invalid host name"),
        ("https://a..b/", "has an invalid host name"),
        ("https://[v1.x]/", "has an invalid IPv6 address"),
        ("https://example.com/" + String(repeating: "a", count: 2_000), "must be at most 2000 characters"),
        ("https://127.0.0.1/hook", "must not point to a loopback address"),
        ("https://[::1]:8443/hook", "must not point to a loopback address"),
        ("https://10.1.2.3/hook", "must not point to a private address"),
        ("https://192.168.1.10/hook", "must not point to a private address"),
        ("https://169.254.169.254/latest/meta-data/", "must not point to a cloud metadata address"),
        ("https://[::ffff:169.254.169.254]/", "must not point to a cloud metadata address"),
        ("https://0.0.0.0/", "must not point to an unspecified address"),
        ("https://localhost/hook", "must not point to a loopback address"),
        ("https://api.localhost./hook", "must not point to a loopback address"),
    ])
    func invalid(text: String, expected: String) {
        let message = refusal(text)
        #expect(message?.hasPrefix(expected) == true, "\(text.prefix(60)) → \(message ?? "accepted")")
    }

    @Test("good URLs are kept, with scheme and host lower-cased and an IDN host in its xn-- form")
    func valid() throws {
        let plain = try WebhookTarget(parsing: " HTTPS://Hooks.Example.COM/in?x=1 ", policy: Self.strict)
        #expect(plain.url.absoluteString == "https://hooks.example.com/in?x=1")
        #expect(plain.host == "hooks.example.com")
        #expect(plain.port == 443)
        #expect(plain.usesTLS)
        #expect(plain.literalAddress == nil)
        #expect(try WebhookTarget(parsing: "https://example.com", policy: Self.strict).url.absoluteString == "https://example.com/")
        #expect(try WebhookTarget(parsing: "https://bücher.example/x", policy: Self.strict).host == "xn--bcher-kva.example")
        let literal = try WebhookTarget(parsing: "https://[2606:4700:4700::1111]:8443/x", policy: Self.strict)
        #expect(literal.literalAddress == IPAddress("2606:4700:4700::1111"))
        #expect(literal.host == "2606:4700:4700::1111")
        #expect(literal.port == 8443)
        #expect(try WebhookTarget(parsing: "https://8.8.8.8/x", policy: Self.strict).literalAddress == IPAddress(8, 8, 8, 8))
        let exactly2000 = "https://example.com/" + String(repeating: "a", count: 2_000 - 20)
        #expect(refusal(exactly2000) == nil)
    }

    @Test("with private targets allowed: plain http and private addresses pass, metadata and user-info still do not")
    func allowPrivate() throws {
        let local = try WebhookTarget(parsing: "http://127.0.0.1:9000/hook", policy: Self.lenient)
        #expect(local.port == 9000)
        #expect(!local.usesTLS)
        #expect(refusal("http://localhost:9000/hook", policy: Self.lenient) == nil)
        #expect(refusal("https://10.0.0.5/hook", policy: Self.lenient) == nil)
        #expect(refusal("https://[fd12::1]/hook", policy: Self.lenient) == nil)
        #expect(refusal("http://169.254.169.254/latest/meta-data/", policy: Self.lenient)?.hasPrefix("must not point to a cloud metadata address") == true)
        #expect(refusal("http://[fd00:ec2::254]/", policy: Self.lenient)?.hasPrefix("must not point to a cloud metadata address") == true)
        #expect(refusal("http://100.100.100.200/", policy: Self.lenient)?.hasPrefix("must not point to a cloud metadata address") == true)
        #expect(refusal("http://224.0.0.1/", policy: Self.lenient)?.hasPrefix("must not point to a multicast address") == true)
        #expect(refusal("http://user:pw@127.0.0.1/", policy: Self.lenient) != nil)
        #expect(refusal("ftp://127.0.0.1/", policy: Self.lenient) != nil)
    }

    @Test("at creation every resolved address is checked; one bad address refuses the name; unknown names are refused")
    func resolvedAtCreation() async throws {
        let resolver = TableResolver(table: [
            "public.example": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
            "internal.example": ["10.0.0.7"],
            "mixed.example": ["93.184.216.34", "127.0.0.1"],
            "cloud.example": ["10.0.0.7", "169.254.169.254"],
            "rebind.example": ["::ffff:127.0.0.1"],
        ])
        let strict = WebhookTargetCheck(allowPrivate: false, resolver: resolver)
        let lenient = WebhookTargetCheck(allowPrivate: true, resolver: resolver)
        func message(_ check: WebhookTargetCheck, _ text: String) async -> String? {
            do {
                _ = try await check.validate(text)
                return nil
            } catch {
                #expect(error.fieldErrors.first?.field == "url")
                return error.fieldErrors.first?.message
            }
        }
        #expect(await message(strict, "https://public.example/hook") == nil)
        #expect(await message(strict, "https://internal.example/hook") == "resolves to a private address (private targets are not allowed on this server)")
        #expect(await message(strict, "https://mixed.example/hook")?.hasPrefix("resolves to a loopback address") == true)
        #expect(await message(strict, "https://rebind.example/hook")?.hasPrefix("resolves to a loopback address") == true)
        #expect(await message(strict, "https://cloud.example/hook") == "resolves to a cloud metadata address")
        #expect(await message(strict, "https://nowhere.example/hook") == "host nowhere.example does not resolve")
        #expect(await message(strict, "http://public.example/hook") == "must use https")
        #expect(await message(lenient, "https://internal.example/hook") == nil)
        #expect(await message(lenient, "https://mixed.example/hook") == nil)
        #expect(await message(lenient, "https://cloud.example/hook") == "resolves to a cloud metadata address")

        let target = try WebhookTarget(parsing: "https://public.example/hook", policy: strict.policy)
        #expect(try await strict.addresses(for: target) == [IPAddress("93.184.216.34")!, IPAddress("2606:2800:220:1:248:1893:25c8:1946")!])
    }

    @Test("the system resolver: localhost resolves to loopback and is refused without the setting, accepted with it")
    func systemResolver() async throws {
        let addresses = try await SystemHostResolver().addresses(of: "localhost")
        #expect(!addresses.isEmpty)
        #expect(addresses.allSatisfy { AddressPolicy.scope(of: $0) == .loopback })
        // A name under .localhost is loopback whatever DNS says; `localhost` itself goes through the resolver.
        let strict = WebhookTargetCheck(allowPrivate: false)
        await #expect(throws: DomainError.self) { _ = try await strict.validate("https://localhost:8443/hook") }
        let lenient = WebhookTargetCheck(allowPrivate: true)
        let target = try await lenient.validate("http://localhost:8080/hook")
        #expect(try await lenient.addresses(for: target).allSatisfy { AddressPolicy.scope(of: $0) == .loopback })
        await #expect(throws: HostResolutionFailed.self) { _ = try await SystemHostResolver().addresses(of: "no-such-host.invalid") }
        // Numeric shorthands are no IP literals here, but the resolver reads them as 127.0.0.1, and that is checked.
        for sneaky in ["https://2130706433/hook", "https://0x7f000001/hook", "https://127.1/hook", "https://0177.0.0.1/hook"] {
            await #expect(throws: DomainError.self, "\(sneaky)") { _ = try await strict.validate(sneaky) }
        }
    }
}

@Suite("Webhook settings")
struct WebhookSettingTests {
    @Test("DESKPILOT_WEBHOOK_ALLOW_PRIVATE is off unless set to true; other values stop start-up")
    func allowPrivate() throws {
        #expect(try !AppConfig.load(from: [:]).webhookAllowPrivate)
        #expect(try AppConfig.load(from: ["DESKPILOT_WEBHOOK_ALLOW_PRIVATE": "true"]).webhookAllowPrivate)
        #expect(try !AppConfig.load(from: ["DESKPILOT_WEBHOOK_ALLOW_PRIVATE": "false"]).webhookAllowPrivate)
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.load(from: ["DESKPILOT_WEBHOOK_ALLOW_PRIVATE": "sometimes"]) }
    }
}
