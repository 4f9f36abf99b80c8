import DeskCore
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import JWT
import Leaf
import Vapor

/// Builds the application: database, migrations, services, middleware and routes. Tests call this too.
public func configure(_ app: Application, config: AppConfig, clock: WallClock = .system) async throws {
    try FileManager.default.createDirectory(at: config.dataDirectory, withIntermediateDirectories: true)
    app.http.server.configuration.hostname = config.host
    app.http.server.configuration.port = config.port
    app.routes.defaultMaxBodySize = ByteCount(value: Request.maximumJSONBytes)
    JSONCoding.install()

    var sqliteWriter: (any SQLDatabase)?
    var postgres: PostgresSettings?
    switch config.database {
    case .sqlite(let path):
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
        // The writer gets a thread and an event loop of its own, so that its round trips never queue behind
        // request handling: every booking waits for it.
        let writerThreads = NIOThreadPool(numberOfThreads: 1)
        writerThreads.start()
        let writerLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let writer = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: writerThreads, logger: app.logger, on: writerLoop.next())
        app.lifecycle.use(ClosesOnShutdown(connection: writer, threadPool: writerThreads, eventLoopGroup: writerLoop))
        sqliteWriter = writer.sql()
    case .postgres(let url):
        let settings = try PostgresSettings(url: url)
        postgres = settings
        app.databases.use(.postgres(configuration: settings.configuration, maxConnectionsPerEventLoop: 4,
                                    connectionPoolTimeout: .seconds(30)), as: .psql)
    }
    app.migrations.add(MigrationList.all)
    if let writer = sqliteWriter {
        try await SQLiteSettings.apply(to: writer)
    }

    if postgres != nil, config.jwtSecret == nil {
        // Advice, not a warning: one instance with its generated key is a valid set-up.
        app.logger.notice("Sessions are signed with the key in the data directory. To serve this database from several instances, give each the same DESKPILOT_JWT_SECRET.")
    }
    let keys = JWTKeyCollection()
    await keys.add(hmac: HMACKey(from: try SigningSecret.load(config: config)), digestAlgorithm: .sha256)
    if postgres != nil, config.secretKeys == nil {
        app.logger.notice("Secrets are sealed with the keys in the data directory. To serve this database from several instances, give each the same DESKPILOT_SECRET_KEYS.")
    }
    let vault = Vault(keyring: try Keyring.load(configured: config.secretKeys, dataDirectory: config.dataDirectory)) {
        try Keyring.load(configured: config.secretKeys, dataDirectory: config.dataDirectory)
    }
    let mailer = try config.smtp.map { try SMTPMailer(configuration: $0, logger: app.logger) }
    app.services = AppServices(
        config: config, database: app.db, sqliteWriter: sqliteWriter, postgres: postgres, clock: clock, threadPool: app.threadPool,
        keys: keys, vault: vault, mailer: mailer, logger: app.logger)
    Reactions.install(app.services, logger: app.logger)
    // One server for the application's lifetime (Vapor asks the factory on every use of `app.server`).
    let server = GuardedHTTPServer(application: app, limits: config.http, drain: app.services.drain, metrics: app.services.metrics)
    app.servers.use { _ in server }
    // Live delivery, the autopilot, the waitlist and desk statuses run in every process (tests, commands); the jobs
    // and the link to other instances only while serving.
    app.services.background.start(.configured)
    app.lifecycle.use(StopsBackgroundWork())

    app.middleware = Middlewares()
    app.middleware.use(RequestObserver(metrics: app.services.metrics))
    // Outside the problem mapping, so that error answers carry the headers too.
    app.middleware.use(SecurityHeaders())
    app.middleware.use(ProblemMiddleware())
    // Pages and their files are compiled into the binary (or read from DESKPILOT_WEB_DIR while developing them).
    let assets = config.webDirectory.map(WebAssets.directory) ?? WebAssets.embedded()
    app.middleware.use(PublicFiles(assets: assets))
    app.leaf.sources = .singleSource(TemplateSource(assets: assets))
    // Templates read from source folders must show edits (Leaf would cache them when run as production).
    app.leaf.cache.isEnabled = assets.isEmbedded
    app.views.use(.leaf)
    try routes(app)
}

/// Stops the background services in reverse start order (closing live-update sockets first and giving up the jobs'
/// lease) before the databases close. A service already stopped (by `serve`) is not disturbed.
struct StopsBackgroundWork: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        await application.services.background.stop()
        await application.services.webhookSender.shutdown()
        await application.services.mailer?.shutdown()
    }
}

/// Closes the SQLite write connection, and stops its thread and event loop, when the application stops.
struct ClosesOnShutdown: LifecycleHandler {
    let connection: SQLiteConnection
    let threadPool: NIOThreadPool
    let eventLoopGroup: MultiThreadedEventLoopGroup

    func shutdownAsync(_ application: Application) async {
        try? await connection.close()
        try? await threadPool.shutdownGracefully()
        try? await eventLoopGroup.shutdownGracefully()
    }
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
