import Foundation
import Testing
@testable import DeskCore

@Suite("LocalDate")
struct LocalDateTests {
    @Test(
        "parses yyyy-MM-dd including leap days",
        arguments: [
            ("2026-03-29", 2026, 3, 29),
            ("2026-01-01", 2026, 1, 1),
            ("2026-12-31", 2026, 12, 31),
            ("2028-02-29", 2028, 2, 29),
            ("2000-02-29", 2000, 2, 29),
            ("2026-04-30", 2026, 4, 30),
        ]
    )
    func parsesValidDates(text: String, year: Int, month: Int, day: Int) {
        #expect(LocalDate(parsing: text) == LocalDate(year: year, month: month, day: day))
    }

    @Test(
        "refuses impossible or malformed dates",
        arguments: [
            "2026-02-30", "2026-02-29", "2100-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-03-00",
            "2026-3-29", "2026-03-9", "26-03-29", "20260329", "2026/03/29", "2026-03-29T00:00", "", "yyyy-mm-dd",
        ]
    )
    func refusesInvalidDates(text: String) {
        #expect(LocalDate(parsing: text) == nil)
    }

    @Test("refuses signed numbers in any part", arguments: ["2026-+3-29", "2026-03-+1", "+026-03-29"])
    func refusesSignedParts(text: String) {
        #expect(LocalDate(parsing: text) == nil)
    }

    @Test("description pads to yyyy-MM-dd")
    func description() {
        #expect(LocalDate(year: 2026, month: 3, day: 9).description == "2026-03-09")
        #expect(LocalDate(year: 987, month: 12, day: 31).description == "0987-12-31")
    }

    @Test("orders by year, then month, then day")
    func ordering() {
        #expect(day("2026-12-31") < day("2027-01-01"))
        #expect(day("2026-02-28") < day("2026-03-01"))
        #expect(day("2026-03-09") < day("2026-03-10"))
        #expect(!(day("2026-03-10") < day("2026-03-10")))
        #expect([day("2027-01-01"), day("2026-03-10"), day("2026-12-01")].sorted()
            == [day("2026-03-10"), day("2026-12-01"), day("2027-01-01")])
    }

    @Test("encodes as a JSON string and decodes back")
    func codableRoundTrip() throws {
        let dates = [day("2026-03-09"), day("2028-02-29")]
        let data = try JSONEncoder().encode(dates)
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-03-09","2028-02-29"]"#)
        #expect(try JSONDecoder().decode([LocalDate].self, from: data) == dates)
    }

    @Test("decoding refuses impossible dates", arguments: [#"["2026-02-30"]"#, #"["2026-3-1"]"#, "[20260301]"])
    func decodingRefusesMalformed(json: String) {
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode([LocalDate].self, from: Data(json.utf8))
        }
    }
}

@Suite("LocalDate day numbers")
struct LocalDateDayNumberTests {
    @Test("days since 1970 round-trip and agree with Foundation's Gregorian calendar")
    func agreesWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for days in stride(from: -700_000, through: 2_900_000, by: 9_973) {
            #expect(LocalDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        // Foundation switches to the Julian calendar before 1582; ISO 8601 dates are proleptic Gregorian.
        for days in stride(from: -140_000, through: 2_900_000, by: 9_973) {
            let date = LocalDate(daysSinceEpoch: days)
            let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(days) * 86_400))
            #expect(date == LocalDate(year: parts.year!, month: parts.month!, day: parts.day!))
        }
        #expect(LocalDate(daysSinceEpoch: 0) == LocalDate(year: 1970, month: 1, day: 1))
        #expect(LocalDate(year: 2024, month: 2, day: 29).daysSinceEpoch + 1 == LocalDate(year: 2024, month: 3, day: 1).daysSinceEpoch)
    }
}
