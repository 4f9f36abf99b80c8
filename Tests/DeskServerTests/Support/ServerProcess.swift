import AsyncHTTPClient
@testable import DeskServer
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The `deskpilot` executable running as a separate process on a loopback port, as operators run it.
final class ServerProcess: @unchecked Sendable {
    let port: Int
    let process: Process
    let logFile: URL
    /// The settings it was started with (beyond the defaults below), for `restart()`.
    let environment: [String: String]
    let dataDirectory: URL

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The binary `swift test` built next to the test bundle (or `DESKPILOT_BINARY`).
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["DESKPILOT_BINARY"] { return URL(fileURLWithPath: path) }
        let testBundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return testBundle.deletingLastPathComponent().appendingPathComponent("deskpilot")
    }

    /// Starts `deskpilot serve` with these settings and waits until `/readyz` answers; on a free port unless `port` is given.
    /// With `fileLimit`, the process runs with that soft and hard open-file limit (as `LimitNOFILE` sets it).
    static func start(environment: [String: String], dataDirectory: URL, port requested: Int? = nil, fileLimit: Int? = nil) async throws -> ServerProcess {
        let port = if let requested { requested } else { try await freePort() }
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve"]
        if let fileLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(fileLimit) && exec \"$0\" serve", binary.path]
        }
        // Never the checkout: the binary must find everything it serves inside itself.
        process.currentDirectoryURL = dataDirectory
        var env = ProcessInfo.processInfo.environment
        env.merge([
            "DESKPILOT_HOST": "127.0.0.1", "DESKPILOT_PORT": String(port), "DESKPILOT_DATA_DIR": dataDirectory.path,
            "DESKPILOT_ADMIN_USERNAME": "admin", "DESKPILOT_ADMIN_PASSWORD": "admin-password", "DESKPILOT_BCRYPT_COST": "4",
            "DESKPILOT_JWT_SECRET": String(repeating: "k", count: 40), "LOG_LEVEL": "notice",
            // Instances of one installation share the vault's key, as they share the JWT secret.
            "DESKPILOT_SECRET_KEYS": "1:" + Data(repeating: 9, count: 32).base64EncodedString(),
        ]) { $1 }
        env.merge(environment) { $1 }
        process.environment = env
        // A restart on the same port appends to the same log.
        let logFile = dataDirectory.appendingPathComponent("server-\(port).log")
        if !FileManager.default.fileExists(atPath: logFile.path) { _ = FileManager.default.createFile(atPath: logFile.path, contents: nil) }
        let log = try FileHandle(forWritingTo: logFile)
        try log.seekToEnd()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let server = ServerProcess(port: port, process: process, logFile: logFile, environment: environment, dataDirectory: dataDirectory)
        try await server.waitUntilReady()
        return server
    }

    private init(port: Int, process: Process, logFile: URL, environment: [String: String], dataDirectory: URL) {
        self.port = port
        self.process = process
        self.logFile = logFile
        self.environment = environment
        self.dataDirectory = dataDirectory
    }

    /// The same instance started again after it exited: same port, data directory and settings, as an init system restarts
    /// a service. Returns once `/readyz` answers.
    func restart() async throws -> ServerProcess {
        guard !process.isRunning else { throw CommandError("the server on \(port) is still running") }
        return try await ServerProcess.start(environment: environment, dataDirectory: dataDirectory, port: port)
    }

    private func waitUntilReady(timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw CommandError("the server exited early:\n\(log)") }
            if let (status, _) = try? await RemoteAPI.request(.GET, "\(baseURL)/readyz"), status == .ok { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CommandError("the server did not become ready:\n\(log)")
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// SIGKILL: the process dies at once, as on a crash.
    func kill() {
        // Only while it runs: once reaped, its process id may belong to another process.
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM: the orderly shutdown an init system asks for.
    func terminate() {
        process.terminate()
    }

    /// Waits for the process to end; its exit status.
    func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw CommandError("the server did not exit") }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    /// Whether this instance runs the background jobs now (from its metrics).
    func isLeader() async -> Bool {
        guard let (_, body) = try? await RemoteAPI.request(.GET, "\(baseURL)/metrics") else { return false }
        return body.split(separator: "\n").contains { $0.hasPrefix("deskpilot_leader ") && !$0.hasSuffix(" 0") && !$0.hasSuffix(" 0.0") }
    }

    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}

/// Plain HTTP calls to a server process.
enum RemoteAPI {
    static func request(
        _ method: HTTPMethod, _ url: String, token: String? = nil, json: JSON? = nil, timeout: TimeAmount = .seconds(30)
    ) async throws -> (HTTPResponseStatus, String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json.text))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 4 << 20)
        return (response.status, String(buffer: body))
    }

    /// The JSON object of an answer.
    static func object(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// Signs in as the configured administrator and returns a personal access token.
    static func adminToken(_ server: ServerProcess) async throws -> String {
        try await token(server, username: "admin", password: "admin-password")
    }

    /// Signs in and returns a personal access token of that person.
    static func token(_ server: ServerProcess, username: String, password: String) async throws -> String {
        var login = HTTPClientRequest(url: "\(server.baseURL)/api/v1/auth/login")
        login.method = .POST
        login.headers.add(name: "Content-Type", value: "application/json")
        login.body = .bytes(ByteBuffer(string: JSON.object(["username": .string(username), "password": .string(password)]).text))
        let response = try await HTTPClient.shared.execute(login, timeout: .seconds(30))
        let cookies = response.headers["set-cookie"].map { String($0.split(separator: ";")[0]) }
        let csrf = cookies.first { $0.hasPrefix("deskpilot_csrf=") }.map { String($0.dropFirst("deskpilot_csrf=".count)) } ?? ""
        var create = HTTPClientRequest(url: "\(server.baseURL)/api/v1/me/tokens")
        create.method = .POST
        create.headers.add(name: "Content-Type", value: "application/json")
        create.headers.add(name: "Cookie", value: cookies.joined(separator: "; "))
        create.headers.add(name: "X-CSRF-Token", value: csrf)
        create.body = .bytes(ByteBuffer(string: #"{"name":"tests","scopes":["read","write"]}"#))
        let created = try await HTTPClient.shared.execute(create, timeout: .seconds(30))
        let body = String(buffer: try await created.body.collect(upTo: 1 << 20))
        guard let token = object(body)["token"] as? String else { throw CommandError("no token: \(body)") }
        return token
    }

    /// A country, a location in `zone`, a floor, a room and `desks` desks; the room and desk ids.
    static func place(_ server: ServerProcess, token: String, zone: String = "UTC", desks: Int = 1) async throws -> (location: UUID, room: UUID, desks: [UUID]) {
        func create(_ path: String, _ json: JSON) async throws -> UUID {
            let (status, body) = try await request(.POST, "\(server.baseURL)\(path)", token: token, json: json)
            guard status == .created, let id = (object(body)["id"] as? String).flatMap(UUID.init(uuidString:)) else {
                throw CommandError("POST \(path) answered \(status): \(body)")
            }
            return id
        }
        let country = try await create("/api/v1/countries", ["name": "Testland", "code": "TL"])
        // Open every day: these tests run on the real clock, whatever weekday that is.
        let location = try await create("/api/v1/locations", ["country_id": .id(country), "name": "HQ", "timezone": .string(zone),
                                                              "policy": ["open_weekdays": [1, 2, 3, 4, 5, 6, 7]]])
        let floor = try await create("/api/v1/locations/\(location)/floors", ["name": "1", "level": 1])
        let room = try await create("/api/v1/floors/\(floor)/rooms", ["name": "Open"])
        var deskIds: [UUID] = []
        for index in 0..<desks {
            deskIds.append(try await create("/api/v1/rooms/\(room)/desks", ["name": .string("D\(index)"), "x": 0.5, "y": 0.5]))
        }
        return (location, room, deskIds)
    }
}

/// Debian's nginx with the configuration from `deploy/nginx/deskpilot.conf`, pointed at two server processes.
final class NginxProcess: @unchecked Sendable {
    static let binary = "/usr/sbin/nginx"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    let port: Int
    private let process: Process
    let directory: URL

    var baseURL: String { "http://127.0.0.1:\(port)" }

    static func start(upstreams: [ServerProcess], directory: URL) async throws -> NginxProcess {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        var site = try String(contentsOf: repository.appendingPathComponent("deploy/nginx/deskpilot.conf"), encoding: .utf8)
        let port = try await ServerProcess.freePort()
        site = site.replacingOccurrences(of: "127.0.0.1:8081", with: "127.0.0.1:\(upstreams[0].port)")
            .replacingOccurrences(of: "127.0.0.1:8082", with: "127.0.0.1:\(upstreams[1].port)")
            .replacingOccurrences(of: "listen 80;", with: "listen 127.0.0.1:\(port);")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try site.write(to: directory.appendingPathComponent("deskpilot.conf"), atomically: true, encoding: .utf8)
        let dir = directory.path
        let main = """
            pid \(dir)/nginx.pid;
            error_log \(dir)/error.log warn;
            events { worker_connections 4096; }
            http {
                # Which instances a request went to, with their answers ("502, 200" is a retry that succeeded).
                log_format upstreams '$msec $request_method $uri $status [$upstream_addr] [$upstream_status] $request_time';
                access_log \(dir)/access.log upstreams;
                client_body_temp_path \(dir)/body;
                proxy_temp_path \(dir)/proxy;
                fastcgi_temp_path \(dir)/fastcgi;
                uwsgi_temp_path \(dir)/uwsgi;
                scgi_temp_path \(dir)/scgi;
                include \(dir)/deskpilot.conf;
            }
            """
        try main.write(to: directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-c", "\(dir)/nginx.conf", "-g", "daemon off; user root;"]
        try process.run()
        let nginx = NginxProcess(port: port, process: process, directory: directory)
        for _ in 0..<100 {
            if let (status, _) = try? await RemoteAPI.request(.GET, "\(nginx.baseURL)/healthz"), status == .ok { return nginx }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CommandError("nginx did not start: \((try? String(contentsOfFile: "\(dir)/error.log", encoding: .utf8)) ?? "")")
    }

    private init(port: Int, process: Process, directory: URL) {
        self.port = port
        self.process = process
        self.directory = directory
    }

    /// nginx's error log (warnings and errors about upstreams).
    var errorLog: String { (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? "" }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
