import Foundation

/// Unbuffered writers, so progress and results keep their order even when piped.
enum Output {
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func err(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// A failure that ends the run with a message meant for the operator.
struct LoadError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Shortens a response body for display.
func truncated(_ text: String, to limit: Int = 300) -> String {
    let flat = text.replacingOccurrences(of: "\n", with: " ")
    guard flat.count > limit else { return flat }
    return String(flat.prefix(limit)) + "…"
}
