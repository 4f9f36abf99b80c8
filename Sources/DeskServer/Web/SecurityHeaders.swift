import Vapor

/// Headers that make the browser refuse what the app never does: inline or foreign scripts and styles, framing by
/// other sites, sniffing a download into a script. The policy only means something for documents, so only HTML
/// answers carry it (on small JSON answers its bytes cost measurable throughput); every answer refuses sniffing.
/// A plain (not async) middleware: it only touches headers, and an async one would cost every request a task hop.
struct SecurityHeaders: Middleware {
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
        "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            Self.secure(response)
            return response
        }
    }

    private static func secure(_ response: Response) {
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        if response.headers.first(name: .contentType)?.hasPrefix("text/html") == true {
            response.headers.replaceOrAdd(name: "Content-Security-Policy", value: contentSecurityPolicy)
            response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
            response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        }
    }
}
