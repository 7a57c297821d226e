import Foundation
import RingsideTestSupport
import Testing

/// Helpers for console tests that need a config file or the program's raw output (issue 18).
extension Tmux {
    /// `ringside ARGS` in an installation whose config file is `config`. The folders stay until `removeHome()`.
    static func withConfig(_ name: String, _ config: String, width: Int = 100, height: Int = 30, args: [String] = ["demo"],
                           environment: [String: String] = [:]) throws -> Tmux {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ringside-e2e-\(name)-\(UUID().uuidString.prefix(8))")
        let configDir = home.appendingPathComponent("config/ringside")
        try FileManager.default.createDirectory(at: configDir, withIntermediateDirectories: true)
        try config.write(to: configDir.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        return try Tmux(name, width: width, height: height, args: args, environment: environment, home: home)
    }

    /// Copies everything the program writes to the pane into a file (`pipe-pane`): escape sequences included.
    func pipeOutput() throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ringside-pane-\(name).bin")
        try Self.run(["pipe-pane", "-o", "-t", name, "cat >> \(Self.quote(file.path))"])
        return file
    }

    /// The piped output once `predicate` holds; after `timeout` records an issue and returns what there is.
    static func output(_ file: URL, until what: String, timeout: TimeInterval = 10, _ predicate: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var text = ""
        while Date() < deadline {
            text = (try? String(contentsOf: file, encoding: .isoLatin1)) ?? ""
            if predicate(text) { return text }
            usleep(50_000)
        }
        Issue.record("the pane output never had \(what): \(text.suffix(400).debugDescription)")
        return text
    }
}

extension Tmux {
    /// `ringside history --json` for the installation in `home` (the agent's saved calls once the console quit):
    /// one dictionary per record, newest first.
    static func savedCalls(home: URL, limit: Int = 100) async throws -> [[String: Any]] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RINGSIDE_") }
        environment.merge(Tmux.environment(home: home)) { $1 }
        let result = try await ProcessRunner.run(Tmux.binary, ["history", "--json", "--limit", "\(limit)"], environment: environment, timeout: 60)
        #expect(result.status == 0, "history failed: \(result.stderr)")
        return result.stdout.split(separator: "\n").compactMap { line in
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
    }
}
