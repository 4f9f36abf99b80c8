import AsyncHTTPClient
import Foundation

/// What one client saw; merged with the others after the run.
struct ClientOutcome: Sendable {
    var latenciesNanoseconds: [Int64] = []
    var statusCounts: [Int: Int] = [:]
    var transportErrors = 0
    var warmupRequests = 0
    var samples: [String] = []
    /// Body bytes of the recorded responses.
    var responseBytes = 0
    /// The workload had no request left before the end time (bookings: all slots booked).
    var ranOut = false
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
    /// Enough of an unexpected body for a sample; the rest is only counted.
    static let sampleBodyLimit = 2048

    static func run<W: Workload>(client: HTTPClient, workloads: [W], warmup: Double, duration: Double) async -> RunOutcome {
        let clock = ContinuousClock()
        let began = clock.now
        let warmupEnd = began + .milliseconds(Int64((warmup * 1000).rounded()))
        let end = warmupEnd + .milliseconds(Int64((duration * 1000).rounded()))

        let outcomes = await withTaskGroup(of: ClientOutcome.self) { group in
            for workload in workloads {
                group.addTask {
                    await runClient(client: client, workload: workload, warmupEnd: warmupEnd, end: end)
                }
            }
            var all: [ClientOutcome] = []
            all.reserveCapacity(workloads.count)
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

    /// Sends the workload's requests one at a time until the end time or until it has none left.
    static func runClient<W: Workload>(client: HTTPClient, workload: W, warmupEnd: ContinuousClock.Instant,
                                       end: ContinuousClock.Instant) async -> ClientOutcome {
        let clock = ContinuousClock()
        var workload = workload
        var outcome = ClientOutcome()
        outcome.latenciesNanoseconds.reserveCapacity(2048)

        while !Task.isCancelled {
            let startedAt = clock.now
            if startedAt >= end { break }
            guard let request = workload.next() else {
                outcome.ranOut = true
                break
            }

            var status = 0
            var bytes = 0
            var unexpectedBody = ""
            var failure: String?
            do {
                let response = try await client.execute(request, timeout: .seconds(requestTimeoutSeconds))
                status = Int(response.status.code)
                // Read every byte but decode nothing: the server's cost is what is measured, not the client's.
                for try await chunk in response.body {
                    bytes += chunk.readableBytes
                    if status != W.expectedStatus, unexpectedBody.utf8.count < sampleBodyLimit {
                        unexpectedBody += String(decoding: chunk.readableBytesView, as: UTF8.self)
                    }
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
            outcome.responseBytes += bytes
            if status != W.expectedStatus {
                remember("HTTP \(status): \(truncated(unexpectedBody))", in: &outcome.samples)
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
