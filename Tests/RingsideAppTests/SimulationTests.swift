import Foundation
import RingsideApp
import RingsideCore
import RingsideStore
import Testing

@Suite struct SimulationTests {
    @Test func hundredSimulatedCallsGetTheRightAssociations() async throws {
        let dir = NSTemporaryDirectory() + "ringside-sim-\(UUID().uuidString)"
        let config = try RingsideConfig.load(path: nil, environment: ["HOME": dir, "XDG_DATA_HOME": dir])
        let agent = try LocalAgent(config: config)
        var simulation = HeadlessSimulation(agent: agent, seed: 42)
        let outcomes = try await simulation.run(calls: 100) { _ in }
        #expect(outcomes.count == 100)
        #expect(outcomes.filter { !$0.matches }.isEmpty)
        let stored = try agent.store.recentCalls(limit: 500)
        #expect(stored.count == 100)
        #expect(Set(stored.map(\.callObject)).count == 100)
        #expect(stored.allSatisfy { $0.delivery == .local })
        // Every rule the scripts exercise shows up.
        let rules = Set(stored.map(\.associationRule))
        #expect(rules.isSuperset(of: [.clickToDial, .singleMatch, .agentChoice, .multipleMatchesNoSelection, .newRecord, .noMatch, .internalCall]))
        // Internal calls are never associated.
        #expect(stored.filter { $0.callType == .internal }.allSatisfy { $0.who == nil && $0.what == nil })
    }
}
