import AsyncHTTPClient
import CompressNIO
@testable import DeskServer
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// A fresh, empty directory that is not the checkout, to start the binary in.
private func emptyDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deskpilot-binary-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

/// A client that leaves answers as they come (the shared one unpacks gzip by itself).
private let rawClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(decompression: .disabled))

private func get(_ url: String, headers: [(String, String)] = []) async throws -> HTTPClientResponse {
    var request = HTTPClientRequest(url: url)
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    return try await rawClient.execute(request, timeout: .seconds(10))
}

@Suite("The release binary on its own", .serialized)
struct StandaloneBinaryTests {
    @Test("started from an empty directory, it serves the pages, modules and styles compiled into it, with ETags and gzip")
    func servesTheWebAppFromAnywhere() async throws {
        let directory = try emptyDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(environment: [:], dataDirectory: directory)
        defer { server.kill() }

        let login = try await get("\(server.baseURL)/login")
        #expect(login.status == .ok)
        #expect(login.headers.first(name: "content-type")?.hasPrefix("text/html") == true)
        #expect(String(buffer: try await login.body.collect(upTo: 1 << 20)).contains("/js/pages/login.js"))

        for (path, type, marker) in [("/js/pages/login.js", "text/javascript", "import"), ("/css/app.css", "text/css", "{")] {
            let first = try await get(server.baseURL + path)
            #expect(first.status == .ok, "\(path)")
            #expect(first.headers.first(name: "content-type")?.hasPrefix(type) == true, "\(path)")
            let plain = try await first.body.collect(upTo: 4 << 20)
            #expect(String(buffer: plain).contains(marker), "\(path)")
            let etag = try #require(first.headers.first(name: "etag"), "\(path) has no ETag")
            #expect(etag.hasPrefix("\"") && !etag.hasPrefix("W/"), "a strong ETag: \(etag)")
            #expect(first.headers.first(name: "cache-control")?.contains("no-cache") == true)

            let again = try await get(server.baseURL + path, headers: [("If-None-Match", etag)])
            #expect(again.status == .notModified, "\(path)")

            let zipped = try await get(server.baseURL + path, headers: [("Accept-Encoding", "gzip, deflate")])
            #expect(zipped.headers.first(name: "content-encoding") == "gzip", "\(path)")
            #expect(zipped.headers.first(name: "vary")?.lowercased().contains("accept-encoding") == true)
            var compressed = try await zipped.body.collect(upTo: 4 << 20)
            #expect(compressed.readableBytes < plain.readableBytes)
            #expect(try compressed.decompress(with: .gzip()) == plain, "\(path): the gzip copy is the file")
            let zippedTag = try #require(zipped.headers.first(name: "etag"))
            #expect(zippedTag != etag, "each encoding has its own validator")
            #expect(try await get(server.baseURL + path, headers: [("If-None-Match", zippedTag), ("Accept-Encoding", "gzip")]).status == .notModified)
        }

        // Only the files themselves: no decoded, truncated or relative variant reaches anything.
        for path in ["/css/app.css%00.txt", "/css/app.css%2500", "/css/../css/app.css", "/css/%61pp.css", "/css/app.css/"] {
            #expect(try await get(server.baseURL + path).status == .notFound, "\(path)")
        }
    }

    @Test("DESKPILOT_WEB_DIR serves the source folders as they are edited; a folder without them stops start-up with one line")
    func developmentFolder() async throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let copy = try emptyDirectory()
        let data = try emptyDirectory()
        defer {
            try? FileManager.default.removeItem(at: copy)
            try? FileManager.default.removeItem(at: data)
        }
        try FileManager.default.createDirectory(at: copy.appendingPathComponent("Resources"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repository.appendingPathComponent("Public"), to: copy.appendingPathComponent("Public"))
        try FileManager.default.copyItem(at: repository.appendingPathComponent("Resources/Views"), to: copy.appendingPathComponent("Resources/Views"))

        let server = try await ServerProcess.start(environment: ["DESKPILOT_WEB_DIR": copy.path], dataDirectory: data)
        defer { server.kill() }
        let stylesheet = copy.appendingPathComponent("Public/css/app.css")
        try (try String(contentsOf: stylesheet, encoding: .utf8) + "\n/* edited */\n").write(to: stylesheet, atomically: true, encoding: .utf8)
        let css = try await get("\(server.baseURL)/css/app.css")
        #expect(String(buffer: try await css.body.collect(upTo: 4 << 20)).hasSuffix("/* edited */\n"))
        let template = copy.appendingPathComponent("Resources/Views/login.leaf")
        try (try String(contentsOf: template, encoding: .utf8).replacingOccurrences(of: "Sign in to DeskPilot", with: "Sign in to the edited DeskPilot"))
            .write(to: template, atomically: true, encoding: .utf8)
        let page = try await get("\(server.baseURL)/login")
        #expect(String(buffer: try await page.body.collect(upTo: 1 << 20)).contains("Sign in to the edited DeskPilot"))

        // A folder without the web app: start-up stops at once with one line naming the setting.
        let process = Process()
        process.executableURL = ServerProcess.binary
        process.arguments = ["serve"]
        process.currentDirectoryURL = data
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["DESKPILOT_WEB_DIR": data.path, "DESKPILOT_DATA_DIR": data.path, "DESKPILOT_PORT": String(try await ServerProcess.freePort())]) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 2)
        #expect(message.split(separator: "\n").count == 1 && message.contains("DESKPILOT_WEB_DIR"), "\(message)")
    }
}

@Suite("Slow, idle and too many clients", .serialized)
struct ConnectionLimitTests {
    private static let quick = [
        "DESKPILOT_IDLE_TIMEOUT": "1", "DESKPILOT_HEADER_TIMEOUT": "1", "DESKPILOT_BODY_TIMEOUT": "1",
    ]

    @Test("silent, idle keep-alive, slow-header and slow-body connections are closed at their deadlines")
    func deadlines() async throws {
        let directory = try emptyDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(environment: Self.quick, dataDirectory: directory)
        defer { server.kill() }

        let silent = try await RawConnection.open(port: server.port)
        #expect(await silent.closed(within: .seconds(3)), "a connection that never sends a request is closed")

        let idle = try await RawConnection.open(port: server.port)
        try await idle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        try await Task.sleep(for: .milliseconds(300))
        #expect(idle.text.hasPrefix("HTTP/1.1 200"))
        #expect(await idle.closed(within: .seconds(3)), "a keep-alive connection left idle is closed")

        // One header byte every 200 ms keeps the connection busy but never finishes the head.
        let slowHead = try await RawConnection.open(port: server.port)
        let started = ContinuousClock.now
        for byte in "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".map(String.init) {
            guard (try? await slowHead.send(byte)) != nil, ContinuousClock.now - started < .seconds(6) else { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(await slowHead.closed(within: .seconds(3)))
        #expect(slowHead.text.hasPrefix("HTTP/1.1 408"), "\(slowHead.text)")
        #expect(ContinuousClock.now - started < .seconds(5), "cut off at the header deadline, not after the whole trickle")

        // A body at a few bytes a second is cut off at the body deadline.
        let slowBody = try await RawConnection.open(port: server.port)
        try await slowBody.send("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{")
        let bodyStarted = ContinuousClock.now
        for _ in 0..<30 {
            guard (try? await slowBody.send(" ")) != nil else { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(await slowBody.closed(within: .seconds(3)))
        #expect(slowBody.text.hasPrefix("HTTP/1.1 408"), "\(slowBody.text)")
        #expect(ContinuousClock.now - bodyStarted < .seconds(5))

        // Requests that arrive in time are untouched.
        #expect(try await RemoteAPI.request(.GET, "\(server.baseURL)/healthz").0 == .ok)
        let (_, metrics) = try await RemoteAPI.request(.GET, "\(server.baseURL)/metrics")
        for kind in ["idle", "header", "body"] {
            #expect(metrics.contains(#"deskpilot_http_timeouts_total{kind="\#(kind)"}"#), "no \(kind) timeout counted")
        }
    }

    @Test("with systemd's 1,024-file limit, 1,100 silent connections do not stop /healthz from answering")
    func silentConnectionsAtTheFileLimit() async throws {
        raiseOwnFileLimit(to: 4096)
        let directory = try emptyDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Soft and hard limit 1,024 for the server, as `LimitNOFILE` defaults to under systemd; the head deadline
        // is long, so only the cap can save the server here.
        let server = try await ServerProcess.start(
            environment: ["DESKPILOT_HEADER_TIMEOUT": "120", "DESKPILOT_IDLE_TIMEOUT": "120"], dataDirectory: directory,
            fileLimit: 1024)
        defer { server.kill() }
        var silent: [RawConnection] = []
        for _ in 0..<1100 {
            guard let connection = try? await RawConnection.open(port: server.port) else { break }
            silent.append(connection)
        }
        #expect(silent.count == 1100)
        let started = ContinuousClock.now
        for _ in 0..<5 {
            #expect(try await RemoteAPI.request(.GET, "\(server.baseURL)/healthz", timeout: .seconds(5)).0 == .ok)
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        let (_, metrics) = try await RemoteAPI.request(.GET, "\(server.baseURL)/metrics")
        #expect(metrics.contains("deskpilot_http_connections_evicted_total"), "room was made by closing idle connections")
        for connection in silent { await connection.close() }
    }

    private func raiseOwnFileLimit(to wanted: rlim_t) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < wanted else { return }
        limit.rlim_cur = min(wanted, limit.rlim_max)
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}

@Suite("Stopping without dropping requests", .serialized)
struct DrainTests {
    @Test("SIGTERM: /readyz fails at once, every request sent across the signal is answered, with Connection: close, then the process exits 0")
    func drainAnswersEveryRequest() async throws {
        let directory = try emptyDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(environment: ["DESKPILOT_DRAIN_SECONDS": "2"], dataDirectory: directory)
        defer { server.kill() }
        let token = try await RemoteAPI.adminToken(server)

        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let signalled = ContinuousClock.now + .milliseconds(500)
        // Clients keep sending over keep-alive connections from before the signal until well inside the drain.
        let results = try await withThrowingTaskGroup(of: [(String, Bool)].self) { group in
            for worker in 0..<6 {
                group.addTask {
                    var outcomes: [(String, Bool)] = []
                    while ContinuousClock.now < signalled + .milliseconds(1200) {
                        var request = HTTPClientRequest(url: "\(server.baseURL)/api/v1/me/tokens")
                        request.method = worker.isMultiple(of: 2) ? .POST : .GET
                        request.headers.add(name: "Authorization", value: "Bearer \(token)")
                        if request.method == .POST {
                            request.headers.add(name: "Content-Type", value: "application/json")
                            request.body = .bytes(ByteBuffer(string: #"{"name":"drain","scopes":["read"]}"#))
                        }
                        do {
                            let response = try await client.execute(request, timeout: .seconds(5))
                            _ = try await response.body.collect(upTo: 1 << 20)
                            let closes = response.headers.first(name: "connection")?.lowercased() == "close"
                            outcomes.append(("\(request.method) \(response.status.code)\(closes ? " close" : "")", response.status.code < 300))
                        } catch {
                            outcomes.append(("\(request.method) \(error)", false))
                        }
                    }
                    return outcomes
                }
            }
            group.addTask {
                try await Task.sleep(until: signalled)
                server.terminate()
                return []
            }
            var all: [(String, Bool)] = []
            for try await outcomes in group { all += outcomes }
            return all
        }
        try await client.shutdown()

        let failures = results.filter { !$0.1 }
        #expect(results.count > 50, "only \(results.count) requests were sent")
        #expect(failures.isEmpty, "\(failures.count) of \(results.count) failed: \(failures.prefix(10).map(\.0))\n\(server.log)")
        // The drain was on for part of them: those answers closed their connections, so the clients opened new ones.
        #expect(results.contains { $0.0.hasSuffix(" close") }, "no answer closed its connection while the server drained")
        #expect(try await server.waitForExit() == 0)
    }

    @Test("/readyz answers 503 while draining, /healthz stays 200")
    func readinessFailsWhileDraining() async throws {
        let directory = try emptyDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(environment: ["DESKPILOT_DRAIN_SECONDS": "5"], dataDirectory: directory)
        defer { server.kill() }
        #expect(try await RemoteAPI.request(.GET, "\(server.baseURL)/readyz").0 == .ok)
        server.terminate()
        // However late the signal is handled on a busy machine, readiness fails well inside the drain.
        var ready = HTTPResponseStatus.ok
        let deadline = ContinuousClock.now + .seconds(3)
        while ready == .ok, ContinuousClock.now < deadline {
            ready = try await RemoteAPI.request(.GET, "\(server.baseURL)/readyz").0
            if ready == .ok { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(ready == .serviceUnavailable)
        #expect(try await RemoteAPI.request(.GET, "\(server.baseURL)/healthz").0 == .ok, "the draining server still answers")
        #expect(try await server.waitForExit() == 0)
    }
}
