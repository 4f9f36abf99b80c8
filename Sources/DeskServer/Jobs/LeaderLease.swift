import Foundation
import Logging
import PostgresNIO

/// Decides which instance runs the background jobs.
protocol LeaderLease: Sendable {
    /// Takes the lease or confirms it is still held; false while another instance has it (or the database is away).
    func acquire() async -> Bool
    /// Gives the lease up so that another instance takes over at once.
    func release() async
}

/// With SQLite there is one process: it always leads.
struct SingleProcessLease: LeaderLease {
    func acquire() async -> Bool { true }
    func release() async {}
}

/// A PostgreSQL session-level advisory lock held on a connection of its own. When the leader dies its connection
/// closes and PostgreSQL frees the lock; the next `acquire` of another instance then takes it.
actor PostgresAdvisoryLease: LeaderLease {
    private let settings: PostgresSettings
    private let logger: Logger
    private let key: Int64
    private var connection: PostgresConnection?
    private var held = false

    init(settings: PostgresSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        key = settings.key("jobs")
    }

    func acquire() async -> Bool {
        do {
            if connection == nil || connection?.isClosed == true {
                held = false
                connection = try await PostgresConnection.connect(
                    configuration: settings.configuration.coreConfiguration, id: 1, logger: logger)
            }
            guard let connection else { return false }
            if held {
                // Still connected means still holding: the lock lives as long as this session.
                _ = try await connection.query("SELECT 1", logger: logger).collect()
                return true
            }
            let rows = try await connection.query("SELECT pg_try_advisory_lock(\(key)) AS acquired", logger: logger).collect()
            held = try rows.first?.decode(Bool.self) ?? false
            return held
        } catch {
            if held { logger.warning("lost the job lease: \(error)") }
            held = false
            try? await connection?.close()
            connection = nil
            return false
        }
    }

    func release() async {
        if held, let connection {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(key))", logger: logger).collect()
        }
        held = false
        try? await connection?.close()
        connection = nil
    }
}
