import DeskCore
import Foundation

/// Something that changed, published after the transaction that made it committed. Events name what changed by id
/// (what a particular viewer may see of it is decided on delivery), so they stay small enough for PostgreSQL NOTIFY.
enum DomainEvent: Codable, Sendable, Equatable {
    case booking(BookingEvent)
    case hold(HoldEvent)
    case maintenance(MaintenanceEvent)
    case permanent(PermanentEvent)
    case deskStatus(DeskStatusEvent)
    /// A request for a desk changed status (filed, won, waitlisted, failed …); only its owner hears of it.
    case request(RequestEvent)
    /// A day's allocation round committed: first-come booking of that day is open.
    case round(RoundEvent)
    /// A person's autopilot changed: a rule's status, or a new line in their activity log; only its owner hears of it.
    case autopilot(AutopilotEvent)
    /// People, places, gates or policies changed: cached facts and live subscribers' access must be looked at again.
    case accessChanged
    /// A person has a new notification (their inbox, live on their `me` topic).
    case notification(NotificationRecord)
    /// The outbox has new deliveries: the delivery worker (on the leader, wherever it runs) looks at once.
    case deliveriesQueued
    /// Webhook endpoints were added, changed or removed: the outbox reads them again.
    case webhooksChanged

    /// The room whose availability the event changes.
    var roomId: UUID? {
        switch self {
        case .booking(let event): event.roomId
        case .hold(let event): event.roomId
        case .maintenance(let event): event.roomId
        case .permanent(let event): event.roomId
        case .deskStatus(let event): event.roomId
        case .request, .round, .autopilot, .accessChanged, .notification, .deliveriesQueued, .webhooksChanged: nil
        }
    }

    /// The name clients see in `type`.
    var type: String {
        switch self {
        case .booking(let event): "booking.\(event.change.rawValue)"
        case .hold(let event): "hold.\(event.change.rawValue)"
        case .maintenance: "room.maintenance"
        case .permanent: "desk.permanent"
        case .deskStatus: "desk.status"
        case .request: "request.updated"
        case .round: "round.committed"
        case .autopilot(.ruleChanged): "autopilot.rule"
        case .autopilot(.logged): "autopilot.log"
        case .accessChanged: "access.changed"
        case .notification: "notification"
        case .deliveriesQueued: "deliveries.queued"
        case .webhooksChanged: "webhooks.changed"
        }
    }
}

/// A booking was created, moved, cancelled or released.
struct BookingEvent: Codable, Sendable, Equatable {
    enum Change: String, Codable, Sendable {
        case created, changed, cancelled, released
    }

    let change: Change
    let bookingId: UUID
    let deskId: UUID
    let roomId: UUID
    let locationId: UUID
    let userId: UUID
    let range: TimeRange
    /// Where a changed booking was before.
    var previous: TimeRange?

    init(_ change: Change, _ booking: BookingRecord, roomId: UUID, locationId: UUID, previous: TimeRange? = nil) {
        self.change = change
        bookingId = booking.id
        deskId = booking.deskId
        self.roomId = roomId
        self.locationId = locationId
        userId = booking.userId
        range = booking.range
        self.previous = previous
    }

    /// The instants this event changes: the booking now and where it was before.
    var ranges: [TimeRange] { [range] + (previous.map { [$0] } ?? []) }
}

/// A desk's booking-dialog lock changed.
struct HoldEvent: Codable, Sendable, Equatable {
    enum Change: String, Codable, Sendable {
        case acquired, refreshed, released, expired
    }

    let change: Change
    let deskId: UUID
    let roomId: UUID
    let locationId: UUID
    let userId: UUID
    let expiresAt: Date

    init(_ change: Change, _ hold: Hold, roomId: UUID, locationId: UUID) {
        self.change = change
        deskId = hold.deskId
        self.roomId = roomId
        self.locationId = locationId
        userId = hold.userId
        expiresAt = hold.expiresAt
    }
}

/// A room's maintenance changed or began or ended by the clock: `reason` while it is under maintenance now (nil when
/// not), `period` the current or scheduled one.
struct MaintenanceEvent: Codable, Sendable, Equatable {
    let roomId: UUID
    let locationId: UUID
    let reason: String?
    var period: MaintenancePeriod? = nil
}

/// A desk was given to one person permanently (`userId`), or became bookable by all again (nil).
struct PermanentEvent: Codable, Sendable, Equatable {
    let deskId: UUID
    let roomId: UUID
    let locationId: UUID
    let userId: UUID?
}

/// What a desk shows on the room plan now; sent when a write or the clock (a booking starting or ending, a hold
/// lapsing) changes it.
struct DeskStatusEvent: Codable, Sendable, Equatable {
    let deskId: UUID
    let roomId: UUID
    let locationId: UUID
    let status: DeskStatus
    /// Whose booking, hold or permanent desk makes the status; the viewer sees only whether it is theirs.
    let occupantId: UUID?
    let at: Date
}

/// A person's request as it stands after a change.
struct RequestEvent: Codable, Sendable, Equatable {
    let requestId: UUID
    let userId: UUID
    let locationId: UUID
    let day: LocalDate
    let status: String
    let deskId: UUID?
    let bookingId: UUID?
    let reason: String?
    /// The autopilot rule that filed the request.
    var ruleId: UUID?
}

struct RoundEvent: Codable, Sendable, Equatable {
    let roundId: UUID
    let locationId: UUID
    let day: LocalDate
}

enum AutopilotEvent: Codable, Sendable, Equatable {
    case ruleChanged(RuleChange)
    case logged(AutopilotLogEntry)

    struct RuleChange: Codable, Sendable, Equatable {
        let ruleId: UUID
        let userId: UUID
        let status: RuleStatus
        let reason: String?
    }

    static func rule(_ rule: AutopilotRuleRecord) -> AutopilotEvent {
        .ruleChanged(RuleChange(ruleId: rule.id, userId: rule.userId, status: rule.status, reason: rule.statusReason))
    }

    var userId: UUID {
        switch self {
        case .ruleChanged(let change): change.userId
        case .logged(let entry): entry.userId
        }
    }
}
