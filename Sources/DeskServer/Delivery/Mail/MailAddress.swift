import Foundation

/// A mailbox: an ASCII address (`ann@example.com`) with an optional display name (`Ann Müller`).
///
/// The address is checked when the value is made, so whatever reaches an SMTP command or a header is a plain
/// `local@domain` without spaces, angle brackets or line breaks.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    public let address: String
    public let displayName: String?

    /// Why a text is not a usable address.
    public struct Invalid: Error, CustomStringConvertible {
        public let problem: String
        public var description: String { problem }
    }

    public init(_ address: String, displayName: String? = nil) throws(Invalid) {
        let trimmed = address.trimmingCharacters(in: .whitespaces)
        try Self.check(trimmed)
        self.address = trimmed
        let name = displayName.map { MIMEEncoding.headerSafe($0).trimmingCharacters(in: .whitespaces) }
        self.displayName = (name?.isEmpty ?? true) ? nil : name
    }

    /// Reads `Name <local@domain>`, `"Name, Inc." <local@domain>` or a bare `local@domain`.
    public init(parsing text: String) throws(Invalid) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") else {
            try self.init(trimmed)
            return
        }
        let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        var name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                .replacingOccurrences(of: "\\\\", with: "\\")
        }
        try self.init(address, displayName: name)
    }

    /// The part after `@`, for `Message-ID`s.
    public var domain: String { String(address[address.index(after: address.lastIndex(of: "@")!)...]) }

    public var description: String { displayName.map { "\($0) <\(address)>" } ?? address }

    /// The value of a `From` or `To` header: the display name as an RFC 5322 phrase (quoted when it holds
    /// specials, RFC 2047 encoded words when it is not ASCII), then the address in angle brackets.
    func headerValue(prefixLength: Int) -> String {
        guard let displayName else { return address }
        if MIMEEncoding.needsEncoding(displayName) {
            let words = MIMEEncoding.encodedWords(displayName)
            if words.count == 1, prefixLength + words[0].count + address.count + 3 <= MIMEEncoding.headerLineLimit {
                return "\(words[0]) <\(address)>"
            }
            return words.joined(separator: MIMEEncoding.crlf + " ") + MIMEEncoding.crlf + " <\(address)>"
        }
        let isAtoms = displayName.unicodeScalars.allSatisfy { Self.atext.contains($0) || $0 == " " }
        let phrase = isAtoms ? displayName
            : "\"" + displayName.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        if prefixLength + phrase.count + address.count + 3 > MIMEEncoding.headerLineLimit {
            return phrase + MIMEEncoding.crlf + " <\(address)>"
        }
        return "\(phrase) <\(address)>"
    }

    /// RFC 5322 `atext`: what a dot-atom local part may hold.
    private static let atext = CharacterSet(charactersIn:
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")

    private static func check(_ address: String) throws(Invalid) {
        guard address.utf8.count <= 254 else { throw Invalid(problem: "an e-mail address is at most 254 characters") }
        guard let at = address.lastIndex(of: "@") else { throw Invalid(problem: "'\(printable(address))' has no @") }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        guard !local.isEmpty, local.utf8.count <= 64,
              !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
              local.unicodeScalars.allSatisfy({ atext.contains($0) || $0 == "." })
        else { throw Invalid(problem: "'\(printable(address))' has an invalid part before the @") }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        let hostCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        guard !domain.isEmpty, domain.utf8.count <= 253, labels.allSatisfy({ label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { hostCharacters.contains($0) }
        }) else { throw Invalid(problem: "'\(printable(address))' has an invalid domain") }
    }

    /// The text for an error message, without control characters that could forge log lines.
    private static func printable(_ text: String) -> String {
        String(MIMEEncoding.headerSafe(text).prefix(100))
    }
}
