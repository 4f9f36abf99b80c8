import Foundation

/// A room out of service from `from` until `until` (open-ended when nil), with the reason everyone is shown. While
/// it lasts no new booking may overlap it; outside it the room books as usual.
public struct MaintenancePeriod: Hashable, Sendable, Codable {
    public let reason: String
    public let from: Date
    public let until: Date?

    public static let maximumReasonLength = 500
    /// How far in the past a start may lie: a form filled in a minute ago still means "now".
    public static let pastTolerance: TimeInterval = 300
    /// How far ahead a start may lie. An open-ended period reaches `Date.distantFuture` (the year 4001), so a start
    /// beyond it would make an empty range.
    public static let furthestStartYears = 10

    public init(reason: String, from: Date, until: Date?) {
        self.reason = reason
        self.from = from
        self.until = until
    }

    /// A period as a manager asks for it: the reason trimmed and 1…500 characters, `from` defaulting to now and not
    /// in the past (beyond a few minutes; an earlier start is moved to now), `until` after `from`. Errors name the
    /// fields.
    public static func requested(reason: String, from: Date?, until: Date?, now: Date) throws(DomainError) -> MaintenancePeriod {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = spanErrors(from: from, until: until, now: now)
        if reason.isEmpty || reason.count > maximumReasonLength {
            errors.insert(FieldError(field: "reason", message: "between 1 and \(maximumReasonLength) characters"), at: 0)
        }
        guard errors.isEmpty else { throw .validation(errors) }
        return MaintenancePeriod(reason: reason, from: max(from ?? now, now), until: until)
    }

    /// The times of a requested period alone, checked as `requested` checks them (for a preview before the reason).
    public static func requestedSpan(from: Date?, until: Date?, now: Date) throws(DomainError) -> (from: Date, until: Date?) {
        let errors = spanErrors(from: from, until: until, now: now)
        guard errors.isEmpty else { throw .validation(errors) }
        return (max(from ?? now, now), until)
    }

    private static func spanErrors(from: Date?, until: Date?, now: Date) -> [FieldError] {
        var errors: [FieldError] = []
        if let from, from < now.addingTimeInterval(-pastTolerance) {
            errors.append(FieldError(field: "from", message: "must not lie in the past"))
        } else if let from, from > now.addingTimeInterval(Double(furthestStartYears) * 366 * 86_400) {
            errors.append(FieldError(field: "from", message: "must lie within \(furthestStartYears) years"))
        }
        if let until, until <= (from ?? now) || until <= now {
            errors.append(FieldError(field: "until", message: "must be after from and in the future"))
        }
        return errors
    }

    /// The period as a range; an open-ended one reaches the far future.
    public var range: TimeRange {
        TimeRange(uncheckedStart: from, end: until.map { max($0, from.addingTimeInterval(1)) } ?? .distantFuture)
    }

    public func isActive(at instant: Date) -> Bool { range.contains(instant) }

    /// Whether the period is over at `instant` (an open-ended one never is).
    public func hasEnded(at instant: Date) -> Bool { until.map { $0 <= instant } ?? false }

    public func overlaps(_ other: TimeRange) -> Bool { range.overlaps(other) }
}

/// What the manager chose for the active bookings a maintenance period overlaps.
public enum AffectedBookingsChoice: String, Sendable, Codable, CaseIterable {
    /// Cancel them, with the maintenance as their reason.
    case cancel
    /// Keep them; they are marked as affected.
    case keep
}
