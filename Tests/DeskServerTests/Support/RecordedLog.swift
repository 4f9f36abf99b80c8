import Logging
import NIOConcurrencyHelpers

/// A logger whose lines are kept for the test to read instead of printed: deliberate failures stay out of the output.
final class RecordedLog: Sendable {
    private let lines = NIOLockedValueBox<[(level: Logger.Level, message: String)]>([])

    var logger: Logger {
        Logger(label: "test") { _ in Handler(log: self) }
    }

    func messages(at level: Logger.Level) -> [String] {
        lines.withLockedValue { $0.filter { $0.level == level }.map(\.message) }
    }

    private struct Handler: LogHandler {
        let log: RecordedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            log.lines.withLockedValue { $0.append((event.level, "\(event.message)")) }
        }
    }
}
