import DeskCore
@testable import DeskServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// Fills `{placeholders}` in request templates; resources a role might delete or change are made fresh per role.
enum Placeholders {
    static func resolve(_ template: String, _ server: TestServer, _ f: Fixture, role: Int) async throws -> String {
        var result = template
        let system = Actor(userId: nil, ip: nil)
        let root = try await server.services.sessions.viewer(for: try #require(await server.services.users.user(id: f.admin.userId)))
        let unique = "n\(UUID().uuidString.prefix(8).lowercased())"
        let fixed: [String: String] = [
            "{ann}": f.ann.userId.uuidString, "{bob}": f.bob.userId.uuidString, "{germany}": f.germany.uuidString,
            "{berlin}": f.berlin.uuidString, "{floor}": f.berlinFloor.uuidString, "{open}": f.openSpace.uuidString,
            "{lab}": f.lab.uuidString, "{desk}": f.desks[0].uuidString, "{labDesk}": f.labDesk.uuidString,
            "{group}": f.engineering.uuidString, "{unique}": unique, "{short}": String(unique.prefix(6)),
            "{code}": String((0..<2).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZ".randomElement()! }),
            "{slotStart}": local("2026-03-2\(3 + role)", "09:00").formatted(.iso8601),
            "{slotEnd}": local("2026-03-2\(3 + role)", "10:00").formatted(.iso8601),
        ]
        for (key, value) in fixed { result = result.replacingOccurrences(of: key, with: value) }
        let places = server.services.places
        if result.contains("{newCountry}") {
            let country = try await places.createCountry(.init(name: unique, code: "X\(["A", "B", "C", "D", "E", "F"][role])"), by: root, actor: system)
            result = result.replacingOccurrences(of: "{newCountry}", with: country.id.uuidString)
        }
        if result.contains("{newLocation}") {
            let location = try await places.createLocation(.init(countryId: f.germany, name: unique, timezone: "UTC"), by: root, actor: system)
            result = result.replacingOccurrences(of: "{newLocation}", with: location.id.uuidString)
        }
        if result.contains("{newFloor}") {
            let floor = try await places.createFloor(in: f.berlin, name: unique, level: 9, by: root, actor: system)
            result = result.replacingOccurrences(of: "{newFloor}", with: floor.id.uuidString)
        }
        if result.contains("{newRoom}") {
            let room = try await places.createRoom(on: f.berlinFloor, name: unique, description: nil, by: root, actor: system)
            result = result.replacingOccurrences(of: "{newRoom}", with: room.id.uuidString)
        }
        if result.contains("{newDesk}") {
            let desk = try await places.createDesk(in: f.openSpace, .init(name: String(unique.prefix(6))), by: root, actor: system)
            result = result.replacingOccurrences(of: "{newDesk}", with: desk.id.uuidString)
        }
        if result.contains("{newLabDesk}") {
            let desk = try await places.createDesk(in: f.lab, .init(name: String(unique.prefix(6))), by: root, actor: system)
            result = result.replacingOccurrences(of: "{newLabDesk}", with: desk.id.uuidString)
        }
        if result.contains("{annFeed}") {
            let rotated = try await server.send(.POST, "/api/v1/me/calendar-feed", as: f.ann)
            let url = try #require(ResponseBody(rotated).string("url"))
            result = result.replacingOccurrences(of: "{annFeed}", with: String(try #require(url.split(separator: "/").last)))
        }
        if result.contains("{newGroup}") {
            let group = try await server.services.access.createGroup(in: f.berlin, name: unique, description: nil, by: root, actor: system)
            result = result.replacingOccurrences(of: "{newGroup}", with: group.id.uuidString)
        }
        if result.contains("{annToken}") {
            let created = try await server.send(.POST, "/api/v1/me/tokens", as: f.ann, json: ["name": "victim", "scopes": ["read"]])
            result = result.replacingOccurrences(of: "{annToken}", with: try #require(ResponseBody(created).string("id")))
        }
        if result.contains("{annBooking}") {
            let created = try await server.book(f.desks[0], as: f.ann, day: "2026-03-2\(3 + role)", from: "09:00", to: "10:00")
            result = result.replacingOccurrences(of: "{annBooking}", with: try #require(ResponseBody(created).string("id")))
        }
        if result.contains("{labBooking}") {
            let created = try await server.book(f.labDesk, as: f.gus, day: "2026-03-2\(3 + role)", from: "11:00", to: "12:00")
            result = result.replacingOccurrences(of: "{labBooking}", with: try #require(ResponseBody(created).string("id")))
        }
        // An endpoint of Ann's and one of Berlin's (made by its manager Leo), each with a queued test delivery.
        for (name, base, owner) in [("annWebhook", "/api/v1/me/webhooks", f.ann), ("berlinWebhook", "/api/v1/locations/\(f.berlin)/webhooks", f.leo)]
        where result.contains("{\(name)") {
            let created = try await server.send(.POST, base, as: owner, json: ["url": "https://1.1.1.1/hooks", "event_types": ["booking.created"]])
            let id = try #require(ResponseBody(created).string("id"), "creating \(name): \(created.body.string)")
            result = result.replacingOccurrences(of: "{\(name)}", with: id)
            if result.contains("{\(name)Delivery}") {
                let ping = try await server.send(.POST, "\(base)/\(id)/test", as: owner)
                result = result.replacingOccurrences(of: "{\(name)Delivery}", with: try #require(ResponseBody(ping).string("id")))
            }
        }
        return result
    }

    static func resolve(_ json: JSON, _ server: TestServer, _ f: Fixture, role: Int) async throws -> JSON {
        switch json {
        case .string(let text): return .string(try await Placeholders.resolve(text, server, f, role: role))
        case .array(let items):
            var resolved: [JSON] = []
            for item in items { resolved.append(try await Placeholders.resolve(item, server, f, role: role)) }
            return .array(resolved)
        case .object(let fields):
            var resolved: [String: JSON] = [:]
            for (key, value) in fields { resolved[key] = try await Placeholders.resolve(value, server, f, role: role) }
            return .object(resolved)
        default: return json
        }
    }
}
