import DeskCore
import Foundation

// What the stored JSON columns of places mean.

extension LocationRecord {
    var overrides: PolicyOverrides {
        (try? JSONDecoder.snakeCase.decode(PolicyOverrides.self, from: Data(policy.utf8))) ?? PolicyOverrides()
    }

    var effectivePolicy: Policy { overrides.applied(to: .defaults) }

    var timeZone: TimeZone { TimeZone(identifier: timezone) ?? TimeZone(identifier: "UTC")! }
}

extension DeskRecord {
    var tagList: [String] {
        (try? JSONDecoder().decode([String].self, from: Data(tags.utf8))) ?? []
    }
}
