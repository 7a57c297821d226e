import Foundation
@testable import RingsidePresence
import RingsideCore
import RingsideTestSupport
import Testing

private let t0 = Fixtures.t0

@Suite("TeamSimulator")
struct TeamSimulatorTests {
    /// Runs a simulator for `hours`, minute by minute, feeding a TeamModel like a supervisor would.
    private func run(_ settings: TeamSimulator.Settings, hours: Double) -> (outputs: [TeamSimulator.Output], model: TeamModel) {
        var sim = TeamSimulator(settings: settings, start: t0)
        var model = TeamModel(trackingStart: t0)
        var outputs: [TeamSimulator.Output] = sim.presences.map { .presence($0) }
        for p in sim.presences { model.apply(.presence(p), at: t0) }
        var time = t0
        while time < t0.addingTimeInterval(hours * 3600) {
            time = time.addingTimeInterval(60)
            for output in sim.advance(to: time) {
                outputs.append(output)
                switch output {
                case .presence(let p): model.apply(.presence(p), at: p.since)
                case .queue(let e): model.apply(.queue(e), at: e.at)
                }
            }
        }
        return (outputs, model)
    }

    @Test func sameSeedSameDayDifferentSeedDifferentDay() {
        let a = run(.init(agents: 30, seed: 7), hours: 1).outputs
        let b = run(.init(agents: 30, seed: 7), hours: 1).outputs
        let c = run(.init(agents: 30, seed: 8), hours: 1).outputs
        #expect(a == b)
        #expect(a != c)
        #expect(a.count > 100)
    }

    @Test func agentsHaveUniqueIdsAndAWideCharacterName() {
        let sim = TeamSimulator(settings: .init(agents: 50), start: t0)
        #expect(Set(sim.presences.map(\.agentId)).count == 50)
        #expect(sim.presences[2].name == "山田 太郎")
        #expect(sim.presences.first?.agentId == "agent-0001")
    }

    @Test func startsWithSomeAgentsOffOrOnBreak() {
        let sim = TeamSimulator(settings: .init(agents: 100), start: t0)
        let states = Set(sim.presences.map(\.state))
        #expect(states.contains(.ready))
        #expect(states.contains(.notReady))
        #expect(states.contains(.offline))
    }

    @Test func aBusyHourProducesEveryKindOfEventConsistently() {
        let (outputs, model) = run(.init(agents: 40, seed: 11, callsPerAgentHour: 20, lateShare: 0.2), hours: 2)
        var arrived = Set<String>(), ended = Set<String>()
        var states = Set<PresenceState>()
        var sawOutbound = false, sawShortAbandon = false
        var arrivals: [String: Date] = [:]
        for output in outputs {
            switch output {
            case .presence(let p):
                states.insert(p.state)
                if p.state == .onCall { #expect(p.call != nil) }
                if p.state == .ready || p.state == .notReady || p.state == .offline { #expect(p.call == nil) }
                if p.call?.direction == .outbound { sawOutbound = true }
            case .queue(.arrived(let id, let at)):
                #expect(arrived.insert(id).inserted)
                arrivals[id] = at
            case .queue(.answered(let id, let at)), .queue(.abandoned(let id, let at)):
                #expect(arrived.contains(id))
                #expect(ended.insert(id).inserted)
                #expect(at >= arrivals[id]!)
                if case .queue(.abandoned) = output, at.timeIntervalSince(arrivals[id]!) <= 5 { sawShortAbandon = true }
            case .queue(.completed(let id, _, let seconds)):
                #expect(ended.contains(id))
                #expect(seconds > 0)
            case .queue(.offered), .queue(.agentAnswered), .queue(.ringEnded), .queue(.handled), .queue(.transferred), .queue(.transferLeg):
                Issue.record("the simulator reports as an ACD, not as agents: \(output)")
            }
        }
        #expect(states == Set(PresenceState.allCases))
        #expect(sawOutbound)
        #expect(sawShortAbandon)
        #expect(model.queue.unmatchedEvents == 0)
        let f = model.queueFigures(at: t0.addingTimeInterval(7200))
        #expect(f.answered > 0 && f.completed > 0)
        #expect(f.abandoned + f.shortAbandoned > 0)
        #expect((0...100).contains(f.serviceLevel ?? -1))
        #expect(f.averageHandleTime.map { $0 > 30 && $0 < 600 } == true)
        #expect(model.total == 40)
    }

    @Test func nextEventTimeIsInTheFutureAndAdvanceIsIdempotent() {
        var sim = TeamSimulator(settings: .init(agents: 10), start: t0)
        let next = sim.nextEventTime
        #expect(next != nil && next! > t0)
        #expect(sim.advance(to: t0) == [])
        let first = sim.advance(to: next!)
        #expect(!first.isEmpty)
        #expect(sim.advance(to: next!) == [])
    }

    @Test func emptyTeamIsQuiet() {
        var sim = TeamSimulator(settings: .init(agents: 0), start: t0)
        #expect(sim.presences.isEmpty && sim.nextEventTime == nil)
        #expect(sim.advance(to: t0.addingTimeInterval(3600)) == [])
    }
}
