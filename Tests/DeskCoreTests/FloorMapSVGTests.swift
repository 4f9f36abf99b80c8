import Foundation
import Testing
@testable import DeskCore

/// An SVG that must be refused, and a piece of the message that must name the offence.
struct RefusedSVG: Sendable, CustomTestStringConvertible {
    let name: String
    let svg: String
    let message: String

    init(_ name: String, _ svg: String, _ message: String) {
        self.name = name
        self.svg = svg
        self.message = message
    }

    var testDescription: String { name }

    static let svgNS = #"xmlns="http://www.w3.org/2000/svg""#

    /// Wraps content in a proper root element.
    static func inRoot(_ content: String, attributes: String = "") -> String {
        #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"\#(attributes)>\#(content)</svg>"#
    }

    /// The reported bypasses of the old substring filter, and their variants.
    static let bypasses: [RefusedSVG] = [
        // Event attributes.
        .init("onload on the root", #"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#, "event handlers (onload on <svg>"),
        .init("onLoad in mixed case", inRoot(#"<rect width="1" height="1" onLoad="alert(1)"/>"#), "event handlers (onLoad on <rect>"),
        .init("ONCLICK in capitals", inRoot(#"<g ONCLICK="alert(1)"/>"#), "event handlers (ONCLICK on <g>"),
        .init("onmouseover with entity-encoded value", inRoot(#"<circle r="5" onmouseover="&#97;lert(1)"/>"#), "event handlers"),
        .init("a prefixed event attribute", inRoot(#"<rect xmlns:e="http://www.w3.org/2000/svg" e:onclick="alert(1)"/>"#),
              "event handlers (e:onclick on <rect>"),
        .init("onbegin on a static element", inRoot(#"<rect onbegin="alert(1)"/>"#), "event handlers (onbegin on <rect>"),
        // Scripts, however spelled.
        .init("a plain script", inRoot("<script>alert(1)</script>"), "may not contain <script>"),
        .init("a script in CDATA", inRoot("<script><![CDATA[alert(1)]]></script>"), "may not contain <script>"),
        .init("a script with a prefix bound to SVG", inRoot(#"<x:script xmlns:x="http://www.w3.org/2000/svg">alert(1)</x:script>"#),
              "may not contain <script>"),
        .init("a prefixed root with a prefixed script",
              #"<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></s:svg>"#, "may not contain <script>"),
        .init("an XHTML script", inRoot(#"<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>"#),
              "<h:script> (namespace http://www.w3.org/1999/xhtml"),
        .init("a script in an undeclared default namespace", inRoot(#"<g xmlns=""><script>alert(1)</script></g>"#),
              "<g> outside the SVG namespace"),
        .init("a script hidden in metadata", inRoot("<metadata><script>alert(1)</script></metadata>"), "may not contain <script>"),
        .init("a script hidden in editor data",
              inRoot(#"<i:data xmlns:i="http://www.inkscape.org/namespaces/inkscape"><script>alert(1)</script></i:data>"#),
              "may not contain <script>"),
        .init("a script named with a capital", inRoot("<Script>alert(1)</Script>"), "may not contain <Script>"),
        // Entities and DOCTYPEs.
        .init("a script smuggled through an internal entity", """
            <?xml version="1.0"?>
            <!DOCTYPE svg [<!ENTITY payload "<script>alert(1)</script>">]>
            <svg xmlns="http://www.w3.org/2000/svg">&payload;</svg>
            """, "may not contain a DOCTYPE"),
        .init("an external entity", """
            <!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>
            """, "may not contain a DOCTYPE"),
        .init("an entity that spells an event handler", """
            <!DOCTYPE svg [<!ENTITY h "onload">]><svg xmlns="http://www.w3.org/2000/svg"/>
            """, "DOCTYPE"),
        .init("a plain public DOCTYPE", """
            <?xml version="1.0" standalone="no"?>
            <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
            <svg xmlns="http://www.w3.org/2000/svg"/>
            """, "DOCTYPE"),
        .init("an undeclared entity", inRoot("<text>&payload;</text>"), "may not use the entity &payload;"),
        .init("an entity in an attribute", inRoot(#"<use href="&link;"/>"#), "may not use the entity &link;"),
        .init("an entity declaration in content", inRoot(#"<!ENTITY x "y">"#), "entity declarations"),
        // Processing instructions.
        .init("an external style sheet", """
            <?xml version="1.0"?><?xml-stylesheet href="https://evil.example/x.css" type="text/css"?><svg xmlns="http://www.w3.org/2000/svg"/>
            """, "processing instructions (<?xml-stylesheet"),
        .init("a processing instruction inside", inRoot("<?php echo 1; ?>"), "processing instructions (<?php"),
        // Animation.
        .init("animate with onbegin", inRoot(#"<animate onbegin="alert(1)" attributeName="x" dur="1s"/>"#), "may not contain <animate>"),
        .init("set rewriting an attribute", inRoot(#"<set attributeName="onmouseover" to="alert(1)"/>"#), "may not contain <set>"),
        .init("animate writing a javascript: href",
              inRoot(#"<a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a>"#), "may not contain <a>"),
        .init("animateTransform", inRoot(#"<g><animateTransform attributeName="transform" type="rotate" from="0" to="360" dur="1s"/></g>"#),
              "may not contain <animateTransform>"),
        .init("animateMotion", inRoot(#"<circle r="1"><animateMotion dur="1s" path="M0 0 L10 10"/></circle>"#),
              "may not contain <animateMotion>"),
        // Foreign and embedding content.
        .init("foreignObject", inRoot(#"<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><iframe src="javascript:alert(1)"/></body></foreignObject>"#),
              "may not contain <foreignObject>"),
        .init("iframe", inRoot(#"<iframe src="https://evil.example"/>"#), "may not contain <iframe>"),
        .init("embed", inRoot(#"<embed src="https://evil.example/x.swf"/>"#), "may not contain <embed>"),
        .init("object", inRoot(#"<object data="https://evil.example/x"/>"#), "may not contain <object>"),
        .init("feImage", inRoot(#"<filter id="f"><feImage href="https://evil.example/x.png"/></filter>"#), "may not contain <feImage>"),
        // Encoded javascript: URLs.
        .init("decimal reference", inRoot(#"<use href="&#106;avascript:alert(1)"/>"#), "javascript:"),
        .init("decimal reference with leading zeros", inRoot(#"<use href="&#0000106;avascript:alert(1)"/>"#), "javascript:"),
        .init("hex reference", inRoot(#"<use xlink:href="&#x6A;avascript:alert(1)"/>"#), "javascript:"),
        .init("hex reference in capitals", inRoot(#"<use xlink:href="&#X6A;avascript:alert(1)"/>"#), "not well-formed"),
        .init("encoded tab in the scheme", inRoot(#"<use href="jav&#x09;ascript:alert(1)"/>"#), "javascript:"),
        .init("encoded newline in the scheme", inRoot(#"<use href="java&#10;script:alert(1)"/>"#), "javascript:"),
        .init("encoded carriage return in the scheme", inRoot(#"<use href="java&#13;script:alert(1)"/>"#), "javascript:"),
        .init("literal tab and newline in the scheme", inRoot("<use href=\"jav\tasc\nript:alert(1)\"/>"), "javascript:"),
        .init("encoded colon", inRoot(#"<use href="javascript&#58;alert(1)"/>"#), "javascript:"),
        .init("mixed case with leading spaces", inRoot(#"<use href="  JaVaScRiPt:alert(1)"/>"#), "javascript:"),
        .init("a zero-width space in the scheme", inRoot(#"<use href="java&#x200B;script:alert(1)"/>"#), "javascript:"),
        .init("javascript: in an image", inRoot(#"<image href="&#106;avascript:alert(1)"/>"#), "javascript:"),
        .init("javascript: in a style url", inRoot(#"<rect style="fill:url(&#106;avascript:alert(1))"/>"#), "javascript:"),
        .init("vbscript:", inRoot(#"<use href="vbscript:msgbox(1)"/>"#), "vbscript:"),
        // Links that leave the document.
        .init("an external sprite", inRoot(#"<use href="https://evil.example/sprite.svg#icon"/>"#), "a link inside the map (#id)"),
        .init("a protocol-relative sprite", inRoot(#"<use xlink:href="//evil.example/s.svg#i"/>"#), "a link inside the map (#id)"),
        .init("an SVG data URL in use", inRoot(#"<use href="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0Lz48L3N2Zz4=#x"/>"#),
              "a link inside the map (#id)"),
        .init("an external image", inRoot(#"<image href="https://evil.example/pixel.png"/>"#), "data:image/png, jpeg or webp;base64"),
        .init("an SVG data URL in image", inRoot(#"<image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/>"#),
              "data:image/png, jpeg or webp;base64"),
        .init("an HTML data URL", inRoot(#"<image href="data:text/html;base64,PHNjcmlwdD4="/>"#), "data:image/png, jpeg or webp;base64"),
        .init("a PNG data URL that is not a PNG", inRoot(#"<image href="data:image/png;base64,PHN2Zz48L3N2Zz4="/>"#),
              "data:image/png, jpeg or webp;base64"),
        .init("a gradient from another document", inRoot(#"<linearGradient id="g" href="https://evil.example/g.svg#g"/>"#), "(#id)"),
        .init("xml:base", inRoot(##"<g xml:base="https://evil.example/"><use href="#a"/></g>"##), "xml:base on <g>"),
        // CSS.
        .init("an external paint", inRoot(#"<rect fill="url(https://evil.example/p.svg#g)"/>"#), "url(#id)"),
        .init("a quote inside url() that hides a rule from the checker but not from browsers",
              inRoot(#"<style>rect{fill:url(#a")}svg{background-image:image-set("https://evil.example/x.png" 1x)}x{a:")}</style>"#),
              "url(#id)"),
        .init("a url() with mismatched quotes", inRoot(#"<rect style="fill:url('#a&quot;)"/>"#), "url(#id)"),
        .init("an external paint in quotes", inRoot(#"<rect fill="url('https://evil.example/p.svg#g')"/>"#), "url(#id)"),
        .init("a style url", inRoot(#"<rect style="fill: URL( https://evil.example/track )"/>"#), "url(#id)"),
        .init("expression()", inRoot(#"<rect style="width:expression(alert(1))"/>"#), "expression("),
        .init("@import in a style attribute", inRoot(#"<rect style="@import 'https://evil.example/x.css'"/>"#), "@import"),
        .init("@import in a style sheet", inRoot("<style>@import url(https://evil.example/x.css);</style>"), "@import"),
        .init("@import with an encoded @", inRoot("<style>&#64;import 'x.css';</style>"), "@import"),
        .init("@import spelled with a comment", inRoot("<style>@im/**/port 'x.css';</style>"), "@im"),
        .init("@font-face", inRoot("<style>@font-face { font-family: x; src: local(x) }</style>"), "at-rules such as @font-face"),
        .init("a tracking url in a style sheet", inRoot("<style>rect { fill: url(https://evil.example/t.png) }</style>"), "url(#id)"),
        .init("a CSS escape spelling url", inRoot(#"<rect style="fill:\75 rl(https://evil.example/x)"/>"#), "CSS escapes"),
        .init("a CSS escape in a presentation attribute", inRoot(#"<rect fill="\75 rl(https://evil.example/x)"/>"#), "CSS escapes"),
        .init("a comment hiding a url inside strings",
              inRoot(#"<rect style="font-family:'/*'; fill:url(https://evil.example/x); font-family:'*/'"/>"#), "url(#id)"),
        .init("image-set()", inRoot(#"<rect style="fill:image-set('https://evil.example/x.png' 1x)"/>"#), "the CSS function image-set()"),
        .init("-webkit-image-set()", inRoot(#"<rect style="fill:-webkit-image-set('x.png' 1x)"/>"#), "-webkit-image-set()"),
        .init("attr()", inRoot(#"<rect data-u="https://evil.example" style="fill:attr(data-u url)"/>"#), "the CSS function attr()"),
        .init("behavior", inRoot(#"<rect style="behavior:none"/>"#), "the CSS property behavior"),
        .init("-moz-binding", inRoot(#"<rect style="-moz-binding:none"/>"#), "the CSS property -moz-binding"),
        .init("an element inside a style sheet", inRoot("<style><script>alert(1)</script></style>"), "may only contain CSS, not <script>"),
        .init("a JavaScript style type", inRoot(#"<style type="text/javascript">a{}</style>"#), "only use CSS style sheets"),
        // Attributes and namespaces outside the allow-list.
        .init("an unknown attribute", inRoot(#"<rect attributeName="href"/>"#), "the attribute attributeName on <rect>"),
        .init("an XML Events attribute", inRoot(#"<g xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="click"/>"#),
              "the attribute ev:event on <g> at line 1 (namespace http://www.w3.org/2001/xml-events)"),
        .init("an xlink attribute other than href", inRoot(##"<use href="#a" xlink:show="new"/>"##), "xlink:show on <use>"),
        .init("a root in the XHTML namespace", #"<svg xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></svg>"#,
              "root element must be <svg"),
        .init("a root without a namespace", "<svg><script>alert(1)</script></svg>", "root element must be <svg"),
        .init("an HTML document", "<html><body><script>alert(1)</script></body></html>", "root element must be <svg"),
        // Malformed markup.
        .init("an unclosed element", inRoot("<g>").replacingOccurrences(of: "</svg>", with: ""), "not well-formed"),
        .init("crossed elements", inRoot("<g><text></g></text>"), "</g> does not close <text>"),
        .init("an unquoted attribute", #"<svg xmlns="http://www.w3.org/2000/svg" onload=alert(1)>"#, "not well-formed"),
        .init("a duplicate attribute", inRoot(#"<rect x="1" x="2"/>"#), "appears twice"),
        .init("a duplicate attribute through two prefixes",
              inRoot(##"<use xmlns:l="http://www.w3.org/1999/xlink" xlink:href="#a" l:href="#b"/>"##), "appears twice"),
        .init("a bare ampersand", inRoot("<text>R&D</text>"), "not well-formed"),
        .init("a reference without a semicolon", inRoot(#"<use href="&#106avascript:alert(1)"/>"#), "not well-formed"),
        .init("a character XML does not allow", inRoot("<text>&#1;</text>"), "not well-formed"),
        .init("a raw control character", inRoot("<text>\u{1}</text>"), "not well-formed"),
        .init("two root elements", #"<svg xmlns="http://www.w3.org/2000/svg"/><svg xmlns="http://www.w3.org/2000/svg"/>"#, "after the root"),
        .init("an undeclared prefix", inRoot("<x:rect/>"), "prefix x"),
        .init("a declaration in the middle", "<!-- x --><?xml version=\"1.0\"?>" + inRoot(""), "XML declaration must come first"),
        .init("a double hyphen in a comment", inRoot("<!-- a -- b -->"), "not well-formed"),
        .init("Latin-1", #"<?xml version="1.0" encoding="ISO-8859-1"?>"# + inRoot(""), "must be UTF-8, not ISO-8859-1"),
        .init("a deep nest", inRoot(String(repeating: "<g>", count: 300) + String(repeating: "</g>", count: 300)), "more than 256 levels"),
    ]
}

@Suite("Floor map SVG")
struct FloorMapSVGTests {
    /// The message of the refusal, or nil when the SVG was accepted.
    private func refusal(_ svg: String) -> String? {
        refusal(bytes: Array(svg.utf8))
    }

    private func refusal(bytes: [UInt8]) -> String? {
        do {
            _ = try FloorMapSVG.sanitize(bytes)
            return nil
        } catch {
            #expect(error.code == "validation_failed")
            #expect(error.fieldErrors.map(\.field) == ["image"])
            return error.fieldErrors.first?.message
        }
    }

    @Test("reported bypasses and their variants are refused, naming the offence", arguments: RefusedSVG.bypasses)
    func refused(_ example: RefusedSVG) {
        let message = refusal(example.svg)
        #expect(message != nil, "accepted: \(example.svg)")
        if let message {
            #expect(message.contains(example.message), "\(message)")
        }
    }

    @Test("refusals say where the offence is")
    func lines() {
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg">
              <g>
                <script>alert(1)</script>
              </g>
            </svg>
            """
        #expect(refusal(svg) == "SVG maps may not contain <script> (line 3)")
        #expect(refusal(svg.replacingOccurrences(of: "<script>alert(1)</script>", with: #"<rect onclick="alert(1)"/>"#))
            == "SVG maps may not contain event handlers (onclick on <rect> at line 3)")
        #expect(refusal(svg.replacingOccurrences(of: "</g>", with: "</text>"))
            == "the SVG is not well-formed XML: </text> does not close <g> (line 4)")
    }

    @Test("bytes that are not UTF-8 are refused")
    func notUTF8() {
        let bytes = Array(#"<svg xmlns="http://www.w3.org/2000/svg"><text>"#.utf8) + [0xFF, 0xFE] + Array("</text></svg>".utf8)
        #expect(refusal(bytes: bytes) == "SVG maps must be UTF-8 text")
    }

    @Test("a map exactly as expected: canonical namespaces, comments dropped, text and values escaped, CSS comments removed")
    func canonicalOutput() throws {
        let input = """
            \u{FEFF}<?xml version="1.0" encoding="utf-8"?>
            <!-- made by hand -->
            <s:svg xmlns:s="http://www.w3.org/2000/svg" xmlns:l="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\
            <s:title>A &lt;b&gt; &amp; "c" &#x263A;</s:title>\
            <s:rect id="r" width='4' height="3" fill="red" data-desk="A1" aria-label="tab&#9;here" style="fill: blue /* note */"/>\
            <s:use l:href=" #r " x="5"/><!-- trailing --></s:svg>
            <!-- after -->
            """
        let output = try FloorMapSVG.sanitize(Array(input.utf8))
        #expect(output == """
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\
            <title>A &lt;b&gt; &amp; "c" ☺</title>\
            <rect id="r" width="4" height="3" fill="red" data-desk="A1" aria-label="tab&#9;here" style="fill: blue  "/>\
            <use xlink:href="#r" x="5"/></svg>

            """)
    }

    @Test("CDATA is read as plain text, so markup inside it is stored escaped")
    func cdataIsText() throws {
        let output = try FloorMapSVG.sanitize(Array(RefusedSVG.inRoot("<text><![CDATA[<script>alert(1)</script> & more]]></text>").utf8))
        #expect(output.contains("<text>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</text>"))
        #expect(!output.contains("<script"))
    }

    @Test("comments disappear whole, including markup that only looks commented out")
    func comments() throws {
        let output = try FloorMapSVG.sanitize(Array(RefusedSVG.inRoot("<!--><script>alert(1)</script>--><g/>").utf8))
        #expect(output == #"<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>"# + "\n")
    }

    @Test("an editor's floor plan is accepted, loses only editor data, and reads back to itself")
    func editorFloorPlan() throws {
        let output = try FloorMapSVG.sanitize(Array(Self.inkscapeFloorPlan.utf8))
        #expect(try FloorMapSVG.sanitize(Array(output.utf8)) == output)
        for kept in [
            #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="297mm" height="210mm" viewBox="0 0 297 210" version="1.1" id="svg5">"#,
            #"<linearGradient id="wallGradient">"#,
            #"<stop style="stop-color:#8ecae6;stop-opacity:1" offset="0" id="stop1"/>"#,
            ##"<linearGradient xlink:href="#wallGradient" id="windowGradient" x1="20" y1="0" x2="20" y2="30" gradientUnits="userSpaceOnUse"/>"##,
            #"<radialGradient id="lamp" cx="0.5" cy="0.5" r="0.5" fx="0.4" fy="0.4">"#,
            #"<filter id="shadow" x="-0.1" y="-0.1" width="1.2" height="1.2" style="color-interpolation-filters:sRGB">"#,
            #"<feGaussianBlur in="SourceAlpha" stdDeviation="0.6" result="blur"/>"#,
            #"<marker id="arrow" orient="auto" refX="0" refY="0" markerWidth="4" markerHeight="4" style="overflow:visible">"#,
            #"<g id="layer1" transform="translate(-12.5,-30.2)">"#,
            #"style="fill:url(#windowGradient);fill-opacity:1;stroke:none;filter:url(#shadow)""#,
            #"<text xml:space="preserve" style="font-size:4.9px;line-height:1.25;font-family:'DejaVu Sans';-inkscape-font-specification:'DejaVu Sans';text-anchor:middle;fill:#3d3d3d" x="80" y="60" id="text1"><tspan id="tspan1" x="80" y="60">Desk 3.14 &amp; 3.15</tspan></text>"#,
            ##"<use xlink:href="#desk1" transform="matrix(1,0,0,1,50,0)" id="use1"/>"##,
            #"<image width="10" height="10" x="5" y="5" preserveAspectRatio="none" xlink:href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==" id="logo"/>"#,
            #"<path d="m 20,20 h 257 v 170 H 20 Z" style="fill:none;stroke:#3d3d3d;stroke-width:1.5;marker-end:url(#arrow)" id="walls"/>"#,
            #"<circle cx="150" cy="100" r="8" fill="url(#lamp)" clip-path="url(#roomClip)" mask="url(#fade)"/>"#,
            ##"<textPath href="#curve" startOffset="10%">Window side</textPath>"##,
            #"<pattern id="hatch" patternUnits="userSpaceOnUse" width="4" height="4" patternTransform="rotate(45)">"#,
            "<title id=\"title1\">Floor 3 — east wing</title>",
        ] {
            #expect(output.contains(kept), "missing: \(kept)")
        }
        for dropped in ["inkscape:", "sodipodi:", "rdf", "metadata", "<!--", "<?xml", "namedview", "Created with", "dc:", "cc:"] {
            #expect(!output.contains(dropped), "still there: \(dropped)")
        }
    }

    @Test("an Illustrator-style export with a class style sheet is accepted")
    func styleSheet() throws {
        let input = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg id="Layer_1" data-name="Layer 1" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300">
              <defs>
                <style type="text/css"><![CDATA[
                  .st0 { fill: #e6e6e6; }
                  .st1 { fill: none; stroke: #000; stroke-miterlimit: 10; }
                  .desk:hover, g > .st2 { font-family: "Helvetica Neue", Arial; font-size: 12px; }
                ]]></style>
              </defs>
              <rect class="st0" x="10" y="10" width="380" height="280"/>
              <polyline class="st1" points="10 150 200 150 200 290"/>
              <polygon class="st1" points="250,20 300,20 275,60"/>
              <ellipse class="st1" cx="320" cy="220" rx="30" ry="15"/>
              <line class="st1" x1="10" y1="100" x2="390" y2="100"/>
              <text class="st2" transform="translate(30 40)">Meeting &amp; focus</text>
            </svg>
            """
        let output = try FloorMapSVG.sanitize(Array(input.utf8))
        #expect(output.contains(".desk:hover, g &gt; .st2 { font-family: \"Helvetica Neue\", Arial; font-size: 12px; }"))
        #expect(output.contains(#"<svg xmlns="http://www.w3.org/2000/svg" id="Layer_1" data-name="Layer 1" viewBox="0 0 400 300">"#))
        #expect(try FloorMapSVG.sanitize(Array(output.utf8)) == output)
    }

    @Test("only uploads that start with markup are read as SVG")
    func markup() {
        #expect(FloorMapSVG.isMarkup(Array("\u{FEFF}\n  <svg/>".utf8)))
        #expect(FloorMapSVG.isMarkup(Array("<?xml version=\"1.0\"?><svg/>".utf8)))
        #expect(!FloorMapSVG.isMarkup(Array("not an image".utf8)))
        #expect(!FloorMapSVG.isMarkup(Array(#"{"not": "an image"}"#.utf8)))
        #expect(!FloorMapSVG.isMarkup([UInt8]()))
    }

    /// Shaped like an Inkscape save: editor namespaces and attributes, metadata, named view, layers, gradients,
    /// a filter, a marker, a clip path, a mask, a pattern, text with a path, an embedded PNG.
    static let inkscapeFloorPlan = """
        <?xml version="1.0" encoding="UTF-8" standalone="no"?>
        <!-- Created with Inkscape (http://www.inkscape.org/) -->

        <svg
           width="297mm"
           height="210mm"
           viewBox="0 0 297 210"
           version="1.1"
           id="svg5"
           inkscape:version="1.2.2 (b0a8486541, 2022-12-01)"
           sodipodi:docname="floor-3.svg"
           xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
           xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
           xmlns:xlink="http://www.w3.org/1999/xlink"
           xmlns="http://www.w3.org/2000/svg"
           xmlns:svg="http://www.w3.org/2000/svg"
           xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
           xmlns:cc="http://creativecommons.org/ns#"
           xmlns:dc="http://purl.org/dc/elements/1.1/">
          <title id="title1">Floor 3 — east wing</title>
          <sodipodi:namedview
             id="namedview7"
             pagecolor="#ffffff"
             bordercolor="#666666"
             inkscape:document-units="mm"
             showgrid="true">
            <inkscape:grid type="xygrid" id="grid1" />
          </sodipodi:namedview>
          <defs
             id="defs2">
            <linearGradient
               inkscape:collect="always"
               id="wallGradient">
              <stop
                 style="stop-color:#8ecae6;stop-opacity:1"
                 offset="0"
                 id="stop1" />
              <stop
                 style="stop-color:#8ecae6;stop-opacity:0"
                 offset="1"
                 id="stop2" />
            </linearGradient>
            <linearGradient
               inkscape:collect="always"
               xlink:href="#wallGradient"
               id="windowGradient"
               x1="20"
               y1="0"
               x2="20"
               y2="30"
               gradientUnits="userSpaceOnUse" />
            <radialGradient id="lamp" cx="0.5" cy="0.5" r="0.5" fx="0.4" fy="0.4">
              <stop offset="0%" stop-color="#ffd166" />
              <stop offset="100%" stop-color="#ffd166" stop-opacity="0" />
            </radialGradient>
            <filter
               inkscape:label="Drop shadow"
               id="shadow" x="-0.1" y="-0.1" width="1.2" height="1.2"
               style="color-interpolation-filters:sRGB">
              <feGaussianBlur in="SourceAlpha" stdDeviation="0.6" result="blur" />
              <feOffset in="blur" dx="0.4" dy="0.4" result="offset" />
              <feFlood flood-color="rgb(0,0,0)" flood-opacity="0.3" result="colour" />
              <feComposite in="colour" in2="offset" operator="in" result="shadow" />
              <feMerge>
                <feMergeNode in="shadow" />
                <feMergeNode in="SourceGraphic" />
              </feMerge>
            </filter>
            <marker id="arrow" orient="auto" refX="0" refY="0" markerWidth="4" markerHeight="4" style="overflow:visible">
              <path d="M 0,0 5,-5 -12.5,0 5,5 Z" style="fill:context-stroke;fill-rule:evenodd;stroke:none" />
            </marker>
            <clipPath clipPathUnits="userSpaceOnUse" id="roomClip">
              <rect x="20" y="20" width="257" height="170" />
            </clipPath>
            <mask id="fade" maskUnits="userSpaceOnUse">
              <rect x="0" y="0" width="297" height="210" fill="white" opacity="0.8" />
            </mask>
            <pattern id="hatch" patternUnits="userSpaceOnUse" width="4" height="4" patternTransform="rotate(45)">
              <line x1="0" y1="0" x2="0" y2="4" stroke="#bbbbbb" stroke-width="1" />
            </pattern>
            <symbol id="chair" viewBox="0 0 10 10">
              <circle cx="5" cy="5" r="4" fill="#cccccc" />
            </symbol>
            <path id="curve" d="M 30,195 C 100,185 200,185 270,195" />
          </defs>
          <metadata
             id="metadata1">
            <rdf:RDF>
              <cc:Work
                 rdf:about="">
                <dc:format>image/svg+xml</dc:format>
                <dc:type
                   rdf:resource="http://purl.org/dc/dcmitype/StillImage" />
                <dc:title>Floor 3</dc:title>
              </cc:Work>
            </rdf:RDF>
          </metadata>
          <g
             inkscape:label="Walls"
             inkscape:groupmode="layer"
             id="layer1"
             transform="translate(-12.5,-30.2)">
            <path d="m 20,20 h 257 v 170 H 20 Z" style="fill:none;stroke:#3d3d3d;stroke-width:1.5;marker-end:url(#arrow)" id="walls" sodipodi:nodetypes="ccccc" />
            <rect
               style="fill:url(#windowGradient);fill-opacity:1;stroke:none;filter:url(#shadow)"
               id="desk1"
               width="40"
               height="12"
               x="60"
               y="40"
               rx="1.5" />
            <rect x="200" y="120" width="60" height="50" fill="url(#hatch)" stroke="#999" stroke-dasharray="2 1" />
            <use xlink:href="#desk1" transform="matrix(1,0,0,1,50,0)" id="use1" />
            <use href="#chair" x="70" y="55" width="6" height="6" />
            <text
               xml:space="preserve"
               style="font-size:4.9px;line-height:1.25;font-family:'DejaVu Sans';-inkscape-font-specification:'DejaVu Sans';text-anchor:middle;fill:#3d3d3d"
               x="80"
               y="60"
               id="text1"><tspan
                 sodipodi:role="line"
                 id="tspan1"
                 x="80"
                 y="60">Desk 3.14 &amp; 3.15</tspan></text>
            <circle cx="150" cy="100" r="8" fill="url(#lamp)" clip-path="url(#roomClip)" mask="url(#fade)" />
            <text font-size="4" fill="#6b705c"><textPath href="#curve" startOffset="10%">Window side</textPath></text>
            <image width="10" height="10" x="5" y="5" preserveAspectRatio="none" xlink:href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==" id="logo" />
          </g>
        </svg>
        """
}
