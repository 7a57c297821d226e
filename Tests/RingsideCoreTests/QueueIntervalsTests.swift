import Foundation
import RingsideCore
import Testing

private let utc = TimeZone(identifier: "UTC")!
private let day = Date(timeIntervalSince1970: 1_718_874_000)   // 2024-06-20 09:00 UTC
private func at(_ s: TimeInterval) -> Date { day.addingTimeInterval(s) }

@Suite("Queue intervals and call activity time")
struct QueueIntervalsTests {
    @Test func callsCountInTheIntervalTheyArrivedInWithSeed002Definitions() {
        var q = QueueIntervals(length: 900, timeZone: utc)
        let events: [QueueEvent] = [
            .arrived(callId: "a", at: at(10)), .answered(callId: "a", at: at(30)),       // 20 s: within (inclusive)
            .arrived(callId: "b", at: at(800)), .answered(callId: "b", at: at(950)),     // arrived 09:13, answered 09:15: first interval
            .arrived(callId: "c", at: at(850)), .abandoned(callId: "c", at: at(855)),    // 5 s: short
            .arrived(callId: "d", at: at(1000)), .abandoned(callId: "d", at: at(1006)),  // 6 s: abandoned
            .answered(callId: "zz", at: at(1100)),                                       // never arrived: ignored
            .arrived(callId: "e", at: at(1850)),                                         // still waiting
        ]
        for e in events { q.apply(e) }
        let series = q.series(through: at(1900))
        #expect(series.map(\.start) == [at(0), at(900), at(1800)])
        #expect(series[0].arrived == 3 && series[0].answered == 2 && series[0].answeredWithinThreshold == 1)
        #expect(series[0].shortAbandoned == 1 && series[0].abandoned == 0)
        #expect(series[0].serviceLevel == 50 && series[0].abandonRate == 0 && series[0].averageSpeedOfAnswer == 85)
        #expect(series[1].arrived == 1 && series[1].abandoned == 1 && series[1].serviceLevel == nil && series[1].abandonRate == 100)
        #expect(series[2].arrived == 1 && series[2].answered == 0)
        // Thirty-minute intervals merge pairs of fifteen.
        let half = q.series(through: at(1900), length: 1800)
        #expect(half.map(\.start) == [at(0), at(1800)])
        #expect(half[0].arrived == 4 && half[0].answered == 2 && half[0].abandoned == 1 && half[0].shortAbandoned == 1)
    }

    /// Issue 17a's agent observations: one caller offered to three agents at once is one call in its interval;
    /// the forks cancelled because another agent answered are not abandons.
    @Test func ringAllForksAreOneCallInItsInterval() {
        var q = QueueIntervals(length: 900, timeZone: utc)
        let events: [QueueEvent] = [
            .offered(callId: "sip-1", agentId: "a", at: at(100)), .offered(callId: "sip-1", agentId: "b", at: at(100)),
            .offered(callId: "sip-1", agentId: "c", at: at(101)),
            .agentAnswered(callId: "sip-1", agentId: "b", at: at(112), ringSeconds: 12),
            .ringEnded(callId: "sip-1", agentId: "a", at: at(112), ringSeconds: 12, reason: "answered elsewhere"),
            .ringEnded(callId: "sip-1", agentId: "c", at: at(112), ringSeconds: 11, reason: "answered elsewhere"),
            // A second caller rings one agent and hangs up after 30 s.
            .offered(callId: "sip-2", agentId: "a", at: at(200)),
            .ringEnded(callId: "sip-2", agentId: "a", at: at(230), ringSeconds: 30, reason: "cancelled"),
            .arrived(callId: "later", at: at(240)),   // a later event settles the abandon
        ]
        for e in events { q.apply(e) }
        let first = q.series(through: at(300)).first
        #expect(first?.arrived == 3 && first?.answered == 1 && first?.answeredWithinThreshold == 1)
        #expect(first?.abandoned == 1 && first?.shortAbandoned == 0 && first?.serviceLevel == 100 && first?.abandonRate == 50)
    }

    @Test func outOfRangeDurationsOfAgentObservationsAreRefused() {
        let bad: [QueueEvent] = [
            .agentAnswered(callId: "c", agentId: "a", at: at(0), ringSeconds: 1e300),
            .ringEnded(callId: "c", agentId: "a", at: at(0), ringSeconds: -1, reason: nil),
            .handled(callId: "c", agentId: "a", at: at(0), talkSeconds: 60, holdSeconds: .nan, wrapUpSeconds: 0),
            .handled(callId: "c", agentId: "a", at: at(0), talkSeconds: 60, holdSeconds: 0, wrapUpSeconds: 90_000),
            .offered(callId: "c", agentId: "", at: at(0)),
        ]
        for event in bad {
            #expect(event.outOfRange != nil, "\(event)")
            #expect(throws: PresenceDecodingError.self) { try QueueEvent.decodeBounded(event.jsonData()) }
        }
        let ok = QueueEvent.handled(callId: "c", agentId: "a", at: at(0), talkSeconds: 60, holdSeconds: 5, wrapUpSeconds: 30)
        #expect(ok.outOfRange == nil && (try? QueueEvent.decodeBounded(ok.jsonData())) == ok)
        var m = TeamModel(trackingStart: at(0), timeZone: utc)
        m.apply(.queue(bad[0]), at: at(1))
        #expect(m.malformed == 1)
    }

    @Test func theGridFollowsTheLocalWallClock() {
        // Kathmandu is UTC+5:45: a 15-minute interval starts at :00 local time, which is :15 past in UTC.
        let q = QueueIntervals(length: 900, timeZone: TimeZone(identifier: "Asia/Kathmandu")!)
        let start = q.intervalStart(at(100))
        #expect(Int(start.timeIntervalSince1970 + 20_700) % 900 == 0)
        #expect(start <= at(100) && at(100) < start.addingTimeInterval(900))
    }

    @Test func talkHoldAndWrapUpAreTimedPerAgent() {
        var t = CallActivityTime(trackingStart: at(0))
        func on(_ heldSince: TimeInterval? = nil) -> AgentPresence {
            AgentPresence(agentId: "a", name: "Ann", state: .onCall, since: at(10),
                          call: PresenceCall(direction: .inbound, number: "1", startedAt: at(5), answeredAt: at(10), heldSince: heldSince.map(at)))
        }
        t.apply(AgentPresence(agentId: "a", name: "Ann", state: .onCall, since: at(5),
                              call: PresenceCall(direction: .inbound, number: "1", startedAt: at(5))), at: at(5))   // ringing: nothing
        t.apply(on(), at: at(10))           // talk from the answer
        t.apply(on(40), at: at(41))         // hold from heldSince: 30 s talk
        t.apply(on(), at: at(100))          // resumed: 60 s hold (heldSince 40 → observed 100)
        t.apply(on(), at: at(110))          // same activity: nothing changes
        t.apply(AgentPresence(agentId: "a", name: "Ann", state: .wrapUp, since: at(130)), at: at(130))   // 30 s talk
        t.apply(AgentPresence(agentId: "a", name: "Ann", state: .ready, since: at(160)), at: at(160))    // 30 s wrap-up
        let totals = t.totals(at: at(500))
        #expect(totals[.talk] == 60 && totals[.hold] == 60 && totals[.wrapUp] == 30)
        #expect(CallActivity.allCases.allSatisfy { totals[$0] != nil })
    }
}
