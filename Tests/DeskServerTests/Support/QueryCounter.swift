@testable import DeskServer
import Logging
import NIOConcurrencyHelpers

/// Counts the SQL statements the database drivers log ("Executing query", at debug level) while a block runs;
/// otherwise logs warnings and worse like the default handler.
struct QueryCounter: LogHandler {
    final class Box: Sendable {
        let state = NIOLockedValueBox((counting: false, count: 0))
    }

    let box: Box
    private var stream = StreamLogHandler.standardError(label: "deskpilot-test")
    var metadata: Logger.Metadata = [:]

    init(box: Box) {
        self.box = box
    }

    var logLevel: Logger.Level {
        get { box.state.withLockedValue { $0.counting } ? .debug : .warning }
        set {}
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        if event.metadata?["sql"] != nil {
            box.state.withLockedValue { if $0.counting { $0.count += 1 } }
        }
        if event.level >= .warning { stream.log(event: event) }
    }

    /// The statements `body` runs; runs it twice and counts the second time, so that caches are equally warm.
    static func count(_ server: TestServer, _ body: () async throws -> Void) async throws -> Int {
        try await body()
        server.queryLog.state.withLockedValue { $0 = (true, 0) }
        defer { server.queryLog.state.withLockedValue { $0.counting = false } }
        try await body()
        return server.queryLog.state.withLockedValue { $0.count }
    }
}
