import Foundation
import Testing
@testable import DeskCore

private typealias Office = AllocationScenario
private let wholeDay = range("2026-03-12T07:00:00+01:00", "2026-03-12T20:00:00+01:00")

@Suite("WaitlistOffer: freed desks offered to the waitlist")
struct WaitlistOfferTests {
    @Test("desks go in waitlist order, not by draw or debt; each takes their best matching desk")
    func waitlistOrder() {
        var office = Office(desks: 2) { $0 == 1 ? ["screen"] : [] }
        office.addPeople(1...4)
        office.debts = [Office.person(4): 10]
        let offer = office.offer([ask(3, prefers: [2]), ask(1, tags: ["screen"]), ask(2), ask(4)])
        #expect(offer.bookings == [
            AllocatedBooking(requestId: Office.uuid(3), ownerId: Office.person(3), deskId: Office.desk(2), range: wholeDay),
            AllocatedBooking(requestId: Office.uuid(1), ownerId: Office.person(1), deskId: Office.desk(1), range: wholeDay),
        ])
        #expect(offer.endings.isEmpty)  // the others keep waiting

        let reversed = office.offer([ask(4), ask(2), ask(1, tags: ["screen"]), ask(3, prefers: [2])])
        #expect(reversed.bookings.map(\.requestId) == [Office.uuid(4), Office.uuid(2)])
    }

    @Test("a desk booked that day is offered only for times it is free")
    func busyDesks() {
        var office = Office(desks: 1)
        office.booked(Office.desk(1), by: Office.person(9), "2026-03-12T07:00:00+01:00", "2026-03-12T12:00:00+01:00")
        office.addPeople(1...2)
        let offer = office.offer([ask(1), ask(2, window: (from: 13 * 60, until: 18 * 60))])
        #expect(offer.bookings.map(\.requestId) == [Office.uuid(2)])
        #expect(offer.bookings.first?.range == range("2026-03-12T13:00:00+01:00", "2026-03-12T18:00:00+01:00"))
    }

    @Test("who can no longer take part ends first, with the reason; then whose booking a rule refuses")
    func endings() {
        var office = Office(desks: 2)
        office.addPeople(1...3)
        office.people[Office.person(2)] = .some(nil)
        office.booked(Office.uuid(9999), by: Office.person(1), "2026-03-12T09:00:00+01:00", "2026-03-12T17:00:00+01:00")
        let offer = office.offer([ask(1), ask(2), ask(3)])
        #expect(offer.endings == [
            .init(requestId: Office.uuid(2), userId: Office.person(2), kind: .failed, reason: "Your account is not active."),
            .init(requestId: Office.uuid(1), userId: Office.person(1), kind: .failed, reason: "You may hold at most 1 desk(s) at the same time."),
        ])
        #expect(offer.bookings == [
            AllocatedBooking(requestId: Office.uuid(3), ownerId: Office.person(3), deskId: Office.desk(2), range: wholeDay),
        ])
    }

    @Test("once the day has ended every waiting request expires; late on the day they fail for want of time")
    func dayEnded() {
        var office = Office(desks: 1)
        office.addPeople(1...2)
        office.now = utc("2026-03-13T00:00:00+01:00")
        let ended = office.offer([ask(2), ask(1)])
        #expect(ended.bookings.isEmpty)
        #expect(ended.endings == [
            .init(requestId: Office.uuid(2), userId: Office.person(2), kind: .expired, reason: WaitlistOffer.dayEndedReason),
            .init(requestId: Office.uuid(1), userId: Office.person(1), kind: .expired, reason: WaitlistOffer.dayEndedReason),
        ])

        office.now = utc("2026-03-12T23:59:00+01:00")
        let late = office.offer([ask(1)])
        #expect(late.bookings.isEmpty)
        #expect(late.endings.map(\.kind) == [.failed])
        #expect(late.endings.map(\.reason) == ["No bookable time is left in your window on 2026-03-12."])
    }
}
