import Foundation

/// A wall-clock time of day in minutes after midnight, `0...1440` (1440 = end of day). Encoded as `"HH:mm"`.
public struct LocalTime: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let minutes: Int

    public init(minutes: Int) throws(DomainError) {
        guard (0...1440).contains(minutes) else { throw .validation(field: "time", "must be between 00:00 and 24:00") }
        self.minutes = minutes
    }

    public init(hour: Int, minute: Int = 0) {
        self.minutes = hour * 60 + minute
    }

    /// Parses `"HH:mm"`; `"24:00"` is the end of the day.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              text.allSatisfy({ $0 == ":" || $0.isASCII && $0.isNumber }),
              let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...24).contains(hour), (0..<60).contains(minute), hour * 60 + minute <= 1440
        else { return nil }
        self.minutes = hour * 60 + minute
    }

    public var description: String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool { lhs.minutes < rhs.minutes }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = LocalTime(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected HH:mm"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
