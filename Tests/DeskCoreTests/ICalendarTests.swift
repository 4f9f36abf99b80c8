import Foundation
import Testing
@testable import DeskCore

/// One content line after unfolding: `name;params:value`.
private struct ContentLine: Equatable {
    let name: String
    let params: [String]
    let rawValue: String

    /// The value read as TEXT (RFC 5545 §3.3.11).
    var text: String {
        var result = ""
        var escaping = false
        for character in rawValue {
            if escaping {
                result.append(character == "n" || character == "N" ? "\n" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// A strict reader for what `ICalendar` writes: fails the test on any framing or structure error.
private struct ParsedCalendar {
    var properties: [ContentLine] = []
    var events: [[ContentLine]] = []

    init(_ document: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let bytes = Array(document.utf8)
        #expect(bytes.suffix(2) == [13, 10], "the document ends with CRLF", sourceLocation: sourceLocation)
        // Split on CRLF; any other CR or LF is an error.
        var physical: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 13, index + 1 < bytes.count, bytes[index + 1] == 10 {
                physical.append(current)
                current = []
                index += 2
                continue
            }
            #expect(bytes[index] != 13 && bytes[index] != 10, "bare CR or LF", sourceLocation: sourceLocation)
            current.append(bytes[index])
            index += 1
        }
        #expect(current.isEmpty, sourceLocation: sourceLocation)

        var logical: [String] = []
        for line in physical {
            #expect(line.count <= 75, "line of \(line.count) octets", sourceLocation: sourceLocation)
            let text = try #require(String(validating: line, as: UTF8.self), "a fold split a UTF-8 character", sourceLocation: sourceLocation)
            if text.hasPrefix(" ") {
                let last = logical.popLast()
                let previous = try #require(last, "continuation without a line", sourceLocation: sourceLocation)
                logical.append(previous + text.dropFirst())
            } else {
                logical.append(text)
            }
        }

        var stack: [String] = []
        var event: [ContentLine]?
        for text in logical {
            let colon = try #require(text.firstIndex(of: ":"), "no colon in \(text)", sourceLocation: sourceLocation)
            let head = text[..<colon].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            let line = ContentLine(name: head[0], params: Array(head.dropFirst()), rawValue: String(text[text.index(after: colon)...]))
            #expect(!line.name.isEmpty && line.name.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "-") },
                    sourceLocation: sourceLocation)
            switch line.name {
            case "BEGIN":
                stack.append(line.rawValue)
                if line.rawValue == "VEVENT" {
                    #expect(stack == ["VCALENDAR", "VEVENT"], sourceLocation: sourceLocation)
                    event = []
                } else {
                    #expect(stack == ["VCALENDAR"], sourceLocation: sourceLocation)
                }
            case "END":
                #expect(stack.popLast() == line.rawValue, "END does not match BEGIN", sourceLocation: sourceLocation)
                if line.rawValue == "VEVENT", let finished = event {
                    events.append(finished)
                    event = nil
                }
            default:
                #expect(!stack.isEmpty, "property outside VCALENDAR", sourceLocation: sourceLocation)
                if event != nil { event!.append(line) } else { properties.append(line) }
            }
        }
        #expect(stack.isEmpty, "unclosed components \(stack)", sourceLocation: sourceLocation)
        #expect(logical.first == "BEGIN:VCALENDAR" && logical.last == "END:VCALENDAR", sourceLocation: sourceLocation)
    }
}

private extension [ContentLine] {
    /// The one property with this name; records an issue when it is missing or repeated.
    func only(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> ContentLine? {
        let matches = filter { $0.name == name }
        #expect(matches.count == 1, "\(name) appears \(matches.count) times", sourceLocation: sourceLocation)
        return matches.first
    }
}

private func event(
    summary: String = "Desk 12", location: String = "Hamburg · Room 3", description: String = "", cancelled: Bool = false
) -> CalendarEvent {
    CalendarEvent(
        uid: "booking-1@deskpilot", start: utc("2026-03-29T09:30:00+02:00"), end: utc("2026-03-29T17:00:00+02:00"),
        stamp: utc("2026-03-20T08:15:42Z"), sequence: 3, summary: summary, location: location,
        description: description, cancelled: cancelled
    )
}

@Suite("ICalendar")
struct ICalendarTests {
    @Test("the calendar carries its header and one VEVENT per event with every required property once")
    func structure() throws {
        let document = ICalendar.document(name: "Ann's desks", events: [event(), event(cancelled: true)])
        let parsed = try ParsedCalendar(document)
        #expect(parsed.properties.only("VERSION")?.rawValue == "2.0")
        #expect(parsed.properties.only("PRODID")?.rawValue == "-//DeskPilot//DeskPilot//EN")
        #expect(parsed.properties.only("CALSCALE")?.rawValue == "GREGORIAN")
        #expect(parsed.properties.only("METHOD")?.rawValue == "PUBLISH")
        #expect(parsed.properties.only("X-WR-CALNAME")?.text == "Ann's desks")
        #expect(parsed.events.count == 2)
        for properties in parsed.events {
            for name in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY", "STATUS", "TRANSP"] {
                _ = properties.only(name)
            }
        }
    }

    @Test("times are written in UTC, and the other fields as given")
    func values() throws {
        let properties = try #require(try ParsedCalendar(ICalendar.document(name: "x", events: [event()])).events.first)
        #expect(properties.only("UID")?.text == "booking-1@deskpilot")
        #expect(properties.only("DTSTART")?.rawValue == "20260329T073000Z")
        #expect(properties.only("DTEND")?.rawValue == "20260329T150000Z")
        #expect(properties.only("DTSTAMP")?.rawValue == "20260320T081542Z")
        #expect(properties.only("SEQUENCE")?.rawValue == "3")
        #expect(properties.only("SUMMARY")?.text == "Desk 12")
        #expect(properties.only("LOCATION")?.text == "Hamburg · Room 3")
        #expect(properties.only("STATUS")?.rawValue == "CONFIRMED")
        #expect(properties.only("TRANSP")?.rawValue == "OPAQUE")
    }

    @Test("a cancelled event is CANCELLED and TRANSPARENT")
    func cancelled() throws {
        let properties = try #require(try ParsedCalendar(ICalendar.document(name: "x", events: [event(cancelled: true)])).events.first)
        #expect(properties.only("STATUS")?.rawValue == "CANCELLED")
        #expect(properties.only("TRANSP")?.rawValue == "TRANSPARENT")
    }

    @Test("an empty calendar is still a valid VCALENDAR")
    func empty() throws {
        let parsed = try ParsedCalendar(ICalendar.document(name: "Nothing", events: []))
        #expect(parsed.events.isEmpty)
        #expect(parsed.properties.only("VERSION")?.rawValue == "2.0")
    }

    @Test("backslash, comma, semicolon and newlines are escaped on one line and read back unchanged")
    func escaping() throws {
        let summary = "Desk 4, window; bring \\ adapter\nsecond line"
        let document = ICalendar.document(name: "a;b,c", events: [event(summary: summary)])
        #expect(document.contains("SUMMARY:Desk 4\\, window\\; bring \\\\ adapter\\nsecond line\r\n"))
        let parsed = try ParsedCalendar(document)
        #expect(parsed.events.first?.only("SUMMARY")?.text == summary)
        #expect(parsed.properties.only("X-WR-CALNAME")?.text == "a;b,c")
    }

    @Test("CR LF and lone CR become one newline; other control characters are dropped")
    func lineBreaksAndControls() throws {
        let parsed = try ParsedCalendar(ICalendar.document(name: "x", events: [event(description: "one\r\ntwo\rthree\u{7}\tfour")]))
        #expect(parsed.events.first?.only("DESCRIPTION")?.text == "one\ntwo\nthree\tfour")
    }

    @Test("an empty location or description is left out")
    func emptyOptional() throws {
        let properties = try #require(try ParsedCalendar(ICalendar.document(name: "x", events: [event(location: "")])).events.first)
        #expect(!properties.contains { $0.name == "LOCATION" || $0.name == "DESCRIPTION" })
    }

    @Test(
        "folding at 75 octets never splits a multibyte character, wherever it falls, and unfolds to the original",
        arguments: 55...80
    )
    func foldingMultibyte(padding: Int) throws {
        let summary = String(repeating: "x", count: padding) + ",;\\\nBüro – Schreibtisch 🚀🚀 ü–🚀" + String(repeating: "é", count: 90)
        let description = String(repeating: "Büro – Schreibtisch 🚀, ", count: 12)
        let document = ICalendar.document(name: "Büro – Schreibtisch 🚀", events: [event(summary: summary, description: description)])
        let parsed = try ParsedCalendar(document)
        #expect(parsed.events.first?.only("SUMMARY")?.text == summary)
        #expect(parsed.events.first?.only("DESCRIPTION")?.text == description)
        #expect(parsed.properties.only("X-WR-CALNAME")?.text == "Büro – Schreibtisch 🚀")
    }

    @Test("a line of exactly 75 octets is not folded; one more octet is")
    func foldBoundary() {
        let exact = "SUMMARY:" + String(repeating: "a", count: 67)
        #expect(ICalendar.folded(exact) == exact)
        let longer = exact + "b"
        #expect(ICalendar.folded(longer) == exact + "\r\n b")
        // A two-octet character that would end at octet 76 moves to the next line whole.
        let straddling = "SUMMARY:" + String(repeating: "a", count: 66) + "ü"
        #expect(ICalendar.folded(straddling) == "SUMMARY:" + String(repeating: "a", count: 66) + "\r\n ü")
    }
}
