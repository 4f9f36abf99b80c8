import Foundation

/// One booking as a calendar entry.
public struct CalendarEvent: Hashable, Sendable {
    /// Stable across updates, so calendar clients replace the entry instead of adding another.
    public let uid: String
    public let start: Date
    public let end: Date
    /// When this version of the entry was made.
    public let stamp: Date
    /// Grows with every change, so clients know which version is newer.
    public let sequence: Int
    public let summary: String
    public let location: String
    public let description: String
    /// Cancelled bookings stay in the feed, so subscribed calendars remove them.
    public let cancelled: Bool

    public init(
        uid: String, start: Date, end: Date, stamp: Date, sequence: Int,
        summary: String, location: String, description: String, cancelled: Bool
    ) {
        self.uid = uid
        self.start = start
        self.end = end
        self.stamp = stamp
        self.sequence = sequence
        self.summary = summary
        self.location = location
        self.description = description
        self.cancelled = cancelled
    }
}

/// An RFC 5545 writer for calendar feeds and invitations.
public enum ICalendar {
    /// The longest content line in octets, CRLF excluded (RFC 5545 §3.1).
    static let lineLimit = 75

    /// A VCALENDAR with one VEVENT per event: CRLF line ends, lines folded at 75 octets without splitting a UTF-8
    /// character, TEXT values escaped (backslash, comma, semicolon, newline), times as UTC `yyyyMMdd'T'HHmmss'Z'`.
    /// An empty location or description is left out.
    public static func document(name: String, events: [CalendarEvent]) -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//DeskPilot//DeskPilot//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + escaped(name),
        ]
        for event in events {
            lines.append("BEGIN:VEVENT")
            lines.append("UID:" + escaped(event.uid))
            lines.append("DTSTAMP:" + dateTime(event.stamp))
            lines.append("DTSTART:" + dateTime(event.start))
            lines.append("DTEND:" + dateTime(event.end))
            lines.append("SEQUENCE:\(event.sequence)")
            lines.append("SUMMARY:" + escaped(event.summary))
            if !event.location.isEmpty { lines.append("LOCATION:" + escaped(event.location)) }
            if !event.description.isEmpty { lines.append("DESCRIPTION:" + escaped(event.description)) }
            lines.append("STATUS:" + (event.cancelled ? "CANCELLED" : "CONFIRMED"))
            lines.append("TRANSP:" + (event.cancelled ? "TRANSPARENT" : "OPAQUE"))
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map { folded($0) + "\r\n" }.joined()
    }

    /// A TEXT value: backslash, semicolon and comma escaped, every line break as `\n`, other control characters
    /// (which RFC 5545 forbids) dropped.
    static func escaped(_ text: String) -> String {
        var result = ""
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\r":
                result += "\\n"
                if pending == "\n" { pending = scalars.next() }
            case "\n", "\u{2028}", "\u{2029}", "\u{85}": result += "\\n"
            case "\t": result.unicodeScalars.append(scalar)
            default:
                if scalar.properties.generalCategory != .control { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func dateTime(_ instant: Date) -> String {
        Timestamp.format(instant).filter { $0 != "-" && $0 != ":" }
    }

    /// Splits a content line into pieces of at most 75 octets, continuation pieces starting with a space, never
    /// inside a UTF-8 sequence.
    static func folded(_ line: String) -> String {
        var result = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let width = UTF8.width(scalar)
            if octets + width > lineLimit {
                result += "\r\n "
                octets = 1
            }
            result.unicodeScalars.append(scalar)
            octets += width
        }
        return result
    }
}
