import Vapor

/// Headers that make the browser refuse what the app never does: inline or foreign scripts and styles, framing by
/// other sites, sniffing a download into a script. Every response gets them, API answers included.
struct SecurityHeaders: AsyncMiddleware {
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
        "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        // Static files revalidate on every use (a cheap 304 with their ETag), so an upgrade never mixes old and
        // new modules.
        if response.headers.cacheControl == nil, request.url.path.hasPrefix("/js/") || request.url.path.hasPrefix("/css/") {
            response.headers.cacheControl = .init(noCache: true)
        }
        return response
    }
}
