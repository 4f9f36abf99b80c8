import DeskCore
import Foundation

/// How a person wants times and pages shown, and their booking defaults.
struct Preferences: Sendable, Equatable {
    enum Theme: String, Sendable, CaseIterable { case light, dark, auto }
    enum DateFormat: String, Sendable, CaseIterable {
        case iso = "YYYY-MM-DD", european = "DD.MM.YYYY", british = "DD/MM/YYYY", american = "MM/DD/YYYY"
    }
    enum TimeFormat: String, Sendable, CaseIterable { case twentyFourHour = "24h", twelveHour = "12h" }

    var theme: Theme = .auto
    /// An IANA zone name; nil shows times in each location's own zone.
    var timezone: String?
    var dateFormat: DateFormat = .iso
    var timeFormat: TimeFormat = .twentyFourHour
    var defaultLocationId: UUID?
    var defaultDurationMinutes: Int = 480

    static let durationRange = 15...1440
}

/// Changes to preferences: a field left out stays as it is; `timezone` and `default_location_id` may be set to null.
struct PreferencesPatch: Sendable {
    var theme: String?
    var timezone: String??
    var dateFormat: String?
    var timeFormat: String?
    var defaultLocationId: UUID??
    var defaultDurationMinutes: Int?
}

struct PreferencesService: Sendable {
    let transactor: Transactor
    let placeService: PlaceService

    func preferences(of userId: UUID) async throws -> Preferences {
        guard let record = try await PreferencesStore(sql: transactor.sql).preferences(of: userId) else {
            return Preferences()
        }
        var preferences = Preferences()
        preferences.theme = Preferences.Theme(rawValue: record.theme) ?? .auto
        preferences.timezone = record.timezone
        preferences.dateFormat = Preferences.DateFormat(rawValue: record.dateFormat) ?? .iso
        preferences.timeFormat = Preferences.TimeFormat(rawValue: record.timeFormat) ?? .twentyFourHour
        preferences.defaultLocationId = record.defaultLocationId
        preferences.defaultDurationMinutes = record.defaultDurationMinutes
        return preferences
    }

    /// Validates every field first (all problems reported together), then stores the result.
    func update(_ patch: PreferencesPatch, by viewer: Viewer) async throws -> Preferences {
        var preferences = try await preferences(of: viewer.userId)
        var errors: [FieldError] = []
        func invalid(_ field: String, _ message: String) { errors.append(FieldError(field: field, message: message)) }

        /// One of the cases of a closed set of choices, or a field error naming them.
        func choice<Choice: RawRepresentable & CaseIterable>(_ text: String?, _ field: String, into value: inout Choice)
        where Choice.RawValue == String {
            guard let text else { return }
            if let parsed = Choice(rawValue: text) { value = parsed } else {
                invalid(field, "one of " + Choice.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        choice(patch.theme, "theme", into: &preferences.theme)
        choice(patch.dateFormat, "date_format", into: &preferences.dateFormat)
        choice(patch.timeFormat, "time_format", into: &preferences.timeFormat)
        if let timezone = patch.timezone {
            if let name = timezone, !Self.isIANAZone(name) {
                invalid("timezone", "an IANA time zone name such as Europe/Berlin")
            } else {
                preferences.timezone = timezone
            }
        }
        if let minutes = patch.defaultDurationMinutes {
            if Preferences.durationRange.contains(minutes), minutes % 5 == 0 { preferences.defaultDurationMinutes = minutes } else {
                invalid("default_duration_minutes", "a multiple of 5 between 15 and 1440")
            }
        }
        if let location = patch.defaultLocationId {
            if let id = location, (try? await placeService.visibleLocation(id, viewer)) == nil {
                invalid("default_location_id", "no such location")
            } else {
                preferences.defaultLocationId = location
            }
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }

        let record = PreferencesRecord(
            userId: viewer.userId, theme: preferences.theme.rawValue, timezone: preferences.timezone,
            dateFormat: preferences.dateFormat.rawValue, timeFormat: preferences.timeFormat.rawValue,
            defaultLocationId: preferences.defaultLocationId, defaultDurationMinutes: preferences.defaultDurationMinutes
        )
        try await transactor.write { sql in
            try await PreferencesStore(sql: sql).replace(record)
            return .unannounced
        }
        return preferences
    }

    /// Only canonical IANA names: `TimeZone(identifier:)` also accepts abbreviations and offsets such as "EST" or "GMT+2".
    static func isIANAZone(_ name: String) -> Bool {
        ianaZones.contains(name)
    }

    private static let ianaZones = Set(TimeZone.knownTimeZoneIdentifiers)
}
