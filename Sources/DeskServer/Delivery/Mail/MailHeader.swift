import Foundation

/// A header beyond the ones every mail has, such as `List-Unsubscribe`.
public struct MailHeader: Sendable, Hashable {
    public let name: String
    public let value: String

    /// Headers the message writes itself and that must not appear twice.
    static let reserved: Set<String> = [
        "from", "to", "cc", "bcc", "subject", "date", "message-id", "mime-version", "content-type",
        "content-transfer-encoding", "content-disposition", "sender", "reply-to", "return-path",
    ]

    /// `nil` when the name is not a valid field name (RFC 5322 `ftext`) or is one the message sets itself.
    public init?(name: String, value: String) {
        guard !name.isEmpty, name.utf8.count <= 76,
              name.utf8.allSatisfy({ $0 >= 33 && $0 <= 126 && $0 != UInt8(ascii: ":") }),
              !Self.reserved.contains(name.lowercased())
        else { return nil }
        self.name = name
        self.value = MIMEEncoding.headerSafe(value)
    }

    /// `List-Unsubscribe: <https://…>` (RFC 2369), pointing to the page where a person switches mails off.
    public static func listUnsubscribe(_ url: URL) -> MailHeader {
        MailHeader(name: "List-Unsubscribe", value: "<\(url.absoluteString)>")!
    }

    /// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058), when the URL accepts a POST without a login.
    public static let listUnsubscribeOneClick = MailHeader(name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click")!
}
