import Foundation

/// Uploaded SVG floor maps: read as strict XML, checked against an allow-list of static drawing (no scripts, no event
/// handlers, no animation, no foreign content, nothing that leaves the document), and written anew from the checked
/// tree, so the bytes that are stored are exactly what was checked. Comments, metadata and editor data (Inkscape,
/// Sodipodi, Illustrator, RDF…) are dropped; everything else is refused with a message naming the first offence.
public enum FloorMapSVG {
    public static let namespace = "http://www.w3.org/2000/svg"
    static let xlinkNamespace = "http://www.w3.org/1999/xlink"

    /// Whether an upload is meant as markup: after a byte-order mark and whitespace, it starts with `<`.
    public static func isMarkup(_ bytes: some Collection<UInt8>) -> Bool {
        var rest = bytes[...]
        if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
        return rest.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "<")
    }

    /// The map as it will be stored, or a `validation_failed` error for the field `image`.
    public static func sanitize(_ bytes: [UInt8]) throws(DomainError) -> String {
        let root: XMLReader.Element
        do {
            root = try XMLReader.read(bytes)
        } catch {
            throw refusal(error)
        }
        guard root.namespace == namespace, root.localName == "svg" else {
            let found = root.localName != "svg" ? "<\(root.qualifiedName)>"
                : root.namespace.map { "<svg> in the namespace \($0)" } ?? "<svg> without a namespace"
            throw refusal("an SVG map's root element must be <svg xmlns=\"\(namespace)\">, not \(found)")
        }
        guard let clean = try checked(root) else { throw refusal("the map has no drawing") }
        var out = ""
        write(clean, isRoot: true, usesXLink: usesXLink(clean), into: &out)
        return out + "\n"
    }

    // MARK: Allow-lists

    /// Static drawing. Not here, so refused: script, foreignObject, a (navigation), every animation element
    /// (animate, set, animateTransform, animateMotion, mpath, discard), feImage and cursor (they load), font and
    /// glyph elements, switch, view, and anything not SVG.
    static let elements: Set<String> = [
        "svg", "g", "defs", "symbol", "use", "title", "desc", "style",
        "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath", "image",
        "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "filter",
        "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix", "feDiffuseLighting",
        "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
        "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight", "feSpecularLighting",
        "feSpotLight", "feTile", "feTurbulence",
    ]

    /// Presentation attributes: browsers parse their values as CSS, so they get the CSS checks.
    static let presentationAttributes: Set<String> = [
        "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color", "color-interpolation",
        "color-interpolation-filters", "color-profile", "color-rendering", "cursor", "direction", "display",
        "dominant-baseline", "enable-background", "fill", "fill-opacity", "fill-rule", "filter", "flood-color",
        "flood-opacity", "font", "font-family", "font-size", "font-size-adjust", "font-stretch", "font-style",
        "font-variant", "font-weight", "glyph-orientation-horizontal", "glyph-orientation-vertical", "image-rendering",
        "isolation", "kerning", "letter-spacing", "lighting-color", "marker-end", "marker-mid", "marker-start", "mask",
        "mask-type", "mix-blend-mode", "opacity", "overflow", "paint-order", "pointer-events", "shape-rendering",
        "stop-color", "stop-opacity", "stroke", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap",
        "stroke-linejoin", "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-anchor", "text-decoration",
        "text-overflow", "text-rendering", "transform", "transform-origin", "unicode-bidi", "vector-effect",
        "visibility", "white-space", "word-spacing", "writing-mode",
    ]

    /// Other attributes without a namespace: identity, geometry, text layout, paint servers, filters.
    static let attributes: Set<String> = [
        "id", "class", "style", "href", "lang", "role", "version", "baseProfile",
        "x", "y", "width", "height", "viewBox", "preserveAspectRatio",
        "cx", "cy", "r", "rx", "ry", "fr", "fx", "fy", "x1", "y1", "x2", "y2", "points", "d", "pathLength",
        "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side", "path",
        "offset", "gradientUnits", "gradientTransform", "spreadMethod",
        "patternUnits", "patternContentUnits", "patternTransform", "clipPathUnits", "maskUnits", "maskContentUnits",
        "markerUnits", "markerWidth", "markerHeight", "refX", "refY", "orient",
        "filterUnits", "primitiveUnits", "in", "in2", "result", "mode", "type", "values", "tableValues", "slope",
        "intercept", "amplitude", "exponent", "operator", "k1", "k2", "k3", "k4", "order", "kernelMatrix", "divisor",
        "bias", "targetX", "targetY", "edgeMode", "preserveAlpha", "kernelUnitLength", "surfaceScale",
        "diffuseConstant", "specularConstant", "specularExponent", "scale", "xChannelSelector", "yChannelSelector",
        "stdDeviation", "radius", "azimuth", "elevation", "z", "pointsAtX", "pointsAtY", "pointsAtZ",
        "limitingConeAngle", "baseFrequency", "numOctaves", "seed", "stitchTiles", "media",
    ]

    /// Editors' own namespaces: their elements (with everything inside) and attributes are dropped, not refused.
    static let editorNamespaces: Set<String> = [
        "http://www.inkscape.org/namespaces/inkscape",
        "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
        "http://inkscape.sourceforge.net/DTD/sodipodi-0.dtd",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://creativecommons.org/ns#",
        "http://web.resource.org/cc/",
        "http://purl.org/dc/elements/1.1/",
        "http://purl.org/dc/terms/",
        "http://ns.adobe.com/AdobeIllustrator/10.0/",
        "http://ns.adobe.com/AdobeSVGViewerExtensions/3.0/",
        "http://ns.adobe.com/Extensibility/1.0/",
        "http://ns.adobe.com/Graphs/1.0/",
        "http://ns.adobe.com/Variables/1.0/",
        "http://ns.adobe.com/SaveForWeb/1.0/",
        "http://ns.adobe.com/ImageReplacement/1.0/",
        "http://ns.adobe.com/GenericCustomNamespace/1.0/",
        "http://ns.adobe.com/XPath/1.0/",
        "http://www.bohemiancoding.com/sketch/ns",
        "http://www.serif.com/",
        "http://www.figma.com/figma/ns",
    ]

    /// Words that must not appear in any attribute value or style sheet, once decoded and without whitespace.
    static let forbiddenWords = ["javascript:", "vbscript:", "@import", "expression("]

    /// Embedded images: the data URL prefix and the first bytes of the image it announces.
    static let embeddedImages: [(prefix: String, magic: [[UInt8]])] = [
        ("data:image/png;base64,", [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]]),
        ("data:image/jpeg;base64,", [[0xFF, 0xD8, 0xFF]]),
        ("data:image/webp;base64,", [Array("RIFF".utf8)]),
    ]

    // MARK: Checking

    /// The element as it will be stored, or nil when it is dropped (metadata, editor data).
    private static func checked(_ element: XMLReader.Element) throws(DomainError) -> XMLReader.Element? {
        switch element.namespace {
        case namespace?:
            let name = element.localName
            if name == "metadata" {
                try checkDropped(element.children)
                return nil
            }
            guard elements.contains(name) else { throw refusal("SVG maps may not contain <\(name)> (line \(element.line))") }
            var kept = XMLReader.Element(prefix: nil, localName: name, namespace: namespace, attributes: [], children: [], line: element.line)
            for attribute in element.attributes {
                if let attribute = try checked(attribute, on: name, line: element.line) { kept.attributes.append(attribute) }
            }
            for child in element.children {
                switch child {
                case .text(let text) where name == "style":
                    let place = "the <style> sheet at line \(element.line)"
                    try screen(text, in: place)
                    let sheet = try css(place) { () throws(FloorMapCSS.Problem) in try FloorMapCSS.sheet(text) }
                    try screen(sheet, in: place)
                    kept.children.append(.text(sheet))
                case .text(let text):
                    kept.children.append(.text(text))
                case .element(let inner):
                    guard name != "style" else {
                        throw refusal("a <style> element may only contain CSS, not <\(inner.qualifiedName)> (line \(inner.line))")
                    }
                    if let inner = try checked(inner) { kept.children.append(.element(inner)) }
                }
            }
            return kept
        case let other? where editorNamespaces.contains(other):
            try checkDropped(element.children)
            return nil
        case let other?:
            throw refusal("SVG maps may not contain <\(element.qualifiedName)> (namespace \(other), line \(element.line))")
        case nil:
            throw refusal("SVG maps may not contain <\(element.qualifiedName)> outside the SVG namespace (line \(element.line))")
        }
    }

    /// What is dropped is still checked: a script inside metadata is refused, not quietly removed.
    private static func checkDropped(_ children: [XMLReader.Node]) throws(DomainError) {
        for case .element(let child) in children {
            _ = try checked(child)
        }
    }

    /// The attribute as it will be stored, nil when it is dropped (editor data).
    private static func checked(_ attribute: XMLReader.Attribute, on element: String, line: Int) throws(DomainError) -> XMLReader.Attribute? {
        let label = "\(attribute.qualifiedName) on <\(element)> at line \(line)"
        if attribute.localName.lowercased().hasPrefix("on") {
            throw refusal("SVG maps may not contain event handlers (\(label))")
        }
        if let other = attribute.namespace, editorNamespaces.contains(other) { return nil }
        try screen(attribute.value, in: label)
        var kept = attribute
        switch (attribute.namespace, attribute.localName) {
        case (nil, "href"), (xlinkNamespace?, "href"):
            kept.value = try link(attribute.value, on: element, label: label)
        case (nil, "style"):
            kept.value = try css(label) { () throws(FloorMapCSS.Problem) in try FloorMapCSS.declarations(attribute.value) }
        case (nil, let name) where presentationAttributes.contains(name):
            kept.value = try css(label) { () throws(FloorMapCSS.Problem) in try FloorMapCSS.value(attribute.value) }
        case (nil, "type") where element == "style":
            guard attribute.value.trimmingWhitespace().lowercased() == "text/css" else {
                throw refusal("SVG maps may only use CSS style sheets (type=\"\(FloorMapCSS.excerpt(attribute.value))\" on <style> at line \(line))")
            }
        case (nil, let name) where attributes.contains(name) || isDataOrARIA(name):
            break
        case (XMLReader.xmlNamespace?, "space"), (XMLReader.xmlNamespace?, "lang"):
            break
        case (nil, _):
            throw refusal("SVG maps may not use the attribute \(label)")
        case (let other?, _):
            throw refusal("SVG maps may not use the attribute \(label) (namespace \(other))")
        }
        // What is stored must pass the same screen as what was sent (CSS comments removed, links compacted).
        if kept.value != attribute.value { try screen(kept.value, in: label) }
        return kept
    }

    /// Refuses scripting words and any `url()` that is not `url(#id)`, after removing whitespace and control characters
    /// (which browsers ignore inside URL schemes) and case-insensitively.
    private static func screen(_ value: String, in place: String) throws(DomainError) {
        let compact = compacted(value).lowercased()
        for word in forbiddenWords where compact.contains(word) {
            throw refusal("SVG maps may not contain \(word) (in \(place))")
        }
        // A byte scan: Foundation's range(of:) on substrings costs a copy per match.
        let bytes = Array(compact.utf8)
        let url = Array("url(".utf8)
        var index = 0
        while index + url.count <= bytes.count {
            guard bytes[index..<(index + url.count)].elementsEqual(url) else {
                index += 1
                continue
            }
            var argument = index + url.count
            while argument < bytes.count, bytes[argument] == UInt8(ascii: "\"") || bytes[argument] == UInt8(ascii: "'") { argument += 1 }
            guard argument < bytes.count, bytes[argument] == UInt8(ascii: "#") else {
                let end = bytes[index...].firstIndex(of: UInt8(ascii: ")")).map { $0 + 1 } ?? bytes.count
                let shown = String(decoding: bytes[index..<min(end, index + 200)], as: UTF8.self)
                throw refusal("SVG maps may only use url(#id), not \(FloorMapCSS.excerpt(shown)) (in \(place))")
            }
            index = argument
        }
    }

    /// An `href` may point inside the document (`#id`) or, on `<image>`, embed a PNG, JPEG or WebP image.
    private static func link(_ value: String, on element: String, label: String) throws(DomainError) -> String {
        let compact = compacted(value)
        if compact.hasPrefix("#"), compact.count > 1, compact.dropFirst().unicodeScalars.allSatisfy(isFragmentCharacter) {
            return compact
        }
        if element == "image", isEmbeddedImage(compact) {
            return compact
        }
        let allowed = element == "image" ? "a data:image/png, jpeg or webp;base64 URL" : "a link inside the map (#id)"
        throw refusal("SVG maps may only use \(allowed), not \"\(FloorMapCSS.excerpt(compact))\" (in \(label))")
    }

    private static func isEmbeddedImage(_ url: String) -> Bool {
        let lower = url.lowercased()
        guard let kind = embeddedImages.first(where: { lower.hasPrefix($0.prefix) }) else { return false }
        let payload = url.utf8.dropFirst(kind.prefix.utf8.count)
        let body = payload.prefix { $0 != UInt8(ascii: "=") }
        guard !payload.isEmpty, payload.count % 4 == 0, payload.count - body.count <= 2,
              payload.dropFirst(body.count).allSatisfy({ $0 == UInt8(ascii: "=") }),
              body.allSatisfy({ isBase64($0) }),
              let head = Data(base64Encoded: Data(payload.prefix(16)))
        else { return false }
        return kind.magic.contains { head.starts(with: $0) }
    }

    private static func isBase64(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "+"), UInt8(ascii: "/"):
            true
        default:
            false
        }
    }

    private static func isFragmentCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-" || scalar == "."
    }

    private static func isDataOrARIA(_ name: String) -> Bool {
        for prefix in ["data-", "aria-"] where name.hasPrefix(prefix) && name.count > prefix.count {
            return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "." }
        }
        return false
    }

    /// The value without whitespace and control or invisible characters.
    static func compacted(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.filter { scalar in
            !(scalar.value <= 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.properties.isWhitespace
                || scalar.properties.isDefaultIgnorableCodePoint)
        }))
    }

    private static func css(_ label: String, _ check: () throws(FloorMapCSS.Problem) -> String) throws(DomainError) -> String {
        do {
            return try check()
        } catch {
            throw refusal("SVG maps may not use \(error.message) (in \(label))")
        }
    }

    // MARK: Writing

    private static func usesXLink(_ element: XMLReader.Element) -> Bool {
        element.attributes.contains { $0.namespace == xlinkNamespace } || element.children.contains {
            if case .element(let child) = $0 { usesXLink(child) } else { false }
        }
    }

    /// Canonical output: SVG as the default namespace on the root, no prefixes on elements, `xlink:` and `xml:` on
    /// the attributes that need them.
    private static func write(_ element: XMLReader.Element, isRoot: Bool, usesXLink: Bool, into out: inout String) {
        out += "<" + element.localName
        if isRoot {
            out += " xmlns=\"\(namespace)\""
            if usesXLink { out += " xmlns:xlink=\"\(xlinkNamespace)\"" }
        }
        for attribute in element.attributes {
            let prefix = switch attribute.namespace {
            case xlinkNamespace?: "xlink:"
            case XMLReader.xmlNamespace?: "xml:"
            default: ""
            }
            out += " \(prefix)\(attribute.localName)=\"\(escaped(attribute.value, inAttribute: true))\""
        }
        guard !element.children.isEmpty else {
            out += "/>"
            return
        }
        out += ">"
        for child in element.children {
            switch child {
            case .text(let text): out += escaped(text, inAttribute: false)
            case .element(let inner): write(inner, isRoot: false, usesXLink: false, into: &out)
            }
        }
        out += "</\(element.localName)>"
    }

    private static func escaped(_ text: String, inAttribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where inAttribute: out += "&quot;"
            case "\t" where inAttribute: out += "&#9;"
            case "\n" where inAttribute: out += "&#10;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // MARK: Errors

    private static func refusal(_ message: String) -> DomainError {
        .validation(field: "image", message)
    }

    private static func refusal(_ error: XMLReadError) -> DomainError {
        switch error {
        case .malformed(let message, let line):
            refusal("the SVG is not well-formed XML: \(message) (line \(line))")
        case .refused(.notUTF8):
            refusal("SVG maps must be UTF-8 text")
        case .refused(.encoding(let encoding)):
            refusal("SVG maps must be UTF-8, not \(encoding)")
        case .refused(.version(let version)):
            refusal("SVG maps must be XML 1.0, not \(version)")
        case .refused(.doctype):
            refusal("SVG maps may not contain a DOCTYPE (nor the entities it could declare)")
        case .refused(.entityDeclaration):
            refusal("SVG maps may not contain entity declarations")
        case .refused(.entity(let name)):
            refusal("SVG maps may not use the entity &\(name); (only &amp; &lt; &gt; &quot; &apos; and numeric character references)")
        case .refused(.processingInstruction(let target)):
            refusal("SVG maps may not contain processing instructions (<?\(target) …?>)")
        case .refused(.tooDeep(let depth)):
            refusal("SVG maps may not nest elements more than \(depth) levels deep")
        }
    }
}
