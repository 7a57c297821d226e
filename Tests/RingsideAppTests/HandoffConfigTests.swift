import Foundation
@testable import RingsideApp
import RingsideCore
import Testing

/// Issue 18: how long a received transfer context is kept (and offered to a call that rings) and how many are
/// kept are settings, `[presence] handoff_window_seconds` and `handoff_keep`.
private func writeConfigFile(_ text: String) -> String {
    let path = NSTemporaryDirectory() + "ringside-handoff-config-\(UUID().uuidString).toml"
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
}

@Suite struct HandoffConfigTests {
    @Test func defaultsAreTheOldConstants() throws {
        let config = try RingsideConfig.load(path: nil, environment: ["HOME": "/nonexistent-home"])
        #expect(config.handoffWindowSeconds == 120)
        #expect(config.handoffKeep == 64)
        let session = AgentSession(settings: config.sessionSettings, user: AgentUser(id: "u", name: "U", timeZone: "UTC"))
        #expect(session.handoffs.window == 120)
        #expect(session.handoffs.capacity == 64)
    }

    @Test func fileAndEnvironmentValuesReachTheSessionsInbox() throws {
        let config = try RingsideConfig.load(path: writeConfigFile("[presence]\nhandoff_window_seconds = 30\nhandoff_keep = 5\n"), environment: [:])
        let session = AgentSession(settings: config.sessionSettings, user: AgentUser(id: "u", name: "U", timeZone: "UTC"))
        #expect(session.handoffs.window == 30)
        #expect(session.handoffs.capacity == 5)
        let env = try RingsideConfig.load(path: nil, environment: ["HOME": "/x", "RINGSIDE_PRESENCE_HANDOFF_KEEP": "7"])
        #expect(env.sessionSettings.handoffKeep == 7)
    }

    @Test(arguments: [
        ("handoff_window_seconds = 0", "presence.handoff_window_seconds = 0 is out of range"),
        ("handoff_window_seconds = 90000", "presence.handoff_window_seconds = 90000 is out of range"),
        ("handoff_window_seconds = \"2m\"", "presence.handoff_window_seconds must be a whole number"),
        ("handoff_keep = 0", "presence.handoff_keep = 0 is out of range"),
        ("handoff_keep = -3", "presence.handoff_keep = -3 is out of range"),
    ])
    func badValuesAreErrorsWithFileLineAndRange(line: String, message: String) throws {
        let path = writeConfigFile("[presence]\ntenant = \"t\"\n\(line)\n")
        #expect { try RingsideConfig.load(path: path, environment: [:]) } throws: { error in
            "\(error)".contains("\(path):3:") && "\(error)".contains(message)
        }
    }

    @Test func theExampleDocumentsBoth() {
        let example = RingsideConfig.example()
        #expect(example.contains("# handoff_window_seconds = 120"))
        #expect(example.contains("# handoff_keep = 64"))
        #expect(example.contains("RINGSIDE_PRESENCE_HANDOFF_WINDOW_SECONDS"))
    }
}
