import Vapor

/// Health, readiness and the API description.
enum SystemController {
    struct Health: Content {
        let status: String
    }

    @Sendable static func health(_ req: Request) async throws -> Health {
        Health(status: "ok")
    }

    /// Ready when the database answers and every migration has run.
    @Sendable static func ready(_ req: Request) async throws -> Response {
        // A draining instance still answers, but a load balancer should send new work elsewhere.
        guard !req.services.drain.isDraining else {
            throw Abort(.serviceUnavailable, reason: "This instance is shutting down.")
        }
        do {
            let pending = try await SchemaStore(sql: req.services.transactor.sql).appliedMigrationCount() < MigrationList.count
            if pending { throw Abort(.serviceUnavailable, reason: "migrations pending") }
            return try await Health(status: "ready").encodeResponse(for: req)
        } catch {
            req.logger.warning("not ready: \(error)")
            throw Abort(.serviceUnavailable, reason: "The database is not reachable or not migrated yet.")
        }
    }

    /// Prometheus text exposition of `ServerMetrics`.
    @Sendable static func metrics(_ req: Request) async throws -> Response {
        let metrics = req.services.metrics
        metrics.webSockets.set(Double(req.services.realtime.openConnections))
        let response = Response(status: .ok, body: .init(data: Data(metrics.registry.emitToBuffer())))
        response.headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return response
    }

    /// The API contract, `openapi.yaml`, compiled in as JSON (`Generated/OpenAPIContract.swift`).
    @Sendable static func openAPI(_ req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(buffer: openAPIJSON))
        response.headers.contentType = .json
        return response
    }

    private static let openAPIJSON = ByteBuffer(string: OpenAPIContract.json)
}
