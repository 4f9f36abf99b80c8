import DeskCore
import Foundation

/// Times one allocation round of a large office, persistence included: `deskpilot bench-round`. It fills an empty
/// database with a location of `desks` desks in rooms of 100 and `requests` people who each filed a request for the
/// day that opens next (three ranked preferences among the 10 % most wanted desks, any other desk accepted), then
/// runs that day's round the way the release-time job does and reports how long it took.
struct RoundBenchmark {
    let services: AppServices

    func run(requests: Int, desks: Int, seed: UInt64) async throws -> String {
        let office = try await BenchmarkOffice.make(services, desks: desks, people: requests, command: "bench-round")
        let (location, deskRecords, users) = (office.location, office.desks, office.people)
        let now = services.clock.now()
        let calendar = ZonedCalendar(timeZone: location.timeZone)
        let day = AutopilotPlanning.nextDayToOpen(policy: location.effectivePolicy, calendar: calendar, now: now)
        var generator = SplitMix(state: seed)
        let popular = max(1, desks / 10)
        let records = try users.map { user in
            var preferred: [UUID] = []
            while preferred.count < min(3, popular) {
                let desk = deskRecords[Int(generator.next() % UInt64(popular))].id
                if !preferred.contains(desk) { preferred.append(desk) }
            }
            let criteria = String(decoding: try JSONEncoder.snakeCase.encode(DeskCriteria(preferredDesks: preferred)), as: UTF8.self)
            return AllocationRequestRecord(id: UUID(), userId: user.id, locationId: location.id, day: day.description, criteria: criteria,
                                           windowFrom: nil, windowUntil: nil, source: .api, ruleId: nil, status: .pending, reason: nil,
                                           deskId: nil, bookingId: nil, waitlistRank: nil, createdAt: now, updatedAt: now)
        }
        try await services.transactor.write { sql in
            try await RequestStore(sql: sql).insert(records)
            return .unannounced
        }

        let clock = ContinuousClock()
        let started = clock.now
        let outcome = try await services.allocation.runRound(AllocationDay(locationId: location.id, day: day), trigger: .admin)
        let elapsed = clock.now - started
        guard case .ran = outcome else { throw CommandError("the round did not run: \(outcome)") }
        let booked = try await BookingStore(sql: services.transactor.sql).count(.confirmed)
        let waiting = try await RequestStore(sql: services.transactor.sql).count(.waitlisted)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return String(format: "round of %d requests over %d desks: %.1f ms (%d booked, %d waitlisted)",
                      requests, desks, milliseconds, booked, waiting)
    }
}

/// SplitMix64, so a benchmark's data is the same from run to run.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
