/// Why `XMLReader` gave up.
enum XMLReadError: Error, Hashable, Sendable {
    /// The bytes are not well-formed XML.
    case malformed(String, line: Int)
    /// Perhaps well-formed, but something this reader refuses on purpose.
    case refused(Refusal)

    enum Refusal: Hashable, Sendable {
        case notUTF8
        case encoding(String)
        case version(String)
        case doctype
        case entityDeclaration
        /// A reference to an entity other than the five predefined ones.
        case entity(String)
        /// A processing instruction, by its target.
        case processingInstruction(String)
        case tooDeep(Int)
    }
}

/// A small, strict XML 1.0 + Namespaces reader for untrusted documents: UTF-8 only, no DOCTYPE (so no entity other
/// than the five predefined ones and numeric references), no processing instruction other than a leading XML
/// declaration. CDATA sections are read as plain text. Written here rather than taken from Foundation because
/// FoundationXML needs libxml2 at run time, and because a reader that cannot expand entities cannot be tricked by them.
struct XMLReader {
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"
    static let xmlnsNamespace = "http://www.w3.org/2000/xmlns/"

    private let bytes: [UInt8]
    private let maximumDepth: Int
    private var index = 0
    /// Line numbers are counted incrementally: the reader only moves forward.
    private var counted = (index: 0, line: 1)

    private init(_ bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    /// Reads a whole document and returns its root element.
    static func read(_ bytes: [UInt8], maximumDepth: Int = 256) throws(XMLReadError) -> Element {
        var reader = XMLReader(bytes, maximumDepth: maximumDepth)
        try reader.checkCharacters()
        return try reader.document()
    }

    // MARK: Document

    private mutating func document() throws(XMLReadError) -> Element {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        // Whitespace before the declaration is not XML, but harmless: the document is written anew anyway.
        skipWhitespace()
        if has("<?xml"), index + 5 < bytes.count, Self.isWhitespace(bytes[index + 5]) || bytes[index + 5] == UInt8(ascii: "?") {
            try declaration()
        }
        try miscellany()
        guard has("<"), index + 1 < bytes.count, Self.isNameStart(bytes[index + 1]) else {
            throw malformed(index >= bytes.count ? "the document has no root element" : "expected the root element")
        }
        let root = try elementTree()
        try miscellany()
        guard index == bytes.count else { throw malformed("there is content after the root element") }
        return root
    }

    /// `<?xml version="1.0" encoding="UTF-8" standalone="no"?>`
    private mutating func declaration() throws(XMLReadError) {
        index += 5
        var seen: [String] = []
        while true {
            let hadSpace = skipWhitespace()
            if has("?>") {
                index += 2
                break
            }
            guard hadSpace else { throw malformed("the XML declaration is malformed") }
            let name = try name()
            try equals()
            let value = String(decoding: try quotedLiteral(), as: UTF8.self)
            switch name {
            case "version" where seen.isEmpty:
                guard value == "1.0" else { throw XMLReadError.refused(.version(value)) }
            case "encoding" where seen == ["version"]:
                guard value.lowercased() == "utf-8" else { throw XMLReadError.refused(.encoding(value)) }
            case "standalone" where seen.first == "version" && !seen.contains("standalone"):
                guard value == "yes" || value == "no" else { throw malformed("standalone must be yes or no") }
            default:
                throw malformed("the XML declaration is malformed")
            }
            seen.append(name)
        }
        guard seen.first == "version" else { throw malformed("the XML declaration has no version") }
    }

    /// Comments and whitespace around the root element.
    private mutating func miscellany() throws(XMLReadError) {
        while true {
            skipWhitespace()
            if has("<!--") {
                try comment()
            } else if has("<?") {
                throw try processingInstruction()
            } else if has("<!") {
                throw declarationMarkup()
            } else {
                return
            }
        }
    }

    // MARK: Elements

    private struct OpenElement {
        var element: Element
        var qualifiedName: String
        var scope: [String: String]
    }

    /// The root element and everything inside it, read without recursion so depth costs no stack.
    private mutating func elementTree() throws(XMLReadError) -> Element {
        var stack: [OpenElement] = []
        var scope = ["xml": Self.xmlNamespace]
        // Text of the innermost open element since its last child; comments and CDATA sections do not split it.
        var text = ""
        func flush(into stack: inout [OpenElement]) {
            guard !text.isEmpty else { return }
            stack[stack.count - 1].element.children.append(.text(text))
            text = ""
        }
        while true {
            // At a start tag.
            let (open, selfClosing) = try startTag(scope: scope)
            if selfClosing {
                if stack.isEmpty { return open.element }
                stack[stack.count - 1].element.children.append(.element(open.element))
            } else {
                guard stack.count < maximumDepth else {
                    throw XMLReadError.refused(.tooDeep(maximumDepth))
                }
                stack.append(open)
                scope = open.scope
            }
            // Content until the next start tag, closing elements on the way. Only the name is read from the top of the
            // stack: a copy of the element would share its children and make every append copy them.
            while let open = stack.last?.qualifiedName {
                if has("</") {
                    try endTag(closing: open)
                    flush(into: &stack)
                    let closed = stack.removeLast()
                    guard !stack.isEmpty else { return closed.element }
                    stack[stack.count - 1].element.children.append(.element(closed.element))
                    scope = stack[stack.count - 1].scope
                } else if has("<!--") {
                    try comment()
                } else if has("<![CDATA[") {
                    text += try cdata()
                } else if has("<?") {
                    throw try processingInstruction()
                } else if has("<!") {
                    throw declarationMarkup()
                } else if has("<") {
                    flush(into: &stack)
                    break
                } else if index < bytes.count {
                    text += try characterData()
                } else {
                    throw malformed("<\(open)> is not closed")
                }
            }
        }
    }

    /// `<name attr="value" …>` or `<name …/>`, with namespaces resolved.
    private mutating func startTag(scope parentScope: [String: String]) throws(XMLReadError) -> (OpenElement, Bool) {
        let line = lineHere()
        index += 1
        let qualifiedName = try name()
        var raw: [(name: String, value: String)] = []
        var names: Set<String> = []
        var selfClosing = false
        while true {
            let hadSpace = skipWhitespace()
            if has("/>") {
                index += 2
                selfClosing = true
                break
            }
            if has(">") {
                index += 1
                break
            }
            guard index < bytes.count else { throw malformed("<\(qualifiedName)> is not closed") }
            guard hadSpace else { throw malformed("expected whitespace, > or /> in <\(qualifiedName)>") }
            let attributeName = try name()
            try equals()
            let value = try attributeValue()
            guard names.insert(attributeName).inserted else {
                throw malformed("the attribute \(attributeName) appears twice on <\(qualifiedName)>")
            }
            raw.append((attributeName, value))
        }

        var scope = parentScope
        for (name, value) in raw {
            if name == "xmlns" {
                guard value != Self.xmlNamespace, value != Self.xmlnsNamespace else { throw malformed("xmlns may not be \(value)") }
                scope[""] = value.isEmpty ? nil : value
            } else if name.hasPrefix("xmlns:") {
                let prefix = String(name.dropFirst(6))
                guard prefix != "xmlns" else { throw malformed("the prefix xmlns may not be declared") }
                guard prefix == "xml" ? value == Self.xmlNamespace : value != Self.xmlNamespace && value != Self.xmlnsNamespace else {
                    throw malformed("\(name) may not be bound to \(value)")
                }
                guard !value.isEmpty else { throw malformed("\(name) may not be empty") }
                scope[prefix] = value
            }
        }

        let (prefix, localName) = try split(qualifiedName)
        let namespace: String?
        if let prefix {
            guard prefix != "xmlns" else { throw malformed("<\(qualifiedName)> uses the reserved prefix xmlns") }
            guard let uri = scope[prefix] else { throw malformed("the prefix \(prefix) of <\(qualifiedName)> is not declared") }
            namespace = uri
        } else {
            namespace = scope[""]
        }
        var attributes: [Attribute] = []
        var expandedNames: Set<[String?]> = []
        for (name, value) in raw where name != "xmlns" && !name.hasPrefix("xmlns:") {
            let (attributePrefix, attributeLocal) = try split(name)
            var attributeNamespace: String?
            if let attributePrefix {
                guard let uri = scope[attributePrefix] else {
                    throw malformed("the prefix \(attributePrefix) of the attribute \(name) is not declared")
                }
                attributeNamespace = uri
            }
            guard expandedNames.insert([attributeNamespace, attributeLocal]).inserted else {
                throw malformed("the attribute \(name) appears twice on <\(qualifiedName)>")
            }
            attributes.append(Attribute(prefix: attributePrefix, localName: attributeLocal, namespace: attributeNamespace, value: value))
        }
        let element = Element(prefix: prefix, localName: localName, namespace: namespace, attributes: attributes, children: [], line: line)
        return (OpenElement(element: element, qualifiedName: qualifiedName, scope: scope), selfClosing)
    }

    private mutating func endTag(closing expected: String) throws(XMLReadError) {
        index += 2
        let name = try name()
        skipWhitespace()
        guard has(">") else { throw malformed("</\(name)> is malformed") }
        guard name == expected else { throw malformed("</\(name)> does not close <\(expected)>") }
        index += 1
    }

    /// Splits a qualified name into prefix and local part; both must be non-empty names without a colon.
    private func split(_ qualifiedName: String) throws(XMLReadError) -> (String?, String) {
        let parts = qualifiedName.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return (nil, qualifiedName)
        case 2 where !parts[0].isEmpty && !parts[1].isEmpty && Self.isNameStart(parts[1].utf8.first!):
            return (String(parts[0]), String(parts[1]))
        default:
            throw malformed("\(qualifiedName) is not a valid qualified name")
        }
    }

    // MARK: Text and values

    /// Character data up to the next `<`, with references decoded and line ends normalised.
    private mutating func characterData() throws(XMLReadError) -> String {
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "<"):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "&"):
                out += try reference()
            case UInt8(ascii: "]") where has("]]>"):
                throw malformed("]]> may not appear in text")
            case 0x0D:
                out.append(0x0A)
                index += has("\r\n") ? 2 : 1
            default:
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `<![CDATA[ … ]]>`, read as plain text.
    private mutating func cdata() throws(XMLReadError) -> String {
        index += 9
        var out: [UInt8] = []
        while index < bytes.count {
            if has("]]>") {
                index += 3
                return String(decoding: out, as: UTF8.self)
            }
            if bytes[index] == 0x0D {
                out.append(0x0A)
                index += has("\r\n") ? 2 : 1
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        throw malformed("a CDATA section is not closed")
    }

    /// A quoted attribute value, decoded and normalised (literal tabs and line ends become spaces).
    private mutating func attributeValue() throws(XMLReadError) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
            throw malformed("attribute values must be quoted")
        }
        let quote = bytes[index]
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case quote:
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "<"):
                throw malformed("< may not appear in an attribute value")
            case UInt8(ascii: "&"):
                out += try reference()
            case 0x0D:
                out.append(0x20)
                index += has("\r\n") ? 2 : 1
            case 0x09, 0x0A:
                out.append(0x20)
                index += 1
            default:
                out.append(byte)
                index += 1
            }
        }
        throw malformed("an attribute value is not closed")
    }

    /// `&lt;` and the other four predefined entities, `&#106;`, `&#x6A;`; returns the UTF-8 of what it stands for.
    private mutating func reference() throws(XMLReadError) -> [UInt8] {
        index += 1
        if has("#") {
            index += 1
            let hex = has("x")
            if hex { index += 1 }
            var value: UInt32 = 0
            var digits = 0
            while index < bytes.count, let digit = Self.digit(bytes[index], hex: hex) {
                value = value * (hex ? 16 : 10) + digit
                digits += 1
                index += 1
                guard value <= 0x10FFFF else { throw malformed("a character reference is out of range") }
            }
            guard digits > 0, has(";") else { throw malformed("a character reference is malformed") }
            index += 1
            guard let scalar = Unicode.Scalar(value), Self.isXMLCharacter(scalar) else {
                throw malformed("&#\(hex ? "x" : "")\(String(value, radix: hex ? 16 : 10, uppercase: true)); is not a character XML allows")
            }
            return Array(String(Character(scalar)).utf8)
        }
        guard index < bytes.count, Self.isNameStart(bytes[index]) else { throw malformed("& must start a reference; write &amp;") }
        let name = try name()
        guard has(";") else { throw malformed("the reference &\(name) has no ;") }
        index += 1
        switch name {
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "amp": return [UInt8(ascii: "&")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        default:
            throw XMLReadError.refused(.entity(name))
        }
    }

    private static func digit(_ byte: UInt8, hex: Bool) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    // MARK: Markup that is skipped or refused

    private mutating func comment() throws(XMLReadError) {
        index += 4
        while index < bytes.count {
            if has("--") {
                guard has("-->") else { throw malformed("-- may not appear inside a comment") }
                index += 3
                return
            }
            index += 1
        }
        throw malformed("a comment is not closed")
    }

    /// A processing instruction, as the error that refuses it.
    private mutating func processingInstruction() throws(XMLReadError) -> XMLReadError {
        index += 2
        guard index < bytes.count, Self.isNameStart(bytes[index]) else { return malformed("<? must start a processing instruction") }
        let target = try name()
        if target.lowercased() == "xml" { return malformed("the XML declaration must come first") }
        return .refused(.processingInstruction(target))
    }

    /// `<!DOCTYPE`, `<!ENTITY` and friends, as the error that refuses them.
    private func declarationMarkup() -> XMLReadError {
        if has("<!DOCTYPE") { return .refused(.doctype) }
        if has("<!ENTITY") { return .refused(.entityDeclaration) }
        return malformed("<! must start a comment or a CDATA section")
    }

    // MARK: Lexical pieces

    private var currentLine: Int {
        let end = min(index, bytes.count)
        guard counted.index <= end else { return 1 + bytes[..<end].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
        return counted.line + bytes[counted.index..<end].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    private mutating func lineHere() -> Int {
        counted = (min(index, bytes.count), currentLine)
        return counted.line
    }

    private func malformed(_ message: String) -> XMLReadError {
        .malformed(message, line: currentLine)
    }

    private func has(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != pointer[offset] { return false }
        return true
    }

    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = index
        while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
        return index > start
    }

    private mutating func equals() throws(XMLReadError) {
        skipWhitespace()
        guard has("=") else { throw malformed("expected = after an attribute name") }
        index += 1
        skipWhitespace()
    }

    /// A quoted literal without references (for the XML declaration).
    private mutating func quotedLiteral() throws(XMLReadError) -> ArraySlice<UInt8> {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
            throw malformed("expected a quoted value")
        }
        let quote = bytes[index]
        let start = index + 1
        guard let end = bytes[start...].firstIndex(of: quote) else { throw malformed("a quoted value is not closed") }
        index = end + 1
        return bytes[start..<end]
    }

    /// An XML name. Non-ASCII letters are accepted as name characters without checking their Unicode category;
    /// every name that matters is compared against an ASCII allow-list afterwards.
    private mutating func name() throws(XMLReadError) -> String {
        let start = index
        guard index < bytes.count, Self.isNameStart(bytes[index]) else { throw malformed("expected a name") }
        index += 1
        while index < bytes.count, Self.isNameCharacter(bytes[index]) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"), UInt8(ascii: ":"), 0x80...:
            true
        default:
            false
        }
    }

    private static func isNameCharacter(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    /// XML 1.0 `Char`: tab, line feed, carriage return and everything from space up, except surrogates, U+FFFE, U+FFFF.
    static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// The whole input must be UTF-8 made of characters XML allows.
    private mutating func checkCharacters() throws(XMLReadError) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw XMLReadError.refused(.notUTF8)
        }
        var offset = 0
        for scalar in text.unicodeScalars {
            guard Self.isXMLCharacter(scalar) else {
                index = offset
                let hex = String(scalar.value, radix: 16, uppercase: true)
                throw malformed("U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex) is not a character XML allows")
            }
            offset += UTF8.width(scalar)
        }
    }
}

extension XMLReader {
    /// An element of a namespace-aware XML tree, as `XMLReader` reads it.
    struct Element: Hashable, Sendable {
        var prefix: String?
        var localName: String
        /// The namespace the prefix (or the default namespace) resolves to; nil for none.
        var namespace: String?
        /// The attributes other than namespace declarations, in document order, values already decoded.
        var attributes: [Attribute]
        var children: [Node]
        /// The line of the start tag, for messages.
        var line: Int

        var qualifiedName: String { prefix.map { "\($0):\(localName)" } ?? localName }
    }

    /// One attribute; `value` has its references decoded and its whitespace normalised as XML prescribes.
    struct Attribute: Hashable, Sendable {
        var prefix: String?
        var localName: String
        var namespace: String?
        var value: String

        var qualifiedName: String { prefix.map { "\($0):\(localName)" } ?? localName }
    }

    /// Element content: child elements and text (character data and CDATA sections, merged; comments are dropped).
    enum Node: Hashable, Sendable {
        case element(Element)
        case text(String)
    }
}
