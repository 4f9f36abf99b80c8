import FluentPostgresDriver
import Foundation

/// A PostgreSQL URL read once: the pool's configuration and, for the dedicated connections of the job lease and the
/// event bridge, a name for this installation's schema (advisory locks and NOTIFY channels are database-wide, so two
/// installations in different schemas of one database must not share them).
struct PostgresSettings: Sendable {
    let configuration: SQLPostgresConfiguration
    /// The schema search path, e.g. `public` or `tenant_a,public`.
    let scope: String

    init(url: String) throws {
        var configuration = try SQLPostgresConfiguration(url: url)
        // `?search_path=a,b` picks the schema (PostgresKit does not read it from the URL itself).
        if let path = URLComponents(string: url)?.queryItems?.first(where: { $0.name == "search_path" })?.value {
            configuration.searchPath = path.split(separator: ",").map(String.init)
        }
        self.configuration = configuration
        scope = configuration.searchPath?.joined(separator: ",") ?? "public"
    }

    /// A stable 64-bit number for a name within this scope (FNV-1a), for advisory lock keys and channel names.
    func key(_ name: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(scope)/\(name)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
