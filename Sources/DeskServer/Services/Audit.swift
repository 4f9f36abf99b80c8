import DeskCore
import Foundation
import SQLKit

/// Who did something, from where; passed to services so audit entries name the actor.
struct Actor: Sendable {
    let userId: UUID?
    let ip: String?
}

/// Appends security-relevant and booking actions to the audit log, inside the caller's transaction.
enum Audit {
    static func record(
        _ action: String, target: String, id targetId: UUID?, location locationId: UUID? = nil,
        by actor: Actor, at now: Date, details: [String: String] = [:], on sql: any SQLDatabase
    ) async throws {
        let json = String(decoding: try JSONEncoder.sorted.encode(details), as: UTF8.self)
        try await sql.insert(
            AuditRecord(
                id: UUID(), at: now, actorId: actor.userId, action: action, targetType: target, targetId: targetId,
                locationId: locationId, ip: actor.ip, details: json
            ),
            into: "audit_log"
        )
    }
}

extension Transactor {
    /// Runs one write together with its audit entry; a constraint failure (a taken name, say) becomes `conflict`.
    func auditedWrite(
        _ action: String, target: String, id: UUID, location: UUID? = nil, by actor: Actor, at now: Date,
        details: [String: String] = [:], conflict: DomainError,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Void
    ) async throws {
        try await mappingConstraintFailure(to: conflict) {
            try await write { sql in
                try await body(sql)
                try await Audit.record(action, target: target, id: id, location: location, by: actor, at: now, details: details, on: sql)
            }
        }
    }
}

extension JSONEncoder {
    static let sorted: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
}
