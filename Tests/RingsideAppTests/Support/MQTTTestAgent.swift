import Foundation
import RingsideApp
import RingsideCore
import RingsidePhone
import RingsidePresence
import RingsideTestSupport
import Testing

/// A running local agent (simulated phone, its own data folder) connected to a real mosquitto as `id`: the
/// queue-feed suites start one per agent.
struct MQTTTestAgent {
    var id: String
    var phone: SimulatedPhone
    var runtime: AgentRuntime

    static func start(_ id: String, broker: MosquittoBroker, tenant: String) async throws -> MQTTTestAgent {
        let dir = NSTemporaryDirectory() + "ringside-mqtt-\(id)-\(UUID().uuidString)"
        let local = try LocalAgent(config: try RingsideConfig.load(path: nil, environment: ["HOME": dir, "XDG_DATA_HOME": dir]))
        let phone = SimulatedPhone()
        let runtime = await local.runtime(phone: phone, isDemo: false)
        let presence = try MQTTPresence(settings: try MQTTSettings(url: broker.url, tenant: tenant), role: .agent(id: id, name: id))
        #expect(await presence.waitUntilConnected(timeout: 10))
        await runtime.setPresence(presence, agentId: id)
        await runtime.start()
        return MQTTTestAgent(id: id, phone: phone, runtime: runtime)
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes, then expects it (a wait with a deadline, not a
/// fixed sleep).
func waitFor(_ what: String, timeout: TimeInterval = 20, _ condition: () async -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while await !condition(), Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
    #expect(await condition(), "\(what)")
}
