import Foundation
import Testing
@testable import DeskCore

@Suite("Notification kinds and a person's channel choices")
struct NotificationChoicesTests {
    @Test("by default every kind goes to the inbox, and to e-mail unless it is merely informative")
    func defaults() {
        let choices = NotificationChoices()
        for kind in NotificationKind.allCases {
            #expect(choices.sends(kind, to: .inbox))
            #expect(choices.sends(kind, to: .email) == ![.allocationWaitlisted, .autopilotResumed].contains(kind))
        }
    }

    @Test("a choice changes that kind and channel only; the inbox cannot be switched off")
    func choices() throws {
        var choices = NotificationChoices()
        try choices.set(.allocationWon, .email, to: false)
        try choices.set(.allocationWaitlisted, .email, to: true)
        #expect(!choices.sends(.allocationWon, to: .email))
        #expect(choices.sends(.allocationWaitlisted, to: .email))
        #expect(choices.sends(.allocationLost, to: .email))
        #expect(throws: DomainError.self) { try choices.set(.allocationWon, .inbox, to: false) }
        try choices.set(.allocationWon, .inbox, to: true)
        #expect(choices.sends(.allocationWon, to: .inbox))
    }

    @Test("every kind has a title and a group, and kinds are distinct webhook event types")
    func namesAndTypes() {
        for kind in NotificationKind.allCases {
            #expect(!kind.title.isEmpty && !kind.group.isEmpty)
        }
        #expect(Set(WebhookEventType.all).count == WebhookEventType.all.count)
        #expect(WebhookEventType.all.contains("booking.created") && WebhookEventType.all.contains("allocation.won"))
        #expect(!WebhookEventType.all.contains(WebhookEventType.ping))
    }

    @Test("event type lists: at least one, each known, repeats dropped in order")
    func eventTypes() throws {
        #expect(try WebhookEventType.validate(["booking.cancelled", "booking.created", "booking.cancelled"]) == ["booking.cancelled", "booking.created"])
        #expect(throws: DomainError.self) { try WebhookEventType.validate([]) }
        #expect(throws: DomainError.self) { try WebhookEventType.validate(["booking.created", "booking.exploded"]) }
        #expect(throws: DomainError.self) { try WebhookEventType.validate([WebhookEventType.ping]) }
    }
}

@Suite("DeliverySchedule: when a failed delivery is tried again")
struct DeliveryScheduleTests {
    let now = utc("2026-03-10T09:00:00Z")

    @Test("after 10 s, 1 min, 5 min, 30 min, 2 h, 6 h and 12 h, each ±20 %")
    func delays() throws {
        for (attempt, delay) in DeliverySchedule.delays.enumerated() {
            let middle = try #require(DeliverySchedule.webhook.nextAttempt(after: attempt + 1, failedAt: now, jitter: 0))
            #expect(middle.timeIntervalSince(now) == delay)
            let early = try #require(DeliverySchedule.webhook.nextAttempt(after: attempt + 1, failedAt: now, jitter: -1))
            let late = try #require(DeliverySchedule.webhook.nextAttempt(after: attempt + 1, failedAt: now, jitter: 1))
            #expect(abs(early.timeIntervalSince(now) - delay * 0.8) < 0.001)
            #expect(abs(late.timeIntervalSince(now) - delay * 1.2) < 0.001)
            // Jitter out of range is clamped.
            #expect(DeliverySchedule.webhook.nextAttempt(after: attempt + 1, failedAt: now, jitter: 7) == late)
        }
    }

    @Test("a webhook is tried 8 times (about 21 hours), an e-mail 6 times; then it has failed for good")
    func limits() {
        #expect(DeliverySchedule.webhook.nextAttempt(after: 7, failedAt: now, jitter: 0) != nil)
        #expect(DeliverySchedule.webhook.nextAttempt(after: 8, failedAt: now, jitter: 0) == nil)
        #expect(DeliverySchedule.email.nextAttempt(after: 5, failedAt: now, jitter: 0) != nil)
        #expect(DeliverySchedule.email.nextAttempt(after: 6, failedAt: now, jitter: 0) == nil)
        let total = DeliverySchedule.delays.reduce(0, +)
        #expect(total > 20 * 3600 && total * 1.2 < 25 * 3600)
        #expect(DeliverySchedule(maximumAttempts: 99).maximumAttempts == 8)
    }
}

@Suite("Check-in reminders and booking notices")
struct BookingNoticeTests {
    let booking = range("2026-03-10T09:00:00Z", "2026-03-10T11:00:00Z")

    private func policy(required: Bool) -> Policy {
        var policy = Policy.defaults
        policy.checkInRequired = required
        return policy
    }

    @Test("a reminder is due once check-in opens, before the start, for a booking made before that, not checked in")
    func reminderDue() {
        let made = utc("2026-03-09T12:00:00Z")
        func due(_ now: String, createdAt: Date? = nil, checkedIn: Date? = nil, required: Bool = true) -> Bool {
            CheckInRules.remindsNow(booking: booking, createdAt: createdAt ?? made, checkedInAt: checkedIn, policy: policy(required: required),
                                    now: utc("2026-03-10T\(now)Z"))
        }
        #expect(!due("08:44:59"))
        #expect(due("08:45:00"))
        #expect(due("08:59:59"))
        #expect(!due("09:00:00"))
        #expect(!due("08:50:00", required: false))
        #expect(!due("08:50:00", checkedIn: utc("2026-03-10T08:46:00Z")))
        #expect(!due("08:50:00", createdAt: utc("2026-03-10T08:46:00Z")))
        #expect(CheckInRules.deadline(of: booking, policy: policy(required: true)) == utc("2026-03-10T09:30:00Z"))
    }

    @Test("texts name the desk, the place and the times in the reader's formats; many bookings are cut after five")
    func texts() {
        let notice = BookingNotice(deskName: "A-03", locationName: "Berlin", placeZone: berlin)
        let format = ReadingFormat(timeZone: berlin, dateOrder: .european, twelveHour: false)
        #expect(notice.madeForYou([booking], by: "Rita Manager", format: format)
            == "Rita Manager booked desk A-03 at Berlin for you: Tue 10.03.2026, 10:00–12:00.")
        let seven = (0..<7).map {
            TimeRange(uncheckedStart: booking.start.addingTimeInterval(Double($0) * 86_400), end: booking.end.addingTimeInterval(Double($0) * 86_400))
        }
        let many = notice.madeForYou(seven.reversed(), by: "Rita", format: format)
        #expect(many.hasPrefix("Rita booked desk A-03 at Berlin for you: Tue 10.03.2026, 10:00–12:00; Wed 11.03.2026"))
        #expect(many.hasSuffix("; and 2 more."))
        #expect(notice.checkInReminder(booking, deadline: utc("2026-03-10T09:30:00Z"), format: format)
            == "Your booking of desk A-03 at Berlin starts soon: Tue 10.03.2026, 10:00–12:00. Check in by Tue 10.03.2026 10:30, or the desk is released.")
        let newYork = ReadingFormat(timeZone: TimeZone(identifier: "America/New_York"), dateOrder: .american, twelveHour: true)
        #expect(notice.cancelledForYou(booking, by: "Rita", format: newYork)
            == "Rita cancelled your booking of desk A-03 at Berlin: Tue 03/10/2026, 10:00 AM–12:00 PM (Berlin time; 5:00 AM–7:00 AM New York time).")
    }
}
