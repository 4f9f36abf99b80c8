import Foundation

/// A desk lock while someone has a booking dialog open. One per desk; the row outlives its expiry so that the cap
/// still counts from the first acquisition when the same person re-acquires.
public struct Hold: Hashable, Sendable {
    public let deskId: UUID
    public let userId: UUID
    public let firstAcquiredAt: Date
    public let expiresAt: Date

    public init(deskId: UUID, userId: UUID, firstAcquiredAt: Date, expiresAt: Date) {
        self.deskId = deskId
        self.userId = userId
        self.firstAcquiredAt = firstAcquiredAt
        self.expiresAt = expiresAt
    }

    public func isActive(at now: Date) -> Bool { expiresAt > now }
}

/// When a hold may be taken, refreshed or released (SPEC §3 "Holds").
public enum HoldRules {
    /// How long one acquisition or refresh lasts; clients refresh every 25 s.
    public static let lifetime: TimeInterval = 60
    /// No hold lasts longer than this from its first acquisition, however often it is refreshed or re-acquired.
    public static let cap: TimeInterval = 300
    /// After reaching the cap the same person must wait this long before a new hold on that desk, so that
    /// re-acquiring cannot extend a lock forever.
    public static let coolDown: TimeInterval = 300

    public enum Acquisition: Hashable, Sendable {
        /// A new hold; `takenOverFrom` names someone else whose lapsed hold it replaces.
        case acquired(Hold, takenOverFrom: UUID?)
        case refreshed(Hold)

        public var hold: Hold {
            switch self {
            case .acquired(let hold, _), .refreshed(let hold): hold
            }
        }
    }

    /// Decides an acquisition by `userId`, given the desk's stored hold (active or lapsed).
    public static func acquire(desk deskId: UUID, by userId: UUID, existing: Hold?, now: Date) throws(DomainError) -> Acquisition {
        guard let existing else {
            return .acquired(fresh(deskId, userId, now), takenOverFrom: nil)
        }
        guard existing.userId == userId else {
            if existing.isActive(at: now) { throw .deskHeld(existing, now: now) }
            return .acquired(fresh(deskId, userId, now), takenOverFrom: existing.userId)
        }
        let capEnd = existing.firstAcquiredAt.addingTimeInterval(cap)
        if now < capEnd {
            return .refreshed(Hold(deskId: deskId, userId: userId, firstAcquiredAt: existing.firstAcquiredAt,
                                   expiresAt: min(now.addingTimeInterval(lifetime), capEnd)))
        }
        let coolDownEnd = capEnd.addingTimeInterval(coolDown)
        guard now >= coolDownEnd else {
            var error = DomainError.conflict(
                code: "hold_limit_reached", "A desk can be held for at most \(Int(cap / 60)) minutes; book it or try again later.")
            error.retryAfter = Int(coolDownEnd.timeIntervalSince(now).rounded(.up))
            throw error
        }
        return .acquired(fresh(deskId, userId, now), takenOverFrom: nil)
    }

    /// The hold to store when `userId` lets go: it lapses now but keeps its first acquisition; nil when the desk
    /// has no active hold of theirs.
    public static func release(existing: Hold?, by userId: UUID, now: Date) -> Hold? {
        guard let existing, existing.userId == userId, existing.isActive(at: now) else { return nil }
        return Hold(deskId: existing.deskId, userId: userId, firstAcquiredAt: existing.firstAcquiredAt, expiresAt: now)
    }

    private static func fresh(_ deskId: UUID, _ userId: UUID, _ now: Date) -> Hold {
        Hold(deskId: deskId, userId: userId, firstAcquiredAt: now, expiresAt: now.addingTimeInterval(lifetime))
    }
}

extension DomainError {
    /// 423: someone else has the desk's booking dialog open.
    public static func deskHeld(_ hold: Hold, now: Date) -> DomainError {
        var error = DomainError(.locked, code: "desk_held", detail: "Someone else is booking this desk right now; try again shortly.")
        error.retryAfter = max(1, Int(hold.expiresAt.timeIntervalSince(now).rounded(.up)))
        return error
    }
}
