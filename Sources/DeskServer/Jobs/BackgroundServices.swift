/// The application's background services in start order. Each starts with the application (tests and every command
/// have it) or only while serving (the job scheduler, the link to other instances); `stop()` stops them all in reverse
/// order, so that a service still runs while those started after it finish, and one lifecycle handler calls it.
final class BackgroundServices: Sendable {
    enum Start: Sendable {
        /// When the application is configured.
        case configured
        /// When `serve` starts serving.
        case serving
    }

    struct Entry: Sendable {
        let service: any BackgroundService
        let start: Start
    }

    let entries: [Entry]

    init(_ entries: [Entry]) {
        self.entries = entries
    }

    /// Starts, in order, the services that start at `moment`.
    func start(_ moment: Start) {
        for entry in entries where entry.start == moment { entry.service.start() }
    }

    /// Stops every service, the last one first.
    func stop() async {
        for entry in entries.reversed() { await entry.service.stop() }
    }
}

extension BackgroundServices.Entry {
    static func service(_ service: any BackgroundService, startsWhen start: BackgroundServices.Start) -> Self {
        Self(service: service, start: start)
    }
}

extension RealtimeHub: BackgroundService {
    /// Closes the live sockets and stops delivering.
    func stop() async {
        await shutdown()
    }
}
