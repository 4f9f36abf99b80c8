import Vapor

/// The largest request body each route takes. Bodies are collected before a route runs, so the server, not the
/// route, enforces this: JSON bodies up to `standard`, larger only on routes marked with `allowingBodies(upTo:)`.
struct BodyLimits: Sendable {
    static let userInfoKey = "deskpilot.body-limit"

    let standard: Int
    private let larger: [(method: HTTPMethod, path: [PathComponent], limit: Int)]

    init(routes: Routes, standard: Int) {
        self.standard = standard
        larger = routes.all.compactMap { route in
            guard let limit = route.userInfo[Self.userInfoKey] as? Int, limit > standard else { return nil }
            return (route.method, route.path, limit)
        }
    }

    /// The limit for a request line; only routes with a larger limit are looked at, and only for large bodies.
    func limit(method: HTTPMethod, uri: String) -> Int {
        guard !larger.isEmpty else { return standard }
        let segments = uri.prefix { $0 != "?" }.split(separator: "/")
        let match = larger.first { candidate in
            candidate.method == method && candidate.path.count == segments.count
                && zip(candidate.path, segments).allSatisfy { component, segment in
                    switch component {
                    case .constant(let text): text == segment
                    case .parameter: true
                    default: false
                    }
                }
        }
        return match?.limit ?? standard
    }
}

extension Route {
    /// Lets this route take bodies up to `bytes` (the server refuses larger ones with 413 before the route runs).
    @discardableResult
    func allowingBodies(upTo bytes: Int) -> Route {
        userInfo[BodyLimits.userInfoKey] = bytes
        return self
    }
}
