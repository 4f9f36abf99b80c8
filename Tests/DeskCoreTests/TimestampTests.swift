import Foundation
import Testing
@testable import DeskCore

@Suite("Timestamp.parse")
struct TimestampTests {
    /// 2026-03-29T09:30:00Z in seconds since 1970.
    static let reference: TimeInterval = 1_774_776_600

    @Test(
        "accepts every spelling of the same instant",
        arguments: [
            "2026-03-29T09:30:00Z",
            "2026-03-29t09:30:00z",
            "2026-03-29 09:30:00Z",
            "2026-03-29T09:30Z",
            "2026-03-29T11:30:00+02:00",
            "2026-03-29T11:30:00+0200",
            "2026-03-29T11:30+0200",
            "2026-03-29T04:30:00-05:00",
            "2026-03-29T04:30:00-0500",
            "2026-03-29T15:00:00+05:30",
            "2026-03-29T09:30:00+00:00",
            "2026-03-29T09:30:00-00:00",
            "2026-03-28T23:30:00-10:00",
            "2026-03-30T00:30:00+15:00",
        ]
    )
    func acceptsEquivalentSpellings(text: String) {
        #expect(Timestamp.parse(text) == Date(timeIntervalSince1970: Self.reference))
    }

    @Test(
        "keeps fractional seconds",
        arguments: [
            ("2026-03-29T09:30:00.250Z", 0.25),
            ("2026-03-29T11:30:00.250+02:00", 0.25),
            ("2026-03-29T09:30:00,5Z", 0.5),
            ("2026-03-29T09:30:00.001Z", 0.001),
            ("2026-03-29T09:30:00.123456Z", 0.123456),
            ("2026-03-29T09:30:59.9Z", 59.9),
        ]
    )
    func keepsFractionalSeconds(text: String, seconds: TimeInterval) throws {
        let parsed = try #require(Timestamp.parse(text))
        #expect(abs(parsed.timeIntervalSince1970 - (Self.reference + seconds)) < 0.000_001)
    }

    @Test(
        "reads dates at the edges of months and years",
        arguments: [
            ("2028-02-29T00:00:00Z", 1_835_395_200.0),
            ("2000-02-29T12:00:00Z", 951_825_600.0),
            ("2026-12-31T23:59:59Z", 1_798_761_599.0),
            ("2027-01-01T00:00:00+01:00", 1_798_758_000.0),
            ("1970-01-01T00:00:00Z", 0.0),
        ]
    )
    func readsCalendarEdges(text: String, epochSeconds: TimeInterval) {
        #expect(Timestamp.parse(text) == Date(timeIntervalSince1970: epochSeconds))
    }

    @Test(
        "refuses malformed or zone-less text",
        arguments: [
            "",
            "garbage",
            "2026-03-29",
            "2026-03-29T09:30:00",  // no zone
            "2026-03-29T09:30",  // no zone
            "2026-03-29 09:30:00",  // no zone
            "2026-02-30T09:00:00Z",  // impossible date
            "2026-02-29T09:00:00Z",  // not a leap year
            "2100-02-29T09:00:00Z",  // not a leap year
            "2026-04-31T09:00:00Z",
            "2026-13-01T09:00:00Z",
            "2026-00-10T09:00:00Z",
            "2026-03-00T09:00:00Z",
            "0000-01-01T00:00:00Z",
            "2026-03-29T24:00:00Z",  // hour 24
            "2026-03-29T09:60:00Z",
            "2026-03-29T09:30:60Z",
            "2026-03-29T09:30:00Zjunk",  // trailing characters
            "2026-03-29T09:30:00Z ",
            "2026-03-29T09:30:00+02:00:00",
            " 2026-03-29T09:30:00Z",
            "2026-03-29T9:30:00Z",
            "2026-3-29T09:30:00Z",
            "26-03-29T09:30:00Z",
            "2026-03-29X09:30:00Z",
            "2026-03-29T09:30:00.Z",  // a dot without digits
            "2026-03-29T09:30:00+02",  // offset without minutes
            "2026-03-29T09:30:00+2:00",
            "2026-03-29T09:30:00+24:00",
            "2026-03-29T09:30:00+02:60",
            "2026-03-29T09:30:00 Z",
            "2026-03-29T09:30:00UTC",
            "2026-03-29T09:30:00GMT+2",
            "+2026-03-29T09:30:00Z",
        ]
    )
    func refusesMalformed(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }
}

@Suite("Timestamp formatting")
struct TimestampFormattingTests {
    @Test("formats UTC instants like Foundation's ISO-8601 style, whole seconds", arguments: [
        0.0, 951_782_400, 951_868_799.75, 1_774_746_000, 4_107_542_399, -86_400, -1, 253_402_300_799,
    ])
    func matchesFoundation(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let expected = Date(timeIntervalSince1970: seconds.rounded(.down)).formatted(.iso8601)
        #expect(Timestamp.format(date) == expected)
        #expect(Timestamp.parse(Timestamp.format(date)) == Date(timeIntervalSince1970: seconds.rounded(.down)))
    }
}
