import Foundation
import Testing
@testable import DeskCore

/// One way to break (or bend) a valid policy, with the fields that must then be reported.
struct PolicyEdit: Sendable, CustomTestStringConvertible {
    let name: String
    let apply: @Sendable (inout Policy) -> Void
    let fields: Set<String>

    init(_ name: String, fields: Set<String> = [], _ apply: @escaping @Sendable (inout Policy) -> Void) {
        self.name = name
        self.fields = fields
        self.apply = apply
    }

    var testDescription: String { name }

    func policy(from base: Policy = .defaults) -> Policy {
        var policy = base
        apply(&policy)
        return policy
    }
}

@Suite("Policy")
struct PolicyTests {
    @Test("the global defaults match the specification")
    func defaults() {
        let policy = Policy.defaults
        #expect(policy.maxAdvanceDays == 14)
        #expect(policy.releaseTime == LocalTime(hour: 0))
        #expect(policy.granularityMinutes == 30)
        #expect(policy.bookableFrom == LocalTime(hour: 7))
        #expect(policy.bookableUntil == LocalTime(hour: 20))
        #expect(policy.minDurationMinutes == 30)
        #expect(policy.maxDurationMinutes == 780)
        #expect(policy.maxConcurrentPerUser == 1)
        #expect(policy.maxUpcomingPerUser == 20)
        #expect(policy.checkInRequired == false)
        #expect(policy.checkInGraceMinutes == 30)
        #expect(policy.bookerVisibility == .everyone)
    }

    @Test("the defaults are valid")
    func defaultsAreValid() {
        #expect(Policy.defaults.problems().isEmpty)
    }

    static let invalidEdits: [PolicyEdit] = [
        PolicyEdit("negative advance days", fields: ["max_advance_days"]) { $0.maxAdvanceDays = -1 },
        PolicyEdit("advance days over a year", fields: ["max_advance_days"]) { $0.maxAdvanceDays = 366 },
        PolicyEdit("release at 24:00", fields: ["release_time"]) { $0.releaseTime = LocalTime(hour: 24) },
        PolicyEdit("granularity 0", fields: ["granularity_minutes"]) { $0.granularityMinutes = 0 },
        PolicyEdit("negative granularity", fields: ["granularity_minutes"]) { $0.granularityMinutes = -30 },
        PolicyEdit("granularity 45 does not divide a day", fields: ["granularity_minutes"]) {
            $0.granularityMinutes = 45
            $0.bookableFrom = LocalTime(hour: 6)
            $0.bookableUntil = LocalTime(hour: 21)
            $0.minDurationMinutes = 45
            $0.maxDurationMinutes = 720
        },
        PolicyEdit("bookable hours reversed", fields: ["bookable_until"]) {
            $0.bookableFrom = LocalTime(hour: 20)
            $0.bookableUntil = LocalTime(hour: 7)
        },
        PolicyEdit("bookable hours empty", fields: ["bookable_until"]) { $0.bookableUntil = LocalTime(hour: 7) },
        PolicyEdit("bookable_from off the grid", fields: ["bookable_from"]) { $0.bookableFrom = LocalTime(hour: 7, minute: 15) },
        PolicyEdit("bookable_until off the grid", fields: ["bookable_until"]) {
            $0.bookableUntil = LocalTime(hour: 19, minute: 45)
        },
        PolicyEdit("minimum duration zero", fields: ["min_duration_minutes"]) { $0.minDurationMinutes = 0 },
        PolicyEdit("minimum duration off the grid", fields: ["min_duration_minutes"]) { $0.minDurationMinutes = 45 },
        PolicyEdit("maximum duration off the grid", fields: ["max_duration_minutes"]) { $0.maxDurationMinutes = 775 },
        PolicyEdit("maximum below minimum", fields: ["max_duration_minutes"]) {
            $0.minDurationMinutes = 120
            $0.maxDurationMinutes = 60
        },
        PolicyEdit("no concurrent desk", fields: ["max_concurrent_per_user"]) { $0.maxConcurrentPerUser = 0 },
        PolicyEdit("101 concurrent desks", fields: ["max_concurrent_per_user"]) { $0.maxConcurrentPerUser = 101 },
        PolicyEdit("no upcoming booking", fields: ["max_upcoming_per_user"]) { $0.maxUpcomingPerUser = 0 },
        PolicyEdit("10001 upcoming bookings", fields: ["max_upcoming_per_user"]) { $0.maxUpcomingPerUser = 10_001 },
        PolicyEdit("negative grace", fields: ["check_in_grace_minutes"]) { $0.checkInGraceMinutes = -1 },
        PolicyEdit("grace over a day", fields: ["check_in_grace_minutes"]) { $0.checkInGraceMinutes = 1441 },
        PolicyEdit("hourly grid with a 30-minute minimum", fields: ["min_duration_minutes"]) { $0.granularityMinutes = 60 },
    ]

    @Test("each invalid field is reported under its snake_case name", arguments: invalidEdits)
    func reportsInvalidField(edit: PolicyEdit) {
        let problems = edit.policy().problems()
        #expect(Set(problems.map(\.field)) == edit.fields)
        #expect(problems.allSatisfy { !$0.message.isEmpty })
    }

    static let validEdits: [PolicyEdit] = [
        PolicyEdit("no advance booking") { $0.maxAdvanceDays = 0 },
        PolicyEdit("a year ahead") { $0.maxAdvanceDays = 365 },
        PolicyEdit("release at 23:30") { $0.releaseTime = LocalTime(hour: 23, minute: 30) },
        PolicyEdit("bookable until 24:00") { $0.bookableUntil = LocalTime(hour: 24) },
        PolicyEdit("bookable all day") {
            $0.bookableFrom = LocalTime(hour: 0)
            $0.bookableUntil = LocalTime(hour: 24)
        },
        PolicyEdit("5-minute grid") { $0.granularityMinutes = 5 },
        PolicyEdit("hourly grid") {
            $0.granularityMinutes = 60
            $0.minDurationMinutes = 60
        },
        PolicyEdit("whole days") {
            $0.granularityMinutes = 1440
            $0.bookableFrom = LocalTime(hour: 0)
            $0.bookableUntil = LocalTime(hour: 24)
            $0.minDurationMinutes = 1440
            $0.maxDurationMinutes = 1440
        },
        PolicyEdit("fixed duration") { $0.maxDurationMinutes = 30 },
        PolicyEdit("100 concurrent desks") { $0.maxConcurrentPerUser = 100 },
        PolicyEdit("10000 upcoming bookings") { $0.maxUpcomingPerUser = 10_000 },
        PolicyEdit("no grace") { $0.checkInGraceMinutes = 0 },
        PolicyEdit("a day of grace") { $0.checkInGraceMinutes = 1440 },
        PolicyEdit("check-in required, names for managers") {
            $0.checkInRequired = true
            $0.bookerVisibility = .managers
        },
    ]

    @Test("values at the edges of each range are valid", arguments: validEdits)
    func acceptsEdgeValues(edit: PolicyEdit) {
        #expect(edit.policy().problems().isEmpty)
    }

    @Test("several problems are reported together")
    func reportsAllProblems() {
        var policy = Policy.defaults
        policy.maxAdvanceDays = 400
        policy.releaseTime = LocalTime(hour: 24)
        policy.maxConcurrentPerUser = 0
        policy.checkInGraceMinutes = -5
        #expect(Set(policy.problems().map(\.field))
            == ["max_advance_days", "release_time", "max_concurrent_per_user", "check_in_grace_minutes"])
    }

    @Test("Codable round trip keeps every field")
    func codableRoundTrip() throws {
        var policy = Policy.defaults
        policy.releaseTime = LocalTime(hour: 8)
        policy.bookerVisibility = .managers
        let decoded = try JSONDecoder().decode(Policy.self, from: JSONEncoder().encode(policy))
        #expect(decoded == policy)
    }
}

@Suite("PolicyOverrides")
struct PolicyOverridesTests {
    /// Overrides that set every field to something other than the default.
    static var everyField: PolicyOverrides {
        var overrides = PolicyOverrides()
        overrides.maxAdvanceDays = 7
        overrides.releaseTime = LocalTime(hour: 8)
        overrides.granularityMinutes = 15
        overrides.bookableFrom = LocalTime(hour: 6)
        overrides.bookableUntil = LocalTime(hour: 22)
        overrides.minDurationMinutes = 60
        overrides.maxDurationMinutes = 480
        overrides.maxConcurrentPerUser = 2
        overrides.maxUpcomingPerUser = 5
        overrides.checkInRequired = true
        overrides.checkInGraceMinutes = 15
        overrides.bookerVisibility = .managers
        return overrides
    }

    @Test("empty overrides leave the base policy unchanged")
    func emptyOverrides() {
        #expect(PolicyOverrides().applied(to: .defaults) == .defaults)
    }

    @Test("every set field replaces the base value")
    func appliesEveryField() {
        let policy = Self.everyField.applied(to: .defaults)
        #expect(policy.maxAdvanceDays == 7)
        #expect(policy.releaseTime == LocalTime(hour: 8))
        #expect(policy.granularityMinutes == 15)
        #expect(policy.bookableFrom == LocalTime(hour: 6))
        #expect(policy.bookableUntil == LocalTime(hour: 22))
        #expect(policy.minDurationMinutes == 60)
        #expect(policy.maxDurationMinutes == 480)
        #expect(policy.maxConcurrentPerUser == 2)
        #expect(policy.maxUpcomingPerUser == 5)
        #expect(policy.checkInRequired == true)
        #expect(policy.checkInGraceMinutes == 15)
        #expect(policy.bookerVisibility == .managers)
        #expect(policy.problems().isEmpty)
    }

    @Test("unset fields keep the base value")
    func keepsUnsetFields() {
        var overrides = PolicyOverrides()
        overrides.maxAdvanceDays = 28
        overrides.bookerVisibility = .managers
        var expected = Policy.defaults
        expected.maxAdvanceDays = 28
        expected.bookerVisibility = .managers
        #expect(overrides.applied(to: .defaults) == expected)
    }

    @Test("applied to a non-default base keeps that base's unset fields")
    func appliesToAnyBase() {
        var base = Policy.defaults
        base.granularityMinutes = 15
        base.maxUpcomingPerUser = 3
        var overrides = PolicyOverrides()
        overrides.maxUpcomingPerUser = 9
        let policy = overrides.applied(to: base)
        #expect(policy.granularityMinutes == 15)
        #expect(policy.maxUpcomingPerUser == 9)
    }

    @Test("merging onto empty overrides yields the patch")
    func mergeOntoEmpty() {
        #expect(PolicyOverrides().merged(with: Self.everyField) == Self.everyField)
    }

    @Test("merging an empty patch changes nothing")
    func mergeEmptyPatch() {
        #expect(Self.everyField.merged(with: PolicyOverrides()) == Self.everyField)
    }

    @Test("a patch replaces only the fields it sets")
    func mergeReplacesSetFields() {
        var current = PolicyOverrides()
        current.maxAdvanceDays = 7
        current.releaseTime = LocalTime(hour: 8)
        var patch = PolicyOverrides()
        patch.releaseTime = LocalTime(hour: 9)
        patch.checkInRequired = true
        let merged = current.merged(with: patch)
        #expect(merged.maxAdvanceDays == 7)
        #expect(merged.releaseTime == LocalTime(hour: 9))
        #expect(merged.checkInRequired == true)
        #expect(merged.granularityMinutes == nil)
    }

    @Test("a full patch replaces every field")
    func mergeReplacesEveryField() {
        var patch = PolicyOverrides()
        patch.maxAdvanceDays = 30
        patch.releaseTime = LocalTime(hour: 6)
        patch.granularityMinutes = 60
        patch.bookableFrom = LocalTime(hour: 8)
        patch.bookableUntil = LocalTime(hour: 18)
        patch.minDurationMinutes = 120
        patch.maxDurationMinutes = 600
        patch.maxConcurrentPerUser = 3
        patch.maxUpcomingPerUser = 50
        patch.checkInRequired = false
        patch.checkInGraceMinutes = 45
        patch.bookerVisibility = .everyone
        #expect(Self.everyField.merged(with: patch) == patch)
    }

    @Test("decodes a partial JSON body with absent fields left unset")
    func decodesPartialBody() throws {
        let json = #"{"maxAdvanceDays": 3, "releaseTime": "08:30", "bookerVisibility": "managers"}"#
        let overrides = try JSONDecoder().decode(PolicyOverrides.self, from: Data(json.utf8))
        #expect(overrides.maxAdvanceDays == 3)
        #expect(overrides.releaseTime == LocalTime(hour: 8, minute: 30))
        #expect(overrides.bookerVisibility == .managers)
        #expect(overrides.granularityMinutes == nil)
        #expect(overrides.checkInRequired == nil)
    }

    @Test("decoding refuses a malformed time or visibility", arguments: [
        #"{"releaseTime": "8:30"}"#,
        #"{"bookableUntil": "24:30"}"#,
        #"{"bookerVisibility": "nobody"}"#,
    ])
    func decodingRefusesMalformed(json: String) {
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode(PolicyOverrides.self, from: Data(json.utf8))
        }
    }
}
