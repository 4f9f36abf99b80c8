@testable import DeskServer
import Foundation
import Testing

@Suite("Configuration")
struct AppConfigTests {
    @Test("defaults: loopback, port 8080, SQLite in ./data, registration closed")
    func defaults() throws {
        let config = try AppConfig.load(from: [:])
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.registration == .closed)
        #expect(config.database == .sqlite(path: config.dataDirectory.appendingPathComponent("deskpilot.sqlite").path))
        #expect(!config.secureCookies)
    }

    @Test("settings are read from the environment")
    func settings() throws {
        let config = try AppConfig.load(from: [
            "DESKPILOT_PORT": "9000", "DESKPILOT_BASE_URL": "https://desks.example.com",
            "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/db", "DESKPILOT_REGISTRATION": "example.com, corp.example",
        ])
        #expect(config.port == 9000)
        #expect(config.secureCookies)
        #expect(config.isPostgres)
        #expect(config.registration == .domains(["example.com", "corp.example"]))
    }

    @Test("a bad value names its setting", arguments: [
        ("DESKPILOT_PORT", "eighty"), ("DESKPILOT_PORT", "70000"), ("DESKPILOT_BASE_URL", "ftp://x"),
        ("DATABASE_URL", "mysql://x"), ("DESKPILOT_REGISTRATION", "sometimes"), ("DESKPILOT_ADMIN_PASSWORD", "short"),
        ("DESKPILOT_JWT_SECRET", "too-short"), ("DESKPILOT_BCRYPT_COST", "99"),
    ])
    func invalid(setting: String, value: String) {
        #expect {
            try AppConfig.load(from: [setting: value])
        } throws: { error in
            (error as? AppConfig.Invalid)?.setting == setting && "\(error)".hasPrefix("invalid setting \(setting):")
        }
    }
}

@Suite("Client address behind a proxy")
struct ClientAddressTests {
    @Test("a trusted proxy's X-Forwarded-For names the client; anyone else's is ignored")
    func resolve() throws {
        let proxy: Set<String> = ["127.0.0.1"]
        #expect(ClientAddress.resolve(peer: "203.0.113.9", forwardedFor: ["198.51.100.1"], trusted: proxy) == "203.0.113.9")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["198.51.100.1"], trusted: proxy) == "198.51.100.1")
        // A client-written entry on the left cannot replace the address the proxy appended.
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["10.0.0.1, 198.51.100.1"], trusted: proxy) == "198.51.100.1")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["198.51.100.1", "127.0.0.1"], trusted: proxy) == "198.51.100.1")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: [], trusted: proxy) == "127.0.0.1")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["198.51.100.1"], trusted: []) == "127.0.0.1")
        #expect(try AppConfig.load(from: ["DESKPILOT_TRUSTED_PROXIES": "127.0.0.1, ::1"]).trustedProxies == ["127.0.0.1", "::1"])
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.load(from: ["DESKPILOT_TRUSTED_PROXIES": "nginx"]) }
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.load(from: ["DESKPILOT_WS_IDLE_TIMEOUT": "0"]) }
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.load(from: ["DESKPILOT_LOG_FORMAT": "xml"]) }
    }
}
