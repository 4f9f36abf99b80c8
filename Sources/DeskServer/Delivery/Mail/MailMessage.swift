import Foundation

/// One e-mail to one recipient, rendered as RFC 5322 / MIME text.
public struct MailMessage: Sendable {
    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    /// The plain-text part; every mail has one.
    public var text: String
    /// The HTML part, shown by most clients instead of the text; build it with `MailHTML` so it is escaped.
    public var html: String?
    public var attachments: [MailAttachment]
    public var headers: [MailHeader]
    /// `<uuid@domain>`, unique per message so a receiver can tell repeats apart.
    public var messageID: String
    public var date: Date

    /// - Parameter messageIDDomain: the domain in the `Message-ID`; the sender's domain when `nil`.
    public init(
        from: MailAddress, to: MailAddress, subject: String, text: String, html: String? = nil,
        attachments: [MailAttachment] = [], headers: [MailHeader] = [],
        id: UUID = UUID(), messageIDDomain: String? = nil, date: Date = Date()
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.headers = headers
        self.messageID = "<\(id.uuidString.lowercased())@\(messageIDDomain ?? from.domain)>"
        self.date = date
    }

    /// The message as sent after `DATA` (before dot-stuffing): CRLF line endings, 7-bit ASCII, every line at most
    /// 78 characters except where a header holds one unbreakable token.
    public func render() -> String {
        let crlf = MIMEEncoding.crlf
        var head: [String] = [
            "Date: " + MIMEEncoding.date(date),
            "From: " + from.headerValue(prefixLength: 6),
            "To: " + to.headerValue(prefixLength: 4),
            "Subject: " + MIMEEncoding.unstructured(subject, prefixLength: 9),
            "Message-ID: " + MIMEEncoding.headerSafe(messageID),
            "MIME-Version: 1.0",
        ]
        for header in headers {
            // Mostly structured values (`<https://…>`): folded as they are unless they need encoding to be ASCII.
            let value = header.value.unicodeScalars.allSatisfy(\.isASCII)
                ? MIMEEncoding.fold(header.value, prefixLength: header.name.count + 2)
                : MIMEEncoding.unstructured(header.value, prefixLength: header.name.count + 2)
            head.append(header.name + ": " + value)
        }
        let body = bodyEntity()
        head += body.headers
        return head.joined(separator: crlf) + crlf + crlf + body.content + crlf
    }

    /// A MIME entity: its `Content-*` headers and its content.
    private struct Entity {
        var headers: [String]
        var content: String
    }

    /// `multipart/mixed` (the alternatives, then the attachments) when there are attachments, otherwise just the
    /// alternatives (`multipart/alternative` of text and HTML, or the text part alone).
    private func bodyEntity() -> Entity {
        let textPart = Entity(headers: [
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
        ], content: MIMEEncoding.quotedPrintable(text))
        var alternatives = textPart
        if let html {
            let htmlPart = Entity(headers: [
                "Content-Type: text/html; charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable",
            ], content: MIMEEncoding.quotedPrintable(html))
            alternatives = multipart("alternative", [textPart, htmlPart])
        }
        guard !attachments.isEmpty else { return alternatives }
        return multipart("mixed", [alternatives] + attachments.map(attachmentEntity))
    }

    private func attachmentEntity(_ attachment: MailAttachment) -> Entity {
        let filename = attachment.filename.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "\\", with: "_")
        return Entity(headers: [
            "Content-Type: " + Self.mediaType(attachment.contentType) + ";" + MIMEEncoding.crlf + " " + MIMEEncoding.parameter("name", filename),
            "Content-Disposition: attachment; " + MIMEEncoding.parameter("filename", filename),
            "Content-Transfer-Encoding: base64",
        ], content: MIMEEncoding.base64Lines(attachment.data))
    }

    /// The attachment's media type when it is one (`type/subtype; param=value`), otherwise a neutral one.
    private static func mediaType(_ text: String) -> String {
        let safe = MIMEEncoding.headerSafe(text).trimmingCharacters(in: .whitespaces)
        let type = safe.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        let token = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&-^_.+")
        let pieces = type.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2, pieces.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy { token.contains($0) } }),
              safe.unicodeScalars.allSatisfy({ $0.isASCII }), safe.count <= 200
        else { return "application/octet-stream" }
        return safe.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; ")
    }

    /// Parts joined under a boundary that cannot occur in quoted-printable or base64 content (`=_` never does).
    private func multipart(_ subtype: String, _ parts: [Entity]) -> Entity {
        let crlf = MIMEEncoding.crlf
        let boundary = "=_\(subtype)_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        // The line break before each delimiter belongs to the delimiter (RFC 2046 §5.1.1), not to the part.
        var content = "This is a multi-part message in MIME format."
        for part in parts {
            content += crlf + "--" + boundary + crlf + part.headers.joined(separator: crlf) + crlf + crlf + part.content
        }
        content += crlf + "--" + boundary + "--"
        return Entity(headers: ["Content-Type: multipart/\(subtype);" + crlf + " boundary=\"\(boundary)\""], content: content)
    }
}
