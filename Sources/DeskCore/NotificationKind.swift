import Foundation

/// What a person can hear about (SPEC §8). The raw value is the `kind` of a notification and, for webhooks, its event
/// type; each kind can be switched per channel (`NotificationChoices`).
public enum NotificationKind: String, CaseIterable, Codable, Sendable {
    case bookingMadeForYou = "booking.made_for_you"
    case bookingChangedForYou = "booking.changed_for_you"
    case bookingCancelledForYou = "booking.cancelled_for_you"
    case maintenance = "booking.maintenance"
    case permanentAssignment = "desk.permanent_assigned"
    case allocationWon = "allocation.won"
    case allocationWaitlisted = "allocation.waitlisted"
    case allocationOfferTaken = "allocation.offer_taken"
    case allocationLost = "allocation.lost"
    case checkInReminder = "check_in.reminder"
    case noShowRelease = "check_in.released"
    case watchAlert = "autopilot.watch"
    case autopilotError = "autopilot.error"
    case autopilotSuspended = "autopilot.suspended"
    case autopilotResumed = "autopilot.resumed"
    case webhookDisabled = "webhook.disabled"

    /// The heading of the settings row, the inbox entry and the e-mail subject.
    public var title: String {
        switch self {
        case .bookingMadeForYou: "Booking made for you"
        case .bookingChangedForYou: "Your booking was changed"
        case .bookingCancelledForYou: "Your booking was cancelled"
        case .maintenance: "Maintenance affects your booking"
        case .permanentAssignment: "Desk assigned permanently"
        case .allocationWon: "You got a desk"
        case .allocationWaitlisted: "You are on the waitlist"
        case .allocationOfferTaken: "A desk came free for you"
        case .allocationLost: "No desk for your request"
        case .checkInReminder: "Check-in reminder"
        case .noShowRelease: "Booking released: no check-in"
        case .watchAlert: "A desk you watch is free"
        case .autopilotError: "Autopilot rule stopped"
        case .autopilotSuspended: "Autopilot rule suspended"
        case .autopilotResumed: "Autopilot rule resumed"
        case .webhookDisabled: "Webhook switched off"
        }
    }

    /// The section of the settings grid.
    public var group: String {
        switch self {
        case .bookingMadeForYou, .bookingChangedForYou, .bookingCancelledForYou, .maintenance, .permanentAssignment: "Bookings"
        case .allocationWon, .allocationWaitlisted, .allocationOfferTaken, .allocationLost: "Allocation"
        case .checkInReminder, .noShowRelease: "Check-in"
        case .watchAlert, .autopilotError, .autopilotSuspended, .autopilotResumed: "Autopilot"
        case .webhookDisabled: "Integrations"
        }
    }

    /// Whether a channel other than the inbox carries this kind unless the person says otherwise: everything that asks
    /// them to act or changes their plans, not the merely informative.
    public var sentByDefault: Bool {
        switch self {
        case .allocationWaitlisted, .autopilotResumed: false
        default: true
        }
    }
}

/// Where a notification goes. The inbox always gets it; the others are the person's choice, per kind.
public enum NotificationChannel: String, CaseIterable, Codable, Sendable {
    case inbox
    case email
}

/// A person's choices of channel per kind: what they changed, over the defaults.
public struct NotificationChoices: Sendable, Equatable {
    public private(set) var overrides: [NotificationKind: [NotificationChannel: Bool]]

    public init(overrides: [NotificationKind: [NotificationChannel: Bool]] = [:]) {
        self.overrides = overrides
    }

    /// Whether `kind` goes to `channel`. The inbox cannot be switched off.
    public func sends(_ kind: NotificationKind, to channel: NotificationChannel) -> Bool {
        guard channel != .inbox else { return true }
        return overrides[kind]?[channel] ?? kind.sentByDefault
    }

    /// Records a choice; switching off the inbox is refused.
    public mutating func set(_ kind: NotificationKind, _ channel: NotificationChannel, to enabled: Bool) throws(DomainError) {
        guard channel != .inbox || enabled else {
            throw DomainError.validation(field: "channels.inbox", "the inbox always receives notifications")
        }
        guard channel != .inbox else { return }
        overrides[kind, default: [:]][channel] = enabled
    }
}
