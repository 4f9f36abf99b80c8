import Foundation

extension TimeRange {
    /// The same instants as `ranges` as few, sorted ranges: overlapping and back-to-back ranges become one.
    public static func merged(_ ranges: [TimeRange]) -> [TimeRange] {
        var result: [TimeRange] = []
        for range in ranges.sorted(by: { $0.start < $1.start }) {
            if let last = result.last, range.start <= last.end {
                result[result.count - 1] = TimeRange(uncheckedStart: last.start, end: max(last.end, range.end))
            } else {
                result.append(range)
            }
        }
        return result
    }
}
