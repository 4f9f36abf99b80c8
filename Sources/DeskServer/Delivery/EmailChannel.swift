import DeskCore
import Foundation

/// Notifications by e-mail: each written when it is sent, to the person's current address, with a text and an HTML
/// part, a link to what it is about, `List-Unsubscribe` to the settings page, and for a booking its `.ics` so that
/// calendars pick the change up.
struct EmailChannel: DeliveryChannel {
    /// `event_type` of an administrator's test mail, whose `payload` is the address.
    static let testEvent = "mail.test"

    let transactor: Transactor
    let mailer: any Mailer
    let sender: MailAddress
    let calendar: CalendarService
    let baseURL: URL

    var schedule: DeliverySchedule { .email }

    func send(_ delivery: DeliveryRecord) async -> DeliveryOutcome {
        let started = ContinuousClock.now
        let message: MailMessage
        do {
            guard let composed = try await compose(delivery) else { return .failed("nothing to send any more", permanent: true) }
            message = composed
        } catch let invalid as MailAddress.Invalid {
            return .failed("no valid address: \(invalid)", permanent: true)
        } catch {
            return .failed("could not write the mail: \(error)")
        }
        let outcome = await mailer.send([message]).first ?? .failed(permanent: false, reason: "no answer from the mailer")
        let milliseconds = Int((ContinuousClock.now - started) / .milliseconds(1))
        switch outcome {
        case .sent:
            return DeliveryOutcome(succeeded: true, statusCode: nil, error: nil, durationMs: milliseconds)
        case .failed(let permanent, let reason):
            return DeliveryOutcome(succeeded: false, statusCode: nil, error: reason, durationMs: milliseconds, permanent: permanent)
        }
    }

    /// The mail, or nil when its notification or person is gone.
    private func compose(_ delivery: DeliveryRecord) async throws -> MailMessage? {
        let settingsLink = link("/settings#notifications")
        if delivery.eventType == Self.testEvent, let address = delivery.payload {
            return MailMessage(
                from: sender, to: try MailAddress(address), subject: "DeskPilot test mail ✓",
                text: "This is a test mail from DeskPilot at \(baseURL.absoluteString). If you can read it, e-mail works.",
                html: MailHTML.document(title: "DeskPilot test mail",
                                        paragraphs: ["If you can read this, DeskPilot can send e-mail from \(baseURL.absoluteString)."]),
                id: delivery.id)
        }
        guard let notificationId = delivery.notificationId, let userId = delivery.userId,
              let notification = try await NotificationStore(sql: transactor.sql).notification(notificationId),
              let user = try await UserStore(sql: transactor.sql).user(id: userId), user.isActive else { return nil }
        let title = NotificationKind(rawValue: notification.kind)?.title ?? "Notification"
        let target = notification.link.map(link)
        var text = notification.message + "\n"
        if let target { text += "\nOpen in DeskPilot: \(target.absoluteString)\n" }
        text += "\n--\nChoose which mails you get: \(settingsLink.absoluteString)\n"
        var attachments: [MailAttachment] = []
        if let bookingId = notification.bookingId, let ics = try await calendar.ownersDocument(of: bookingId) {
            attachments.append(MailAttachment(filename: "booking.ics", contentType: "text/calendar; method=PUBLISH; charset=utf-8",
                                              data: Array(ics.utf8)))
        }
        return MailMessage(
            from: sender, to: try MailAddress(user.email, displayName: user.displayName), subject: title, text: text,
            html: MailHTML.document(title: title, paragraphs: [notification.message],
                                    action: target.map { MailHTML.Action(label: "Open in DeskPilot", url: $0) },
                                    footer: "Choose which mails you get", footerLink: settingsLink),
            attachments: attachments, headers: [MailHeader.listUnsubscribe(settingsLink)],
            // The delivery's id: a retry after a lost answer is recognisably the same mail.
            id: delivery.id, date: notification.createdAt)
    }

    /// An absolute URL of one of our paths.
    private func link(_ path: String) -> URL {
        URL(string: baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path) ?? baseURL
    }
}
