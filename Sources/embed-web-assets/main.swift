import Foundation

// Writes one Swift file holding every file under the given folders, each as a base64 string literal (literals of
// that size compile quickly; a byte-array literal of the same size would take the type checker minutes).
// usage: embed-web-assets OUTPUT ROOT FOLDER...

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    FileHandle.standardError.write(Data("usage: embed-web-assets OUTPUT ROOT FOLDER...\n".utf8))
    exit(2)
}
let output = URL(fileURLWithPath: arguments[1])
let root = URL(fileURLWithPath: arguments[2], isDirectory: true)

var entries: [(path: String, data: Data)] = []
for folder in arguments[3...] {
    let base = root.appendingPathComponent(folder, isDirectory: true)
    // Hidden files (an editor's swap file, `.DS_Store`) are not part of the web app.
    guard let walker = FileManager.default.enumerator(
        at: base, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else {
        FileHandle.standardError.write(Data("embed-web-assets: \(base.path) is missing\n".utf8))
        exit(1)
    }
    for case let file as URL in walker {
        guard (try file.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
        let relative = String(file.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
        entries.append((relative, try Data(contentsOf: file)))
    }
}
entries.sort { $0.path < $1.path }

var source = """
    // Generated at build time from the web app's folders; edit those files, not this one.

    enum EmbeddedWebAssets {
        /// Each file's path from the package root, and its bytes in base64.
        static let files: [(path: String, base64: String)] = [

    """
for entry in entries {
    let path = entry.path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    source += "        (\"\(path)\", \"\(entry.data.base64EncodedString())\"),\n"
}
source += "    ]\n}\n"

let data = Data(source.utf8)
// Rewriting an unchanged file would make the build recompile the target for nothing.
if (try? Data(contentsOf: output)) != data {
    try data.write(to: output, options: .atomic)
}
