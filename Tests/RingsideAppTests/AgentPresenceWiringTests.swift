import Foundation
import RingsideApp
import RingsideCore
import RingsidePhone
import RingsidePresence
import Testing

/// The running agent publishes its state to team presence as calls come and go.
@Suite struct AgentPresenceWiringTests {
    @Test func ringingAnsweredAndWrapUpReachTheTeam() async throws {
        let dir = NSTemporaryDirectory() + "ringside-presence-\(UUID().uuidString)"
        let agent = try LocalAgent(config: try RingsideConfig.load(path: nil, environment: ["HOME": dir, "XDG_DATA_HOME": dir]))
        let bus = InMemoryBus()
        let runtime = await agent.runtime(phone: SimulatedPhone(), isDemo: false)
        await runtime.setPresence(bus.client(role: .agent(id: "sam", name: "Sam Agent")), agentId: "sam")
        await runtime.start()
        defer { Task { await runtime.stop() } }
        func state() -> AgentPresence? { bus.retainedStates(tenant: "default").first { $0.agentId == "sam" } }
        func waitFor(_ what: String, _ condition: () -> Bool) async throws {
            for _ in 0..<300 where !condition() { try await Task.sleep(nanoseconds: 10_000_000) }
            #expect(condition(), "\(what)")
        }
        try await waitFor("ready published") { state()?.state == .ready }
        let number = try #require(agent.scenarios["singleMatch"])
        _ = await runtime.ring(from: number)
        try await waitFor("on call published") { state()?.state == .onCall }
        await runtime.send(.answer)
        await runtime.send(.hangUp)
        try await waitFor("wrap-up published") { state()?.state == .wrapUp }
        await runtime.send(.finishWrapUp(disposition: nil, notes: ""))
        try await waitFor("back to ready") { state()?.state == .ready }
        await runtime.send(.setAvailability(.notReady(reason: "Lunch")))
        try await waitFor("not ready with reason") { state()?.state == .notReady && state()?.reason == "Lunch" }
    }
}
