import Foundation

/// A waitlist pass over one location and day, decided: the desks free that day are offered to the waiting requests in
/// waitlist order, each taking its best matching desk, booked as its owner under every booking rule. A request whose
/// owner may no longer book there, or whose booking a rule about the person refuses, ends with the reason; once the
/// day has ended, every waiting request expires.
public struct WaitlistOffer: Sendable {
    /// A waiting request that stops waiting without a desk.
    public struct Ending: Hashable, Sendable {
        public enum Kind: Hashable, Sendable {
            case failed
            case expired
        }

        public let requestId: UUID
        public let userId: UUID
        public let kind: Kind
        public let reason: String
    }

    /// Why a waiting request expires.
    public static let dayEndedReason = "The day ended before a desk you asked for came free."

    /// The bookings of the requests that got a desk, in waitlist order.
    public let bookings: [AllocatedBooking]
    /// The requests that stop waiting without a desk: first those that can no longer take part (in waitlist order),
    /// then those a booking rule refused.
    public let endings: [Ending]

    /// - Parameter waiting: the waiting requests, in waitlist order.
    public init(setting: AllocationSetting, waiting: [AllocationRequest]) {
        guard setting.now < setting.daySpan.end else {
            bookings = []
            endings = waiting.map { Ending(requestId: $0.id, userId: $0.userId, kind: .expired, reason: Self.dayEndedReason) }
            return
        }
        var endings: [Ending] = []
        var ranges: [UUID: TimeRange] = [:]
        var builder = ParticipantBuilder(desks: setting.desks)
        var participants: [AllocationParticipant] = []
        for (request, standing) in zip(waiting, setting.standings(of: waiting)) {
            switch standing {
            case .eligible(let range, let denied):
                ranges[request.id] = range
                // A lost round is not held against anyone here: the waitlist goes in order, not by draw.
                participants.append(builder.participant(
                    requestId: request.id, userId: request.userId, criteria: request.criteria,
                    window: request.window == nil ? nil : range, losses: 0, deniedRooms: denied))
            case .excluded(let reason):
                endings.append(Ending(requestId: request.id, userId: request.userId, kind: .failed, reason: reason))
            }
        }
        let byId = Dictionary(waiting.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var ledger = setting.ledger
        var bookings: [AllocatedBooking] = []
        for (requestId, outcome) in AllocationRound.offer(to: participants, desks: setting.desks.map(\.allocationDesk)) {
            guard let request = byId[requestId], let range = ranges[requestId], let desk = outcome.desk else { continue }
            let booking = AllocatedBooking(requestId: requestId, ownerId: request.userId, deskId: desk, range: range)
            do throws(DomainError) {
                try ledger.admit(booking.attempt, desk: desk, policy: setting.policy, timeZone: setting.calendar.timeZone, now: setting.now)
                bookings.append(booking)
            } catch {
                // A rule about the person (they booked elsewhere meanwhile, their quota is full) ends the wait.
                endings.append(Ending(requestId: requestId, userId: request.userId, kind: .failed, reason: error.detail))
            }
        }
        self.bookings = bookings
        self.endings = endings
    }
}
