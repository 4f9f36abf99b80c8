/// How sending one mail ended.
public enum MailOutcome: Sendable, Equatable {
    case sent
    /// Not sent. `permanent` when the server refused it for good (a `5xx` reply: unknown mailbox, message
    /// refused), so trying again cannot help; otherwise (`4xx`, timeout, no connection) a later attempt may succeed.
    /// `reason` is for the delivery log and holds no secret.
    case failed(permanent: Bool, reason: String)

    public var isSent: Bool { self == .sent }
}

/// Sends mail. The outbox hands it batches; it answers one outcome per message, in the same order, and never throws:
/// a server that cannot be reached makes transient failures, not errors for the caller.
public protocol Mailer: Sendable {
    func send(_ messages: [MailMessage]) async -> [MailOutcome]
}
