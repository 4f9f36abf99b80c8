import Foundation

/// When the owner of a booking may check in, and when a booking nobody checked in is released (SPEC check-in).
public enum CheckInRules {
    /// Check-in opens this long before the start.
    public static let opensBefore: TimeInterval = 15 * 60

    /// When the owner may check in: from `opensBefore` before the start until the end, or, when the policy requires
    /// check-in, until the grace period after the start ends (then the booking is a no-show), never after the end.
    public static func window(for booking: TimeRange, policy: Policy) -> TimeRange {
        let opens = booking.start.addingTimeInterval(-opensBefore)
        guard policy.checkInRequired else { return TimeRange(uncheckedStart: opens, end: booking.end) }
        return TimeRange(uncheckedStart: opens, end: min(booking.end, graceEnd(of: booking, policy: policy)))
    }

    /// Refuses a check-in that comes twice, too early or too late, so that the caller only records valid ones.
    /// Throws `already_checked_in` (.conflict), `check_in_not_open` (.conflict, "Check-in opens at …"), `check_in_closed` (.conflict).
    public static func check(booking: TimeRange, checkedInAt: Date?, policy: Policy, now: Date) throws(DomainError) {
        guard checkedInAt == nil else {
            throw .conflict(code: "already_checked_in", "This booking is already checked in.")
        }
        let window = window(for: booking, policy: policy)
        guard now >= window.start else {
            throw .conflict(code: "check_in_not_open", "Check-in opens at \(Timestamp.format(window.start)).")
        }
        guard now < window.end else {
            throw .conflict(code: "check_in_closed", "Check-in for this booking has closed.")
        }
    }

    /// A booking that must be released: the policy requires check-in, nobody checked in, and the grace period after
    /// its start is over (now >= start + grace).
    public static func isNoShow(booking: TimeRange, checkedInAt: Date?, policy: Policy, now: Date) -> Bool {
        policy.checkInRequired && checkedInAt == nil && now >= graceEnd(of: booking, policy: policy)
    }

    /// Whether the owner is reminded to check in now: the policy requires it, check-in has opened and the booking has
    /// not started. A booking made after check-in opened needs no reminder: its owner has just booked it.
    public static func remindsNow(booking: TimeRange, createdAt: Date, checkedInAt: Date?, policy: Policy, now: Date) -> Bool {
        let opens = booking.start.addingTimeInterval(-opensBefore)
        return policy.checkInRequired && checkedInAt == nil && now >= opens && now < booking.start && createdAt < opens
    }

    /// The last moment to check in before the booking is released.
    public static func deadline(of booking: TimeRange, policy: Policy) -> Date {
        min(booking.end, graceEnd(of: booking, policy: policy))
    }

    private static func graceEnd(of booking: TimeRange, policy: Policy) -> Date {
        booking.start.addingTimeInterval(TimeInterval(policy.checkInGraceMinutes * 60))
    }
}
