import DeskCore
import Vapor

/// `GET /api/v1/ws`: upgrades a signed-in caller's request to a live-update socket (see `RealtimeHub`).
enum RealtimeController {
    /// Client messages are small JSON objects.
    static let maximumFrame: WebSocketMaxFrameSize = 4096

    @Sendable static func connect(_ req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        guard req.headers[.upgrade].contains(where: { $0.lowercased() == "websocket" }) else {
            throw DomainError(.badRequest, code: "upgrade_required", detail: "Open this URL as a WebSocket.")
        }
        // Browsers send cookies on cross-site socket handshakes too: only pages of this server may use the session.
        if principal.credential == .session, let origin = req.headers.first(name: .origin), !isOwnOrigin(origin, req) {
            throw DomainError(.forbidden, code: "origin_not_allowed", detail: "Live updates are only available to pages of this server.")
        }
        let hub = req.services.realtime
        let response = Response(status: .switchingProtocols)
        response.upgrader = WebSocketUpgrader(
            maxFrameSize: maximumFrame, shouldUpgrade: { req.eventLoop.makeSucceededFuture([:]) },
            onUpgrade: { socket in hub.accept(socket, viewer: principal.viewer) })
        return response
    }

    /// The configured public URL's origin, or the origin the request was addressed to.
    private static func isOwnOrigin(_ origin: String, _ req: Request) -> Bool {
        let base = req.services.config.baseURL
        let configured = "\(base.scheme ?? "http")://\(base.host ?? "")" + (base.port.map { ":\($0)" } ?? "")
        if origin.caseInsensitiveCompare(configured) == .orderedSame { return true }
        guard let host = req.headers.first(name: .host), let url = URL(string: origin), let originHost = url.host else { return false }
        return host.caseInsensitiveCompare(originHost + (url.port.map { ":\($0)" } ?? "")) == .orderedSame
    }
}
