import DeskCore
import Foundation
import SQLKit

/// Who did something, from where; passed to services so audit entries name the actor.
struct Actor: Sendable {
    let userId: UUID?
    let ip: String?
}

/// Audit entries for security-relevant and booking actions; `AuditLog` stores them.
enum Audit {
    /// An entry to insert later, for writers that insert many at once (`AuditLog.append`).
    static func entry(
        _ action: String, target: String, id targetId: UUID?, location locationId: UUID? = nil,
        by actor: Actor, at now: Date, details: [String: String] = [:]
    ) -> AuditRecord {
        let json = (try? JSONEncoder.sorted.encode(details)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return AuditRecord(id: UUID(), at: now, actorId: actor.userId, action: action, targetType: target, targetId: targetId,
                           locationId: locationId, ip: actor.ip, details: json)
    }
}

extension Transactor {
    /// Runs one change of places, people or access together with its audit entry; a constraint failure (a taken
    /// name, say) becomes `conflict`. Such a change announces `accessChanged`, and `events` besides.
    @discardableResult
    func auditedWrite<T: Sendable>(
        _ action: String, target: String, id: UUID, location: UUID? = nil, by actor: Actor, at now: Date,
        details: [String: String] = [:], conflict: DomainError, announcing events: [DomainEvent] = [],
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await mappingConstraintFailure(to: conflict) {
            try await write { sql in
                let result = try await body(sql)
                try await AuditLog(sql: sql).record(action, target: target, id: id, location: location, by: actor, at: now,
                                                    details: details)
                return Written(result, events: [.accessChanged] + events)
            }
        }
    }
}
