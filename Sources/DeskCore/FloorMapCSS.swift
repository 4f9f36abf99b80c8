/// The CSS a floor map may carry (style attributes, presentation attributes, `<style>` sheets): colours, strokes,
/// fonts and references to the map's own parts. Nothing that can load a resource or run code: no at-rules (so no
/// `@import`), `url()` only as `url(#id)`, only functions from an allow-list (no `image-set()`, `expression()`,
/// `attr()`…), no escapes (`\75 rl(` would spell `url(`). Comments are removed, so the CSS that is stored is the CSS
/// that was checked.
enum FloorMapCSS {
    struct Problem: Error, Hashable, Sendable {
        let message: String
    }

    /// Functions that compute colours, lengths, transforms, filter effects and shapes.
    static let functions: Set<String> = [
        "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color", "color-mix",
        "url", "var", "calc", "min", "max", "clamp",
        "translate", "translatex", "translatey", "rotate", "scale", "scalex", "scaley", "matrix", "skew", "skewx", "skewy",
        "blur", "brightness", "contrast", "drop-shadow", "grayscale", "hue-rotate", "invert", "opacity", "saturate", "sepia",
        "inset", "circle", "ellipse", "polygon", "rect", "path",
    ]

    /// Properties that once ran code or loaded bindings in some browser.
    static let forbiddenProperties: Set<String> = ["behavior", "-moz-binding"]

    /// A presentation attribute's value (`fill="url(#g)"`).
    static func value(_ css: String) throws(Problem) -> String {
        let clean = try withoutComments(css)
        try checkValue(clean)
        return clean
    }

    /// A `style` attribute: a list of declarations.
    static func declarations(_ css: String) throws(Problem) -> String {
        let clean = try withoutComments(css)
        try checkDeclarations(clean)
        return clean
    }

    /// A `<style>` element's text: rules `selector { declarations }`, no at-rules, no nesting.
    static func sheet(_ css: String) throws(Problem) -> String {
        let clean = try withoutComments(css)
        let scalars = Array(clean.unicodeScalars)
        var index = 0
        var selectorStart = 0
        var quote: Unicode.Scalar?
        while index < scalars.count {
            let scalar = scalars[index]
            if let open = quote {
                if scalar == open { quote = nil }
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
            } else if scalar == "@" {
                throw Problem(message: "at-rules such as @\(word(after: index + 1, in: scalars))")
            } else if scalar == "}" {
                throw Problem(message: "an unbalanced } in a style sheet")
            } else if scalar == "{" {
                let selector = String(String.UnicodeScalarView(scalars[selectorStart..<index]))
                guard !selector.allSatisfy(\.isWhitespace) else { throw Problem(message: "a CSS rule without a selector") }
                guard let close = closingBrace(after: index, in: scalars) else {
                    throw Problem(message: "an unbalanced { in a style sheet (nested rules are not allowed)")
                }
                try checkDeclarations(String(String.UnicodeScalarView(scalars[(index + 1)..<close])))
                index = close
                selectorStart = close + 1
            }
            index += 1
        }
        let rest = String(String.UnicodeScalarView(scalars[min(selectorStart, scalars.count)...]))
        guard rest.allSatisfy(\.isWhitespace) else { throw Problem(message: "text after the last CSS rule") }
        return clean
    }

    // MARK: Pieces

    /// Removes comments (outside strings) and refuses escapes and unclosed strings or comments.
    static func withoutComments(_ css: String) throws(Problem) -> String {
        let scalars = Array(css.unicodeScalars)
        var out = String.UnicodeScalarView()
        var quote: Unicode.Scalar?
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" { throw Problem(message: "CSS escapes (\\)") }
            if let open = quote {
                if scalar == "\n" || scalar == "\r" || scalar == "\u{0C}" { throw Problem(message: "a CSS string that is not closed") }
                if scalar == open { quote = nil }
                out.append(scalar)
                index += 1
            } else if scalar == "/", index + 1 < scalars.count, scalars[index + 1] == "*" {
                var end = index + 2
                while end + 1 < scalars.count, !(scalars[end] == "*" && scalars[end + 1] == "/") { end += 1 }
                guard end + 1 < scalars.count else { throw Problem(message: "a CSS comment that is not closed") }
                out.append(" ")
                index = end + 2
            } else if let end = try fragmentURL(at: index, in: scalars) {
                // Read here as browsers read it: an unquoted url( runs to its ), whatever quotes it holds.
                out.append(contentsOf: scalars[index..<end])
                index = end
            } else {
                if scalar == "\"" || scalar == "'" { quote = scalar }
                out.append(scalar)
                index += 1
            }
        }
        guard quote == nil else { throw Problem(message: "a CSS string that is not closed") }
        return String(out)
    }

    /// Where a `url(` that starts at `index` ends, when one does: it must be exactly `url(#id)`, the id optionally
    /// quoted (same quote on both sides), so that this reader and a browser's cannot disagree on where it ends.
    private static func fragmentURL(at index: Int, in scalars: [Unicode.Scalar]) throws(Problem) -> Int? {
        guard index + 3 < scalars.count, String(String.UnicodeScalarView(scalars[index..<(index + 3)])).lowercased() == "url",
              scalars[index + 3] == "(", index == 0 || !isIdentifier(scalars[index - 1])
        else { return nil }
        var next = index + 4
        func skipWhitespace() { while next < scalars.count, scalars[next].properties.isWhitespace { next += 1 } }
        skipWhitespace()
        let quote = next < scalars.count && (scalars[next] == "\"" || scalars[next] == "'") ? scalars[next] : nil
        if quote != nil { next += 1 }
        let idStart = next + 1
        guard next < scalars.count, scalars[next] == "#" else { throw refusedURL(index, scalars) }
        next += 1
        while next < scalars.count, isIdentifier(scalars[next]) || scalars[next] == "." || scalars[next] == ":" { next += 1 }
        guard next > idStart else { throw refusedURL(index, scalars) }
        if let quote {
            guard next < scalars.count, scalars[next] == quote else { throw refusedURL(index, scalars) }
            next += 1
        }
        skipWhitespace()
        guard next < scalars.count, scalars[next] == ")" else { throw refusedURL(index, scalars) }
        return next + 1
    }

    private static func refusedURL(_ index: Int, _ scalars: [Unicode.Scalar]) -> Problem {
        Problem(message: "\(excerpt(String(String.UnicodeScalarView(scalars[index...])))) (only url(#id) may refer to anything)")
    }

    /// `name: value; name: value !important; …`
    private static func checkDeclarations(_ css: String) throws(Problem) {
        for declaration in split(css, on: ";") where !declaration.allSatisfy(\.isWhitespace) {
            guard let colon = declaration.firstIndex(of: ":") else {
                throw Problem(message: "\"\(excerpt(declaration))\", which is not a CSS declaration")
            }
            let name = declaration[..<colon].trimmingWhitespace().lowercased()
            guard !name.isEmpty, name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }) else {
                throw Problem(message: "\"\(excerpt(String(declaration[..<colon])))\", which is not a CSS property name")
            }
            guard !forbiddenProperties.contains(name) else { throw Problem(message: "the CSS property \(name)") }
            try checkValue(String(declaration[declaration.index(after: colon)...]))
        }
    }

    /// No at-rules, no blocks, and only allowed functions; `url()` only with a fragment.
    private static func checkValue(_ css: String) throws(Problem) {
        let scalars = Array(css.unicodeScalars)
        var quote: Unicode.Scalar?
        var depth = 0
        for (index, scalar) in scalars.enumerated() {
            if let open = quote {
                if scalar == open { quote = nil }
                continue
            }
            switch scalar {
            case "\"", "'":
                quote = scalar
            case "@":
                throw Problem(message: "at-rules such as @\(word(after: index + 1, in: scalars))")
            case "{", "}":
                throw Problem(message: "\(scalar) inside a CSS value")
            case "(":
                depth += 1
                var start = index
                while start > 0, isIdentifier(scalars[start - 1]) { start -= 1 }
                guard start < index else { continue }  // a plain parenthesis, as in calc()
                let name = String(String.UnicodeScalarView(scalars[start..<index])).lowercased()
                guard functions.contains(name) else { throw Problem(message: "the CSS function \(name)()") }
                if name == "url" {
                    var next = index + 1
                    while next < scalars.count, scalars[next].properties.isWhitespace || scalars[next] == "\"" || scalars[next] == "'" {
                        next += 1
                    }
                    guard next < scalars.count, scalars[next] == "#" else {
                        throw Problem(message: "\(excerpt(String(String.UnicodeScalarView(scalars[start...])))) (only url(#id) may refer to anything)")
                    }
                }
            case ")":
                depth -= 1
                guard depth >= 0 else { throw Problem(message: "an unbalanced ) in CSS") }
            default:
                break
            }
        }
        guard depth == 0 else { throw Problem(message: "an unbalanced ( in CSS") }
    }

    /// Splits on a separator outside strings and parentheses.
    private static func split(_ css: String, on separator: Unicode.Scalar) -> [String] {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var quote: Unicode.Scalar?
        var depth = 0
        for scalar in css.unicodeScalars {
            if let open = quote {
                if scalar == open { quote = nil }
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
            } else if scalar == "(" {
                depth += 1
            } else if scalar == ")" {
                depth -= 1
            } else if scalar == separator, depth <= 0 {
                parts.append(String(current))
                current = String.UnicodeScalarView()
                continue
            }
            current.append(scalar)
        }
        parts.append(String(current))
        return parts
    }

    /// The `}` that closes the block opened at `open`, or nil when it is missing or another `{` comes first.
    private static func closingBrace(after open: Int, in scalars: [Unicode.Scalar]) -> Int? {
        var quote: Unicode.Scalar?
        for index in (open + 1)..<scalars.count {
            let scalar = scalars[index]
            if let current = quote {
                if scalar == current { quote = nil }
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
            } else if scalar == "{" {
                return nil
            } else if scalar == "}" {
                return index
            }
        }
        return nil
    }

    private static func isIdentifier(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
    }

    private static func word(after index: Int, in scalars: [Unicode.Scalar]) -> String {
        var end = index
        while end < scalars.count, isIdentifier(scalars[end]) { end += 1 }
        return String(String.UnicodeScalarView(scalars[min(index, end)..<end]))
    }

    static func excerpt(_ text: some StringProtocol, limit: Int = 60) -> String {
        let trimmed = text.trimmingWhitespace()
        return trimmed.count > limit ? String(trimmed.prefix(limit)) + "…" : trimmed
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
