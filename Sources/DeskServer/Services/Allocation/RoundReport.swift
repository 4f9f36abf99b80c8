import DeskCore
import Foundation

/// A round as a viewer may see it: the counts and seed for all who see the location; the lines of every participant
/// for its managers, only their own for everyone else.
struct RoundReport: Sendable {
    struct Line: Sendable {
        let entry: AllocationEntryRecord
        let username: String?
        let displayName: String?
        let deskName: String?
        /// Why they got what they got, in words.
        let explanation: String
    }

    let round: AllocationRoundRecord
    let lines: [Line]
}

extension AllocationService {
    func report(_ target: AllocationDay, for viewer: Viewer) async throws -> RoundReport {
        let (_, gate) = try await placeService.visibleLocation(target.locationId, viewer)
        let rounds = RoundStore(sql: sql)
        guard let round = try await rounds.round(at: target.locationId, on: target.day) else { throw DomainError.notFound("Round") }
        let everyone = AccessRules.manages(location: gate.locationId, viewer)
        let lines = try await rounds.namedEntries(of: round.id, onlyOf: everyone ? nil : viewer.userId).map { named in
            RoundReport.Line(entry: named.entry, username: named.username, displayName: named.displayName, deskName: named.deskName,
                             explanation: Self.explain(named.entry, deskName: named.deskName, of: round.participants))
        }
        return RoundReport(round: round, lines: lines)
    }

    static func explain(_ entry: AllocationEntryRecord, deskName: String?, of participants: Int) -> String {
        guard let position = entry.position else { return "Not in the draw: \(entry.reason ?? "no reason recorded")" }
        let debt = entry.losses == 0 ? "no earlier round without a desk"
            : entry.losses == 1 ? "1 earlier round without a desk" : "\(entry.losses) earlier rounds without a desk"
        let drawn = "Drawn \(position + 1) of \(participants) with weight \(String(format: "%g", entry.weight)) (\(debt))."
        let desk = deskName ?? "a desk"
        switch entry.outcome {
        case "preferred" where entry.preferenceRank == 0:
            return "\(drawn) Your first choice, \(desk), was still free."
        case "preferred":
            let rank = entry.preferenceRank ?? 0
            return "\(drawn) Your first \(rank == 1 ? "choice was" : "\(rank) choices were") taken by people drawn earlier; your choice \(rank + 1), \(desk), was free."
        case "matching":
            return "\(drawn) No desk you named was free; \(desk) was the first free desk matching your rooms and tags."
        case "waitlisted":
            return "\(drawn) Every desk you accept was taken by people drawn earlier; you were number \((entry.waitlistPosition ?? 0) + 1) on the waitlist."
        default:
            return "\(drawn) \(entry.reason ?? "")"
        }
    }
}
