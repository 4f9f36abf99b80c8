import Vapor

/// Serves the files under `Public/`. Only paths that start with one of its top-level entries (`js`, `css`, `img`)
/// reach the file system: asking it about every API request would cost each one a thread-pool round trip.
struct PublicFiles: AsyncMiddleware {
    private let files: FileMiddleware
    private let topLevel: Set<Substring>

    init(directory: String) {
        files = FileMiddleware(publicDirectory: directory, advancedETagComparison: true)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        topLevel = Set(entries.map { Substring($0) })
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let first = request.url.path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true).first
        guard request.method == .GET || request.method == .HEAD, let first, topLevel.contains(first) else {
            return try await next.respond(to: request)
        }
        return try await files.respond(to: request, chainingTo: next)
    }
}
