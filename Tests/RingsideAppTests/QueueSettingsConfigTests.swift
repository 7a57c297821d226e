import Foundation
import RingsideApp
import RingsideCore
import Testing

/// `[presence] service_level_seconds` and `short_abandon_seconds` become the wallboard's queue thresholds.
@Suite struct QueueSettingsConfigTests {
    private func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "ringside-queue-config-\(UUID().uuidString).toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func defaultsFollowSeed002() throws {
        let settings = PresenceSetup.queueSettings(config: try RingsideConfig.load(path: nil, environment: ["HOME": "/nonexistent-home"]))
        #expect(settings.serviceLevelThreshold == 20)
        #expect(settings.shortAbandonThreshold == 5)
        #expect(PresenceSetup.queueSettings(config: nil) == QueueSettings())
    }

    @Test func fileAndEnvironmentSetTheThresholds() throws {
        let path = try write("[presence]\nservice_level_seconds = 30\nshort_abandon_seconds = 10\n")
        let fromFile = PresenceSetup.queueSettings(config: try RingsideConfig.load(path: path, environment: [:]))
        #expect(fromFile.serviceLevelThreshold == 30)
        #expect(fromFile.shortAbandonThreshold == 10)
        let fromEnvironment = PresenceSetup.queueSettings(config: try RingsideConfig.load(
            path: path, environment: ["RINGSIDE_PRESENCE_SERVICE_LEVEL_SECONDS": "15", "RINGSIDE_PRESENCE_SHORT_ABANDON_SECONDS": "3"]))
        #expect(fromEnvironment.serviceLevelThreshold == 15)
        #expect(fromEnvironment.shortAbandonThreshold == 3)
    }

    @Test func outOfRangeThresholdsAreRefusedWithTheKeyNamed() throws {
        let path = try write("[presence]\nservice_level_seconds = 0\n")
        #expect { try RingsideConfig.load(path: path, environment: [:]) } throws: { error in
            "\(error)".contains("presence.service_level_seconds")
        }
    }
}
