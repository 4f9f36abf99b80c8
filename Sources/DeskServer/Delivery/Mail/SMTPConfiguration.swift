import Foundation
import NIOCore
import NIOSSL

/// How DeskPilot reaches its mail server, read from `DESKPILOT_SMTP_URL` and `DESKPILOT_MAIL_FROM`:
/// `smtp://user:password@host:port?tls=starttls|implicit|none&ca_file=/path/ca.pem&helo=name`.
///
/// `smtp://` means port 587 with STARTTLS unless said otherwise; `smtps://` means implicit TLS on port 465. User and
/// password are percent-decoded. The password never appears in `description`, `debugDescription` or a mirror.
public struct SMTPConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// When the connection is encrypted.
    public enum Security: String, Sendable, CaseIterable {
        /// Plain SMTP, then `STARTTLS` before anything else; refused when the server does not offer it.
        case startTLS = "starttls"
        /// TLS from the first byte (`smtps`, port 465).
        case implicit
        /// No encryption: only for a relay on the same machine or a trusted network.
        case none
    }

    /// The login for `AUTH PLAIN` or `AUTH LOGIN`.
    public struct Credentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        public let user: String
        public let password: String
        public init(user: String, password: String) {
            self.user = user
            self.password = password
        }
        public var description: String { "\(user):***" }
        public var debugDescription: String { description }
        public var customMirror: Mirror { Mirror(self, children: ["user": user, "password": "***"]) }
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var credentials: Credentials?
    /// A PEM file of certificates to trust instead of the system's (a private CA or a relay's self-signed certificate).
    public var caFile: String?
    /// The envelope sender and `From` of every mail.
    public var sender: MailAddress
    /// The name DeskPilot gives itself in `EHLO`.
    public var heloName: String
    /// Connections kept open to the server at most; each carries many mails one after the other.
    public var maxConnections = 4
    public var connectTimeout: TimeAmount = .seconds(10)
    /// How long any one reply may take, including the one after the mail's content.
    public var commandTimeout: TimeAmount = .seconds(30)
    /// An unused connection is closed (with `QUIT`) after this long.
    public var idleTimeout: Duration = .seconds(30)

    public init(
        host: String, port: Int, security: Security, credentials: Credentials? = nil, caFile: String? = nil,
        sender: MailAddress, heloName: String? = nil
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.credentials = credentials
        self.caFile = caFile
        self.sender = sender
        self.heloName = heloName ?? Self.localHostName()
    }

    /// The settings from the environment's values: `nil` when no SMTP URL is set (e-mail is then not offered).
    /// A URL that cannot be used, or one without a sender, stops the server at start with the setting named.
    static func load(url: String?, from: String?) throws(AppConfig.Invalid) -> SMTPConfiguration? {
        guard let url else { return nil }
        guard let from else {
            throw AppConfig.Invalid(setting: "DESKPILOT_MAIL_FROM", problem: "is required when DESKPILOT_SMTP_URL is set (e.g. 'DeskPilot <deskpilot@example.com>')")
        }
        let sender: MailAddress
        do throws(MailAddress.Invalid) {
            sender = try MailAddress(parsing: from)
        } catch {
            throw AppConfig.Invalid(setting: "DESKPILOT_MAIL_FROM", problem: "\(error)")
        }
        do throws(InvalidURL) {
            return try SMTPConfiguration(url: url, sender: sender)
        } catch {
            throw AppConfig.Invalid(setting: "DESKPILOT_SMTP_URL", problem: error.problem)
        }
    }

    /// Why an SMTP URL cannot be used. Never repeats the URL, which may hold a password.
    public struct InvalidURL: Error, CustomStringConvertible {
        public let problem: String
        public var description: String { problem }
    }

    public init(url text: String, sender: MailAddress) throws(InvalidURL) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw InvalidURL(problem: "not a URL; expected smtp://user:password@host:port (percent-encode special characters in the password)")
        }
        guard scheme == "smtp" || scheme == "smtps" else {
            throw InvalidURL(problem: "scheme '\(scheme)' is not smtp or smtps")
        }
        var host = components.host ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw InvalidURL(problem: "no host; expected smtp://host:port") }
        guard components.path.isEmpty || components.path == "/" else {
            throw InvalidURL(problem: "unexpected path '\(components.path)'")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard ["tls", "ca_file", "helo"].contains(item.name) else {
                throw InvalidURL(problem: "unknown parameter '\(item.name)' (known: tls, ca_file, helo)")
            }
            query[item.name] = item.value ?? ""
        }
        var security: Security = scheme == "smtps" ? .implicit : .startTLS
        if let text = query["tls"] {
            guard let chosen = Security(rawValue: text.lowercased()) else {
                throw InvalidURL(problem: "tls='\(text)' is not one of starttls, implicit, none")
            }
            guard scheme == "smtp" || chosen == .implicit else {
                throw InvalidURL(problem: "smtps:// always uses implicit TLS; use smtp:// with tls=\(chosen.rawValue)")
            }
            security = chosen
        }
        let port = components.port ?? (security == .implicit ? 465 : 587)
        guard (1...65535).contains(port) else { throw InvalidURL(problem: "port \(port) is not 1-65535") }

        var credentials: Credentials?
        if let user = components.user, !user.isEmpty {
            credentials = Credentials(user: user, password: components.password ?? "")
        } else if components.password != nil {
            throw InvalidURL(problem: "a password without a user")
        }
        if let caFile = query["ca_file"] {
            guard security != .none else { throw InvalidURL(problem: "ca_file is set but tls=none") }
            do {
                guard try !NIOSSLCertificate.fromPEMFile(caFile).isEmpty else {
                    throw InvalidURL(problem: "ca_file \(caFile) holds no certificate")
                }
            } catch let error as InvalidURL {
                throw error
            } catch {
                throw InvalidURL(problem: "ca_file \(caFile) cannot be read as PEM certificates: \(error)")
            }
        }
        var helo: String?
        if let name = query["helo"] {
            guard Self.isHostName(name) else { throw InvalidURL(problem: "helo='\(name)' is not a host name") }
            helo = name
        }
        self.init(host: host, port: port, security: security, credentials: credentials, caFile: query["ca_file"],
                  sender: sender, heloName: helo)
    }

    /// The URL with the password replaced by `***`.
    public var description: String {
        let scheme = security == .implicit ? "smtps" : "smtp"
        let user = credentials.map { ($0.user.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? "?") + ":***@" } ?? ""
        let hostText = host.contains(":") ? "[\(host)]" : host
        var parameters: [String] = []
        if scheme == "smtp" { parameters.append("tls=\(security.rawValue)") }
        if let caFile { parameters.append("ca_file=\(caFile)") }
        let query = parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&")
        return "\(scheme)://\(user)\(hostText):\(port)\(query) from \(sender)"
    }

    public var debugDescription: String { description }

    /// The TLS context for this server: the system's trust store, or only the certificates of `caFile`.
    func makeTLSContext() throws -> NIOSSLContext? {
        guard security != .none else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let caFile {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
        }
        return try NIOSSLContext(configuration: tls)
    }

    /// This machine's name for `EHLO`, or `localhost` when it has none usable.
    private static func localHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return isHostName(name) ? name : "localhost"
    }

    private static func isHostName(_ name: String) -> Bool {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.")
        return !name.isEmpty && name.count <= 253 && name.unicodeScalars.allSatisfy { allowed.contains($0) }
            && !name.hasPrefix(".") && !name.hasPrefix("-")
    }
}
