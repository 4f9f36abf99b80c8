import DeskCore
import Foundation

/// Many intervals for one desk in one request.
extension BookingService {
    static let maximumIntervals = 100

    /// What happened to one interval of a bulk request.
    struct BulkOutcome: Sendable {
        let range: TimeRange
        let booking: BookingView?
        let refusal: DomainError?
        /// Local days (in the location's zone) of the bookings it collides with.
        let conflictingDays: [LocalDate]
    }

    /// Creates a booking per interval, each decided on its own, or all or none when `atomic`. Every interval gets an
    /// outcome in request order; nothing is thrown for an interval's refusal, only for a bad request.
    func createMany(
        desk deskId: UUID, ranges: [TimeRange], note: String, atomic: Bool, onBehalfOf: UUID?, source: BookingSource,
        by viewer: Viewer, actor: Actor
    ) async throws -> [BulkOutcome] {
        try Self.checkIntervals(ranges)
        let claim = try await claim(desk: deskId, note: note, onBehalfOf: onBehalfOf, source: source, by: viewer)
        let now = clock.now()
        let records = ranges.map { claim.record(for: $0, now: now) }
        let refusals = try await commits.submit(records.map { claim.request($0, actor: actor) }, atomic: atomic)
        let calendar = ZonedCalendar(timeZone: claim.context.location.timeZone)
        return zip(records, refusals).map { record, refusal in
            BulkOutcome(range: record.range, booking: refusal == nil ? claim.view(record) : nil, refusal: refusal,
                        conflictingDays: Array(Set((refusal?.conflicts ?? []).map { calendar.date(of: $0.start) })).sorted())
        }
    }

    /// 1…100 intervals, none overlapping another of the same request (that would be a request to double-book).
    static func checkIntervals(_ ranges: [TimeRange], allowOverlaps: Bool = false) throws(DomainError) {
        guard ranges.count <= maximumIntervals else {
            throw .validation(field: "intervals", "at most \(maximumIntervals) intervals per request")
        }
        guard !allowOverlaps else { return }
        guard !ranges.isEmpty else { throw .validation(field: "intervals", "send at least one interval") }
        let order = ranges.indices.sorted { ranges[$0].start < ranges[$1].start }
        for (earlier, later) in zip(order, order.dropFirst()) where ranges[earlier].overlaps(ranges[later]) {
            throw .validation(field: "intervals[\(max(earlier, later))]", "overlaps intervals[\(min(earlier, later))]")
        }
    }
}
