import Foundation
import RingsideTestSupport
import Testing

/// Issue 18: the console keys are listed in `ringside demo --help` and `ringside agent --help`.
@Suite struct ConsoleKeysHelpTests {
    func help(_ command: String) async throws -> String {
        let result = try await ProcessRunner.run(Tmux.binary, [command, "--help"], environment: ProcessInfo.processInfo.environment, timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test func demoAndAgentHelpListTheConsoleKeys() async throws {
        let demo = try await help("demo")
        for expected in ["Console keys", "Answer", "Hang up", "Open", "Copy number", "Demo (ringside demo only)"] {
            #expect(demo.contains(expected), "demo --help lacks \(expected):\n\(demo)")
        }
        let agent = try await help("agent")
        #expect(agent.contains("Console keys"))
        #expect(agent.contains("Copy link"))
        #expect(!agent.contains("Demo (ringside demo only)"), "agent --help lists the demo keys")
    }
}

/// Issue 18: a `[keys]` table remaps console commands in the running console.
@Suite(.serialized, .enabled(if: RequiredComponent.runs(Tmux.available), "needs tmux and the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
struct RemappedKeysTmuxTests {
    @Test func answerOnCapitalAAndTheButtonSaysSo() throws {
        let t = try Tmux.withConfig("keys-remap", "[keys]\nanswer = \"A\"\nhang_up = \"F8\"\n")
        defer {
            t.kill()
            t.removeHome()
        }
        try t.waitFor("Phone connected")
        let idle = try t.capture()
        #expect(idle.contains("A Answer"), "the key bar shows the remapped key:\n\(idle)")
        try t.keys("1")
        try t.waitFor("Fred Bloggs · Contact")
        try t.keys("a")
        try t.waitFor("Key a does nothing here")
        try t.keys("A")
        try t.waitFor("Connected 0:0")
        try t.keys("F8")
        try t.waitFor("saves by itself in")
    }

    @Test func aConflictingKeyStopsStartUpWithFileAndLine() throws {
        let t = try Tmux.withConfig("keys-conflict", "[keys]\nanswer = \"q\"\n", width: 250)
        defer {
            t.kill()
            t.removeHome()
        }
        let screen = try t.waitFor("EXIT=")
        #expect(screen.contains("config.toml:2:"), "\(screen)")
        #expect(screen.contains("already Quit"), "\(screen)")
        #expect(!screen.contains("EXIT=0"))
    }
}
