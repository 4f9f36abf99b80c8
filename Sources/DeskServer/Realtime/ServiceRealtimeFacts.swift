import DeskCore
import Foundation

/// Delivery's facts read through the services.
struct ServiceRealtimeFacts: RealtimeFacts {
    let places: PlaceService
    let users: UserService
    let availability: AvailabilityService

    func roomContext(_ roomId: UUID) async throws -> RoomContext? {
        try await places.roomContext(roomId)
    }

    func booker(_ userId: UUID) async throws -> BookerDTO? {
        try await users.user(id: userId).map { BookerDTO(username: $0.username, displayName: $0.displayName) }
    }

    func roomDays(_ context: RoomContext, dates: [LocalDate]) async throws -> AvailabilityService.RoomDayFacts {
        try await availability.roomDays(context, dates: dates)
    }
}
