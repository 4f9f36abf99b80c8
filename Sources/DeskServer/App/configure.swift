import DeskCore
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import JWT
import Vapor

/// Builds the application: database, migrations, services, middleware and routes. Tests call this too.
public func configure(_ app: Application, config: AppConfig, clock: WallClock = .system) async throws {
    try FileManager.default.createDirectory(at: config.dataDirectory, withIntermediateDirectories: true)
    app.http.server.configuration.hostname = config.host
    app.http.server.configuration.port = config.port
    app.routes.defaultMaxBodySize = ByteCount(value: Request.maximumJSONBytes)
    JSONCoding.install()

    switch config.database {
    case .sqlite(let path):
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .postgres(let url):
        var postgres = try SQLPostgresConfiguration(url: url)
        // `?search_path=a,b` picks the schema (PostgresKit does not read it from the URL itself).
        if let path = URLComponents(string: url)?.queryItems?.first(where: { $0.name == "search_path" })?.value {
            postgres.searchPath = path.split(separator: ",").map(String.init)
        }
        app.databases.use(.postgres(configuration: postgres, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(30)), as: .psql)
    }
    app.migrations.add(MigrationList.all)
    if case .sqlite = config.database {
        // WAL lets readers run while the single writer commits; NORMAL sync is durable across app crashes.
        let sql = app.db as! any SQLDatabase
        try await sql.raw("PRAGMA journal_mode = WAL").run()
        for eventLoop in app.eventLoopGroup.makeIterator() {
            let connection = app.databases.database(logger: app.logger, on: eventLoop)! as! any SQLDatabase
            try await connection.raw("PRAGMA synchronous = NORMAL").run()
        }
    }

    let keys = JWTKeyCollection()
    await keys.add(hmac: HMACKey(from: try SigningSecret.load(config: config)), digestAlgorithm: .sha256)
    app.services = AppServices(config: config, database: app.db, clock: clock, threadPool: app.threadPool, keys: keys)

    app.middleware = Middlewares()
    app.middleware.use(ProblemMiddleware())
    try routes(app)
}

/// The HS256 secret for access tokens: from the environment, or generated once into the data directory (mode 0600).
enum SigningSecret {
    static func load(config: AppConfig) throws -> String {
        if let secret = config.jwtSecret { return secret }
        let file = config.dataDirectory.appendingPathComponent("jwt-secret")
        if let existing = try? String(contentsOf: file, encoding: .utf8), existing.utf8.count >= 32 {
            return existing.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let secret = Secrets.randomToken(bytes: 48)
        guard FileManager.default.createFile(atPath: file.path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw AppConfig.Invalid(setting: "DESKPILOT_DATA_DIR", problem: "cannot write \(file.path)")
        }
        return secret
    }
}
