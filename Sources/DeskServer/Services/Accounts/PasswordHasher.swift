import DeskCore
import NIOPosix
import Vapor

/// bcrypt off the event loops: a hash takes tens to hundreds of milliseconds by design.
struct PasswordHasher: Sendable {
    let cost: Int
    let threadPool: NIOThreadPool
    /// Checked against when the account does not exist; hashed at the same cost as real passwords.
    private let decoyHash: String

    init(cost: Int, threadPool: NIOThreadPool) {
        self.cost = cost
        self.threadPool = threadPool
        self.decoyHash = (try? Bcrypt.hash(Secrets.randomToken(), cost: cost)) ?? ""
    }

    func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await threadPool.runIfActive { try Bcrypt.verify(password, created: hash) }
    }

    /// Spends the time of a real check when the account does not exist, so timing does not reveal usernames.
    func burnVerification() async {
        _ = try? await verify("not-a-password", against: decoyHash)
    }
}

extension PasswordHasher {
    static let minimumLength = 8
    static let maximumLength = 72  // bcrypt ignores what follows

    static func problems(with password: String) -> [FieldError] {
        if password.utf8.count < minimumLength {
            return [FieldError(field: "password", message: "must be at least \(minimumLength) characters")]
        }
        if password.utf8.count > maximumLength {
            return [FieldError(field: "password", message: "must be at most \(maximumLength) bytes")]
        }
        // bcrypt would end the password at a NUL, silently accepting anything that starts the same.
        return FieldChecks.textProblems(password, field: "password")
    }
}
