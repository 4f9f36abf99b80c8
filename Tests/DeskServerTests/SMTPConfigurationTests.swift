@testable import DeskServer
import Foundation
import Testing

@Suite("SMTP configuration: DESKPILOT_SMTP_URL and DESKPILOT_MAIL_FROM")
struct SMTPConfigurationTests {
    let from = "DeskPilot <deskpilot@example.com>"

    func load(_ url: String, from: String? = "DeskPilot <deskpilot@example.com>") throws -> SMTPConfiguration? {
        var environment = ["DESKPILOT_SMTP_URL": url]
        environment["DESKPILOT_MAIL_FROM"] = from
        return try AppConfig.load(from: environment).smtp
    }

    @Test("without DESKPILOT_SMTP_URL there is no e-mail")
    func unset() throws {
        #expect(try AppConfig.load(from: [:]).smtp == nil)
        #expect(try AppConfig.load(from: ["DESKPILOT_MAIL_FROM": from]).smtp == nil)
    }

    @Test("a full URL: user and password percent-decoded, port, tls, helo")
    func full() throws {
        let config = try #require(try load("smtp://mailer%40corp:p%40ss%3Aw%2Frd@smtp.example.com:2525?tls=starttls&helo=desk.example.com"))
        #expect(config.host == "smtp.example.com")
        #expect(config.port == 2525)
        #expect(config.security == .startTLS)
        #expect(config.credentials?.user == "mailer@corp")
        #expect(config.credentials?.password == "p@ss:w/rd")
        #expect(config.heloName == "desk.example.com")
        #expect(config.sender == (try MailAddress("deskpilot@example.com", displayName: "DeskPilot")))
        #expect(config.maxConnections == 4)
        #expect(config.connectTimeout == .seconds(10))
        #expect(config.commandTimeout == .seconds(30))
    }

    @Test("defaults: smtp:// is STARTTLS on 587, smtps:// implicit TLS on 465, tls=none keeps its port")
    func defaults() throws {
        let smtp = try #require(try load("smtp://relay.example.com"))
        #expect(smtp.port == 587 && smtp.security == .startTLS && smtp.credentials == nil)
        let smtps = try #require(try load("smtps://relay.example.com"))
        #expect(smtps.port == 465 && smtps.security == .implicit)
        let implicit = try #require(try load("smtp://relay.example.com?tls=implicit"))
        #expect(implicit.port == 465 && implicit.security == .implicit)
        let plain = try #require(try load("smtp://127.0.0.1:25?tls=none"))
        #expect(plain.port == 25 && plain.security == .none)
        let ipv6 = try #require(try load("smtp://[::1]:2525?tls=none"))
        #expect(ipv6.host == "::1")
    }

    @Test("ca_file trusts a private CA; a file that is not PEM is refused at start")
    func caFile() throws {
        let certificate = try TestCertificate.make()
        let config = try #require(try load("smtp://localhost:2525?ca_file=\(certificate.certificate.path)"))
        #expect(config.caFile == certificate.certificate.path)
        #expect(try config.makeTLSContext() != nil)
        #expect(throws: AppConfig.Invalid.self) { try load("smtp://localhost?ca_file=/nonexistent/ca.pem") }
        #expect(throws: AppConfig.Invalid.self) { try load("smtp://localhost?ca_file=\(certificate.key.path)&tls=none") }
    }

    @Test("the password never shows in descriptions, debug output, mirrors or errors")
    func redaction() throws {
        let config = try #require(try load("smtp://ann:Secret%21Pass@smtp.example.com:587"))
        let outputs = ["\(config)", String(reflecting: config), "\(config.credentials!)", String(reflecting: config.credentials!),
                       { var text = ""; dump(config, to: &text); return text }()]
        for output in outputs {
            #expect(!output.contains("Secret"), "\(output)")
        }
        #expect("\(config)" == "smtp://ann:***@smtp.example.com:587?tls=starttls from DeskPilot <deskpilot@example.com>")
        #expect {
            try load("smtp://ann:Secret%21Pass@smtp.example.com:587?tls=sometimes")
        } throws: { error in
            !"\(error)".contains("Secret") && "\(error)".contains("tls='sometimes'")
        }
    }

    @Test("a bad URL or sender stops the server at start, naming the setting", arguments: [
        ("ftp://smtp.example.com", "DESKPILOT_SMTP_URL"),
        ("smtp://", "DESKPILOT_SMTP_URL"),
        ("smtp://smtp.example.com:0", "DESKPILOT_SMTP_URL"),
        ("smtp://smtp.example.com/path", "DESKPILOT_SMTP_URL"),
        ("smtp://smtp.example.com?tls=sometimes", "DESKPILOT_SMTP_URL"),
        ("smtp://smtp.example.com?timeout=3", "DESKPILOT_SMTP_URL"),
        ("smtps://smtp.example.com?tls=none", "DESKPILOT_SMTP_URL"),
        ("smtp://:secret@smtp.example.com", "DESKPILOT_SMTP_URL"),
        ("smtp://smtp.example.com?helo=bad%20name", "DESKPILOT_SMTP_URL"),
        ("smtp://smtp .example.com", "DESKPILOT_SMTP_URL"),
    ])
    func invalid(url: String, setting: String) {
        #expect {
            try load(url)
        } throws: { error in
            (error as? AppConfig.Invalid)?.setting == setting && "\(error)".hasPrefix("invalid setting \(setting):")
        }
    }

    @Test("an SMTP URL needs a valid DESKPILOT_MAIL_FROM")
    func sender() throws {
        for from in [nil, "not an address", "DeskPilot <deskpilot@>"] {
            #expect {
                try load("smtp://smtp.example.com", from: from)
            } throws: { error in
                (error as? AppConfig.Invalid)?.setting == "DESKPILOT_MAIL_FROM"
            }
        }
        #expect(try load("smtp://smtp.example.com", from: "deskpilot@example.com")?.sender.displayName == nil)
    }
}
