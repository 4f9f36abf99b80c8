import Foundation

/// A half-open interval `[start, end)` of instants. Back-to-back ranges do not overlap.
public struct TimeRange: Hashable, Sendable, Codable {
    public let start: Date
    public let end: Date

    /// Creates a range; `end` must be after `start`.
    public init(start: Date, end: Date) throws(DomainError) {
        guard end > start else {
            throw .validation([FieldError(field: "end", message: "must be after start")])
        }
        self.start = start
        self.end = end
    }

    /// Creates a range that is known to be valid (end after start).
    public init(uncheckedStart start: Date, end: Date) {
        precondition(end > start, "empty range")
        self.start = start
        self.end = end
    }

    private enum CodingKeys: String, CodingKey { case start, end }

    /// Decoding validates like `init(start:end:)`: an empty or reversed range never exists.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let start = try container.decode(Date.self, forKey: .start)
        let end = try container.decode(Date.self, forKey: .end)
        guard end > start else {
            throw DecodingError.dataCorruptedError(forKey: .end, in: container, debugDescription: "end must be after start")
        }
        self.init(uncheckedStart: start, end: end)
    }

    public var duration: TimeInterval { end.timeIntervalSince(start) }

    public func overlaps(_ other: TimeRange) -> Bool {
        start < other.end && other.start < end
    }

    public func contains(_ instant: Date) -> Bool {
        start <= instant && instant < end
    }
}

extension TimeRange {
    /// The largest number of ranges that cover one instant.
    public static func maximumDepth(of ranges: [TimeRange]) -> Int {
        // Sweep line; at equal instants ends sort before starts so that back-to-back ranges do not stack.
        var events: [(instant: Date, delta: Int)] = []
        events.reserveCapacity(ranges.count * 2)
        for range in ranges {
            events.append((range.start, 1))
            events.append((range.end, -1))
        }
        events.sort { lhs, rhs in
            lhs.instant == rhs.instant ? lhs.delta < rhs.delta : lhs.instant < rhs.instant
        }
        var depth = 0
        var deepest = 0
        for (_, delta) in events {
            depth += delta
            deepest = max(deepest, depth)
        }
        return deepest
    }
}
