import Foundation

/// `deskpilot rotate-key`: seals every stored secret again under the newest key. With the key file in the data
/// directory it first adds a new key there (running servers read it again when they meet the new version); with
/// `DESKPILOT_SECRET_KEYS` the operator adds the key to that setting on every instance first, and this re-seals.
/// Each secret is replaced only if it did not change meanwhile, so it runs safely beside a serving instance.
struct KeyRotation {
    struct Report: CustomStringConvertible {
        let addedVersion: Int?
        let newestVersion: Int
        let resealed: Int
        let suggestion: String?

        var description: String {
            var lines: [String] = []
            if let addedVersion { lines.append("added key version \(addedVersion) to the key file") }
            lines.append("re-sealed \(resealed) secret\(resealed == 1 ? "" : "s") under key version \(newestVersion)")
            if let suggestion { lines.append(suggestion) }
            return lines.joined(separator: "\n")
        }
    }

    let transactor: Transactor
    let config: AppConfig

    func run() async throws -> Report {
        var keyring = try Keyring.load(configured: config.secretKeys, dataDirectory: config.dataDirectory)
        var added: Int?
        var suggestion: String?
        if config.secretKeys == nil {
            let (rotated, version) = keyring.adding()
            try rotated.write(to: Keyring.keyFile(in: config.dataDirectory))
            (keyring, added) = (rotated, version)
        } else {
            let next = keyring.adding()
            let newKey = next.keyring.text.split(separator: "\n").last.map(String.init) ?? ""
            suggestion = "keys come from DESKPILOT_SECRET_KEYS: to rotate, add a new key to it on every instance (for example "
                + "\(newKey)), restart them, then run rotate-key again"
        }
        let vault = Vault(keyring: keyring)
        var resealed = 0
        for (id, sealed) in try await WebhookStore(sql: transactor.sql).secrets() where try vault.isStale(sealed) {
            let fresh = try vault.seal(try vault.open(sealed, purpose: WebhookService.secretPurpose), purpose: WebhookService.secretPurpose)
            try await transactor.write { sql in
                try await WebhookStore(sql: sql).reseal(id, from: sealed, to: fresh)
                return .unannounced
            }
            resealed += 1
        }
        return Report(addedVersion: added, newestVersion: keyring.newest.version, resealed: resealed, suggestion: suggestion)
    }
}
