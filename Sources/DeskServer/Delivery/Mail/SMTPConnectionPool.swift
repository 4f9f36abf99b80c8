import DequeModule

/// The connections to one mail server: at most `limit` exist at a time, a connection handed back is lent to the
/// next sender (most recently used first), and one left unused for `idleTimeout` is closed with `QUIT`.
actor SMTPConnectionPool {
    /// What a sender gets: a connection to reuse, or the right to open one.
    enum Grant: Sendable {
        case reuse(SMTPConnection)
        case open
    }

    private struct Idle {
        var connection: SMTPConnection
        var mark: Int
        var expiry: Task<Void, Never>
    }

    private let limit: Int
    private let idleTimeout: Duration
    private var idle: [Idle] = []
    /// Connections open, being opened or lent out.
    private var count = 0
    private var waiting: Deque<CheckedContinuation<Grant, Never>> = []
    private var marks = 0

    init(limit: Int, idleTimeout: Duration) {
        self.limit = max(1, limit)
        self.idleTimeout = idleTimeout
    }

    /// Waits while `limit` connections are lent out; the wait is bounded because every lent connection comes
    /// back once its sender is done, and each of its exchanges has a timeout.
    func acquire() async -> Grant {
        while let entry = idle.popLast() {
            entry.expiry.cancel()
            if entry.connection.isUsable { return .reuse(entry.connection) }
            count -= 1
            closeInBackground(entry.connection)
        }
        if count < limit {
            count += 1
            return .open
        }
        return await withCheckedContinuation { waiting.append($0) }
    }

    /// A connection handed back: kept for the next sender when it can carry more, otherwise closed.
    func release(_ connection: SMTPConnection, reusable: Bool) {
        guard reusable, connection.isUsable else {
            closeInBackground(connection)
            slotFreed()
            return
        }
        if let next = waiting.popFirst() {
            next.resume(returning: .reuse(connection))
            return
        }
        marks += 1
        let mark = marks
        let expiry = Task { [idleTimeout] in
            try? await Task.sleep(for: idleTimeout)
            guard !Task.isCancelled else { return }
            self.expire(mark)
        }
        idle.append(Idle(connection: connection, mark: mark, expiry: expiry))
    }

    /// The place of a connection that could not be opened or was closed goes to the next waiting sender.
    func slotFreed() {
        if let next = waiting.popFirst() {
            next.resume(returning: .open)
        } else {
            count -= 1
        }
    }

    /// Connections open right now (lent out or idle), for tests and metrics.
    var openConnections: Int { count }

    /// Closes the idle connections (with `QUIT`); lent ones close when they come back.
    func shutdown() async {
        let closing = idle
        idle = []
        for entry in closing {
            entry.expiry.cancel()
            count -= 1
        }
        for entry in closing { await entry.connection.close() }
    }

    private func expire(_ mark: Int) {
        guard let index = idle.firstIndex(where: { $0.mark == mark }) else { return }
        let entry = idle.remove(at: index)
        closeInBackground(entry.connection)
        slotFreed()
    }

    private nonisolated func closeInBackground(_ connection: SMTPConnection) {
        Task { await connection.close() }
    }
}
