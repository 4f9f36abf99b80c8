import Vapor

/// Serves the files under `Public/`. Only paths that start with one of its top-level entries (`js`, `css`, `img`)
/// reach the file system: asking it about every API request would cost each one a thread-pool round trip (and,
/// like `SecurityHeaders`, it is a plain middleware so that passing a request on costs no task hop).
struct PublicFiles: Middleware {
    private let files: FileMiddleware
    private let topLevel: Set<Substring>

    init(directory: String) {
        files = FileMiddleware(publicDirectory: directory, advancedETagComparison: true)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        topLevel = Set(entries.map { Substring($0) })
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        // The raw target, not `url.path`: decoding the path for every API request is not free.
        let first = request.url.string.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true).first
        guard request.method == .GET || request.method == .HEAD, let first, topLevel.contains(first) else {
            return next.respond(to: request)
        }
        // Files revalidate on every use (a cheap 304 with their ETag), so an upgrade never mixes old and new modules.
        return files.respond(to: request, chainingTo: next).map { response in
            if response.headers.cacheControl == nil { response.headers.cacheControl = .init(noCache: true) }
            return response
        }
    }
}
