import Foundation
import NIOCore

/// Who may create an account without an administrator.
public enum RegistrationMode: Equatable, Sendable {
    case closed
    case open
    /// Only addresses in these e-mail domains (lower-cased).
    case domains(Set<String>)

    init?(parsing text: String) {
        switch text.lowercased().trimmingCharacters(in: .whitespaces) {
        case "", "closed": self = .closed
        case "open": self = .open
        case let list:
            let domains = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !domains.isEmpty, domains.allSatisfy({ $0.contains(".") && !$0.contains("@") && !$0.contains(" ") }) else {
                return nil
            }
            self = .domains(Set(domains))
        }
    }
}

/// Which database to run on.
public enum DatabaseTarget: Equatable, Sendable {
    case sqlite(path: String)
    case postgres(url: String)
}

/// Every setting of the server, loaded and validated once at start-up.
public struct AppConfig: Sendable {
    public var host: String
    public var port: Int
    public var baseURL: URL
    public var dataDirectory: URL
    public var database: DatabaseTarget
    public var registration: RegistrationMode
    public var adminUsername: String?
    public var adminPassword: String?
    /// HS256 signing secret for access tokens; generated into the data directory when not given.
    public var jwtSecret: String?
    /// Lower bcrypt cost makes tests fast; production keeps the default.
    public var bcryptCost: Int = 12
    /// A live-update socket that answers nothing for this long is closed (the server pings at half this interval).
    public var webSocketIdleTimeout: Int = 60
    /// Outgoing live-update frames a client may leave unread before it is disconnected.
    public var webSocketQueueLimit: Int = 256
    /// How often the leader runs each background job's tick, in seconds.
    public var jobInterval: Double = 5
    /// Log lines as JSON objects (`json`) or as text (`text`).
    public var logFormat: LogFormat = .text
    /// Addresses of reverse proxies whose `X-Forwarded-For` names the real client.
    public var trustedProxies: Set<String> = []
    /// Autopilot rules a person may have unless an administrator sets their own limit.
    public var autopilotRulesPerUser: Int = 5
    /// Autopilot rules the whole server keeps at most.
    public var autopilotRulesTotal: Int = 50_000
    /// Where the web app's `Public` and `Resources/Views` are read from during development; `nil` serves the copies
    /// compiled into the binary.
    public var webDirectory: URL?
    /// Timeouts, connection cap and drain of the HTTP server.
    public var http = HTTPLimits()
    /// The mail server (`DESKPILOT_SMTP_URL`, `DESKPILOT_MAIL_FROM`); `nil` when e-mail is not offered.
    public var smtp: SMTPConfiguration?
    /// Webhooks may call loopback and private addresses (`DESKPILOT_WEBHOOK_ALLOW_PRIVATE=true`: tests and on-premises
    /// receivers); metadata addresses stay refused.
    public var webhookAllowPrivate = false
    /// Notifications stay in the inbox this many days (`DESKPILOT_NOTIFICATION_RETENTION_DAYS`).
    public var notificationRetentionDays = 90
    /// The vault's keys (`DESKPILOT_SECRET_KEYS`, `version:base64key` pairs); nil: the key file in the data directory.
    public var secretKeys: String?

    public enum LogFormat: String, Sendable {
        case text, json
    }

    /// A bad setting, named so the operator can fix it.
    public struct Invalid: Error, CustomStringConvertible {
        public let setting: String
        public let problem: String
        public var description: String { "invalid setting \(setting): \(problem)" }
    }

    /// Reads the environment (CLI flags are applied by the caller as overrides of the same names).
    public static func load(from environment: [String: String]) throws -> AppConfig {
        func value(_ key: String) -> String? {
            guard let raw = environment[key]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        let host = value("DESKPILOT_HOST") ?? "127.0.0.1"
        let portText = value("DESKPILOT_PORT") ?? "8080"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw Invalid(setting: "DESKPILOT_PORT", problem: "'\(portText)' is not a port number (1-65535)")
        }
        let baseText = value("DESKPILOT_BASE_URL") ?? "http://\(host):\(port)"
        guard let baseURL = URL(string: baseText), ["http", "https"].contains(baseURL.scheme ?? ""), baseURL.host != nil else {
            throw Invalid(setting: "DESKPILOT_BASE_URL", problem: "'\(baseText)' is not an http(s) URL")
        }
        let dataDirectory = URL(fileURLWithPath: value("DESKPILOT_DATA_DIR") ?? "./data", isDirectory: true).standardizedFileURL

        let database: DatabaseTarget
        if let url = value("DATABASE_URL") {
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
                database = .postgres(url: url)
            } else if url.hasPrefix("sqlite://") || url.hasPrefix("sqlite:") {
                let path = url.replacingOccurrences(of: "sqlite://", with: "").replacingOccurrences(of: "sqlite:", with: "")
                guard !path.isEmpty else { throw Invalid(setting: "DATABASE_URL", problem: "sqlite URL without a path") }
                database = .sqlite(path: path)
            } else {
                throw Invalid(setting: "DATABASE_URL", problem: "expected postgres://… or sqlite://path")
            }
        } else {
            database = .sqlite(path: dataDirectory.appendingPathComponent("deskpilot.sqlite").path)
        }

        let registrationText = value("DESKPILOT_REGISTRATION") ?? "closed"
        guard let registration = RegistrationMode(parsing: registrationText) else {
            throw Invalid(setting: "DESKPILOT_REGISTRATION", problem: "expected closed, open or a comma-separated list of e-mail domains")
        }
        let adminPassword = value("DESKPILOT_ADMIN_PASSWORD")
        if let adminPassword, adminPassword.count < 8 {
            throw Invalid(setting: "DESKPILOT_ADMIN_PASSWORD", problem: "must be at least 8 characters")
        }
        let jwtSecret = value("DESKPILOT_JWT_SECRET")
        if let jwtSecret, jwtSecret.utf8.count < 32 {
            throw Invalid(setting: "DESKPILOT_JWT_SECRET", problem: "must be at least 32 bytes")
        }
        var bcryptCost = 12
        if let text = value("DESKPILOT_BCRYPT_COST") {
            guard let cost = Int(text), (4...31).contains(cost) else {
                throw Invalid(setting: "DESKPILOT_BCRYPT_COST", problem: "must be between 4 and 31")
            }
            bcryptCost = cost
        }
        func seconds(_ key: String, default fallback: Double, in range: ClosedRange<Double>) throws -> Double {
            guard let text = value(key) else { return fallback }
            guard let number = Double(text), range.contains(number) else {
                throw Invalid(setting: key, problem: "must be a number of seconds between \(range.lowerBound) and \(range.upperBound)")
            }
            return number
        }
        let idle = try seconds("DESKPILOT_WS_IDLE_TIMEOUT", default: 60, in: 2...3600)
        let jobInterval = try seconds("DESKPILOT_JOB_INTERVAL", default: 5, in: 0.1...60)
        func count(_ key: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
            guard let text = value(key) else { return fallback }
            guard let number = Int(text), range.contains(number) else {
                throw Invalid(setting: key, problem: "must be a whole number between \(range.lowerBound) and \(range.upperBound)")
            }
            return number
        }
        let rulesPerUser = try count("DESKPILOT_AUTOPILOT_RULES_PER_USER", default: 5, in: 0...1000)
        let rulesTotal = try count("DESKPILOT_AUTOPILOT_RULES_TOTAL", default: 50_000, in: 0...10_000_000)
        let logText = value("DESKPILOT_LOG_FORMAT") ?? "text"
        guard let logFormat = LogFormat(rawValue: logText.lowercased()) else {
            throw Invalid(setting: "DESKPILOT_LOG_FORMAT", problem: "expected text or json")
        }
        var webDirectory: URL?
        if let text = value("DESKPILOT_WEB_DIR") {
            let root = URL(fileURLWithPath: text, isDirectory: true).standardizedFileURL
            guard WebAssets.isSourceFolder(root) else {
                throw Invalid(setting: "DESKPILOT_WEB_DIR", problem: "\(root.path) has no Public and Resources/Views folders")
            }
            webDirectory = root
        }
        var http = HTTPLimits()
        http.idleTimeout = try seconds("DESKPILOT_IDLE_TIMEOUT", default: http.idleTimeout, in: 1...3600)
        http.headerTimeout = try seconds("DESKPILOT_HEADER_TIMEOUT", default: http.headerTimeout, in: 1...600)
        http.bodyTimeout = try seconds("DESKPILOT_BODY_TIMEOUT", default: http.bodyTimeout, in: 1...3600)
        http.drainPeriod = try seconds("DESKPILOT_DRAIN_SECONDS", default: http.drainPeriod, in: 0...600)
        http.shutdownTimeout = try seconds("DESKPILOT_SHUTDOWN_TIMEOUT", default: http.shutdownTimeout, in: 1...600)
        http.maxConnections = try count("DESKPILOT_MAX_CONNECTIONS", default: http.maxConnections, in: 16...1_000_000)
        var config = AppConfig(
            host: host, port: port, baseURL: baseURL, dataDirectory: dataDirectory, database: database,
            registration: registration, adminUsername: value("DESKPILOT_ADMIN_USERNAME"), adminPassword: adminPassword,
            jwtSecret: jwtSecret, bcryptCost: bcryptCost, webSocketIdleTimeout: Int(idle), jobInterval: jobInterval, logFormat: logFormat,
            trustedProxies: try trustedProxies(value("DESKPILOT_TRUSTED_PROXIES")),
            autopilotRulesPerUser: rulesPerUser, autopilotRulesTotal: rulesTotal
        )
        config.webDirectory = webDirectory
        config.http = http
        config.smtp = try SMTPConfiguration.load(url: value("DESKPILOT_SMTP_URL"), from: value("DESKPILOT_MAIL_FROM"))
        config.notificationRetentionDays = try count("DESKPILOT_NOTIFICATION_RETENTION_DAYS", default: 90, in: 1...3650)
        switch value("DESKPILOT_WEBHOOK_ALLOW_PRIVATE")?.lowercased() {
        case nil, "false", "0", "no": config.webhookAllowPrivate = false
        case "true", "1", "yes": config.webhookAllowPrivate = true
        case let other?: throw Invalid(setting: "DESKPILOT_WEBHOOK_ALLOW_PRIVATE", problem: "'\(other)' is not true or false")
        }
        if let keys = value("DESKPILOT_SECRET_KEYS") {
            do {
                _ = try Keyring(parsing: keys)
            } catch {
                throw Invalid(setting: "DESKPILOT_SECRET_KEYS", problem: "\(error)")
            }
            config.secretKeys = keys
        }
        return config
    }

    private static func trustedProxies(_ text: String?) throws -> Set<String> {
        let addresses = (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for address in addresses where (try? SocketAddress(ipAddress: address, port: 0)) == nil {
            throw Invalid(setting: "DESKPILOT_TRUSTED_PROXIES", problem: "'\(address)' is not an IP address")
        }
        return Set(addresses)
    }

    /// Cookies get `Secure` when the server is reached over https.
    public var secureCookies: Bool { baseURL.scheme == "https" }

    public var isPostgres: Bool {
        if case .postgres = database { return true }
        return false
    }
}
