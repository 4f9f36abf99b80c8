import Foundation

/// Builds the HTML part of a mail from plain strings, escaping every one of them, so a desk name or a person's name
/// can never become markup.
public enum MailHTML {
    /// The text with `& < > " '` replaced by entities: safe inside elements and quoted attributes.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A link shown as a button under the text.
    public struct Action: Sendable {
        public var label: String
        public var url: URL
        public init(label: String, url: URL) {
            self.label = label
            self.url = url
        }
    }

    /// A small, self-contained HTML document (inline styles only, as mail clients drop style sheets): a heading,
    /// paragraphs (line breaks kept), an optional action and a footer such as "Change which mails you get".
    public static func document(
        title: String, paragraphs: [String], action: Action? = nil, footer: String? = nil, footerLink: URL? = nil
    ) -> String {
        var html = """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">\
        <title>\(escape(title))</title></head>
        <body style="margin:0;padding:24px;background:#f5f6f8;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1f2933">
        <div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
        <h1 style="font-size:20px;margin:0 0 16px">\(escape(title))</h1>

        """
        for paragraph in paragraphs {
            let lines = paragraph.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }
            html += "<p style=\"font-size:15px;line-height:1.5;margin:0 0 12px\">\(lines.joined(separator: "<br>"))</p>\n"
        }
        if let action, let href = safeHref(action.url) {
            html += "<p style=\"margin:20px 0\"><a href=\"\(escape(href))\" style=\"display:inline-block;background:#2f6fed;"
                + "color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px;font-weight:600\">"
                + "\(escape(action.label))</a></p>\n"
        }
        html += "</div>\n"
        if let footer {
            var text = escape(footer)
            if let footerLink, let href = safeHref(footerLink) {
                text = "<a href=\"\(escape(href))\" style=\"color:#52606d\">\(text)</a>"
            }
            html += "<p style=\"max-width:560px;margin:12px auto 0;font-size:12px;color:#52606d;text-align:center\">\(text)</p>\n"
        }
        html += "</body></html>\n"
        return html
    }

    /// Only web and mail links: a `javascript:` URL must never become a link.
    private static func safeHref(_ url: URL) -> String? {
        guard let scheme = url.scheme?.lowercased(), ["https", "http", "mailto"].contains(scheme) else { return nil }
        return url.absoluteString
    }
}
