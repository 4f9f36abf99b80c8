import Vapor

/// Serves the files under `Public` from `WebAssets`: a strong ETag per file, `no-cache` so browsers revalidate on
/// every use (a cheap 304, and an upgrade never mixes old and new modules), and the gzip copy when the client takes
/// it. The path is matched literally against the known files, so no encoded or relative form reaches anything else.
/// A plain (not async) middleware: passing an API request on costs one dictionary lookup and no task hop.
struct PublicFiles: Middleware {
    let assets: WebAssets

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.method == .GET || request.method == .HEAD else { return next.respond(to: request) }
        // The raw target, not `url.path`: decoding the path for every API request is not free.
        let target = request.url.string
        guard target.first == "/" else { return next.respond(to: request) }
        let path = target.dropFirst().prefix { $0 != "?" }
        guard !path.isEmpty, let file = assets.file(at: path) else { return next.respond(to: request) }
        return request.eventLoop.makeSucceededFuture(Self.response(file, for: request))
    }

    static func response(_ file: WebFile, for request: Request) -> Response {
        let gzip = file.gzipped != nil && acceptsGzip(request.headers)
        let etag = gzip ? file.gzipETag : file.etag
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .eTag, value: etag)
        headers.cacheControl = .init(noCache: true)
        if file.gzipped != nil { headers.replaceOrAdd(name: .vary, value: "Accept-Encoding") }
        if matches(request.headers[.ifNoneMatch], file) {
            return Response(status: .notModified, headers: headers)
        }
        headers.replaceOrAdd(name: .contentType, value: file.contentType)
        if gzip { headers.replaceOrAdd(name: .contentEncoding, value: "gzip") }
        return Response(status: .ok, headers: headers, body: .init(buffer: gzip ? file.gzipped! : file.body))
    }

    /// `If-None-Match` names this file in either encoding (or is `*`).
    private static func matches(_ values: [String], _ file: WebFile) -> Bool {
        values.flatMap { $0.split(separator: ",") }.contains { tag in
            let tag = tag.trimmingCharacters(in: .whitespaces)
            let strong = tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag
            return strong == "*" || strong == file.etag || strong == file.gzipETag
        }
    }

    /// `Accept-Encoding` lists `gzip` (or `*`) with a quality above zero.
    static func acceptsGzip(_ headers: HTTPHeaders) -> Bool {
        headers[.acceptEncoding].flatMap { $0.split(separator: ",") }.contains { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first, coding == "gzip" || coding == "*" else { return false }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0
        }
    }
}
