import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import WebSocketKit

/// Live-update fan-out: `--clients` WebSocket clients, each with its own user, follow one room; another user makes
/// bookings in that room one at a time. For every booking, each client's delivery latency is the time from sending
/// `POST /api/v1/bookings` until that client's `booking.created` frame with the new booking's id arrived.
enum FanoutScenario {
    /// Sockets being opened and subscribed at once.
    static let connectWidth = 64
    /// Per client: connect, upgrade and `subscribed` answer.
    static let subscribeTimeout: TimeAmount = .seconds(60)
    /// The whole connect phase.
    static let connectPhaseTimeout: Duration = .seconds(300)
    /// A round ends when every client has the frame, or after this long from sending the booking.
    static let roundTimeout: Duration = .seconds(10)
    /// Waiting for the sockets to close at the end.
    static let closeTimeout: Duration = .seconds(15)
    static let bookingTimeoutSeconds: Int64 = 30

    struct Round: Sendable {
        let number: Int
        let recorded: Bool
        /// HTTP status of the booking; 0 on a transport error.
        let status: Int
        let bookingId: BookingKey?
        /// From sending the booking to its response having been read.
        let createdNanoseconds: Int64
        /// Per-client delivery latencies of the clients that had the frame within the round, ascending.
        let latencies: [Int64]
        let missed: Int
        let problem: String?
    }

    static func run(client: HTTPClient, options: LoadOptions, local: LocalDays) async throws {
        let clock = ContinuousClock()
        let began = clock.now
        guard let url = URL(string: options.baseURL), url.scheme?.lowercased() == "http", let host = url.host else {
            throw LoadError("the fanout scenario needs an http:// --base-url (it opens ws:// sockets)")
        }
        let port = url.port ?? 80
        checkFileDescriptors(clients: options.clients)

        let api = API(client: client, baseURL: options.baseURL)
        // The booker makes every round's booking; wide limits keep it clear of the per-person quota and horizon.
        let site = try await Setup.site(api: api, options: options,
                                        policy: ["max_upcoming_per_user": 10_000, "max_advance_days": 365])
        let totalRounds = options.warmupRounds + options.rounds
        let desks = try await Setup.createDesks(api: api, site: site, count: totalRounds)
        let users = try await Setup.createUsers(api: api, site: site, count: options.clients + 1)
        let booker = users[options.clients]
        let slots = Slots.make(local: local)
        guard slots.count >= totalRounds else {
            throw LoadError("only \(slots.count) booking slots for \(totalRounds) rounds in time zone \(options.timezone)")
        }
        Output.err("setup: done in \(format(seconds: (clock.now - began).seconds, digits: 1)) s")

        // One group of System.coreCount event loops carries every socket and the booking requests.
        let group = MultiThreadedEventLoopGroup.singleton
        let webSockets = WebSocketClient(eventLoopGroupProvider: .shared(group),
                                         configuration: .init(maxFrameSize: 1 << 16))
        let counter = FrameCounter()
        let clients = (0..<options.clients).map { FanoutClient(index: $0, roomId: site.room.text, counter: counter) }

        let connectBegan = clock.now
        Output.err("connect: \(clients.count) sockets to ws://\(host):\(port)/api/v1/ws, \(connectWidth) at a time, "
            + "each subscribing to room:\(site.room.text)")
        let connectSeconds: Double
        let rounds: [Round]
        do {
            // Each client gives up after `subscribeTimeout`; no new one starts after the phase's deadline.
            let phaseDeadline = connectBegan + connectPhaseTimeout
            _ = try await boundedMap(count: clients.count, width: connectWidth) { index in
                guard ContinuousClock.now < phaseDeadline else {
                    throw LoadError("connecting and subscribing \(clients.count) clients took longer than "
                        + "\(Int(connectPhaseTimeout.seconds)) s (\(index) started)")
                }
                try await clients[index].start(client: webSockets, host: host, port: port, token: users[index].token,
                                               on: group.next(), timeout: subscribeTimeout).get()
            }
            connectSeconds = (clock.now - connectBegan).seconds
            Output.err("connect: all \(clients.count) clients subscribed in \(format(seconds: connectSeconds, digits: 1)) s")
            rounds = try await play(rounds: totalRounds, options: options, client: client, booker: booker,
                                    desks: desks, slots: slots, clients: clients, counter: counter)
        } catch {
            await close(clients)
            throw error
        }

        // Frames that came after their round ended: late, not lost.
        try await Task.sleep(for: .seconds(1))
        var late = 0
        for round in rounds where round.missed > 0 {
            guard let id = round.bookingId else { continue }
            late += clients.filter { $0.arrival(of: id) != nil }.count
        }
        let missingClients = clients.filter { client in
            rounds.contains { round in round.bookingId.map { client.arrival(of: $0) == nil } ?? false }
        }.count
        let otherFrames = clients.reduce(0) { $0 + $1.otherFrames }
        let closedEarly = clients.filter(\.closedEarly).count
        await close(clients)

        let result = FanoutReport.build(options: options, rounds: rounds, connectSeconds: connectSeconds,
                                        lateDeliveries: late, clientsMissingEvents: missingClients,
                                        otherFrames: otherFrames, closedEarly: closedEarly)
        Output.out(FanoutReport.humanReadable(result))
        Output.out(try FanoutReport.jsonLine(result))
    }

    /// The bookings, one at a time, each waited for until every client has its frame (or the round times out).
    static func play(rounds total: Int, options: LoadOptions, client: HTTPClient, booker: LoadUser, desks: [EntityID],
                     slots: [Slot], clients: [FanoutClient], counter: FrameCounter) async throws -> [Round] {
        let clock = ContinuousClock()
        var template = HTTPClientRequest(url: options.baseURL + "/api/v1/bookings")
        template.method = .POST
        template.headers.add(name: "Content-Type", value: "application/json")
        template.headers.add(name: "Accept", value: "application/json")
        template.headers.add(name: "Authorization", value: "Bearer \(booker.token)")
        Output.err("run: \(options.warmupRounds) warm-up and \(options.rounds) recorded bookings, "
            + "\(options.intervalMilliseconds) ms apart")

        var rounds: [Round] = []
        for index in 0..<total {
            let recorded = index >= options.warmupRounds
            let number = recorded ? index - options.warmupRounds + 1 : index + 1
            let label = recorded ? "round \(number)/\(options.rounds)" : "warm-up \(number)/\(options.warmupRounds)"
            var request = template
            let body = "{\"desk_id\":\(desks[index].json),\"start\":\"\(slots[index].start)\","
                + "\"end\":\"\(slots[index].end)\",\"note\":\"fanout\"}"
            request.body = .bytes(Array(body.utf8))

            let framesBefore = counter.value
            let sentAt = clock.now
            var status = 0
            var reply = ""
            do {
                let response = try await client.execute(request, timeout: .seconds(bookingTimeoutSeconds))
                status = Int(response.status.code)
                let buffer = try await response.body.collect(upTo: 1 << 20)
                reply = String(decoding: buffer.readableBytesView, as: UTF8.self)
            } catch {
                reply = "transport error: \(error)"
            }
            let createdNanoseconds = (clock.now - sentAt).nanoseconds
            let bookingId = status == 201 ? bookingIdentifier(in: reply) : nil
            guard let bookingId else {
                let problem = status == 0 ? reply : "HTTP \(status): \(reply)"
                Output.err("\(label): booking failed: \(truncated(problem))")
                rounds.append(Round(number: number, recorded: recorded, status: status, bookingId: nil,
                                    createdNanoseconds: createdNanoseconds, latencies: [], missed: 0,
                                    problem: truncated(problem)))
                try await Task.sleep(for: .milliseconds(options.intervalMilliseconds))
                continue
            }

            // Polling only decides when to look; the times were taken by the clients as the frames arrived.
            let deadline = sentAt + roundTimeout
            while counter.value < framesBefore + clients.count, clock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            var latencies: [Int64] = []
            latencies.reserveCapacity(clients.count)
            var missed = 0
            for fanoutClient in clients {
                if let arrival = fanoutClient.arrival(of: bookingId) {
                    latencies.append((arrival - sentAt).nanoseconds)
                } else {
                    missed += 1
                }
            }
            latencies.sort()
            let round = Round(number: number, recorded: recorded, status: status, bookingId: bookingId,
                              createdNanoseconds: createdNanoseconds, latencies: latencies, missed: missed, problem: nil)
            rounds.append(round)
            Output.err("\(label): " + FanoutReport.describe(round, clients: clients.count))
            try await Task.sleep(for: .milliseconds(options.intervalMilliseconds))
        }
        return rounds
    }

    /// The `id` of a created booking's JSON answer.
    static func bookingIdentifier(in body: String) -> BookingKey? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let text = object["id"] as? String
        else { return nil }
        return BookingKey(text)
    }

    /// Closes every socket normally and waits, bounded, for the server to confirm.
    static func close(_ clients: [FanoutClient]) async {
        for client in clients { client.stop() }
        let clock = ContinuousClock()
        let deadline = clock.now + closeTimeout
        var open = clients.filter { !$0.isClosed }.count
        while open > 0, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
            open = clients.filter { !$0.isClosed }.count
        }
        if open > 0 {
            Output.err("close: \(open) sockets did not close within \(Int(closeTimeout.seconds)) s; leaving them")
        } else {
            Output.err("close: all sockets closed")
        }
    }

    /// Warns when the open-file limit is too low for the sockets (each client needs one descriptor).
    static func checkFileDescriptors(clients: Int) {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return }
        let needed = rlim_t(clients + 256)
        if limit.rlim_cur < needed {
            if limit.rlim_max >= needed {  // RLIM_INFINITY is the largest value
                limit.rlim_cur = needed
                if setrlimit(resource, &limit) == 0 {
                    Output.err("setup: raised the open-file limit to \(needed) for \(clients) sockets")
                    return
                }
            }
            Output.err("setup: warning: the open-file limit is \(limit.rlim_cur), about \(needed) are needed for "
                + "\(clients) sockets (raise it with ulimit -n; the server needs as many)")
        }
    }
}
