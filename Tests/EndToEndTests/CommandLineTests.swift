import Foundation
import RingsideTestSupport
import Testing

/// The `ringside` command line as a user runs it: real binary, real SQLite files in temp folders.
@Suite(.serialized) struct CommandLineTests {
    static var binary: String {
        if let bin = ProcessInfo.processInfo.environment["RINGSIDE_BIN"], !bin.isEmpty { return bin }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/ringside").path
    }

    let home = NSTemporaryDirectory() + "ringside-cli-\(UUID().uuidString)"

    func ringside(_ args: String..., env: [String: String] = [:]) async throws -> ProcessRunner.Result {
        try await ringside(args: args, env: env)
    }

    func ringside(args: [String], env: [String: String] = [:]) async throws -> ProcessRunner.Result {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RINGSIDE_") || $0.key == "RINGSIDE_BIN" }
        environment["HOME"] = home
        environment["XDG_DATA_HOME"] = home + "/data"
        environment["XDG_CONFIG_HOME"] = home + "/config"
        environment.merge(env) { $1 }
        return try await ProcessRunner.run(Self.binary, args, environment: environment, timeout: 240)
    }

    @Test func hundredSimulatedCallsShowUpInHistory() async throws {
        let simulated = try await ringside("simulate", "--calls", "100", "--seed", "2026")
        #expect(simulated.status == 0, "\(simulated.stdout)\n\(simulated.stderr)")
        #expect(simulated.stdout.contains("100 calls simulated, 100 records saved, 0 association mismatches"))
        let history = try await ringside("history", "--json", "--limit", "1000")
        #expect(history.status == 0)
        let rows = history.stdout.split(separator: "\n").compactMap { line in
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
        #expect(rows.count == 100)
        #expect(Set(rows.compactMap { $0["callObject"] as? String }).count == 100)
        #expect(rows.allSatisfy { ($0["subject"] as? String)?.contains(" Call at ") == true })
    }

    @Test func lookupShowsTheNormalisedNumberAndDecision() async throws {
        let result = try await ringside("lookup", "+44 (0)7814-256404")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("(+447814256404)"))
        #expect(result.stdout.contains("decision:  Pop"))
        let internalCall = try await ringside("lookup", "2001")
        #expect(internalCall.stdout.contains("internal:  yes"))
    }

    @Test func junkNumberIsAClearErrorWithANonZeroExit() async throws {
        let result = try await ringside("lookup", "07814-ABC")
        #expect(result.status != 0)
        #expect(result.stderr.contains("07814-ABC"))
    }

    @Test func malformedConfigNamesTheFileAndLine() async throws {
        try FileManager.default.createDirectory(atPath: home + "/config/ringside", withIntermediateDirectories: true)
        let path = home + "/config/ringside/config.toml"
        try "[agent]\nregion = \"GB\"\nwrap_up = 3\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await ringside("history")
        #expect(result.status != 0)
        #expect((result.stdout + result.stderr).contains("\(path):3"))
    }

    @Test func badCSVImportNamesTheLineAndWritesNothing() async throws {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let before = try await ringside("directory", "count")
        let csv = home + "/people.csv"
        try "name,phone\nAnn,020 7946 0456\nBob,not a number\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let result = try await ringside("directory", "import", csv)
        #expect(result.status != 0)
        #expect(result.stderr.contains("people.csv:3"))
        let after = try await ringside("directory", "count")
        #expect(after.stdout == before.stdout)
    }

    @Test func configPrintRedactsSecrets() async throws {
        let result = try await ringside("config", "--print", env: ["RINGSIDE_SALESFORCE_CLIENT_SECRET": "top-secret-value"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("top-secret-value"))
        #expect(result.stdout.contains("# client_secret = \"[REDACTED]\""))
    }

    @Test func everyCommandHasHelp() async throws {
        for command in ["demo", "agent", "lookup", "history", "outbox", "audit", "simulate", "directory", "login", "doctor", "emulator", "config"] {
            let result = try await ringside(command, "--help")
            #expect(result.status == 0, "\(command) --help")
            #expect(result.stdout.contains("USAGE"), "\(command) --help")
        }
    }
}
