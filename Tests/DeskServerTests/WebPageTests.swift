import DeskCore
@testable import DeskServer
import Foundation
import NIOCore
import NIOPosix
import Testing
import Vapor
import VaporTesting

@Suite("Web pages")
struct WebPageTests {
    /// The package root, where `Resources/Views` and `Public` live.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(of page: WebPage, id: UUID = UUID()) -> String {
        "/" + page.path.map { component in
            if case .parameter = component { id.uuidString } else { component.description }
        }.joined(separator: "/")
    }

    @Test("every page renders with its module for a browser session; without one, visitors are sent to sign in")
    func pages() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let (_, session) = try await server.login("ann", "ann-password")
            for page in WebPage.all {
                let path = Self.path(of: page)
                let shown = try await server.send(.GET, path, as: session.caller(csrf: false))
                #expect(shown.status == .ok, "\(path)")
                #expect(shown.headers.contentType == .html, "\(path)")
                let html = shown.body.string
                #expect(html.contains(#"<script type="module" src="/js/pages/\#(page.template).js"></script>"#), "\(path)")
                #expect(html.contains("<title>\(page.title) · DeskPilot</title>"), "\(path)")
                #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("Public/js/pages/\(page.template).js").path),
                        "\(page.template).js")

                let anonymous = try await server.send(.GET, path)
                if page.requiresSession {
                    #expect(anonymous.status == .seeOther, "\(path)")
                    #expect(anonymous.headers.first(name: .location) == "/login?next=\(path)")
                } else {
                    #expect(anonymous.status == .ok, "\(path)")
                }
            }
            // The page of one room carries its id for the module; an id that is not one is not a page.
            // The way back keeps the page's query.
            let day = try await server.send(.GET, "/rooms/\(f.openSpace)?date=2026-03-23&from=09:00")
            #expect(day.headers.first(name: .location) == "/login?next=/rooms/\(f.openSpace)%3Fdate%3D2026-03-23%26from%3D09:00")
            let room = try await server.send(.GET, "/rooms/\(f.openSpace)", as: session.caller(csrf: false))
            #expect(room.body.string.contains(#"data-id="\#(f.openSpace)""#))
            let wrong = try await server.send(.GET, "/rooms/desk-12", as: session.caller(csrf: false))
            #expect(wrong.status == .notFound)
            #expect(wrong.body.string.contains("<h1>Page not found</h1>"))
        }
    }

    @Test("the way back to a page is a path on this server, however the address was written")
    func wayBackStaysHere() async throws {
        try await withServer { server in
            let f = try await Fixture.make(server)
            let port = try await server.listen()
            // Request targets exactly as sent: the router ignores empty segments, so `//bookings` is the bookings page,
            // but a browser would read `//bookings` as a host named "bookings".
            let expected: [String: String] = [
                "//bookings": "/bookings",
                "///bookings?view=week": "/bookings%3Fview%3Dweek",
                "//settings/": "/settings",
                "//admin//users": "/admin/users",
                "/rooms//\(f.openSpace)": "/rooms/\(f.openSpace)",
                "/rooms/%5Cevil.example": "/rooms/%255Cevil.example",
                "/rooms/%2F%2Fevil.example": "/rooms/%252F%252Fevil.example",
            ]
            for (target, next) in expected {
                let answer = try await Self.rawGet(target, port: port)
                #expect(answer.status == 303, "\(target)")
                #expect(answer.location == "/login?next=\(next)", "\(target)")
            }
            // Whatever else is asked for, a redirect to sign in leads back to this server only.
            let hostile = ["//evil.example/", "/%5Cevil.example", "/\\evil.example", "//evil.example/bookings", "/%2F%2Fevil.example",
                           "//%5Cevil.example", "/rooms/%09/evil.example", "/bookings?next=//evil.example", "/%5C%5Cevil.example",
                           "http://evil.example/bookings", "/bookings/..//evil.example"]
            for target in hostile {
                let answer = try await Self.rawGet(target, port: port)
                guard (300..<400).contains(answer.status) else { continue }
                let location = try #require(answer.location, "\(target)")
                #expect(location.hasPrefix("/login?next="), "\(target) → \(location)")
                let next = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "next" }?.value, "\(target)")
                #expect(ReturnPath.validated(next) == next, "\(target) → \(next)")
                #expect(next.hasPrefix("/") && !next.hasPrefix("//") && !next.contains("\\"), "\(target) → \(next)")
            }
        }
    }

    @Test("a return path is accepted only when it names a page of this server",
          arguments: ["/\\evil.example", "%2F%5Cevil.example", "/\\/evil.example", "/\t/evil.example",
                      "/\n/evil.example", "\t//evil.example", "https://evil.example", "//evil.example", "///evil.example",
                      "javascript:alert(1)", "evil.example", "", "/login", "/login?next=/bookings", "/register", "/bookings\u{7F}"])
    func refusedReturnPaths(candidate: String) {
        #expect(ReturnPath.validated(candidate) == nil)
    }

    @Test("same-server return paths are kept as they are")
    func acceptedReturnPaths() {
        for path in ["/", "/bookings?view=week", "/rooms/\(UUID())?date=2026-03-23&from=09:00", "/settings#password", "/%5Cevil.example"] {
            #expect(ReturnPath.validated(path) == path)
        }
    }

    /// Sends one GET with the request target exactly as given (no client in between normalises it) and reads the
    /// status and `Location` of the answer.
    static func rawGet(_ target: String, port: Int) async throws -> (status: Int, location: String?) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        var received = ""
        try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n"))
            for try await chunk in inbound { received += String(buffer: chunk) }
        }
        let head = (received.components(separatedBy: "\r\n\r\n").first ?? "").components(separatedBy: "\r\n")
        let status = head.first.flatMap { line in line.split(separator: " ").dropFirst().first.flatMap { Int($0) } } ?? 0
        let location = head.dropFirst().first { $0.lowercased().hasPrefix("location:") }
            .map { String($0.dropFirst("location:".count)).trimmingCharacters(in: .whitespaces) }
        return (status, location)
    }

    @Test("sign-up is offered only when registration is open")
    func registrationLink() async throws {
        for (mode, offered) in [(RegistrationMode.closed, false), (.open, true)] {
            try await withServer(registration: mode) { server in
                let login = try await server.send(.GET, "/login")
                #expect(login.body.string.contains(#"href="/register""#) == offered)
                #expect(try await server.send(.GET, "/register").body.string.contains(#"id="register-form""#) == offered)
            }
        }
    }

    @Test("a strict Content-Security-Policy on every page, error pages included; no answer may be sniffed; page files revalidate")
    func securityHeaders() async throws {
        try await withServer { server in
            _ = try await Fixture.make(server)
            let (_, session) = try await server.login("ann", "ann-password")
            let pages = [try await server.send(.GET, "/login"), try await server.send(.GET, "/rooms/desk-12", as: session.caller(csrf: false))]
            for page in pages {
                let policy = page.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(policy.contains("script-src 'self'"))
                #expect(policy.contains("style-src 'self'"))
                #expect(policy.contains("frame-ancestors 'none'"))
                #expect(!policy.contains("unsafe-inline"))
                #expect(page.headers.first(name: "X-Frame-Options") == "DENY")
            }
            for path in ["/login", "/api/v1/me", "/js/lib/api.js", "/css/app.css"] {
                #expect(try await server.send(.GET, path).headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
            }
            let module = try await server.send(.GET, "/js/lib/api.js")
            #expect(module.status == .ok)
            #expect(module.headers.contentType?.subType == "javascript")
            #expect(module.headers.cacheControl?.noCache == true)
        }
    }

    @Test("templates and modules contain nothing the policy would block, and every module import resolves")
    func noInlineCode() throws {
        let views = try Self.files(under: "Resources/Views", ending: ".leaf")
        let modules = try Self.files(under: "Public/js", ending: ".js")
        #expect(views.count >= 10 && modules.count >= 10)
        let inlineScript = try Regex(#"<script(?![^>]*\bsrc=)[^>]*>"#)
        let handlerAttribute = try Regex(#"<[^>]+\son[a-z]+\s*="#)
        let styleAttribute = try Regex(#"<[^>]+\sstyle\s*="#)
        for (file, text) in views {
            #expect(text.firstMatch(of: inlineScript) == nil, "inline script in \(file)")
            #expect(text.firstMatch(of: handlerAttribute) == nil, "event handler attribute in \(file)")
            #expect(text.firstMatch(of: styleAttribute) == nil, "style attribute in \(file)")
        }
        let importPath = try Regex(#"(?:import|from)\s*\(?\s*"(\.{1,2}/[^"]+)""#)
        for (file, text) in modules {
            for forbidden in ["innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "new Function", #"setAttribute("style""#] {
                #expect(!text.contains(forbidden), "\(forbidden) in \(file)")
            }
            for match in text.matches(of: importPath) {
                let target = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(String(match.output[1].substring!))
                #expect(FileManager.default.fileExists(atPath: target.standardized.path), "\(file) imports \(match.output[1].substring!)")
            }
        }
    }

    /// Path and text of every file under a folder of the package with the given ending.
    static func files(under folder: String, ending: String) throws -> [(String, String)] {
        let base = root.appendingPathComponent(folder)
        let paths = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
        return try paths.filter { $0.hasSuffix(ending) }.sorted().map { relative in
            let path = base.appendingPathComponent(relative).path
            return (path, try String(contentsOfFile: path, encoding: .utf8))
        }
    }
}
