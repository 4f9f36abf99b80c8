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
        Self.readingFormat(try await preferences(of: userId))
    }

    /// `readingFormat` for many people in one query (a round tells thousands at once).
    func readingFormats(of userIds: [UUID]) async throws -> [UUID: ReadingFormat] {
        var records: [UUID: PreferencesRecord] = [:]
        for start in stride(from: 0, to: userIds.count, by: 10_000) {
            let chunk = Array(userIds[start..<min(start + 10_000, userIds.count)])
            for record in try await sql.all(PreferencesRecord.self, "SELECT * FROM user_preferences WHERE user_id IN (\(binds: chunk))") {
                records[record.userId] = record
            }
        }
        return Dictionary(uniqueKeysWithValues: userIds.map { ($0, Self.readingFormat(records[$0])) })
    }

    private static func readingFormat(_ record: PreferencesRecord?) -> ReadingFormat {
        ReadingFormat(
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
