import Crypto
import Foundation

/// Signs webhook bodies so a receiver can tell they came from this server and were not replayed much later:
/// `DeskPilot-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
///
/// The HMAC key is the UTF-8 bytes of the whole secret text as shown once at creation, prefix included
/// (`whsec_…`), so a receiver pastes it into its code as is. Receivers recompute the HMAC over the exact bytes they
/// received, compare in constant time, and reject timestamps older than a few minutes.
public struct WebhookSigner: Sendable {
    public static let headerName = "DeskPilot-Signature"

    public let secret: String

    public init(secret: String) {
        self.secret = secret
    }

    /// Lower-case hex HMAC-SHA256 over `"<timestamp>.<body>"`.
    public func signature(timestamp: Int, body: Data) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in code {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// The full header value for one attempt; each attempt gets a fresh timestamp.
    public func headerValue(for body: Data, at date: Date) -> String {
        let timestamp = Int(date.timeIntervalSince1970.rounded(.down))
        return "t=\(timestamp),v1=\(signature(timestamp: timestamp, body: body))"
    }
}

/// A new endpoint's signing secret: `whsec_` and 32 random bytes in unpadded base64url (43 characters).
/// This text is what gets sealed in the vault and shown to the owner once.
public enum WebhookSecret {
    public static let prefix = "whsec_"

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + base64
    }
}
