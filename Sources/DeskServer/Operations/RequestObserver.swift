import Vapor

/// Counts, times and logs every answered request by route pattern and status. It sits outside `ProblemMiddleware`,
/// so every error has already become its answer; the log line carries the request id (and, once signed in, the user
/// id) in its metadata.
struct RequestObserver: AsyncMiddleware {
    let metrics: ServerMetrics

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next.respond(to: request)
        let elapsed = ContinuousClock.now - started
        // Unmatched paths share one label so that scanners cannot blow up the number of series.
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        metrics.request(method: request.method.rawValue, route: route, status: response.status.code, duration: elapsed)
        request.logger.info("\(request.method) \(request.url.path) \(response.status.code)", metadata: [
            "route": .string(route), "status": .stringConvertible(response.status.code),
            "duration_ms": .stringConvertible((Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)),
        ])
        return response
    }
}
