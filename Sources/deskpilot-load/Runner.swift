import AsyncHTTPClient
import Foundation

/// What one client saw; merged with the others after the run.
struct ClientOutcome: Sendable {
    var latenciesNanoseconds: [Int64] = []
    var statusCounts: [Int: Int] = [:]
    var transportErrors = 0
    var warmupRequests = 0
    var samples: [String] = []
    var ranOutOfSlots = false
    var lastRecordedCompletion: ContinuousClock.Instant?
}

/// The measured window and every client's outcome.
struct RunOutcome: Sendable {
    let measuredSeconds: Double
    let clients: [ClientOutcome]
}

enum Runner {
    static let sampleLimit = 5
    static let requestTimeoutSeconds: Int64 = 30

    static func run(client: HTTPClient, baseURL: String, fixture: Fixture, slots: [Slot],
                    warmup: Double, duration: Double) async -> RunOutcome {
        let clock = ContinuousClock()
        let began = clock.now
        let warmupEnd = began + .milliseconds(Int64((warmup * 1000).rounded()))
        let end = warmupEnd + .milliseconds(Int64((duration * 1000).rounded()))
        let url = baseURL + "/api/v1/bookings"

        let outcomes = await withTaskGroup(of: ClientOutcome.self) { group in
            for identity in fixture.clients {
                group.addTask {
                    await runClient(client: client, url: url, identity: identity, slots: slots,
                                    warmupEnd: warmupEnd, end: end)
                }
            }
            var all: [ClientOutcome] = []
            all.reserveCapacity(fixture.clients.count)
            for await outcome in group {
                all.append(outcome)
            }
            return all
        }

        let lastCompletion = outcomes.compactMap(\.lastRecordedCompletion).max()
        let measured: Double
        if let lastCompletion, lastCompletion > warmupEnd {
            measured = (lastCompletion - warmupEnd).seconds
        } else {
            measured = duration
        }
        return RunOutcome(measuredSeconds: measured, clients: outcomes)
    }

    /// Books `identity`'s desk slot after slot until the end time or the slots run out.
    static func runClient(client: HTTPClient, url: String, identity: ClientIdentity, slots: [Slot],
                          warmupEnd: ContinuousClock.Instant, end: ContinuousClock.Instant) async -> ClientOutcome {
        let clock = ContinuousClock()
        var outcome = ClientOutcome()
        outcome.latenciesNanoseconds.reserveCapacity(min(slots.count, 2048))

        var template = HTTPClientRequest(url: url)
        template.method = .POST
        template.headers.add(name: "Content-Type", value: "application/json")
        template.headers.add(name: "Accept", value: "application/json")
        template.headers.add(name: "Authorization", value: "Bearer \(identity.token)")
        let bodyPrefix = "{\"desk_id\":\(identity.deskJSON),\"start\":\""

        var index = 0
        while !Task.isCancelled {
            let startedAt = clock.now
            if startedAt >= end { break }
            guard index < slots.count else {
                outcome.ranOutOfSlots = true
                break
            }
            let slot = slots[index]
            index += 1

            var request = template
            let body = bodyPrefix + slot.start + "\",\"end\":\"" + slot.end + "\",\"note\":\"load\"}"
            request.body = .bytes(Array(body.utf8))

            var status = 0
            var responseBody = ""
            var failure: String?
            do {
                let response = try await client.execute(request, timeout: .seconds(requestTimeoutSeconds))
                status = Int(response.status.code)
                let buffer = try await response.body.collect(upTo: 1 << 20)
                if status != 201 {
                    responseBody = String(decoding: buffer.readableBytesView, as: UTF8.self)
                }
            } catch {
                failure = String(describing: error)
            }
            let finishedAt = clock.now

            guard startedAt >= warmupEnd else {
                outcome.warmupRequests += 1
                continue
            }
            outcome.lastRecordedCompletion = finishedAt
            if let failure {
                outcome.transportErrors += 1
                remember("transport error: \(truncated(failure))", in: &outcome.samples)
                continue
            }
            outcome.latenciesNanoseconds.append((finishedAt - startedAt).nanoseconds)
            outcome.statusCounts[status, default: 0] += 1
            if status != 201 {
                remember("HTTP \(status): \(truncated(responseBody))", in: &outcome.samples)
            }
        }
        return outcome
    }

    private static func remember(_ sample: String, in samples: inout [String]) {
        if samples.count < sampleLimit, !samples.contains(sample) {
            samples.append(sample)
        }
    }
}
