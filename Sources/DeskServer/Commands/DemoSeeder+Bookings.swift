import DeskCore
import Foundation

/// The demo's everyday life: people book their desks a few days ahead, most of them on Tuesday to Thursday, some
/// cancel, and on the day they check in — or do not, and the no-show job releases their desk where check-in counts.
extension DemoSeeder {
    /// The share of people who come in, by ISO weekday.
    static let attendance: [Int: Double] = [1: 0.55, 2: 1.0, 3: 1.05, 4: 0.98, 5: 0.4]
    /// Of the people who booked a day, how many cancel it the evening before.
    static let cancellations = 0.04

    /// Schedules each office's working days: the booking a few days ahead, and the morning of the day.
    func scheduleBookingDays(in run: inout Run) {
        for (index, office) in run.offices.enumerated() {
            let calendar = office.calendar
            let today = calendar.date(of: run.present)
            for offset in -Self.historyDays...Self.aheadDays {
                let day = calendar.adding(days: offset, to: today)
                guard office.policy.isOpen(on: day) else { continue }
                // Monday and Tuesday are booked the week before, later days two days ahead.
                let lead = day.isoWeekday <= 2 ? 4 : 2
                let booked = calendar.instant(on: calendar.adding(days: -lead, to: day), at: LocalTime(hour: 10))
                run.timeline.schedule(.book(office: index, day: day), at: min(booked, run.present.addingTimeInterval(-60)))
                run.timeline.schedule(.arrivals(office: index, day: day), at: calendar.instant(on: day, at: LocalTime(hour: 6, minute: 45)))
            }
        }
    }

    /// The people of an office who come in on `day` book it: their own desk when it is free, another one they may use
    /// otherwise. All of the day's bookings go through the booking service's rules together, in one commit.
    func book(_ day: LocalDate, at officeIndex: Int, in run: inout Run, random: inout SeededGenerator) async throws {
        let office = run.offices[officeIndex]
        let calendar = office.calendar
        let today = calendar.date(of: run.present)
        let listed = try await BookingStore(sql: services.transactor.sql).list(
            .rooms(office.rooms.map(\.record.id)), from: calendar.startOfDay(day), to: calendar.startOfDay(calendar.adding(days: 1, to: day)),
            status: .confirmed, limit: 100_000, after: nil)
        var takenDesks = Set(listed.map(\.booking.deskId))
        let present = Set(listed.map(\.booking.userId))
        // Fewer people have decided about days further ahead.
        let ahead = day.daysSinceEpoch - today.daysSinceEpoch
        let rate = (Self.attendance[day.isoWeekday] ?? 0) * (ahead > 10 ? 0.5 : ahead > 7 ? 0.75 : 1)

        var requests: [BookingCommitQueue.Request] = []
        var owners: [Int] = []
        for (index, person) in office.people.enumerated() {
            // Drawn for everyone, so that one person's choice does not change the draws of the others.
            let comes = Double.random(in: 0..<1, using: &random) < rate * person.presence
            let hours = Self.workingHours(random: &random)
            let pick = Double.random(in: 0..<1, using: &random)
            guard comes, !present.contains(person.user.id), !run.automated.contains(person.user.id),
                  !(run.requested[day]?.contains(person.user.id) ?? false)
            else { continue }
            let desk: UUID
            if !takenDesks.contains(person.homeDesk) {
                desk = person.homeDesk
            } else {
                let others = office.rooms.filter { room in room.onlyFor.map(person.groups.contains) ?? true }
                    .flatMap(\.desks).map(\.id)
                    .filter { !takenDesks.contains($0) && (office.permanent[$0] == nil || office.permanent[$0] == person.user.id) }
                guard !others.isEmpty else { continue }
                desk = others[Int(pick * Double(others.count))]
            }
            takenDesks.insert(desk)
            let claim = try await claim(desk, for: person, in: &run)
            let range = TimeRange(uncheckedStart: calendar.instant(on: day, at: hours.start), end: calendar.instant(on: day, at: hours.end))
            requests.append(claim.request(claim.record(for: range, now: services.clock.now()), actor: Actor(userId: person.user.id, ip: nil)))
            owners.append(index)
        }
        let refusals = try await services.bookings.commits.submit(requests, atomic: false)
        for ((request, owner), refusal) in zip(zip(requests, owners), refusals) {
            guard refusal == nil else {
                run.tally.refused += 1
                continue
            }
            run.tally.bookings += 1
            if day == today { run.tally.today += 1 }
            if Double.random(in: 0..<1, using: &random) < Self.cancellations {
                let evening = calendar.instant(on: calendar.adding(days: -1, to: day), at: LocalTime(hour: 17))
                run.timeline.schedule(.cancel(booking: request.record.id, office: officeIndex, person: owner), at: evening)
            }
        }
    }

    /// When someone comes in and for how long: mostly office hours, some half days, early birds and late shifts.
    private static func workingHours(random: inout SeededGenerator) -> (start: LocalTime, end: LocalTime) {
        let shape = Double.random(in: 0..<1, using: &random)
        let starts = [LocalTime(hour: 8), LocalTime(hour: 8, minute: 30), LocalTime(hour: 9), LocalTime(hour: 9), LocalTime(hour: 9, minute: 30),
                      LocalTime(hour: 10)]
        let start: LocalTime, minutes: Int
        switch shape {
        case ..<0.05: (start, minutes) = (LocalTime(hour: 7), 480)
        case ..<0.10: (start, minutes) = (LocalTime(hour: 12), 480)
        case ..<0.18: (start, minutes) = ([LocalTime(hour: 9), LocalTime(hour: 13)].randomElement(using: &random)!, 240)
        default: (start, minutes) = (starts.randomElement(using: &random)!, [480, 510, 540, 450].randomElement(using: &random)!)
        }
        return (start, try! LocalTime(minutes: start.minutes + minutes))
    }

    /// A person's checked claim on a desk, made once: who may book it for whom does not change during the demo.
    private func claim(_ desk: UUID, for person: Person, in run: inout Run) async throws -> BookingService.Claim {
        let key = DeskAndPerson(desk: desk, person: person.user.id)
        if let claim = run.claims[key] { return claim }
        let claim = try await services.bookings.claim(desk: desk, note: "", onBehalfOf: nil, source: .web, by: person.viewer)
        run.claims[key] = claim
        return claim
    }

    /// The morning of a day: people check in a few minutes after they arrive. Where the location requires it almost
    /// everyone does, and the no-show job releases the others' desks once the grace period is over; elsewhere people
    /// check in today only now and then, as check-in is optional there.
    func arrivals(_ day: LocalDate, at officeIndex: Int, in run: inout Run, random: inout SeededGenerator) async throws {
        let office = run.offices[officeIndex]
        let calendar = office.calendar
        let isToday = day == calendar.date(of: run.present)
        let required = office.policy.checkInRequired
        guard required || isToday else { return }
        let listed = try await BookingStore(sql: services.transactor.sql).list(
            .rooms(office.rooms.map(\.record.id)), from: calendar.startOfDay(day), to: calendar.startOfDay(calendar.adding(days: 1, to: day)),
            status: .confirmed, limit: 100_000, after: nil)
        for entry in listed {
            let booking = entry.booking
            guard let person = office.people.firstIndex(where: { $0.user.id == booking.userId }) else { continue }
            let roll = Double.random(in: 0..<1, using: &random)
            let arrival = booking.startAt.addingTimeInterval(Double(Int.random(in: -10...20, using: &random)) * 60)
            if roll < (required ? 0.9 : 0.7) {
                run.timeline.schedule(.checkIn(booking: booking.id, office: officeIndex, person: person), at: arrival)
            } else if required {
                let graceOver = booking.startAt.addingTimeInterval(Double(office.policy.checkInGraceMinutes * 60 + 60))
                run.timeline.schedule(.releaseNoShows, at: graceOver)
            }
        }
    }

    func checkIn(_ booking: UUID, by person: Person, in run: inout Run) async throws {
        do {
            _ = try await services.bookings.checkIn(booking, by: person.viewer, actor: Actor(userId: person.user.id, ip: nil))
            run.tally.checkIns += 1
        } catch let error as DomainError where error.kind == .conflict || error.kind == .notFound {
            // Cancelled or released meanwhile: nothing to check in to.
        }
    }

    func cancel(_ booking: UUID, by person: Person) async throws {
        do {
            _ = try await services.bookings.cancel(booking, by: person.viewer, actor: Actor(userId: person.user.id, ip: nil))
        } catch let error as DomainError where error.kind == .conflict || error.kind == .notFound {
            // Gone already.
        }
    }
}
