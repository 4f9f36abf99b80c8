import Foundation

/// The writes that turn one booking into a set of intervals (SPEC "replace intervals"): it touches only that booking
/// and the owner's bookings the new intervals overlap, never bookings in the gaps between them.
public struct IntervalReplacement: Hashable, Sendable {
    /// A booking that already exists, by id.
    public struct Existing: Hashable, Sendable {
        public let id: UUID
        public let range: TimeRange

        public init(id: UUID, range: TimeRange) {
            self.id = id
            self.range = range
        }
    }

    /// The edited booking with its new times; nil when it is cancelled (empty interval list).
    public let kept: Existing?
    /// New bookings to create, sorted by start.
    public let created: [TimeRange]
    /// Bookings to cancel: the edited one when the list is empty, and the owner's bookings absorbed by the new intervals.
    public let cancelled: [UUID]

    public init(kept: Existing?, created: [TimeRange], cancelled: [UUID]) {
        self.kept = kept
        self.created = created
        self.cancelled = cancelled
    }

    /// Plans the replacement of `target` by `intervals`. `ownerBookingsOnDesk` are the owner's other confirmed
    /// bookings of the same desk; those the merged intervals overlap are absorbed (back-to-back ones are not).
    public static func plan(target: Existing, ownerBookingsOnDesk: [Existing], intervals: [TimeRange]) -> IntervalReplacement {
        let merged = TimeRange.merged(intervals)
        guard !merged.isEmpty else { return IntervalReplacement(kept: nil, created: [], cancelled: [target.id]) }

        // An ongoing booking keeps its start, so the interval that contains it carries the booking on.
        let keptIndex = merged.firstIndex { $0.contains(target.range.start) }
            ?? merged.firstIndex { $0.overlaps(target.range) }
            ?? 0
        var created = merged
        let keptRange = created.remove(at: keptIndex)

        var seen: Set<UUID> = [target.id]
        var absorbed: [UUID] = []
        for booking in ownerBookingsOnDesk.sorted(by: { $0.range.start < $1.range.start })
        where !seen.contains(booking.id) && merged.contains(where: { $0.overlaps(booking.range) }) {
            seen.insert(booking.id)
            absorbed.append(booking.id)
        }
        return IntervalReplacement(kept: Existing(id: target.id, range: keptRange), created: created, cancelled: absorbed)
    }
}
