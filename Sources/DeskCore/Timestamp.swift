import Foundation

/// Strict ISO-8601 timestamps for the API: a date, a time and a zone (`Z` or an offset) are all required.
public enum Timestamp {
    /// Parses `2026-03-29T09:30:00Z`, `2026-03-29T09:30:00.250+02:00` or `2026-03-29T09:30+0200`; nil without a zone.
    public static func parse(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= chars.count else { return nil }
            var value = 0
            for offset in 0..<digits {
                let c = chars[index + offset]
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            index += digits
            return value
        }
        func expect(_ char: Character) -> Bool {
            guard index < chars.count, chars[index] == char.asciiValue! else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              index < chars.count, chars[index] == 84 || chars[index] == 116 || chars[index] == 32  // T, t or space
        else { return nil }
        index += 1
        guard let hour = number(2), expect(":"), let minute = number(2) else { return nil }
        var second = 0
        var fraction = 0.0
        if expect(":") {
            guard let parsed = number(2) else { return nil }
            second = parsed
            if expect(".") || expect(",") {
                var scale = 0.1
                var digits = 0
                while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
                    fraction += Double(chars[index] - 48) * scale
                    scale /= 10
                    index += 1
                    digits += 1
                }
                guard digits > 0 else { return nil }
            }
        }
        var offsetSeconds = 0
        if expect("Z") || expect("z") {
            offsetSeconds = 0
        } else if index < chars.count, chars[index] == 43 || chars[index] == 45 {  // + or -
            let sign = chars[index] == 43 ? 1 : -1
            index += 1
            guard let offsetHours = number(2) else { return nil }
            _ = expect(":")
            guard let offsetMinutes = number(2), offsetHours <= 23, offsetMinutes <= 59 else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard index == chars.count, (1...9999).contains(year), (1...12).contains(month), (0...23).contains(hour),
              (0...59).contains(minute), (0...59).contains(second),
              let date = LocalDate(parsing: String(format: "%04d-%02d-%02d", year, month, day))
        else { return nil }
        let midnight = TimeInterval(date.daysSinceEpoch * 86_400)
        return Date(timeIntervalSince1970: midnight + TimeInterval(hour * 3600 + minute * 60 + second - offsetSeconds) + fraction)
    }

    /// Formats as `2026-03-29T09:30:00Z` (UTC, whole seconds). Pure arithmetic: this runs for every date in every
    /// response, and Foundation's formatters are much slower.
    public static func format(_ date: Date) -> String {
        let seconds = Int((date.timeIntervalSince1970).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let date = LocalDate(daysSinceEpoch: days)
        let (year, month, day) = (date.year, date.month, date.day)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        func append(_ value: Int, digits: Int) {
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(48 + rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        append(year, digits: 4)
        bytes.append(45)
        append(month, digits: 2)
        bytes.append(45)
        append(day, digits: 2)
        bytes.append(84)
        append(secondOfDay / 3600, digits: 2)
        bytes.append(58)
        append(secondOfDay % 3600 / 60, digits: 2)
        bytes.append(58)
        append(secondOfDay % 60, digits: 2)
        bytes.append(90)
        return String(decoding: bytes, as: UTF8.self)
    }
}
