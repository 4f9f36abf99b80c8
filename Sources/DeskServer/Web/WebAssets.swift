import CompressNIO
import Crypto
import Foundation
import NIOCore

/// The web app's files: page templates (`Resources/Views`) and what browsers load (`Public`).
///
/// Normally they are compiled into the binary and prepared once at start: a strong ETag per file and, for text, a
/// gzip copy made then rather than per request. With `DESKPILOT_WEB_DIR` they are read from the source folders on
/// every request instead, so that an edited template, module or stylesheet shows on the next reload.
final class WebAssets: Sendable {
    static let publicFolder = "Public"
    static let templateFolder = "Resources/Views"

    private enum Storage {
        case embedded(files: [Substring: WebFile], templates: [String: ByteBuffer])
        case directory(URL)
    }

    private let storage: Storage

    private init(storage: Storage) {
        self.storage = storage
    }

    /// The files compiled into the binary.
    static func embedded() -> WebAssets {
        var files: [Substring: WebFile] = [:]
        var templates: [String: ByteBuffer] = [:]
        for entry in EmbeddedWebAssets.files {
            guard let data = Data(base64Encoded: entry.base64) else { continue }
            if let name = relative(entry.path, to: templateFolder) {
                templates[name] = ByteBuffer(data: data)
            } else if let path = relative(entry.path, to: publicFolder) {
                files[Substring(path)] = WebFile(path: path, data: data, compress: true)
            }
        }
        return WebAssets(storage: .embedded(files: files, templates: templates))
    }

    /// The files in the source folders under `root`, read anew for each request.
    static func directory(_ root: URL) -> WebAssets {
        WebAssets(storage: .directory(root.standardizedFileURL))
    }

    /// Whether `root` holds both folders the web app needs.
    static func isSourceFolder(_ root: URL) -> Bool {
        [publicFolder, templateFolder].allSatisfy { folder in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root.appendingPathComponent(folder).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
    }

    /// The file under `Public` at this path (`css/app.css`), taken literally: no decoding, no `..`.
    func file(at path: Substring) -> WebFile? {
        switch storage {
        case .embedded(let files, _):
            return files[path]
        case .directory(let root):
            guard Self.isPlainPath(path), let data = FileManager.default.contents(
                atPath: root.appendingPathComponent(Self.publicFolder).appendingPathComponent(String(path)).path)
            else { return nil }
            return WebFile(path: String(path), data: data, compress: false)
        }
    }

    /// The template of this name (`admin/places`), without its `.leaf` extension.
    func template(_ name: String) -> ByteBuffer? {
        let name = name.hasSuffix(".leaf") ? String(name.dropLast(5)) : name
        switch storage {
        case .embedded(_, let templates):
            return templates[name]
        case .directory(let root):
            guard Self.isPlainPath(Substring(name)), let data = FileManager.default.contents(
                atPath: root.appendingPathComponent(Self.templateFolder).appendingPathComponent(name + ".leaf").path)
            else { return nil }
            return ByteBuffer(data: data)
        }
    }

    /// Whether the files are the ones compiled in, which cannot change under the running server (so Leaf may cache
    /// templates parsed from them).
    var isEmbedded: Bool {
        if case .embedded = storage { return true }
        return false
    }

    private static func relative(_ path: String, to folder: String) -> String? {
        guard path.hasPrefix(folder + "/") else { return nil }
        let rest = String(path.dropFirst(folder.count + 1))
        return folder == templateFolder ? (rest.hasSuffix(".leaf") ? String(rest.dropLast(5)) : nil) : rest
    }

    /// Segments of letters, digits, `-`, `_` and `.`, none of them starting with a dot.
    private static func isPlainPath(_ path: Substring) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return !segments.isEmpty && segments.allSatisfy { segment in
            !segment.isEmpty && segment.first != "." && segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        }
    }
}

/// One file under `Public`, ready to send.
struct WebFile: Sendable {
    let contentType: String
    let body: ByteBuffer
    /// The gzip copy, when the type compresses and the copy is smaller.
    let gzipped: ByteBuffer?
    /// A strong validator: the content's hash, different per encoding.
    let etag: String
    let gzipETag: String

    init(path: String, data: Data, compress: Bool) {
        let type = Self.contentType(of: path)
        contentType = type
        body = ByteBuffer(data: data)
        let digest = SHA256.hash(data: data).prefix(12).map { String(format: "%02x", $0) }.joined()
        etag = "\"\(digest)\""
        gzipETag = "\"\(digest)-gz\""
        var gzipped: ByteBuffer?
        if compress, Self.compressible(type) {
            var source = body
            if let copy = try? source.compress(with: .gzip()), copy.readableBytes < body.readableBytes {
                gzipped = copy
            }
        }
        self.gzipped = gzipped
    }

    static func contentType(of path: String) -> String {
        switch path.split(separator: ".").last?.lowercased() {
        case "css": "text/css; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "json": "application/json"
        case "webmanifest": "application/manifest+json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "webp": "image/webp"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "txt": "text/plain; charset=utf-8"
        case "html": "text/html; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    private static func compressible(_ type: String) -> Bool {
        type.hasPrefix("text/") || type.hasPrefix("application/json") || type.hasPrefix("application/manifest") || type == "image/svg+xml"
    }
}
