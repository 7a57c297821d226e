import Foundation
import RingsideTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Real `ringside` processes for the outbox crash test: an emulator that survives, agents that get `kill -9`.
enum OutboxProcesses {
    /// The `ringside` binary: `RINGSIDE_BIN`, else `<repo>/.build/debug/ringside`.
    static var binary: String {
        if let bin = ProcessInfo.processInfo.environment["RINGSIDE_BIN"], !bin.isEmpty { return bin }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.appendingPathComponent(".build/debug/ringside").path
    }

    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// A clean environment (nothing inherited but PATH) with the data and config under `directory`.
    static func environment(directory: String, extra: [String: String] = [:]) -> [String: String] {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": directory,
                   "XDG_DATA_HOME": directory + "/data", "XDG_CONFIG_HOME": directory + "/config", "LANG": "C.UTF-8",
                   "RINGSIDE_DATA_DIRECTORY_FILE": repoRoot.appendingPathComponent("Resources/demo-directory.json").path]
        env.merge(extra) { _, new in new }
        return env
    }

    /// The settings that point Ringside at the emulator (the demo credentials it is seeded with).
    static func salesforce(_ url: String) -> [String: String] {
        ["RINGSIDE_CRM_KIND": "salesforce", "RINGSIDE_SALESFORCE_LOGIN_URL": url, "RINGSIDE_SALESFORCE_AUTH": "password",
         "RINGSIDE_SALESFORCE_CLIENT_ID": "ringside-demo-client", "RINGSIDE_SALESFORCE_CLIENT_SECRET": secret,
         "RINGSIDE_SALESFORCE_USERNAME": "agent@ringside.example", "RINGSIDE_SALESFORCE_PASSWORD": password,
         "RINGSIDE_SALESFORCE_SECURITY_TOKEN": securityToken]
    }

    static let secret = "ringside-demo-secret"
    static let password = "demo-password"
    static let securityToken = "DEMOTOKEN"

    /// Starts `ringside ARGS` with stdout and stderr going to `log`.
    static func start(_ arguments: [String], environment: [String: String], log: String) throws -> Process {
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? handle.close()
        return process
    }

    /// Runs `ringside ARGS` to completion (killed after `timeout` seconds); returns exit status and output.
    static func run(_ arguments: [String], environment: [String: String], timeout: Double = 120) throws -> (status: Int32, output: String) {
        let log = NSTemporaryDirectory() + "ringside-run-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let process = try start(arguments, environment: environment, log: log)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return (process.terminationStatus, output)
    }

    /// Waits until `log` holds a line starting with `prefix`; returns the rest of that line.
    static func waitForLine(in log: String, prefix: String, process: Process, timeout: Double = 60) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
            }
            if !process.isRunning { break }
            usleep(20_000)
        }
        throw Failure("no line starting with \"\(prefix)\" in \(log): \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    /// GET `url` and parse the JSON body.
    /// Sends a control request to the emulator; returns the body.
    @discardableResult
    static func send(_ method: String, _ url: String, body: Data? = nil) async throws -> Data {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else { throw Failure("\(method) \(url): \(response)") }
        return data
    }

    static func getJSON(_ url: String) async throws -> Any {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 30
        let (data, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        guard let http = response as? HTTPURLResponse, http.statusCode == 200 else { throw Failure("GET \(url): \(response)") }
        return try JSONSerialization.jsonObject(with: data)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// SplitMix64, as in `ringside simulate`: the crash test prints its seeds so a failure can be replayed.
typealias CrashRNG = SeededRNG
