import Foundation
@testable import RingsidePresence
import RingsideCore
import Testing

/// Waits (bounded) until `condition` holds on the board's model.
func eventually(_ board: TeamBoard, timeout: TimeInterval = 10, _ condition: @Sendable (TeamModel) -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition(await board.team) { return true }
        try? await Task.sleep(nanoseconds: 20_000_000)
    }
    return condition(await board.team)
}

@Suite("InMemoryBus")
struct InMemoryBusTests {
    @Test func retainedStatesReplayToLateSubscribersAndChangesFanOut() async throws {
        let bus = InMemoryBus()
        let ann = bus.client(role: .agent(id: "ann", name: "Ann"))
        try await ann.publish(AgentPresence(agentId: "ann", name: "Ann", state: .ready, since: Date()))
        let board = TeamBoard(tenant: "default", source: "test", hasQueueFeed: false)
        await board.attach(bus.client(role: .observer(name: "sup")).team())
        #expect(await eventually(board) { $0.agents["ann"]?.state == .ready })
        try await ann.publish(AgentPresence(agentId: "ann", name: "Ann", state: .onCall, since: Date()))
        #expect(await eventually(board) { $0.agents["ann"]?.state == .onCall })
        #expect(await board.team.link == .connected)
    }

    @Test func agentsPublishOnlyTheirOwnTopicAndClosedClientsRefuse() async throws {
        let bus = InMemoryBus()
        let ann = bus.client(role: .agent(id: "ann", name: "Ann"))
        await #expect(throws: PresenceError.self) {
            try await ann.publish(AgentPresence(agentId: "bob", name: "Bob", state: .ready, since: Date()))
        }
        await ann.close()
        await #expect(throws: PresenceError.closed) {
            try await ann.publish(AgentPresence(agentId: "ann", name: "Ann", state: .ready, since: Date()))
        }
    }

    @Test func cleanCloseIsOfflineAndCrashIsTheWill() async throws {
        let bus = InMemoryBus()
        let ann = bus.client(role: .agent(id: "ann", name: "Ann"))
        let bob = bus.client(role: .agent(id: "bob", name: "Bob"))
        try await ann.publish(AgentPresence(agentId: "ann", name: "Ann", state: .ready, since: Date()))
        try await bob.publish(AgentPresence(agentId: "bob", name: "Bob", state: .onCall, since: Date()))
        await ann.close()
        bob.crash()
        let states = bus.retainedStates(tenant: "default")
        #expect(states.map(\.state) == [.offline, .offline])
        #expect(states.map(\.lastWill) == [nil, true])
    }

    @Test func tenantsAreSeparate() async throws {
        let bus = InMemoryBus()
        try await bus.client(tenant: "a", role: .observer(name: "sim")).publish(AgentPresence(agentId: "x", name: "X", state: .ready, since: Date()))
        #expect(bus.retainedStates(tenant: "b").isEmpty)
        #expect(bus.retainedStates(tenant: "a").count == 1)
    }

    @Test func simulationRunsInRealTimeThroughTheBus() async throws {
        let bus = InMemoryBus()
        let board = TeamBoard(tenant: "default", source: "test", hasQueueFeed: true)
        await board.attach(bus.client(role: .observer(name: "sup")).team())
        let simulation = TeamSimulation(settings: .init(agents: 20, callsPerAgentHour: 60), presence: bus.client(role: .observer(name: "sim")),
                                        speed: 60)
        await simulation.start()
        #expect(await eventually(board) { $0.total == 20 })
        // At 60× a minute of simulated calls passes every second.
        #expect(await eventually(board, timeout: 15) { $0.counts[.onCall]! + $0.counts[.wrapUp]! > 0 && $0.queue.figures(at: Date()).answered > 0 })
        await simulation.stop()
        #expect(await simulation.lastError == nil)
    }
}
