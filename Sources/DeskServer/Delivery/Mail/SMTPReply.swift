
/// A server's reply: a three-digit code and one or more lines of text (RFC 5321 §4.2).
struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    var code: Int
    var lines: [String]

    var isPositive: Bool { (200..<300).contains(code) }
    /// `4xx`: try again later.
    var isTransient: Bool { (400..<500).contains(code) }
    /// `5xx`: this will not work by trying again.
    var isPermanent: Bool { (500..<600).contains(code) }

    /// The code and the first line, short enough for a delivery log.
    var description: String {
        let text = lines.first.map { String($0.prefix(200)) } ?? ""
        return text.isEmpty ? "\(code)" : "\(code) \(text)"
    }
}
