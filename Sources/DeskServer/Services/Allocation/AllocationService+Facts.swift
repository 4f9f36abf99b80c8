import DeskCore
import Foundation

extension AllocationService {
    /// Loads what a round or a waitlist pass decides on, inside its transaction and under its locks.
    static func setting(at location: LocationRecord, from facts: AllocationFactsStore, now: Date) async throws -> AllocationSetting {
        let calendar = ZonedCalendar(timeZone: location.timeZone)
        let (desks, ledger) = try await facts.desks(day: AllocationSetting.span(of: facts.day, in: calendar), now: now)
        let people = try await facts.people()
        let debts = try await facts.debts()
        let places = PlaceStore(sql: facts.sql)
        let locationGate = try await places.locationGate(location.id)
        let roomGroups = try await places.roomGates(inLocation: location.id)
        return AllocationSetting(
            locationName: location.name, day: facts.day, policy: location.effectivePolicy, timeZone: location.timeZone, now: now,
            desks: desks, ledger: ledger, debts: debts, people: people, locationGate: locationGate, roomGroups: roomGroups)
    }

    /// The booking record of an allocated booking, as its owner's, ready for `BookingCommitQueue.insert`.
    static func booking(
        _ allocated: AllocatedBooking, for request: AllocationRequestRecord, in setting: AllocationSetting, locationId: UUID, actor: Actor
    ) -> BookingCommitQueue.Request? {
        guard let desk = setting.desk(allocated.deskId) else { return nil }
        let now = setting.now
        let record = BookingRecord(id: UUID(), deskId: desk.id, userId: request.userId, startAt: allocated.range.start,
                                   endAt: allocated.range.end, status: .confirmed, source: request.source, createdBy: request.userId,
                                   createdAt: now, updatedAt: now, note: "")
        return BookingCommitQueue.Request(record: record, roomId: desk.roomId, policy: setting.policy,
                                          timeZone: setting.calendar.timeZone, locationId: locationId, actor: actor)
    }

    /// A desk's name for a message.
    static func deskName(_ id: UUID?, in setting: AllocationSetting) -> String {
        id.flatMap { setting.desk($0)?.name } ?? "?"
    }
}
