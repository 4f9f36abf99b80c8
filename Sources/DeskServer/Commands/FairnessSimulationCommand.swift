import DeskCore
import Foundation

/// Compares how evenly desks are shared out under our allocation rounds and under first-come booking:
/// `deskpilot simulate-fairness`. Runs `FairnessSimulation` for each policy and prints a Markdown table for
/// docs/fairness.md. Pure computation: no configuration, database or server.
struct FairnessSimulationCommand {
    let settings: FairnessSimulation.Settings
    /// Round weights to compare with the server's standard ones (`--per-loss`), if any.
    let alternativeWeights: FairnessWeights?

    func run() -> String {
        var policies: [FairnessSimulation.Policy] = [.rounds(.standard)]
        if let alternativeWeights, alternativeWeights != .standard { policies.append(.rounds(alternativeWeights)) }
        policies += [.firstComeRandomArrival, .firstComeFastestWins]
        let results = policies.map { FairnessSimulation.run(settings, policy: $0) }

        let oversubscription = settings.desks == 0 ? "no desks" : String(format: "%.1f", Double(settings.users) / Double(settings.desks)) + "× oversubscribed"
        let heading = "Desk-days per person over \(settings.weeks) weeks (\(settings.days) workdays): \(settings.users) people, "
            + "\(settings.desks) desks (\(oversubscription)), seed \(settings.seed)."
        var lines = [
            heading,
            "",
            "| Policy | Gini | Min | p10 | p50 | p90 | Max | Mean | Longest losing streak | First choice |",
            "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for result in results {
            let cells: [String] = [
                result.policy.name, String(format: "%.3f", result.gini), String(result.minimum), String(result.quantile(0.1)),
                String(result.quantile(0.5)), String(result.quantile(0.9)), String(result.maximum), String(format: "%.1f", result.mean),
                "\(result.longestLosingStreak) days", String(format: "%.0f %%", result.firstChoiceShare * 100),
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines.append("")
        lines.append("""
            Min, p10, p50, p90, max: desk-days per person. Longest losing streak: the most consecutive workdays anyone \
            went without a desk. First choice: share of desk-days at the person's first-choice desk.
            """)
        return lines.joined(separator: "\n")
    }
}
