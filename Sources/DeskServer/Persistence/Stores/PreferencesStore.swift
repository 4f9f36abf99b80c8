import DeskCore
import Foundation
import SQLKit

/// The `user_preferences` table: at most one row per person; no row means the defaults.
struct PreferencesStore: Sendable {
    let sql: any SQLDatabase

    func preferences(of userId: UUID) async throws -> PreferencesRecord? {
        try await sql.first(PreferencesRecord.self, "SELECT * FROM user_preferences WHERE user_id = \(bind: userId)")
    }

    /// How a person reads times in what they are told: their chosen zone and formats, the defaults where they chose none.
    func readingFormat(of userId: UUID) async throws -> ReadingFormat {
        let record = try await preferences(of: userId)
        return ReadingFormat(
            timeZone: record?.timezone.flatMap(TimeZone.init(identifier:)),
            dateOrder: record.flatMap { ReadingFormat.DateOrder(rawValue: $0.dateFormat) } ?? .iso,
            twelveHour: record?.timeFormat == Preferences.TimeFormat.twelveHour.rawValue)
    }

    func replace(_ record: PreferencesRecord) async throws {
        try await sql.raw("DELETE FROM user_preferences WHERE user_id = \(bind: record.userId)").run()
        try await sql.insert(into: "user_preferences")
            .model(record, keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil).run()
    }
}
