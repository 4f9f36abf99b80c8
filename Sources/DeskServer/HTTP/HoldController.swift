import DeskCore
import Vapor

/// Desk holds while a booking dialog is open.
enum HoldController {
    /// Marks a route whose CSRF token may come as the `csrf_token` query parameter: `navigator.sendBeacon` cannot
    /// set headers.
    static let csrfInQuery: AnySendableHashable = "csrf_in_query"

    @Sendable static func acquire(_ req: Request) async throws -> HoldDTO {
        HoldDTO(try await req.services.holds.acquire(desk: try req.id(), by: try req.requireViewer(), actor: req.actor))
    }

    @Sendable static func release(_ req: Request) async throws -> HTTPStatus {
        try await req.services.holds.release(desk: try req.id(), by: try req.requireViewer())
        return .noContent
    }
}
