import Foundation
import Testing
@testable import DeskCore

/// A range on 2026-03-10 between two UTC wall times written as `HH:mm`.
private func span(_ start: String, _ end: String) -> TimeRange {
    range("2026-03-10T\(start):00Z", "2026-03-10T\(end):00Z")
}

@Suite("TimeRange")
struct TimeRangeTests {
    @Test("init keeps its bounds and measures the duration")
    func initKeepsBounds() throws {
        let start = utc("2026-03-10T09:00:00Z")
        let end = utc("2026-03-10T10:30:00Z")
        let range = try TimeRange(start: start, end: end)
        #expect(range.start == start)
        #expect(range.end == end)
        #expect(range.duration == 90 * 60)
    }

    @Test("init refuses an end that is not after the start", arguments: [0.0, -1.0, -3600.0])
    func initRefusesEmptyOrReversed(offset: TimeInterval) {
        let start = utc("2026-03-10T09:00:00Z")
        let error = expectRefusal("validation_failed", kind: .unprocessable) {
            _ = try TimeRange(start: start, end: start.addingTimeInterval(offset))
        }
        #expect(error?.fieldErrors.map(\.field) == ["end"])
    }

    @Test("init accepts a range one second long")
    func initAcceptsShortestRange() throws {
        let start = utc("2026-03-10T09:00:00Z")
        #expect(try TimeRange(start: start, end: start.addingTimeInterval(1)).duration == 1)
    }

    @Test(
        "overlap is half-open and symmetric",
        arguments: [
            (("09:00", "10:00"), ("10:00", "11:00"), false),  // back to back
            (("10:00", "11:00"), ("09:00", "10:00"), false),  // back to back, other order
            (("09:00", "10:00"), ("11:00", "12:00"), false),  // apart
            (("09:00", "10:01"), ("10:00", "11:00"), true),  // one minute shared
            (("09:00", "12:00"), ("10:00", "11:00"), true),  // nested
            (("09:00", "10:00"), ("09:00", "10:00"), true),  // identical
            (("09:00", "10:00"), ("09:00", "09:30"), true),  // same start
            (("09:00", "10:00"), ("09:30", "10:00"), true),  // same end
        ]
    )
    func overlap(first: (String, String), second: (String, String), expected: Bool) {
        let a = span(first.0, first.1)
        let b = span(second.0, second.1)
        #expect(a.overlaps(b) == expected)
        #expect(b.overlaps(a) == expected)
    }

    @Test("contains includes the start and excludes the end")
    func containsIsHalfOpen() {
        let range = span("09:00", "10:00")
        #expect(range.contains(utc("2026-03-10T09:00:00Z")))
        #expect(range.contains(utc("2026-03-10T09:59:59Z")))
        #expect(!range.contains(utc("2026-03-10T10:00:00Z")))
        #expect(!range.contains(utc("2026-03-10T08:59:59Z")))
    }

    @Test(
        "maximumDepth counts the ranges covering the busiest instant",
        arguments: [
            ([], 0),
            ([("09:00", "10:00")], 1),
            ([("09:00", "17:00"), ("10:00", "12:00"), ("11:00", "11:30")], 3),  // nested
            ([("09:00", "11:00"), ("10:00", "12:00"), ("11:00", "13:00")], 2),  // chained
            ([("09:00", "10:00"), ("10:00", "11:00"), ("11:00", "12:00")], 1),  // back to back
            ([("11:00", "12:00"), ("09:00", "10:00"), ("10:00", "11:00")], 1),  // back to back, unsorted
            ([("09:00", "10:00"), ("09:00", "10:00"), ("09:00", "10:00")], 3),  // identical
            ([("09:00", "10:00"), ("12:00", "13:00")], 1),  // apart
            ([("09:00", "12:00"), ("10:00", "11:00"), ("11:00", "12:00"), ("11:30", "13:00")], 3),
        ] as [([(String, String)], Int)]
    )
    func maximumDepth(spans: [(String, String)], expected: Int) {
        let ranges = spans.map { span($0.0, $0.1) }
        #expect(TimeRange.maximumDepth(of: ranges) == expected)
        #expect(TimeRange.maximumDepth(of: ranges.reversed()) == expected)
    }

    @Test("Codable round trip keeps both bounds")
    func codableRoundTrip() throws {
        let original = span("09:00", "10:30")
        let decoded = try JSONDecoder().decode(TimeRange.self, from: JSONEncoder().encode(original))
        #expect(decoded == original)
    }

    @Test("decoding refuses a range whose end is not after its start")
    func decodingEnforcesEndAfterStart() throws {
        let reversed = Data(#"{"start": 800000000, "end": 799996400}"#.utf8)
        #expect(throws: (any Error).self) {
            _ = try JSONDecoder().decode(TimeRange.self, from: reversed)
        }
    }
}
