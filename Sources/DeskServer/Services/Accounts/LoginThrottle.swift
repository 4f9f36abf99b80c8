import DeskCore
import Foundation

/// Counts failed logins per account and per IP address over a sliding minute.
actor LoginThrottle {
    let window: TimeInterval = 60
    let perAccount = 10
    let perAddress = 30
    private var failures: [String: [Date]] = [:]

    /// Throws `too_many_requests` while the account or the address has used up its failures. Callers count an
    /// attempt as failed before checking the password, so parallel guesses cannot all pass this check.
    func check(username: String, ip: String?, now: Date) throws(DomainError) {
        let keys = [("user:" + username.lowercased(), perAccount)] + (ip.map { [("ip:" + $0, perAddress)] } ?? [])
        for (key, limit) in keys {
            let recent = prune(key, now: now)
            if recent.count >= limit {
                var error = DomainError(.tooManyRequests, code: "too_many_attempts", detail: "Too many failed sign-ins; try again later.")
                error.retryAfter = max(1, Int((recent[recent.count - limit].addingTimeInterval(window)).timeIntervalSince(now).rounded(.up)))
                throw error
            }
        }
    }

    func recordFailure(username: String, ip: String?, now: Date) {
        if failures.count > 10_000 {
            // Someone is spraying many names: forget what has expired so memory stays bounded.
            failures = failures.filter { _, dates in dates.contains { now.timeIntervalSince($0) < window } }
        }
        failures["user:" + username.lowercased(), default: []].append(now)
        if let ip { failures["ip:" + ip, default: []].append(now) }
    }

    /// A correct password clears the account's failures and takes back the attempt counted for the address.
    func recordSuccess(username: String, ip: String?) {
        failures["user:" + username.lowercased()] = nil
        if let ip, var attempts = failures["ip:" + ip], !attempts.isEmpty {
            attempts.removeLast()
            failures["ip:" + ip] = attempts.isEmpty ? nil : attempts
        }
    }

    private func prune(_ key: String, now: Date) -> [Date] {
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent.isEmpty ? nil : recent
        return recent
    }
}
