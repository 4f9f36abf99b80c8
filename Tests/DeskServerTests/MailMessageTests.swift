@testable import DeskServer
import Foundation
import NIOCore
import NIOEmbedded
import Testing

@Suite("Mail messages: MIME rendering, encodings, addresses")
struct MailMessageTests {
    let ann = try! MailAddress("ann@example.com", displayName: "Ann Müller")
    let sender = try! MailAddress("deskpilot@example.com", displayName: "DeskPilot")

    func message(subject: String = "Your booking", text: String = "Hello", html: String? = nil,
                 attachments: [MailAttachment] = [], headers: [MailHeader] = []) -> MailMessage {
        MailMessage(from: sender, to: ann, subject: subject, text: text, html: html, attachments: attachments,
                    headers: headers, date: Date(timeIntervalSince1970: 1_709_629_200))
    }

    /// The header block's lines, unfolded (continuation lines joined to the line they continue).
    func headerFields(_ rendered: String) -> [String] {
        let head = rendered.components(separatedBy: "\r\n\r\n")[0]
        var fields: [String] = []
        for line in head.components(separatedBy: "\r\n") {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), !fields.isEmpty { fields[fields.count - 1] += line } else { fields.append(line) }
        }
        return fields
    }

    @Test("every line ends in CRLF, is 7-bit and at most 78 characters")
    func lineDiscipline() {
        let rendered = message(
            subject: "Désk 12 · Thursday 09:00–17:00 in the north wing, floor 3, next to the window 🪟 and more words",
            text: String(repeating: "Long line without breaks ", count: 40) + "\nÄ second line\n",
            html: "<p>" + String(repeating: "x", count: 300) + "</p>",
            attachments: [MailAttachment(filename: "booking.ics", contentType: "text/calendar; method=PUBLISH; charset=utf-8",
                                         data: Array(repeating: 0xAB, count: 1000))]
        ).render()
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        #expect(rendered.hasSuffix("\r\n"))
        #expect(rendered.unicodeScalars.allSatisfy { $0.isASCII })
        for line in rendered.components(separatedBy: "\r\n") {
            #expect(line.count <= 78, "\(line)")
        }
    }

    @Test("a non-ASCII subject becomes encoded words of at most 75 characters that decode to the subject")
    func encodedSubject() throws {
        let subject = "Grüße aus dem Büro — Schreibtisch 12 ist für Sie reserviert 🎉👩‍💻 (Donnerstag)"
        let fields = headerFields(message(subject: subject).render())
        let field = try #require(fields.first { $0.hasPrefix("Subject: ") })
        let words = field.dropFirst("Subject: ".count).split(separator: " ")
        #expect(words.count > 1)
        for word in words {
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            #expect(word.count <= 75)
        }
        #expect(decodeEncodedWords(words.map(String.init)) == subject)
    }

    @Test("an ASCII subject stays readable; one that looks like an encoded word is encoded")
    func asciiSubject() {
        #expect(headerFields(message(subject: "Desk 12 booked").render()).contains("Subject: Desk 12 booked"))
        let tricky = headerFields(message(subject: "=?UTF-8?B?SGk=?= is not a word").render()).first { $0.hasPrefix("Subject:") }
        #expect(tricky?.contains("=?UTF-8?B?PT9VVEYt") == true)
    }

    @Test("display names: encoded when not ASCII, quoted when they hold specials")
    func displayNames() throws {
        let fields = headerFields(message().render())
        let to = try #require(fields.first { $0.hasPrefix("To: ") })
        #expect(to.hasSuffix(" <ann@example.com>"))
        #expect(decodeEncodedWords(to.dropFirst(4).split(separator: " ").dropLast().map(String.init)) == "Ann Müller")
        #expect(fields.contains("From: DeskPilot <deskpilot@example.com>"))
        let quoted = try MailAddress("b@example.com", displayName: "Doe, \"Johnny\" J.")
        #expect(quoted.headerValue(prefixLength: 4) == "\"Doe, \\\"Johnny\\\" J.\" <b@example.com>")
    }

    @Test("CR and LF in a subject, display name or extra header cannot start a header")
    func headerInjection() throws {
        let evilName = try MailAddress("ann@example.com", displayName: "Ann\r\nBcc: victim@example.com")
        var mail = message(subject: "Hello\r\nBcc: victim@example.com\nX-Evil: 1",
                           headers: [try #require(MailHeader(name: "X-Note", value: "a\r\nBcc: victim@example.com"))])
        mail.to = evilName
        let rendered = mail.render()
        let head = rendered.components(separatedBy: "\r\n\r\n")[0]
        for line in head.components(separatedBy: "\r\n") {
            #expect(!line.lowercased().hasPrefix("bcc") && !line.lowercased().hasPrefix("x-evil"), "\(line)")
        }
        #expect(headerFields(rendered).contains("Subject: Hello  Bcc: victim@example.com X-Evil: 1"))
        #expect(MailHeader(name: "X-A\r\nBcc", value: "x") == nil)
        #expect(MailHeader(name: "Bcc", value: "victim@example.com") == nil)
        #expect(MailHeader(name: "Subject", value: "again") == nil)
        #expect(throws: MailAddress.Invalid.self) { try MailAddress("ann@example.com\r\nRCPT TO:<x@y.z>") }
        #expect(throws: MailAddress.Invalid.self) { try MailAddress("ann@example.com>") }
    }

    @Test("addresses: parsed with or without a display name, invalid ones refused")
    func addresses() throws {
        let parsed = try MailAddress(parsing: "DeskPilot <noreply@desk.example.com>")
        #expect(parsed.address == "noreply@desk.example.com" && parsed.displayName == "DeskPilot" && parsed.domain == "desk.example.com")
        let quoted = try MailAddress(parsing: "\"Facilities, Berlin\" <fac@example.com>")
        #expect(quoted.displayName == "Facilities, Berlin")
        #expect(try MailAddress(parsing: " a.b+tag@localhost ").address == "a.b+tag@localhost")
        for bad in ["", "no-at", "@example.com", "a@", "a b@example.com", "a..b@example.com", "a@-x.com", "ä@example.com",
                    "a@exa_mple.com", String(repeating: "a", count: 65) + "@example.com"] {
            #expect(throws: MailAddress.Invalid.self, "\(bad)") { try MailAddress(parsing: bad) }
        }
    }

    @Test("Message-ID is <uuid@domain>, Date is RFC 5322 in UTC")
    func identityAndDate() throws {
        let id = UUID()
        let mail = MailMessage(from: sender, to: ann, subject: "s", text: "t", id: id, date: Date(timeIntervalSince1970: 0))
        #expect(mail.messageID == "<\(id.uuidString.lowercased())@example.com>")
        let configured = MailMessage(from: sender, to: ann, subject: "s", text: "t", id: id, messageIDDomain: "desk.example.org")
        #expect(configured.messageID.hasSuffix("@desk.example.org>"))
        let fields = headerFields(mail.render())
        #expect(fields.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        #expect(fields.contains("Message-ID: \(mail.messageID)"))
        #expect(fields.contains("MIME-Version: 1.0"))
        #expect(MIMEEncoding.date(Date(timeIntervalSince1970: 1_709_629_200)) == "Tue, 05 Mar 2024 09:00:00 +0000")
        #expect(MailMessage(from: sender, to: ann, subject: "s", text: "t").messageID != MailMessage(from: sender, to: ann, subject: "s", text: "t").messageID)
    }

    @Test("structure: mixed(alternative(text, html), attachment); alternative alone without attachments")
    func structure() throws {
        let ics = Array("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".utf8)
        let rendered = message(html: "<p>Hello</p>", attachments: [
            MailAttachment(filename: "booking.ics", contentType: "text/calendar; method=PUBLISH; charset=utf-8", data: ics),
        ]).render()
        let fields = headerFields(rendered)
        #expect(fields.contains { $0.hasPrefix("Content-Type: multipart/mixed; boundary=\"=_mixed_") })
        let alternative = try #require(rendered.range(of: "Content-Type: multipart/alternative;"))
        let text = try #require(rendered.range(of: "Content-Type: text/plain; charset=utf-8"))
        let html = try #require(rendered.range(of: "Content-Type: text/html; charset=utf-8"))
        let calendar = try #require(rendered.range(of: "Content-Type: text/calendar; method=PUBLISH; charset=utf-8;\r\n name=\"booking.ics\""))
        #expect(alternative.lowerBound < text.lowerBound && text.lowerBound < html.lowerBound && html.lowerBound < calendar.lowerBound)
        #expect(rendered.contains("Content-Disposition: attachment; filename=\"booking.ics\""))
        #expect(rendered.contains(Data(ics).base64EncodedString()))

        let plain = headerFields(message(html: "<p>Hi</p>").render())
        #expect(plain.contains { $0.hasPrefix("Content-Type: multipart/alternative;") })
        let textOnly = headerFields(message().render())
        #expect(textOnly.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(textOnly.contains("Content-Transfer-Encoding: quoted-printable"))
    }

    @Test("attachment media types with line breaks or junk fall back to application/octet-stream")
    func attachmentTypes() {
        let rendered = message(attachments: [
            MailAttachment(filename: "a\"b/c.txt", contentType: "text/plain\r\nBcc: x@y.z", data: [1]),
            MailAttachment(filename: "Büro.ics", contentType: "text/calendar", data: [2]),
        ]).render()
        #expect(rendered.contains("Content-Type: application/octet-stream;\r\n name=\"a\\\"b_c.txt\""))
        #expect(rendered.contains("filename*=UTF-8''B%C3%BCro.ics"))
        #expect(!rendered.contains("\r\nBcc"))
    }

    @Test("quoted-printable: lines of at most 76, '=' and trailing spaces encoded, decodes to the text")
    func quotedPrintable() {
        let text = "a=b \nTrailing space \n" + String(repeating: "é", count: 100) + "\n.\n.dot first\n\n" + String(repeating: "z", count: 200)
        let encoded = MIMEEncoding.quotedPrintable(text)
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.count <= 76)
            #expect(!line.hasSuffix(" "))
        }
        #expect(encoded.hasPrefix("a=3Db=20\r\nTrailing space=20\r\n"))
        #expect(decodeQuotedPrintable(encoded) == text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test("base64 bodies come in lines of 76 characters")
    func base64Lines() {
        let bytes = (0..<1000).map { UInt8($0 % 256) }
        let lines = MIMEEncoding.base64Lines(bytes).components(separatedBy: "\r\n")
        #expect(lines.dropLast().allSatisfy { $0.count == 76 })
        #expect(lines.last!.count <= 76)
        #expect(Data(base64Encoded: lines.joined()) == Data(bytes))
    }

    @Test("the HTML helper escapes & < > \" ' in every string it is given and drops script links")
    func html() throws {
        #expect(MailHTML.escape("<a href=\"x\">Tom & Jerry's</a>") == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        let document = MailHTML.document(
            title: "Desk <12>", paragraphs: ["<script>alert(1)</script>\nline two"],
            action: .init(label: "Open \"booking\"", url: URL(string: "https://desk.example.com/bookings?a=1&b=2")!),
            footer: "Settings & more", footerLink: URL(string: "javascript:alert(1)")!)
        #expect(document.contains("<title>Desk &lt;12&gt;</title>"))
        #expect(document.contains("&lt;script&gt;alert(1)&lt;/script&gt;<br>line two"))
        #expect(!document.contains("<script"))
        #expect(document.contains("href=\"https://desk.example.com/bookings?a=1&amp;b=2\""))
        #expect(document.contains(">Open &quot;booking&quot;</a>"))
        #expect(!document.contains("javascript:"))
        #expect(document.contains("Settings &amp; more"))
    }

    @Test("List-Unsubscribe headers are written as given")
    func unsubscribe() {
        let url = URL(string: "https://desk.example.com/settings/notifications")!
        let fields = headerFields(message(headers: [.listUnsubscribe(url), .listUnsubscribeOneClick]).render())
        #expect(fields.contains("List-Unsubscribe: <https://desk.example.com/settings/notifications>"))
        #expect(fields.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"))
    }

    @Test("the DATA payload doubles a leading dot on every line and ends with CRLF.CRLF")
    func dotStuffing() {
        let payload = SMTPConnection.dataPayload(".first\r\nmiddle\r\n.\r\n..two\r\nlast")
        #expect(String(buffer: payload) == "..first\r\nmiddle\r\n..\r\n...two\r\nlast\r\n.\r\n")
        #expect(String(buffer: SMTPConnection.dataPayload("a\r\n")) == "a\r\n.\r\n")
    }

    @Test("replies: multi-line replies are joined, junk is refused")
    func replies() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder()))
        try channel.writeInbound(ByteBuffer(string: "220 ready\r\n250-sink.localhost\r\n250-STARTTLS\r\n"))
        #expect(try channel.readInbound(as: SMTPReply.self) == SMTPReply(code: 220, lines: ["ready"]))
        #expect(try channel.readInbound(as: SMTPReply.self) == nil)
        try channel.writeInbound(ByteBuffer(string: "250 AUTH PLAIN LOGIN\n"))
        #expect(try channel.readInbound(as: SMTPReply.self) == SMTPReply(code: 250, lines: ["sink.localhost", "STARTTLS", "AUTH PLAIN LOGIN"]))
        #expect(throws: SMTPError.self) { try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 400 Bad Request\r\n")) }
        let mixed = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder()))
        #expect(throws: SMTPError.self) { try mixed.writeInbound(ByteBuffer(string: "250-a\r\n550 b\r\n")) }
    }
}

/// Decodes `=?UTF-8?B?…?=` words (adjacent words join without the space between them, RFC 2047 §6.2).
func decodeEncodedWords(_ words: [String]) -> String? {
    var bytes: [UInt8] = []
    for word in words {
        guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="),
              let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) else { return nil }
        bytes += data
    }
    return String(validating: bytes, as: UTF8.self)
}

/// Decodes quoted-printable: `=XX` bytes and `=` soft line breaks.
func decodeQuotedPrintable(_ text: String) -> String {
    var bytes: [UInt8] = []
    let input = Array(text.utf8)
    var index = 0
    while index < input.count {
        if input[index] == UInt8(ascii: "=") {
            if index + 2 < input.count, input[index + 1] == 13, input[index + 2] == 10 {
                index += 3
                continue
            }
            bytes.append(UInt8(String(decoding: input[index + 1...index + 2], as: UTF8.self), radix: 16)!)
            index += 3
        } else {
            bytes.append(input[index])
            index += 1
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}
