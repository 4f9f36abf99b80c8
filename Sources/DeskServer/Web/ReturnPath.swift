import Foundation
import Vapor

/// Where to send someone after they sign in: a path on this server, never another host. The sign-in page applies the
/// same rule in `Public/js/lib/return-path.js` with the browser's own URL parser.
enum ReturnPath {
    /// Stands for this server's origin when resolving a candidate; only whether the origin changes matters.
    private static let origin = URL(string: "http://deskpilot.invalid")!

    /// `candidate` when it is a path on this server, nil otherwise. Browsers read `\` as `/` and drop tabs and newlines
    /// anywhere in an address, so `/\evil.example` or `/<TAB>/evil.example` would lead to another host: a candidate
    /// must start with a single `/`, contain no backslash or control character, resolve to this origin, and not lead
    /// back to the sign-in or sign-up page.
    static func validated(_ candidate: String) -> String? {
        guard candidate.hasPrefix("/"), !candidate.hasPrefix("//") else { return nil }
        guard !candidate.unicodeScalars.contains(where: { $0 == "\\" || $0.properties.generalCategory == .control }) else { return nil }
        guard let resolved = URL(string: candidate, relativeTo: origin)?.absoluteURL,
              resolved.scheme == origin.scheme, resolved.host == origin.host, resolved.port == nil, resolved.user == nil
        else { return nil }
        let segments = resolved.path.split(separator: "/")
        guard segments != ["login"], segments != ["register"] else { return nil }
        return candidate
    }

    /// The way back to the page a request asked for (path and query). The router ignores empty segments, so
    /// `//bookings` shows the bookings page, but a browser would read `//bookings` as a host named "bookings": the way
    /// back names the page with single slashes.
    static func of(_ url: URI) -> String {
        let path = "/" + url.path.split(separator: "/").joined(separator: "/")
        return validated(path + (url.query.map { "?" + $0 } ?? "")) ?? validated(path) ?? "/"
    }
}
