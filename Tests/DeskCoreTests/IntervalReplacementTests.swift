import Foundation
import Testing
@testable import DeskCore

/// A range on 2026-03-10 between two UTC wall times written as `HH:mm`.
private func at(_ start: String, _ end: String) -> TimeRange {
    range("2026-03-10T\(start):00Z", "2026-03-10T\(end):00Z")
}

private func booking(_ start: String, _ end: String) -> IntervalReplacement.Existing {
    IntervalReplacement.Existing(id: UUID(), range: at(start, end))
}

@Suite("IntervalReplacement.plan")
struct IntervalReplacementTests {
    @Test("an empty interval list cancels the booking and touches nothing else")
    func emptyListCancels() {
        let target = booking("09:00", "12:00")
        let other = booking("10:00", "11:00")
        let plan = IntervalReplacement.plan(target: target, ownerBookingsOnDesk: [other], intervals: [])
        #expect(plan.kept == nil)
        #expect(plan.created.isEmpty)
        #expect(plan.cancelled == [target.id])
    }

    @Test("one interval only moves the booking")
    func singleInterval() {
        let target = booking("09:00", "12:00")
        let plan = IntervalReplacement.plan(target: target, ownerBookingsOnDesk: [], intervals: [at("10:00", "11:00")])
        #expect(plan == IntervalReplacement(kept: .init(id: target.id, range: at("10:00", "11:00")), created: [], cancelled: []))
    }

    @Test("splitting keeps the booking on the first part and creates the rest")
    func split() {
        let target = booking("09:00", "17:00")
        let plan = IntervalReplacement.plan(
            target: target, ownerBookingsOnDesk: [], intervals: [at("13:00", "17:00"), at("09:00", "12:00")]
        )
        #expect(plan.kept == .init(id: target.id, range: at("09:00", "12:00")))
        #expect(plan.created == [at("13:00", "17:00")])
        #expect(plan.cancelled.isEmpty)
    }

    @Test("an own booking in the gap between new intervals survives")
    func gapSurvives() {
        let target = booking("09:00", "10:00")
        let lunch = booking("12:00", "13:00")
        let plan = IntervalReplacement.plan(
            target: target, ownerBookingsOnDesk: [lunch], intervals: [at("09:00", "12:00"), at("13:00", "17:00")]
        )
        #expect(plan.kept == .init(id: target.id, range: at("09:00", "12:00")))
        #expect(plan.created == [at("13:00", "17:00")])
        #expect(plan.cancelled.isEmpty)
    }

    @Test("own bookings the new intervals overlap are absorbed; back-to-back and distant ones are not")
    func absorption() {
        let target = booking("09:00", "10:00")
        let overlapped = booking("11:00", "12:00")
        let partly = booking("13:30", "15:00")
        let backToBack = booking("14:00", "15:00")
        let before = booking("08:00", "09:00")
        let distant = booking("18:00", "19:00")
        let plan = IntervalReplacement.plan(
            target: target,
            ownerBookingsOnDesk: [distant, partly, backToBack, before, overlapped],
            intervals: [at("09:00", "12:30"), at("13:00", "14:00")]
        )
        #expect(Set(plan.cancelled) == [overlapped.id, partly.id])
        #expect(plan.cancelled.count == 2)
        #expect(plan.kept == .init(id: target.id, range: at("09:00", "12:30")))
        #expect(plan.created == [at("13:00", "14:00")])
    }

    @Test("the booking itself is never absorbed even when listed among the owner's bookings")
    func targetNotAbsorbed() {
        let target = booking("09:00", "10:00")
        let plan = IntervalReplacement.plan(target: target, ownerBookingsOnDesk: [target], intervals: [at("09:00", "11:00")])
        #expect(plan.cancelled.isEmpty)
        #expect(plan.kept?.id == target.id)
    }

    @Test("touching intervals become one booking")
    func touchingMerge() {
        let target = booking("09:00", "10:00")
        let plan = IntervalReplacement.plan(
            target: target, ownerBookingsOnDesk: [], intervals: [at("09:00", "10:00"), at("10:00", "11:00"), at("11:00", "12:00")]
        )
        #expect(plan.kept == .init(id: target.id, range: at("09:00", "12:00")))
        #expect(plan.created.isEmpty)
    }

    @Test("an ongoing booking stays on the interval that contains its start, even if an earlier one overlaps it")
    func ongoingKeepsStart() {
        // Started at 10:00; the new list adds an earlier block that overlaps its old times too.
        let target = booking("10:00", "14:00")
        let plan = IntervalReplacement.plan(
            target: target, ownerBookingsOnDesk: [], intervals: [at("07:00", "09:00"), at("09:30", "10:00"), at("10:00", "11:00"), at("13:00", "15:00")]
        )
        #expect(plan.kept == .init(id: target.id, range: at("09:30", "11:00")))
        #expect(plan.created == [at("07:00", "09:00"), at("13:00", "15:00")])
    }

    @Test("without an interval at its start, the booking goes to the first interval overlapping its old times")
    func firstOverlapping() {
        let target = booking("10:00", "14:00")
        let plan = IntervalReplacement.plan(
            target: target, ownerBookingsOnDesk: [], intervals: [at("07:00", "08:00"), at("12:00", "13:00"), at("13:30", "16:00")]
        )
        #expect(plan.kept == .init(id: target.id, range: at("12:00", "13:00")))
        #expect(plan.created == [at("07:00", "08:00"), at("13:30", "16:00")])
    }

    @Test("with no interval near its old times, the booking moves to the first interval")
    func firstInterval() {
        let target = booking("10:00", "11:00")
        let plan = IntervalReplacement.plan(
            target: target, ownerBookingsOnDesk: [], intervals: [at("16:00", "17:00"), at("11:00", "12:00")]
        )
        #expect(plan.kept == .init(id: target.id, range: at("11:00", "12:00")))
        #expect(plan.created == [at("16:00", "17:00")])
    }

    @Test("duplicates and unsorted input give the same plan as the clean list")
    func duplicatesAndOrder() {
        let target = booking("09:00", "10:00")
        let other = booking("15:30", "16:30")
        let clean = IntervalReplacement.plan(
            target: target, ownerBookingsOnDesk: [other], intervals: [at("09:00", "10:00"), at("13:00", "14:00"), at("15:00", "16:00")]
        )
        let messy = IntervalReplacement.plan(
            target: target,
            ownerBookingsOnDesk: [other, other],
            intervals: [at("15:00", "16:00"), at("13:00", "14:00"), at("09:00", "10:00"), at("13:00", "14:00"), at("15:00", "15:30")]
        )
        #expect(messy == clean)
        #expect(clean.created == [at("13:00", "14:00"), at("15:00", "16:00")])
        #expect(clean.cancelled == [other.id])
    }
}
