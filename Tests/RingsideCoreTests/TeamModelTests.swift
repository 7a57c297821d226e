import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

private let t0 = Fixtures.t0
private func at(_ s: TimeInterval) -> Date { t0.addingTimeInterval(s) }

private func agent(_ id: String, _ name: String, _ state: PresenceState, reason: String? = nil, since: TimeInterval = 0,
                   sent: TimeInterval? = nil, call: PresenceCall? = nil) -> AgentPresence {
    AgentPresence(agentId: id, name: name, state: state, reason: reason, since: at(since), call: call, sentAt: sent.map(at))
}

@Suite("TeamModel")
struct TeamModelTests {
    @Test func startsEmptyWithEveryStateCounted() {
        let m = TeamModel(trackingStart: t0)
        #expect(m.total == 0)
        #expect(m.counts.count == PresenceState.allCases.count)
        #expect(m.counts.values.allSatisfy { $0 == 0 })
        #expect(m.link == .connecting)
    }

    @Test func appliesPresenceAndKeepsCountsInStep() {
        var m = TeamModel(trackingStart: t0)
        let changed1 = m.apply(.presence(agent("a", "Ann", .ready)), at: t0)
        #expect(changed1)
        let changed2 = m.apply(.presence(agent("b", "Bob", .onCall)), at: t0)
        #expect(changed2)
        let changed3 = m.apply(.presence(agent("c", "Cy", .notReady, reason: "Lunch")), at: t0)
        #expect(changed3)
        #expect(m.counts[.ready] == 1 && m.counts[.onCall] == 1 && m.counts[.notReady] == 1)
        let changed4 = m.apply(.presence(agent("a", "Ann", .onCall, since: 10)), at: at(10))
        #expect(changed4)
        #expect(m.counts[.ready] == 0 && m.counts[.onCall] == 2)
        #expect(m.total == 3)
        #expect(m.counts.values.reduce(0, +) == m.total)
        #expect(m.agents["a"]?.since == at(10))
        #expect(m.updatesApplied == 4)
    }

    @Test func identicalPresenceIsNotAChange() {
        var m = TeamModel(trackingStart: t0)
        let p = agent("a", "Ann", .ready, sent: 1)
        let changed5 = m.apply(.presence(p), at: t0)
        #expect(changed5)
        let changed6 = m.apply(.presence(p), at: at(5))
        #expect(!changed6)
        #expect(m.updatesApplied == 1)
    }

    @Test func olderPayloadCannotRollStateBack() {
        var m = TeamModel(trackingStart: t0)
        m.apply(.presence(agent("a", "Ann", .onCall, since: 20, sent: 20)), at: at(20))
        let changed7 = m.apply(.presence(agent("a", "Ann", .ready, since: 0, sent: 0)), at: at(21))
        #expect(!changed7)
        #expect(m.agents["a"]?.state == .onCall)
        #expect(m.staleIgnored == 1)
        // Without sentAt (other publishers) the latest delivery wins.
        let changed8 = m.apply(.presence(agent("a", "Ann", .ready, since: 30)), at: at(30))
        #expect(changed8)
        #expect(m.agents["a"]?.state == .ready)
    }

    @Test func lastWillMarksOfflineFromObservationAndDropsTheCall() {
        var m = TeamModel(trackingStart: t0)
        let call = PresenceCall(direction: .inbound, number: "07814 256404", startedAt: at(0))
        m.apply(.presence(agent("a", "Ann", .onCall, since: 5, sent: 5, call: call)), at: at(5))
        // The will was written at connect time (t0) and carries no sentAt.
        let will = AgentPresence.lastWill(agentId: "a", name: "Ann", since: t0)
        let changed9 = m.apply(.presence(will), at: at(100))
        #expect(changed9)
        #expect(m.agents["a"]?.state == .offline)
        #expect(m.agents["a"]?.since == at(100))
        #expect(m.agents["a"]?.call == nil)
        #expect(m.counts[.onCall] == 0 && m.counts[.offline] == 1)
        // A retained copy of the same will delivered again later keeps the first offline time.
        let changed10 = m.apply(.presence(will), at: at(200))
        #expect(!changed10)
        #expect(m.agents["a"]?.since == at(100))
    }

    @Test func removalClearsAgentAndCounts() {
        var m = TeamModel(trackingStart: t0)
        m.apply(.presence(agent("a", "Ann", .wrapUp)), at: t0)
        let changed11 = m.apply(.removed(agentId: "a"), at: at(1))
        #expect(changed11)
        let changed12 = m.apply(.removed(agentId: "a"), at: at(2))
        #expect(!changed12)
        #expect(m.total == 0 && m.counts[.wrapUp] == 0)
    }

    @Test func malformedPayloadsAreCountedAndIgnored() {
        var m = TeamModel(trackingStart: t0)
        m.apply(.presence(agent("a", "Ann", .ready)), at: t0)
        m.apply(.malformed(topic: "ringside/default/agents/x", reason: "not JSON"), at: t0)
        m.apply(.malformed(topic: "ringside/default/agents/y", reason: "schema 9"), at: t0)
        #expect(m.malformed == 2)
        #expect(m.lastMalformed == "schema 9")
        #expect(m.total == 1)
    }

    @Test func linkChangesAreTracked() {
        var m = TeamModel(trackingStart: t0)
        let changed13 = m.apply(.link(.connected), at: t0)
        #expect(changed13)
        let changed14 = m.apply(.link(.connected), at: t0)
        #expect(!changed14)
        let changed15 = m.apply(.link(.disconnected("broker gone")), at: t0)
        #expect(changed15)
        #expect(m.link == .disconnected("broker gone"))
    }

    @Test func queueEventsFeedQueueFigures() {
        var m = TeamModel(trackingStart: t0)
        m.apply(.queue(.arrived(callId: "q1", at: t0)), at: t0)
        m.apply(.queue(.arrived(callId: "q2", at: at(1))), at: at(1))
        m.apply(.queue(.answered(callId: "q1", at: at(10))), at: at(10))
        let f = m.queueFigures(at: at(30))
        #expect(f.waiting == 1 && f.longestWait == 29 && f.serviceLevel == 100)
    }

    @Test func activityTotalsFollowStateChanges() {
        var m = TeamModel(trackingStart: t0)
        m.apply(.presence(agent("a", "Ann", .ready, since: 0)), at: t0)
        m.apply(.presence(agent("a", "Ann", .notReady, reason: "Training", since: 60)), at: at(60))
        let t = m.activityTotals(at: at(100))
        #expect(t[.ready] == 60 && t[.idle] == 60 && t[.notReady] == 40 && t[.admin] == 0)
    }

    // MARK: Sorting and filtering

    private func team() -> TeamModel {
        var m = TeamModel(trackingStart: t0)
        let call = PresenceCall(direction: .outbound, number: "020 7946 0000", matchedName: "Zoë Ltd", startedAt: at(0))
        for p in [
            agent("1", "émile", .ready, since: 30),
            agent("2", "Bob", .onCall, since: 50, call: call),
            agent("3", "alice", .notReady, reason: "Lunch", since: 10),
            agent("4", "Dan", .offline, since: 0),
            agent("5", "Carol", .onCall, since: 20),
            agent("6", "Bob", .wrapUp, since: 40),
        ] { m.apply(.presence(p), at: at(60)) }
        return m
    }

    @Test func sortByStateThenLongestInStateThenName() {
        #expect(team().rows(sort: .state).map(\.agentId) == ["5", "2", "6", "1", "3", "4"])
    }

    @Test func sortByNameIgnoresCaseAndAccentsThenId() {
        #expect(team().rows(sort: .name).map(\.agentId) == ["3", "2", "6", "5", "4", "1"])
        #expect(team().rows(sort: .name, descending: true).map(\.agentId) == ["1", "4", "5", "6", "2", "3"])
    }

    @Test func sortByTimeInStateLongestFirst() {
        #expect(team().rows(sort: .timeInState).map(\.agentId) == ["4", "3", "5", "1", "6", "2"])
    }

    @Test func sortCycle() {
        #expect(TeamSort.state.next == .name && TeamSort.name.next == .timeInState && TeamSort.timeInState.next == .state)
    }

    @Test func filterByStatesAndText() {
        let m = team()
        #expect(m.rows(sort: .name, filter: TeamFilter(states: [.onCall, .wrapUp])).map(\.agentId) == ["2", "6", "5"])
        #expect(m.rows(sort: .name, filter: TeamFilter(text: "BOB")).map(\.agentId) == ["2", "6"])
        #expect(m.rows(sort: .name, filter: TeamFilter(text: "emile")).map(\.agentId) == ["1"])   // accent-insensitive
        #expect(m.rows(sort: .name, filter: TeamFilter(text: "lunch")).map(\.agentId) == ["3"])   // reason
        #expect(m.rows(sort: .name, filter: TeamFilter(text: "7946")).map(\.agentId) == ["2"])    // call number
        #expect(m.rows(sort: .name, filter: TeamFilter(text: "zoe")).map(\.agentId) == ["2"])     // matched name
        #expect(m.rows(sort: .name, filter: TeamFilter(states: [.ready], text: "bob")).isEmpty)
        #expect(m.rows(sort: .name, filter: TeamFilter(text: "  ")).count == 6)
    }

    @Test func thousandAgentsStayConsistent() {
        var m = TeamModel(trackingStart: t0)
        var rng = SystemRandomNumberGenerator()
        for step in 0..<20_000 {
            let id = "agent-\(Int.random(in: 0..<1000, using: &rng))"
            let state = PresenceState.allCases.randomElement(using: &rng)!
            m.apply(.presence(agent(id, id, state, since: Double(step))), at: at(Double(step)))
        }
        #expect(m.total <= 1000)
        #expect(m.counts.values.reduce(0, +) == m.total)
        for state in PresenceState.allCases {
            #expect(m.counts[state] == m.agents.values.filter { $0.state == state }.count)
        }
        #expect(m.rows(sort: .state).count == m.total)
    }
}
