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
