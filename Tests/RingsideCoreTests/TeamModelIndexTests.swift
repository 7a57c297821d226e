import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

/// The kept-sorted index (issue 17, 5,000 agents) must list exactly what sorting every agent lists.
@Suite("TeamModel index against a brute-force sort")
struct TeamModelIndexTests {
    static let names = ["Ann", "ann", "Ánn", "Bob", "bob ", "Zoë", "zoe", "Émile", "emile", "山田", "Chloé", "chloe", "Ōtani", ""]

    private func randomPresence(_ rng: inout PhoneFuzzRNG, now: Date) -> AgentPresence {
        let id = "a\(Int.random(in: 0..<60, using: &rng))"
        let state = PresenceState.allCases.randomElement(using: &rng)!
        // Few distinct `since` values, so ties fall through to the name and id.
        let since = now.addingTimeInterval(-Double(Int.random(in: 0..<4, using: &rng) * 30))
        let call = state == .onCall ? PresenceCall(direction: .inbound, number: "0770\(Int.random(in: 0..<9, using: &rng))", startedAt: since) : nil
        return AgentPresence(agentId: id, name: Self.names.randomElement(using: &rng)!, state: state,
                             reason: state == .notReady ? ["Lunch", "Break", ""].randomElement(using: &rng)! : nil, since: since, call: call)
    }

    @Test(arguments: [UInt64(1), 7, 42, 2026])
    func randomUpdateSequencesListTheSameRows(seed: UInt64) {
        var rng = PhoneFuzzRNG(state: seed)
        var model = TeamModel(trackingStart: Fixtures.t0)
        var now = Fixtures.t0
        let filters = [TeamFilter(), TeamFilter(states: [.onCall, .wrapUp]), TeamFilter(states: [.notReady]), TeamFilter(text: "ann"),
                       TeamFilter(states: [.ready], text: "E"), TeamFilter(text: "lunch")]
        for step in 0..<1500 {
            now = now.addingTimeInterval(Double(Int.random(in: 0...3, using: &rng)))
            if Int.random(in: 0..<10, using: &rng) == 0 {
                model.apply(.removed(agentId: "a\(Int.random(in: 0..<60, using: &rng))"), at: now)
            } else {
                model.apply(.presence(randomPresence(&rng, now: now)), at: now)
            }
            guard step % 25 == 0 || step == 1499 else { continue }
            for sort in TeamSort.allCases {
                for descending in [false, true] {
                    for filter in filters {
                        let expected = model.rowsBySorting(sort: sort, descending: descending, filter: filter)
                        let actual = model.rows(sort: sort, descending: descending, filter: filter)
                        #expect(actual.map(\.agentId) == expected.map(\.agentId), "seed \(seed) step \(step) \(sort) \(descending) \(filter)")
                        #expect(model.rowCount(filter: filter) == expected.count)
                        let first = Int.random(in: 0...max(0, expected.count), using: &rng), count = Int.random(in: 0...12, using: &rng)
                        let slice = expected.dropFirst(first).prefix(count).map(\.agentId)
                        #expect(model.page(sort: sort, descending: descending, filter: filter, first: first, count: count).map(\.agentId) == Array(slice))
                    }
                }
            }
        }
        #expect(model.total > 0)
    }

    @Test func pagesOutsideTheListAreEmptyOrShort() {
        var model = TeamModel(trackingStart: Fixtures.t0)
        for i in 0..<5 {
            model.apply(.presence(AgentPresence(agentId: "a\(i)", name: "Agent \(i)", state: .ready, since: Fixtures.t0)), at: Fixtures.t0)
        }
        #expect(model.page(sort: .name, first: 3, count: 10).map(\.agentId) == ["a3", "a4"])
        #expect(model.page(sort: .name, first: 9, count: 10).isEmpty)
        #expect(model.page(sort: .name, first: -4, count: 2).map(\.agentId) == ["a0", "a1"])
        #expect(model.page(sort: .name, descending: true, first: 0, count: 2).map(\.agentId) == ["a4", "a3"])
    }
}
