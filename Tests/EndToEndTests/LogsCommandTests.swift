import Foundation
import RingsideTestSupport
import Testing

/// Issue 19: `ringside logs` shows the log file's end and follows it; the file is private.
@Suite(.serialized, .enabled(if: RequiredComponent.runs(FileManager.default.isExecutableFile(atPath: CommandLineTests.binary)), "needs the built ringside binary"))
struct LogsCommandTests {
    let home = NSTemporaryDirectory() + "ringside-logs-\(UUID().uuidString)"

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RINGSIDE_") && !$0.key.hasPrefix("XDG_") }
        environment["HOME"] = home
        environment["XDG_STATE_HOME"] = home + "/state"
        environment["RINGSIDE_PRESENCE_BROKER"] = "mqtt://agent:Mq77-secret@127.0.0.1:1"
        return environment
    }

    func ringside(_ args: String...) async throws -> ProcessRunner.Result {
        try await ProcessRunner.run(CommandLineTests.binary, args, environment: environment, timeout: 240)
    }

    @Test func logsShowsAndFollowsTheLogFile() async throws {
        let count = try await ringside("directory", "count", "--log-level", "debug")
        #expect(count.status == 0, "\(count.stderr)")
        let path = home + "/state/ringside/ringside.log"
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        let shown = try await ringside("logs", "-n", "1")
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("info ringside: directory started (config: defaults, environment, log level debug)"), "\(shown.stdout)")
        #expect(shown.stdout.split(separator: "\n").count == 1)
        #expect(!(try String(contentsOfFile: path, encoding: .utf8)).contains("Mq77-secret"))

        // The follower shows the last line first: that is the signal it has the file open (with `-n 0` a line
        // written while it was still starting would be missed).
        let follower = try ProcessRunner.start(CommandLineTests.binary, ["logs", "-f", "-n", "1"], environment: environment)
        defer { follower.kill() }
        #expect(await follower.waitForOutput(containing: "directory started", timeout: 60), "\(follower.stdout)")
        _ = try await ringside("history")
        #expect(await follower.waitForOutput(containing: "history started", timeout: 60), "\(follower.stdout)")
    }

    @Test func aBadLogLevelIsAClearError() async throws {
        let result = try await ringside("history", "--log-level", "loud")
        #expect(result.status != 0 && result.stderr.contains("--log-level loud: use trace, debug, info"))
    }
}
