import Foundation
import Testing
@testable import DeskCore

@Suite("LocalTime")
struct LocalTimeTests {
    @Test(
        "parses HH:mm from 00:00 to 24:00",
        arguments: [("00:00", 0), ("07:00", 420), ("07:30", 450), ("09:05", 545), ("23:59", 1439), ("24:00", 1440)]
    )
    func parsesValidTimes(text: String, minutes: Int) {
        #expect(LocalTime(parsing: text)?.minutes == minutes)
    }

    @Test(
        "refuses anything that is not a two-digit HH:mm up to 24:00",
        arguments: ["24:30", "24:01", "25:00", "7:00", "07:0", "07:60", "0700", "07:00:00", "07-00", "ab:cd", "", ":", " 7:00", "07: 0"]
    )
    func refusesInvalidTimes(text: String) {
        #expect(LocalTime(parsing: text) == nil)
    }

    @Test("refuses signed numbers in either part", arguments: ["+7:00", "-0:00", "07:+5", "00:-0"])
    func refusesSignedParts(text: String) {
        #expect(LocalTime(parsing: text) == nil)
    }

    @Test("description pads both parts", arguments: [(0, "00:00"), (425, "07:05"), (1439, "23:59"), (1440, "24:00")])
    func description(minutes: Int, text: String) throws {
        #expect(try LocalTime(minutes: minutes).description == text)
    }

    @Test("init(minutes:) accepts 0 through 1440 and refuses the rest", arguments: [-1, 1441, 10_000])
    func minutesOutOfRange(minutes: Int) {
        let error = expectRefusal("validation_failed", kind: .unprocessable) { _ = try LocalTime(minutes: minutes) }
        #expect(error?.fieldErrors.map(\.field) == ["time"])
    }

    @Test("init(hour:minute:) counts minutes after midnight")
    func hourAndMinute() throws {
        #expect(LocalTime(hour: 7, minute: 30).minutes == 450)
        #expect(LocalTime(hour: 24) == (try LocalTime(minutes: 1440)))
    }

    @Test("orders by time of day")
    func ordering() {
        #expect(LocalTime(hour: 7) < LocalTime(hour: 7, minute: 30))
        #expect(LocalTime(hour: 23, minute: 59) < LocalTime(hour: 24))
        #expect(!(LocalTime(hour: 8) < LocalTime(hour: 8)))
    }

    @Test("encodes as a JSON string and decodes back")
    func codableRoundTrip() throws {
        let times = [LocalTime(hour: 0), LocalTime(hour: 7, minute: 30), LocalTime(hour: 24)]
        let data = try JSONEncoder().encode(times)
        #expect(String(decoding: data, as: UTF8.self) == #"["00:00","07:30","24:00"]"#)
        #expect(try JSONDecoder().decode([LocalTime].self, from: data) == times)
    }

    @Test("decoding refuses malformed strings and non-strings", arguments: [#"["24:30"]"#, #"["7:00"]"#, #"[""]"#, "[420]", "[null]"])
    func decodingRefusesMalformed(json: String) {
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode([LocalTime].self, from: Data(json.utf8))
        }
    }
}
