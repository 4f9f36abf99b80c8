import Foundation

/// What an autopilot rule has done and will do next, day by day (SPEC §5): told from the planner and its owner's
/// bookings and requests, so the owner sees the rule at work before anything changes. Pure: the caller loads the facts.
public struct AutopilotOutlook: Sendable, Equatable {
    /// A day the rule targets now, and where it stands.
    public struct Day: Sendable, Equatable {
        public enum State: String, Sendable, CaseIterable {
            /// The owner holds a booking that day that this rule did not make: nothing to ask for.
            case booked
            /// This rule got the owner a desk (from a draw, a free desk or the waitlist).
            case won
            /// Asked for; the desks of the day go by a draw when it opens (`opensAt`).
            case waiting
            /// On the day's waitlist, `waitlistPosition` (1 is next).
            case waitlisted
            /// Asked for, but no desk could be given: `reason`.
            case lost
            /// The owner cancelled the request or the booking it made; the rule leaves the day alone.
            case cancelled
            /// Not asked for yet: the engine does so in a moment.
            case toAsk = "to_ask"
        }

        public let date: LocalDate
        public let state: State
        /// The desk booked (booked, won).
        public let desk: NamedDesk?
        /// The booking's times (booked, won).
        public let range: TimeRange?
        public let waitlistPosition: Int?
        /// When the day opens and its draw runs.
        public let opensAt: Date
        /// Why no desk (lost).
        public let reason: String?
        /// Whether this rule filed the day's request; false for a request asked by hand or by another rule.
        public let askedByThisRule: Bool
    }

    /// A desk by id and name.
    public struct NamedDesk: Sendable, Equatable {
        public let id: UUID
        public let name: String

        public init(id: UUID, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// The next day beyond those open or about to open that the rule will ask for.
    public struct NextAsk: Sendable, Equatable {
        public let date: LocalDate
        /// When the rule files its request: as soon as the day before opens, it is the next day to open.
        public let asksAt: Date
        /// When the day opens and its draw hands out the desks asked for.
        public let opensAt: Date
    }

    /// The targeted days from today to the next day to open, in order.
    public let days: [Day]
    /// Nil when the rule asks for nothing ahead: not active, watching only, a permanent desk, or no day left.
    public let nextAsk: NextAsk?
    /// The owner's permanent desk at the location: the rule has nothing to ask for there.
    public let permanentDesk: NamedDesk?

    /// What the owner holds and asked for at the rule's location, per day.
    public struct Facts: Sendable {
        public var bookings: [LocalDate: [Booking]]
        public var requests: [LocalDate: Request]
        public var permanentDesk: NamedDesk?

        public init(bookings: [LocalDate: [Booking]] = [:], requests: [LocalDate: Request] = [:], permanentDesk: NamedDesk? = nil) {
            self.bookings = bookings
            self.requests = requests
            self.permanentDesk = permanentDesk
        }
    }

    /// One of the owner's confirmed bookings at the location.
    public struct Booking: Sendable, Equatable {
        public let id: UUID
        public let desk: NamedDesk
        public let range: TimeRange

        public init(id: UUID, desk: NamedDesk, range: TimeRange) {
            self.id = id
            self.desk = desk
            self.range = range
        }
    }

    /// The owner's request for a day (withdrawn ones left out: the rule may ask again).
    public struct Request: Sendable, Equatable {
        public enum Status: Sendable, Equatable {
            case pending
            case waitlisted(position: Int)
            case won(bookingId: UUID?)
            case cancelled
            case lost(reason: String?)
        }

        public let status: Status
        public let byThisRule: Bool

        public init(status: Status, byThisRule: Bool) {
            self.status = status
            self.byThisRule = byThisRule
        }
    }

    /// The outlook of a rule with these settings. `acting`: active and booking (a paused or watching rule asks for nothing).
    public static func make(
        _ selection: DaySelection, window: DayWindow?, skipTodayAfter: LocalTime?, acting: Bool,
        policy: Policy, calendar: ZonedCalendar, now: Date, facts: Facts
    ) -> AutopilotOutlook {
        let targets = AutopilotPlanning.targetDays(selection, policy: policy, calendar: calendar, now: now, skipTodayAfter: skipTodayAfter)
        if let permanent = facts.permanentDesk {
            return AutopilotOutlook(days: [], nextAsk: nil, permanentDesk: permanent)
        }
        var days: [Day] = []
        for date in targets {
            let opensAt = opening(of: date, policy: policy, calendar: calendar)
            func day(_ state: Day.State, desk: NamedDesk? = nil, range: TimeRange? = nil, position: Int? = nil, reason: String? = nil,
                     byRule: Bool) -> Day {
                Day(date: date, state: state, desk: desk, range: range, waitlistPosition: position, opensAt: opensAt, reason: reason,
                    askedByThisRule: byRule)
            }
            let request = facts.requests[date]
            let byRule = request?.byThisRule ?? false
            if let booking = facts.bookings[date]?.min(by: { $0.range.start < $1.range.start }) {
                var won = false
                if case .won(let bookingId)? = request?.status { won = byRule && bookingId == booking.id }
                days.append(day(won ? .won : .booked, desk: booking.desk, range: booking.range, byRule: won))
                continue
            }
            switch request?.status {
            case .pending?: days.append(day(.waiting, byRule: byRule))
            case .waitlisted(let position)?: days.append(day(.waitlisted, position: position, byRule: byRule))
            case .won?, .cancelled?: days.append(day(.cancelled, byRule: byRule))
            case .lost(let reason)?: days.append(day(.lost, reason: reason, byRule: byRule))
            case nil:
                // What the planner would skip (a window already over today) is no day to ask for.
                guard acting, AutopilotPlanning.range(on: date, window: window, policy: policy, calendar: calendar, now: now) != nil
                else { continue }
                days.append(day(.toAsk, byRule: true))
            }
        }
        let next = acting ? nextAsk(selection, skipTodayAfter: skipTodayAfter, policy: policy, calendar: calendar, now: now) : nil
        return AutopilotOutlook(days: days, nextAsk: next, permanentDesk: nil)
    }

    /// How far ahead the next day to ask for is looked for: a rule whose days all lie further out says nothing.
    static let lookAheadDays = 400

    /// The first day after the next day to open that the planner will target, found by asking the planner itself at
    /// the moment the day before opens (so closed days, blacklists and cut-offs count exactly as they will).
    public static func nextAsk(_ selection: DaySelection, skipTodayAfter: LocalTime?, policy: Policy, calendar: ZonedCalendar, now: Date) -> NextAsk? {
        let first = AutopilotPlanning.nextDayToOpen(policy: policy, calendar: calendar, now: now)
        for offset in 1...lookAheadDays {
            let date = calendar.adding(days: offset, to: first)
            guard selection.includes(date) else { continue }
            let asksAt = opening(of: calendar.adding(days: -1, to: date), policy: policy, calendar: calendar)
            guard AutopilotPlanning.targetDays(selection, policy: policy, calendar: calendar, now: asksAt, skipTodayAfter: skipTodayAfter)
                .contains(date) else { continue }
            return NextAsk(date: date, asksAt: asksAt, opensAt: opening(of: date, policy: policy, calendar: calendar))
        }
        return nil
    }

    /// When a day opens for booking (its draw runs): the release time, `max_advance_days` before it, in local time.
    public static func opening(of day: LocalDate, policy: Policy, calendar: ZonedCalendar) -> Date {
        calendar.instant(on: calendar.adding(days: -policy.maxAdvanceDays, to: day), at: policy.releaseTime)
    }
}
