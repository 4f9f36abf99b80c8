import Foundation
import Testing
@testable import DeskCore

/// A range on 2026-03-10 between two UTC wall times written as `HH:mm`.
private func at(_ start: String, _ end: String) -> TimeRange {
    range("2026-03-10T\(start):00Z", "2026-03-10T\(end):00Z")
}

@Suite("TimeRange.merged")
struct TimeRangeMergingTests {
    @Test(
        "merged sorts and joins overlapping and back-to-back ranges, keeping gaps",
        arguments: [
            ([], []),
            ([("09:00", "10:00")], [("09:00", "10:00")]),
            ([("09:00", "10:00"), ("10:00", "11:00")], [("09:00", "11:00")]),  // touching
            ([("09:00", "10:00"), ("10:01", "11:00")], [("09:00", "10:00"), ("10:01", "11:00")]),  // one minute apart
            ([("11:00", "12:00"), ("09:00", "10:00")], [("09:00", "10:00"), ("11:00", "12:00")]),  // unsorted
            ([("09:00", "12:00"), ("10:00", "11:00")], [("09:00", "12:00")]),  // nested
            ([("09:00", "10:00"), ("09:00", "10:00")], [("09:00", "10:00")]),  // duplicates
            ([("13:00", "14:00"), ("09:00", "10:30"), ("10:00", "11:00"), ("11:00", "11:30")], [("09:00", "11:30"), ("13:00", "14:00")]),
            ([("09:00", "17:00"), ("09:30", "10:00"), ("16:00", "18:00")], [("09:00", "18:00")]),  // inner end before outer end
        ] as [([(String, String)], [(String, String)])]
    )
    func merges(input: [(String, String)], expected: [(String, String)]) {
        let ranges = input.map { at($0.0, $0.1) }
        let want = expected.map { at($0.0, $0.1) }
        #expect(TimeRange.merged(ranges) == want)
        #expect(TimeRange.merged(ranges.reversed()) == want)
    }
}
