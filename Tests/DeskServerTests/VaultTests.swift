import Crypto
@testable import DeskServer
import Foundation
import Testing

@Suite("The vault: secrets sealed at rest")
struct VaultTests {
    let keyring = try! Keyring(parsing: "1:\(Data(repeating: 7, count: 32).base64EncodedString())")

    @Test("a sealed secret opens to itself, shows nothing of it, and differs every time it is sealed")
    func roundTrip() throws {
        let vault = Vault(keyring: keyring)
        let sealed = try vault.seal("whsec_very-secret", purpose: "webhook")
        #expect(sealed.hasPrefix("v1:"))
        #expect(!sealed.contains("very-secret"))
        #expect(try vault.open(sealed, purpose: "webhook") == "whsec_very-secret")
        #expect(try vault.seal("whsec_very-secret", purpose: "webhook") != sealed)
    }

    @Test("an altered value, another purpose or an unknown key version does not open")
    func refusals() throws {
        let vault = Vault(keyring: keyring)
        let sealed = try vault.seal("token", purpose: "bot")
        #expect(throws: Vault.SealingFailed.self) { try vault.open(sealed, purpose: "webhook") }
        var bytes = Data(base64Encoded: String(sealed.dropFirst(3)))!
        bytes[bytes.count - 1] ^= 1
        #expect(throws: Vault.SealingFailed.self) { try vault.open("v1:" + bytes.base64EncodedString(), purpose: "bot") }
        #expect(throws: Vault.SealingFailed.self) { try vault.open("v9" + sealed.dropFirst(2), purpose: "bot") }
        #expect(throws: Vault.SealingFailed.self) { try vault.open("token", purpose: "bot") }
    }

    @Test("after a key is added, new secrets use it, old ones still open and are known to need re-sealing")
    func rotation() throws {
        let old = Vault(keyring: keyring)
        let before = try old.seal("secret", purpose: "sso")
        let (rotated, version) = keyring.adding()
        #expect(version == 2)
        let vault = Vault(keyring: rotated)
        #expect(try vault.open(before, purpose: "sso") == "secret")
        #expect(try vault.isStale(before))
        let after = try vault.seal("secret", purpose: "sso")
        #expect(after.hasPrefix("v2:"))
        #expect(try !vault.isStale(after))
        #expect(throws: Vault.SealingFailed.self) { try old.open(after, purpose: "sso") }
        // Written out and read back, the keyring is the same.
        let reread = Vault(keyring: try Keyring(parsing: rotated.text))
        #expect(try reread.open(before, purpose: "sso") == "secret")
        #expect(try reread.open(after, purpose: "sso") == "secret")
    }

    @Test("keys are version:base64 of 32 bytes, versions positive and distinct")
    func parsing() throws {
        let key = Data(repeating: 1, count: 32).base64EncodedString()
        #expect(try Keyring(parsing: "1:\(key), 3:\(key)").newest.version == 3)
        for bad in ["", "x:\(key)", "0:\(key)", "1:\(key),1:\(key)", "1:\(Data(repeating: 1, count: 16).base64EncodedString())", "1:not-base64"] {
            #expect(throws: Keyring.Invalid.self, "\(bad)") { try Keyring(parsing: bad) }
        }
    }

    @Test("without DESKPILOT_SECRET_KEYS a key file is made once, readable by its owner only; the setting wins over it")
    func loading() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try Keyring.load(configured: nil, dataDirectory: directory)
        let file = directory.appendingPathComponent("secret-keys").path
        let permissions = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let sealed = try Vault(keyring: first).seal("secret", purpose: "webhook")
        #expect(try Vault(keyring: Keyring.load(configured: nil, dataDirectory: directory)).open(sealed, purpose: "webhook") == "secret")
        let configured = try Keyring.load(configured: "5:\(Data(repeating: 2, count: 32).base64EncodedString())", dataDirectory: directory)
        #expect(configured.newest.version == 5)
        #expect(throws: Vault.SealingFailed.self) { try Vault(keyring: configured).open(sealed, purpose: "webhook") }
    }
}
