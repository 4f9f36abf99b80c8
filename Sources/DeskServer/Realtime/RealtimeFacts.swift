import DeskCore
import Foundation

/// What delivery reads from the database: behind a protocol so that tests feed it from memory.
protocol RealtimeFacts: Sendable {
    /// A room with its location and gates; nil when it no longer exists.
    func roomContext(_ roomId: UUID) async throws -> RoomContext?
    /// How a booker is named to readers allowed to see it; nil for an unknown person.
    func booker(_ userId: UUID) async throws -> BookerDTO?
    /// A room's desks and bookings on some local days.
    func roomDays(_ context: RoomContext, dates: [LocalDate]) async throws -> AvailabilityService.RoomDayFacts
}
