import Vapor

/// The methods the registered routes declare for a request's path, for 405 answers with `Allow`.
///
/// Asked only after routing has failed (no route for the method, or a path id that is not one), so normal requests
/// never pay for it. The routes are read from the application as they are registered, so nothing is kept in step.
enum AllowedMethods {
    /// A 405 for a path that exists with other methods; nil when the path names nothing (a plain 404), or when the
    /// request's own method is among them.
    static func refusal(for request: Request) -> (any Error)? {
        let methods = allowed(for: request.url.path, in: request.application.routes)
        guard !methods.isEmpty, !methods.contains(request.method) else { return nil }
        let list = methods.map(\.rawValue).joined(separator: ", ")
        return Abort(.methodNotAllowed, headers: ["Allow": list],
                     reason: "\(request.method.rawValue) is not allowed here; this path allows \(list).")
    }

    /// The methods of the most specific route templates that match `path`, in a stable order. Like OpenAPI path
    /// matching, a fixed segment beats a parameter (`/bookings/bulk` is not `/bookings/{id}`). HEAD goes with GET,
    /// as the router answers it.
    static func allowed(for path: String, in routes: Routes) -> [HTTPMethod] {
        let segments = path.split(separator: "/")
        var best: [Int] = []
        var methods: Set<String> = []
        for route in routes.all {
            guard let rank = rank(of: route.path, matching: segments, caseInsensitive: routes.caseInsensitive) else { continue }
            if rank.lexicographicallyPrecedes(best) { continue }
            if rank != best {
                best = rank
                methods = []
            }
            methods.insert(route.method.rawValue)
        }
        if methods.contains(HTTPMethod.GET.rawValue) { methods.insert(HTTPMethod.HEAD.rawValue) }
        let order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
        return methods.sorted { (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1) }
            .map { HTTPMethod(rawValue: $0) }
    }

    /// How specifically a template matches, one number per segment (higher is more specific); nil when it does not.
    private static func rank(of template: [PathComponent], matching segments: [Substring], caseInsensitive: Bool) -> [Int]? {
        let template = template.filter { if case .constant("") = $0 { false } else { true } }
        var rank: [Int] = []
        rank.reserveCapacity(segments.count)
        for (index, component) in template.enumerated() {
            switch component {
            case .catchall:
                guard index < segments.count else { return nil }
                return rank + [0]
            case .anything:
                guard index < segments.count else { return nil }
                rank.append(1)
            case .parameter:
                guard index < segments.count else { return nil }
                rank.append(2)
            case .constant(let text):
                guard index < segments.count else { return nil }
                let segment = segments[index]
                let equal = caseInsensitive ? segment.lowercased() == text.lowercased() : segment == text
                guard equal else { return nil }
                rank.append(3)
            }
        }
        return template.count == segments.count ? rank : nil
    }
}
