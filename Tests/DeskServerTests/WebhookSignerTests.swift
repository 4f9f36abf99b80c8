@testable import DeskServer
import Foundation
import Testing

@Suite("Webhook signatures and secrets")
struct WebhookSignerTests {
    @Test("the signature is the lower-case hex HMAC-SHA256 of \"<t>.<body>\" keyed with the whole secret text")
    func knownValue() {
        // Computed independently: python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test",
        //   b"1700000000." + b"{\"id\":\"1\"}", hashlib.sha256).hexdigest())'
        let signer = WebhookSigner(secret: "whsec_test")
        let body = Data(#"{"id":"1"}"#.utf8)
        #expect(signer.signature(timestamp: 1_700_000_000, body: body) == "11bf4466ea17c3df3fd743af0b435368e16b7a05eb8eced85e8c4670767bdec5")
        #expect(signer.headerValue(for: body, at: Date(timeIntervalSince1970: 1_700_000_000.9))
            == "t=1700000000,v1=11bf4466ea17c3df3fd743af0b435368e16b7a05eb8eced85e8c4670767bdec5")
        // Another time, body or secret gives another signature.
        #expect(signer.signature(timestamp: 1_700_000_001, body: body) != signer.signature(timestamp: 1_700_000_000, body: body))
        #expect(signer.signature(timestamp: 1_700_000_000, body: Data(#"{"id":"2"}"#.utf8)) != signer.signature(timestamp: 1_700_000_000, body: body))
        #expect(WebhookSigner(secret: "test").signature(timestamp: 1_700_000_000, body: body) != signer.signature(timestamp: 1_700_000_000, body: body))
    }

    @Test("secrets are whsec_ and 32 random bytes in unpadded base64url, different every time")
    func secrets() {
        let secrets = (0..<100).map { _ in WebhookSecret.generate() }
        #expect(Set(secrets).count == 100)
        for secret in secrets {
            #expect(secret.hasPrefix("whsec_"))
            let encoded = secret.dropFirst(6)
            #expect(encoded.count == 43)
            #expect(encoded.allSatisfy { $0.isLetter && $0.isASCII || $0.isNumber || $0 == "-" || $0 == "_" })
            var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            base64 += "="
            #expect(Data(base64Encoded: base64)?.count == 32)
        }
    }
}
