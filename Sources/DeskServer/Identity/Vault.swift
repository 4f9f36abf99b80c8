import Crypto
import Foundation
import NIOConcurrencyHelpers

/// Secrets DeskPilot must read back (webhook signing secrets, SSO client secrets, bot tokens), sealed with AES-256-GCM
/// under a numbered key. The number travels with the ciphertext (`v<version>:<base64 of nonce, ciphertext and tag>`),
/// so a newer key can be added and the old secrets re-sealed one by one while the old key still opens them.
/// The secret's purpose is bound in as authenticated data: a sealed webhook secret cannot be passed off as a bot token.
///
/// `deskpilot rotate-key` may add a key while the server runs: a value sealed under a version this vault does not know
/// makes it read its keys again (`reload`) before giving up.
final class Vault: Sendable {
    private let current: NIOLockedValueBox<Keyring>
    private let reload: (@Sendable () throws -> Keyring)?

    init(keyring: Keyring, reload: (@Sendable () throws -> Keyring)? = nil) {
        current = NIOLockedValueBox(keyring)
        self.reload = reload
    }

    var keyring: Keyring { current.withLockedValue { $0 } }

    struct SealingFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// Seals `secret` under the newest key.
    func seal(_ secret: String, purpose: String) throws -> String {
        let (version, key) = keyring.newest
        let box = try AES.GCM.seal(Data(secret.utf8), using: key, authenticating: Data(purpose.utf8))
        guard let combined = box.combined else { throw SealingFailed(description: "AES-GCM gave no combined representation") }
        return "v\(version):\(combined.base64EncodedString())"
    }

    /// Opens a value `seal` made, with whichever key sealed it.
    func open(_ sealed: String, purpose: String) throws -> String {
        let version = try Self.version(of: sealed)
        if keyring.keys[version] == nil, let reload, let reloaded = try? reload() { current.withLockedValue { $0 = reloaded } }
        guard let key = keyring.keys[version] else { throw SealingFailed(description: "no key with version \(version) is configured") }
        guard let data = Data(base64Encoded: String(sealed.drop { $0 != ":" }.dropFirst())) else {
            throw SealingFailed(description: "the sealed value is not base64")
        }
        do {
            let plain = try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key, authenticating: Data(purpose.utf8))
            return String(decoding: plain, as: UTF8.self)
        } catch {
            throw SealingFailed(description: "the sealed value does not open with key \(version): altered, or sealed for another purpose")
        }
    }

    /// Whether `sealed` is under an older key than the newest: what rotating a key re-seals.
    func isStale(_ sealed: String) throws -> Bool { try Self.version(of: sealed) != keyring.newest.version }

    private static func version(of sealed: String) throws -> Int {
        guard sealed.hasPrefix("v"), let colon = sealed.firstIndex(of: ":"),
              let version = Int(sealed[sealed.index(after: sealed.startIndex)..<colon]) else {
            throw SealingFailed(description: "not a sealed value")
        }
        return version
    }
}

/// The vault's keys by version, from `version:base64key` pairs (comma- or line-separated), each key 32 bytes.
struct Keyring: Sendable {
    let keys: [Int: SymmetricKey]

    var newest: (version: Int, key: SymmetricKey) {
        let version = keys.keys.max()!
        return (version, keys[version]!)
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(keys: [Int: SymmetricKey]) throws {
        guard !keys.isEmpty else { throw Invalid(description: "no keys") }
        self.keys = keys
    }

    /// Reads `1:base64,2:base64`; versions are positive and distinct, every key is 32 bytes of base64.
    init(parsing text: String) throws {
        var keys: [Int: SymmetricKey] = [:]
        for entry in text.split(whereSeparator: { $0 == "," || $0.isNewline }).map({ $0.trimmingCharacters(in: .whitespaces) })
        where !entry.isEmpty {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let version = Int(parts[0]), version > 0 else {
                throw Invalid(description: "each key is written version:base64, with a positive version")
            }
            guard keys[version] == nil else { throw Invalid(description: "version \(version) appears twice") }
            guard let bytes = Data(base64Encoded: parts[1]), bytes.count == 32 else {
                throw Invalid(description: "key \(version) is not 32 bytes of base64")
            }
            keys[version] = SymmetricKey(data: bytes)
        }
        try self.init(keys: keys)
    }

    /// The keyring with a fresh key one version above the newest.
    func adding(_ key: SymmetricKey = SymmetricKey(size: .bits256)) -> (keyring: Keyring, version: Int) {
        let version = newest.version + 1
        var keys = self.keys
        keys[version] = key
        return (Keyring(unchecked: keys), version)
    }

    /// The text `init(parsing:)` reads, one key per line, oldest first.
    var text: String {
        keys.keys.sorted().map { version in
            "\(version):\(keys[version]!.withUnsafeBytes { Data($0) }.base64EncodedString())"
        }.joined(separator: "\n") + "\n"
    }

    private init(unchecked keys: [Int: SymmetricKey]) { self.keys = keys }

    /// The keys from `DESKPILOT_SECRET_KEYS` when set, else from the 0600 file `secret-keys` in the data directory,
    /// which is created with one fresh key on first use.
    static func load(configured: String?, dataDirectory: URL) throws -> Keyring {
        if let configured { return try Keyring(parsing: configured) }
        let file = keyFile(in: dataDirectory)
        if let existing = try? String(contentsOf: file, encoding: .utf8) { return try Keyring(parsing: existing) }
        let keyring = try Keyring(keys: [1: SymmetricKey(size: .bits256)])
        try keyring.write(to: file)
        return keyring
    }

    static func keyFile(in dataDirectory: URL) -> URL { dataDirectory.appendingPathComponent("secret-keys") }

    /// Replaces the key file in one step (a new 0600 file renamed over the old), so a server reading it meanwhile
    /// sees either the old keys or the new ones.
    func write(to file: URL) throws {
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".secret-keys.\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw Invalid(description: "cannot write \(temporary.path)")
        }
        guard rename(temporary.path, file.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw Invalid(description: "cannot replace \(file.path)")
        }
    }
}
