import Foundation

/// What a live client subscribes to: a room's plan, a location's rooms, or their own things (`me`).
enum Topic: Hashable, Sendable {
    case room(UUID)
    case location(UUID)
    /// `me` for the person it belongs to.
    case user(UUID)

    /// `room:<id>`, `location:<id>` or `me` (which names the caller's own topic); nil for anything else.
    init?(parsing text: String, userId: UUID) {
        if text == "me" {
            self = .user(userId)
            return
        }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let id = UUID(uuidString: parts[1]) else { return nil }
        switch parts[0] {
        case "room": self = .room(id)
        case "location": self = .location(id)
        default: return nil
        }
    }

    /// The name clients use; a person's own topic is always `me`.
    var name: String {
        switch self {
        case .room(let id): "room:\(id.uuidString.lowercased())"
        case .location(let id): "location:\(id.uuidString.lowercased())"
        case .user: "me"
        }
    }
}
