import DeskCore
import Vapor

/// The signed-in person's preferences, numbers, and calendar feed.
enum MeController {
    /// Absent fields stay as they are; `null` clears `timezone` and `default_location_id`.
    struct PreferencesInput: Decodable {
        let patch: PreferencesPatch

        private enum CodingKeys: String, CodingKey {
            case theme, timezone, dateFormat, timeFormat, defaultLocationId, defaultDurationMinutes
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            patch = PreferencesPatch(
                theme: try container.decodeIfPresent(String.self, forKey: .theme),
                timezone: try container.decodeNullable(String.self, forKey: .timezone),
                dateFormat: try container.decodeIfPresent(String.self, forKey: .dateFormat),
                timeFormat: try container.decodeIfPresent(String.self, forKey: .timeFormat),
                defaultLocationId: try container.decodeNullable(UUID.self, forKey: .defaultLocationId),
                defaultDurationMinutes: try container.decodeIfPresent(Int.self, forKey: .defaultDurationMinutes)
            )
        }
    }

    @Sendable static func preferences(_ req: Request) async throws -> PreferencesDTO {
        PreferencesDTO(try await req.services.preferences.preferences(of: try req.requireViewer().userId))
    }

    @Sendable static func updatePreferences(_ req: Request) async throws -> PreferencesDTO {
        let viewer = try req.requireViewer()
        let input = try req.body(PreferencesInput.self)
        return PreferencesDTO(try await req.services.preferences.update(input.patch, by: viewer))
    }

    @Sendable static func stats(_ req: Request) async throws -> StatsDTO {
        StatsDTO(try await req.services.stats.stats(for: try req.requireViewer()))
    }

    @Sendable static func rotateCalendarFeed(_ req: Request) async throws -> CalendarFeedDTO {
        let url = try await req.services.calendar.rotateFeed(for: try req.requireViewer(), actor: req.actor)
        return CalendarFeedDTO(url: url.absoluteString)
    }
}
