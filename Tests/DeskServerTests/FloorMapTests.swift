import DeskCore
@testable import DeskServer
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

/// Room maps through the API: an uploaded SVG is parsed, checked and stored as written back; the map answer forbids
/// everything an SVG opened on its own could try.
@Suite("Floor maps")
struct FloorMapTests {
    /// The bypasses reported against the old substring filter, each with a piece of the message that must name it.
    static let bypasses: [(String, String)] = [
        (#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><rect width="1" height="1"/></svg>"#,
         "event handlers (onload on <svg>"),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><x:script xmlns:x="http://www.w3.org/2000/svg">alert(1)</x:script></svg>"#,
         "may not contain <script>"),
        ("""
            <?xml version="1.0"?>
            <!DOCTYPE svg [<!ENTITY s "<script>alert(1)</script>">]>
            <svg xmlns="http://www.w3.org/2000/svg">&s;</svg>
            """, "may not contain a DOCTYPE"),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><animate onbegin="alert(1)" attributeName="x" dur="1s"/></svg>"#,
         "may not contain <animate>"),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><rect onbegin="alert(1)"/></svg>"#, "event handlers (onbegin on <rect>"),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><use href="&#106;avascript:alert(1)"/></svg>"#, "javascript:"),
        (#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:l="http://www.w3.org/1999/xlink"><use l:href="&#x6A;ava&#x09;script&#10;:alert(1)"/></svg>"#,
         "javascript:"),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><image href="jav&#x0A;ascript:alert(1)"/></svg>"#, "javascript:"),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml"/></foreignObject></svg>"#,
         "may not contain <foreignObject>"),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/x.css);</style></svg>"#, "@import"),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><use href="https://evil.example/sprite.svg#icon"/></svg>"#, "(#id)"),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><g>"#, "not well-formed"),
    ]

    @Test("each reported bypass is refused with 422 problem+json naming the offence, and the stored map is kept")
    func bypassesRefused() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let path = "/api/v1/rooms/\(f.openSpace)/map"
            let before = try await server.send(.GET, path, as: f.ann).body.string
            for (svg, offence) in Self.bypasses {
                let response = try await server.send(.PUT, path, as: f.rita, rawBody: svg, headers: ["Content-Type": "image/svg+xml"])
                #expect(response.status == .unprocessableEntity, "\(svg) → \(response.status.code)")
                #expect(response.headers.contentType?.description == "application/problem+json")
                let body = ResponseBody(response)
                #expect(body.code == "validation_failed")
                let errors = body.array(at: "errors")
                #expect(errors.compactMap { $0["field"] as? String } == ["image"], "\(svg)")
                let message = errors.first?["message"] as? String ?? ""
                #expect(message.contains(offence), "\(svg) → \(message)")
            }
            #expect(try await server.send(.GET, path, as: f.ann).body.string == before)
        }
    }

    @Test("a good SVG is stored sanitised and served with a policy that runs and loads nothing")
    func servedSanitised() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let path = "/api/v1/rooms/\(f.openSpace)/map"
            let upload = """
                <?xml version="1.0" encoding="UTF-8" standalone="no"?>
                <!-- Created with Inkscape (http://www.inkscape.org/) -->
                <svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" \
                xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 60" inkscape:version="1.2">
                <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>
                <g inkscape:label="Desks" inkscape:groupmode="layer" transform="translate(5,5)">
                <rect id="d1" width="20" height="10" style="fill:#e6ddd0;stroke:#b8a88f /* table */"/>
                <use xlink:href="#d1" x="30"/>
                <text x="10" y="25" font-size="4">A1 &amp; A2</text>
                </g>
                </svg>
                """
            let put = try await server.send(.PUT, path, as: f.rita, rawBody: upload, headers: ["Content-Type": "image/svg+xml"])
            #expect(put.status == .noContent, "\(put.body.string)")

            let map = try await server.send(.GET, path, as: f.ann)
            #expect(map.status == .ok)
            #expect(map.headers.first(name: .contentType) == "image/svg+xml")
            #expect(map.headers.first(name: "Content-Security-Policy") == "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
            #expect(map.headers.first(name: "Content-Disposition") == "inline")
            #expect(map.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(map.body.string == """
                <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 60">
                
                <g transform="translate(5,5)">
                <rect id="d1" width="20" height="10" style="fill:#e6ddd0;stroke:#b8a88f  "/>
                <use xlink:href="#d1" x="30"/>
                <text x="10" y="25" font-size="4">A1 &amp; A2</text>
                </g>
                </svg>

                """)
        }
    }

    @Test("PNG, JPEG and WebP maps are stored byte for byte")
    func rasterUnchanged() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let path = "/api/v1/rooms/\(f.openSpace)/map"
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("<svg onload=alert(1)>".utf8) + [0xFF, 0x00, 0xFE]
            let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0x00, 0xC0, 0xFF]
            let webp: [UInt8] = Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 ".utf8) + [0x01, 0x80]
            for (bytes, type) in [(png, "image/png"), (jpeg, "image/jpeg"), (webp, "image/webp")] {
                var headers = f.rita.headers
                headers.contentType = HTTPMediaType(type: "application", subType: "octet-stream")
                let put = try await server.app.testing().performTest(request: TestingHTTPRequest(
                    method: .PUT, url: URI(path: path), headers: headers, body: ByteBuffer(bytes: bytes)))
                #expect(put.status == .noContent, "\(type): \(put.body.string)")
                let map = try await server.send(.GET, path, as: f.ann)
                #expect(map.headers.first(name: .contentType) == type)
                #expect(Array(map.body.readableBytesView) == bytes, "\(type)")
            }
        }
    }

    @Test("the demo's floor maps pass the filter unchanged in meaning, names escaped")
    func demoMaps() throws {
        let svg = DemoRoomLayout.quietRoom.svg(room: "R&D <lab> \"west\"")
        let stored = try FloorMapSVG.sanitize(Array(svg.utf8))
        #expect(stored.contains(#"aria-label="Floor map of R&amp;D &lt;lab&gt; &quot;west&quot;""#))
        #expect(stored.contains(">Phone booth</text>"))
        #expect(try FloorMapSVG.sanitize(Array(stored.utf8)) == stored)
    }
}
