import Foundation
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
