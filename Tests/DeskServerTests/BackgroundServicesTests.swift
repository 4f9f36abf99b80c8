@testable import DeskServer
import Foundation
import NIOConcurrencyHelpers
import Testing

/// A service that writes down when it is started and stopped.
private struct Recorder: BackgroundService {
    let name: String
    let log: NIOLockedValueBox<[String]>

    func start() { log.withLockedValue { $0.append("start \(name)") } }
    func stop() async { log.withLockedValue { $0.append("stop \(name)") } }
}

@Suite("Background services")
struct BackgroundServicesTests {
    @Test("services start in order, each at its moment, and all stop in reverse order")
    func order() async {
        let log = NIOLockedValueBox([String]())
        let services = BackgroundServices([
            .service(Recorder(name: "bridge", log: log), startsWhen: .serving),
            .service(Recorder(name: "engine", log: log), startsWhen: .configured),
            .service(Recorder(name: "scheduler", log: log), startsWhen: .serving),
            .service(Recorder(name: "hub", log: log), startsWhen: .configured),
        ])
        services.start(.configured)
        #expect(log.withLockedValue { $0 } == ["start engine", "start hub"])
        services.start(.serving)
        await services.stop()
        #expect(log.withLockedValue { $0 } == [
            "start engine", "start hub", "start bridge", "start scheduler",
            "stop hub", "stop scheduler", "stop engine", "stop bridge",
        ])
    }

    @Test("the application stops live sockets first, then the jobs, then what the jobs feed")
    func applicationOrder() async throws {
        try await withServer { server in
            let names = server.services.background.entries.map { String(describing: type(of: $0.service)) }
            let expected = ["AutopilotEngine", "WaitlistDispatcher", "DeskStatusWatcher", "Scheduler", "DeliveryWorker", "RealtimeHub"]
            #expect(names == (TestDatabase.isPostgres ? ["PostgresEventBridge"] : []) + expected)
            let serving = server.services.background.entries.filter { $0.start == .serving }.map { String(describing: type(of: $0.service)) }
            #expect(serving == (TestDatabase.isPostgres ? ["PostgresEventBridge"] : []) + ["Scheduler", "DeliveryWorker"])
        }
    }

    @Test("after the application stops, the autopilot and the waitlist take no more work")
    func stoppedServicesRefuseWork() async throws {
        await TestServerSlots.shared.acquire()
        defer { Task { await TestServerSlots.shared.release() } }
        let server = try await TestServer.start(now: Fixture.defaultNow)
        let services = server.services
        try await server.shutdown()
        let ran = NIOLockedValueBox(false)
        services.autopilot.engine.resolving { ran.withLockedValue { $0 = true } }
        await services.autopilot.engine.idle()
        await services.allocation.waitlist.idle()
        #expect(ran.withLockedValue { $0 } == false)
    }
}
