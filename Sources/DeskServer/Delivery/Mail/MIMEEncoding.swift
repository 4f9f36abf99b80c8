import Foundation

/// The transfer encodings a mail needs so that every line is 7-bit ASCII and short (RFC 2045, 2047, 5322).
enum MIMEEncoding {
    static let crlf = "\r\n"

    /// Header text is at most this long per line (RFC 5322 recommends 78).
    static let headerLineLimit = 78
    /// Bytes of UTF-8 per encoded word: 39 bytes are 52 base64 characters, so a word (`=?UTF-8?B?…?=`) is 64
    /// characters — under the 75 allowed, and a first line with a header name still fits in 78.
    static let encodedWordBytes = 39

    // MARK: Headers

    /// The value with every control character (CR and LF above all) made a space, so no value can start a new header.
    static func headerSafe(_ value: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            let isControl = scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar == "\u{2028}" || scalar == "\u{2029}"
            result.append(isControl ? " " : scalar)
        }
        return String(result)
    }

    /// Unstructured header text (a subject, say): plain ASCII folded at spaces, anything else as RFC 2047
    /// encoded words. `prefixLength` is what precedes the value on its first line (`Subject: `).
    static func unstructured(_ value: String, prefixLength: Int) -> String {
        let safe = headerSafe(value)
        if needsEncoding(safe) {
            return encodedWords(safe).joined(separator: crlf + " ")
        }
        return fold(safe, prefixLength: prefixLength)
    }

    /// Text that must be encoded: non-ASCII, or ASCII that a reader would mistake for an encoded word.
    static func needsEncoding(_ text: String) -> Bool {
        text.unicodeScalars.contains { !$0.isASCII } || text.contains("=?")
            || text.split(separator: " ").contains { $0.count > 900 }
    }

    /// Folds ASCII text at spaces so lines stay within the limit where the words allow it.
    static func fold(_ text: String, prefixLength: Int) -> String {
        var lines: [String] = []
        var current = ""
        var currentLength = prefixLength
        for (index, word) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if index == 0 {
                current = String(word)
                currentLength += word.count
            } else if currentLength + 1 + word.count > headerLineLimit && !current.isEmpty {
                lines.append(current)
                current = String(word)
                currentLength = 1 + word.count
            } else {
                current += " " + word
                currentLength += 1 + word.count
            }
        }
        lines.append(current)
        // A folded line starts with the space that separated the words (RFC 5322 §2.2.3).
        return lines.joined(separator: crlf + " ")
    }

    /// `=?UTF-8?B?…?=` words, each whole characters (never a split UTF-8 sequence) and at most 75 characters.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
            chunk.removeAll(keepingCapacity: true)
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            if bytes.count > encodedWordBytes {
                // A very long grapheme (an emoji sequence): split between its scalars, each still whole UTF-8.
                for scalar in character.unicodeScalars {
                    let scalarBytes = Array(String(scalar).utf8)
                    if chunk.count + scalarBytes.count > encodedWordBytes { flush() }
                    chunk += scalarBytes
                }
                continue
            }
            if chunk.count + bytes.count > encodedWordBytes { flush() }
            chunk += bytes
        }
        flush()
        return words.isEmpty ? ["=?UTF-8?B??="] : words
    }

    /// A parameter value (`filename`, `name`) as a quoted string, or in RFC 2231 form when it is not ASCII.
    static func parameter(_ name: String, _ value: String) -> String {
        let safe = headerSafe(value)
        if safe.unicodeScalars.allSatisfy({ $0.isASCII }) {
            let quoted = safe.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\(name)=\"\(quoted)\""
        }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~")
        let encoded = safe.addingPercentEncoding(withAllowedCharacters: allowed) ?? "attachment"
        return "\(name)*=UTF-8''\(encoded)"
    }

    // MARK: Bodies

    /// Quoted-printable (RFC 2045 §6.7) of UTF-8 text: line breaks become CRLF, lines are at most 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        let input = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(input.count + input.count / 8 + 16)
        var column = 0
        var index = 0
        while index < input.count {
            let byte = input[index]
            index += 1
            // CRLF, CR or LF: a hard line break.
            if byte == 13 || byte == 10 {
                if byte == 13, index < input.count, input[index] == 10 { index += 1 }
                output += [13, 10]
                column = 0
                continue
            }
            let endsLine = index == input.count || input[index] == 13 || input[index] == 10
            let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !endsLine)
            let width = literal ? 1 : 3
            // 75 characters and a soft break `=` make the 76 allowed.
            if column + width > 75 {
                output += [UInt8(ascii: "="), 13, 10]
                column = 0
            }
            if literal {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
            column += width
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Base64 in lines of 76 characters (RFC 2045 §6.8).
    static func base64Lines(_ bytes: some Sequence<UInt8>) -> String {
        let encoded = Data(bytes).base64EncodedString()
        var lines: [Substring] = []
        var start = encoded.startIndex
        while start < encoded.endIndex {
            let end = encoded.index(start, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(encoded[start..<end])
            start = end
        }
        return lines.joined(separator: crlf)
    }

    // MARK: Dates

    /// An RFC 5322 date in UTC: `Tue, 05 Mar 2024 09:00:00 +0000`.
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ number: Int?) -> String { String(format: "%02d", number ?? 0) }
        return "\(weekdays[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
