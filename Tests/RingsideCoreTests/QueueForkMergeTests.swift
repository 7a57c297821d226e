import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

private let t0 = Fixtures.t0
private func at(_ s: TimeInterval) -> Date { t0.addingTimeInterval(s) }

/// Offers `id` to every agent at `start` (a ring-all fork per agent, the same Call-ID on each).
private func offer(_ id: String, to agents: [String], at start: TimeInterval) -> [QueueEvent] {
    agents.map { .offered(callId: id, agentId: $0, at: at(start)) }
}

/// Agent `winner` answers after `wait`; the proxy cancels every other fork just after.
private func answer(_ id: String, by winner: String, others: [String], start: TimeInterval, wait: TimeInterval) -> [QueueEvent] {
    [.agentAnswered(callId: id, agentId: winner, at: at(start + wait), ringSeconds: wait)]
        + others.map { .ringEnded(callId: id, agentId: $0, at: at(start + wait + 0.01), ringSeconds: wait + 0.01, reason: "hung up by caller") }
}

/// The caller hangs up after `wait`: every fork ends unanswered.
private func abandon(_ id: String, agents: [String], start: TimeInterval, wait: TimeInterval) -> [QueueEvent] {
    agents.map { .ringEnded(callId: id, agentId: $0, at: at(start + wait), ringSeconds: wait, reason: "hung up by caller") }
}

private let team = ["a1", "a2", "a3"]

@Suite("QueueStats: agent observations merged by SIP Call-ID")
struct QueueForkMergeTests {
    @Test func oneCallOfferedToThreeAgentsIsOneWaitingCall() {
        let s = stats(offer("c1", to: team, at: 0))
        let f = s.figures(at: at(4))
        #expect(f.waiting == 1)
        #expect(f.longestWait == 4)
    }

    @Test func answeredElsewhereIsNotAnAbandon() {
        let s = stats(offer("c1", to: team, at: 0) + answer("c1", by: "a2", others: ["a1", "a3"], start: 0, wait: 3))
        let f = s.figures(at: at(60))
        #expect(f.waiting == 0)
        #expect(f.answered == 1)
        #expect(f.answeredWithinThreshold == 1)
        #expect(f.abandoned == 0 && f.shortAbandoned == 0)
        #expect(f.serviceLevel == 100)
        #expect(f.abandonRate == 0)
    }

    @Test func cancelledForksArrivingBeforeTheAnswerAreNotAnAbandon() {
        // The supervisor hears about a1's and a3's cancelled forks before a2's answer (independent publishers).
        var events = offer("c1", to: team, at: 0)
        events += abandon("c1", agents: ["a1", "a3"], start: 0, wait: 3.01)
        var s = stats(events)
        #expect(s.figures(at: at(3.5)).waiting == 1, "a2's fork still rings")
        s.apply(.ringEnded(callId: "c1", agentId: "a2", at: at(3.02), ringSeconds: 3.02, reason: nil))
        #expect(s.figures(at: at(3.5)).abandoned == 0, "within the settle time nothing is decided")
        #expect(s.figures(at: at(3.5)).waiting == 0)
        s.apply(.agentAnswered(callId: "c1", agentId: "a2", at: at(3), ringSeconds: 3))
        let f = s.figures(at: at(60))
        #expect(f.answered == 1 && f.abandoned == 0 && f.shortAbandoned == 0)
    }

    @Test func lateAnswerTurnsASettledAbandonBackIntoAnAnswer() {
        var s = stats(offer("c1", to: ["a1"], at: 0) + abandon("c1", agents: ["a1"], start: 0, wait: 8))
        s.apply(.offered(callId: "other", agentId: "a9", at: at(30))) // settles c1 as abandoned
        #expect(s.figures(at: at(31)).abandoned == 1)
        s.apply(.agentAnswered(callId: "c1", agentId: "a7", at: at(8), ringSeconds: 8))
        let f = s.figures(at: at(31))
        #expect(f.abandoned == 0)
        #expect(f.answered == 1)
    }

    @Test func everyForkEndingUnansweredIsOneAbandonAfterTheSettleTime() {
        let s = stats(offer("c1", to: team, at: 0) + abandon("c1", agents: team, start: 0, wait: 30))
        #expect(s.figures(at: at(31)).abandoned == 0, "settling")
        let f = s.figures(at: at(32))
        #expect(f.abandoned == 1, "one call, not three forks")
        #expect(f.shortAbandoned == 0)
        #expect(f.waiting == 0)
        #expect(f.abandonRate == 100)
    }

    @Test func shortAbandonFollowsTheThresholdInclusive() {
        var events = offer("short", to: team, at: 0) + abandon("short", agents: team, start: 0, wait: 5)
        events += offer("long", to: team, at: 10) + abandon("long", agents: team, start: 10, wait: 5.5)
        let f = stats(events).figures(at: at(100))
        #expect(f.shortAbandoned == 1)
        #expect(f.abandoned == 1)
        #expect(f.abandonRate == 100, "short abandons are not in the rate")
    }

    @Test func serviceLevelUsesTheWaitFromTheFirstOffer() {
        // a1 is offered at 0, a2 only at 15 (a second hunt step); a2 answers after ringing 10 s: the caller waited 25 s.
        var events: [QueueEvent] = [.offered(callId: "c1", agentId: "a1", at: at(0))]
        events += [.ringEnded(callId: "c1", agentId: "a1", at: at(15), ringSeconds: 15, reason: "no answer")]
        events += [.offered(callId: "c1", agentId: "a2", at: at(15)), .agentAnswered(callId: "c1", agentId: "a2", at: at(25), ringSeconds: 10)]
        let f = stats(events).figures(at: at(60))
        #expect(f.answered == 1)
        #expect(f.answeredWithinThreshold == 0)
        #expect(f.abandoned == 0 && f.shortAbandoned == 0)
    }

    @Test func configuredThresholdsAreUsed() {
        let settings = QueueSettings(serviceLevelThreshold: 3, shortAbandonThreshold: 2)
        var events = offer("quick", to: team, at: 0) + answer("quick", by: "a1", others: ["a2", "a3"], start: 0, wait: 1)
        events += offer("late", to: team, at: 10) + answer("late", by: "a2", others: ["a1", "a3"], start: 10, wait: 5)
        events += offer("short", to: team, at: 20) + abandon("short", agents: team, start: 20, wait: 1)
        events += offer("long", to: team, at: 30) + abandon("long", agents: team, start: 30, wait: 4)
        let f = stats(events, settings: settings).figures(at: at(60))
        #expect(f.answered == 2)
        #expect(f.answeredWithinThreshold == 1)
        #expect(f.serviceLevel == 50)
        #expect(f.shortAbandoned == 1)
        #expect(f.abandoned == 1)
        #expect(f.abandonRate.map { abs($0 - 100.0 / 3) < 1e-9 } == true)
    }

    @Test func handledCompletesOncePerAgentWithTalkHoldAndWrapUp() {
        var events = offer("c1", to: team, at: 0) + answer("c1", by: "a1", others: ["a2", "a3"], start: 0, wait: 2)
        events.append(.handled(callId: "c1", agentId: "a1", at: at(100), talkSeconds: 60, holdSeconds: 20, wrapUpSeconds: 18))
        events.append(.handled(callId: "c1", agentId: "a1", at: at(100), talkSeconds: 60, holdSeconds: 20, wrapUpSeconds: 18))
        let s = stats(events)
        let f = s.figures(at: at(101))
        #expect(f.completed == 1)
        #expect(f.averageHandleTime == 98)
        #expect(s.replayedEvents == 1, "the duplicate is recognised as a replay, not applied")
        #expect(s.unmatchedEvents == 0)
    }

    @Test func nonFiniteOrNegativeDurationsAreRejected() {
        let s = stats([.handled(callId: "c1", agentId: "a1", at: at(1), talkSeconds: .infinity, holdSeconds: 0, wrapUpSeconds: 0),
                       .handled(callId: "c2", agentId: "a1", at: at(1), talkSeconds: 1, holdSeconds: -1, wrapUpSeconds: 0)])
        #expect(s.figures(at: at(2)).completed == 0)
        #expect(s.unmatchedEvents == 2)
    }

    @Test func absurdDurationsNeverReachTheFigures() {
        var s = stats([.handled(callId: "c1", agentId: "a1", at: at(1), talkSeconds: 1e300, holdSeconds: 0, wrapUpSeconds: 0)])
        #expect(s.figures(at: at(2)).completed == 0)
        #expect(s.figures(at: at(2)).averageHandleTime == nil)
        #expect(s.unmatchedEvents == 1)
        s.apply(.agentAnswered(callId: "c2", agentId: "a1", at: at(3), ringSeconds: 1e300))
        s.apply(.ringEnded(callId: "c3", agentId: "a1", at: at(3), ringSeconds: -.infinity, reason: nil))
        let f = s.figures(at: at(10))
        #expect(f.answered == 1 && f.answeredWithinThreshold == 0)
        #expect(f.shortAbandoned == 1, "an unknown ring time counts as 0 s")
    }

    @Test func transfersAreCounted() {
        var events = offer("c1", to: team, at: 0) + answer("c1", by: "a1", others: ["a2", "a3"], start: 0, wait: 2)
        events.append(.transferred(callId: "c1", agentId: "a1", at: at(30), target: "2002"))
        let f = stats(events).figures(at: at(31))
        #expect(f.transferred == 1)
        #expect(f.answered == 1)
    }

    @Test func answerWithoutAnOfferSeenUsesTheAgentsRingTime() {
        // The wallboard started while the call was ringing: the answering agent's ring time is the wait.
        let f = stats([.agentAnswered(callId: "c1", agentId: "a1", at: at(30), ringSeconds: 25)]).figures(at: at(31))
        #expect(f.answered == 1)
        #expect(f.answeredWithinThreshold == 0)
    }

    @Test func aForkOfferedDuringTheSettleTimeKeepsTheCallWaiting() {
        var s = stats(offer("c1", to: ["a1"], at: 0) + abandon("c1", agents: ["a1"], start: 0, wait: 10))
        s.apply(.offered(callId: "c1", agentId: "a2", at: at(10.5)))
        let f = s.figures(at: at(20))
        #expect(f.waiting == 1)
        #expect(f.abandoned == 0)
    }

    @Test func agentObservationsRoundTripAsJSONAndToleratesMissingOptionalAndUnknownFields() throws {
        let events: [QueueEvent] = [
            .offered(callId: "1-2@127.0.0.1", agentId: "a1", at: at(0)),
            .agentAnswered(callId: "x", agentId: "a1", at: at(1), ringSeconds: 1.5),
            .ringEnded(callId: "x", agentId: "a2", at: at(1), ringSeconds: 1, reason: "hung up by caller"),
            .ringEnded(callId: "x", agentId: "a2", at: at(1), ringSeconds: 1, reason: nil),
            .handled(callId: "x", agentId: "a1", at: at(9), talkSeconds: 5, holdSeconds: 1, wrapUpSeconds: 2),
            .transferred(callId: "x", agentId: "a1", at: at(9), target: nil),
        ]
        for event in events { #expect(try QueueEvent.decode(event.jsonData()) == event) }
        let text = #"{"ringEnded":{"callId":"x","agentId":"a2","at":"2026-01-01T00:00:00Z","ringSeconds":2,"future":true}}"#
        guard case .ringEnded(let id, let agent, _, let ring, let reason) = try QueueEvent.decode(Data(text.utf8)) else {
            Issue.record("not decoded as ringEnded")
            return
        }
        #expect(id == "x" && agent == "a2" && ring == 2 && reason == nil)
        #expect(String(decoding: QueueEvent.offered(callId: "c", agentId: "a", at: t0).jsonData(), as: UTF8.self).hasPrefix(#"{"offered":{"#))
    }

    @Test func forgottenAfterTheWindow() {
        var s = stats(offer("c1", to: team, at: 0) + answer("c1", by: "a1", others: ["a2", "a3"], start: 0, wait: 2))
        s.apply(.offered(callId: "c2", agentId: "a1", at: at(4000)))
        #expect(s.figures(at: at(4000)).answered == 0)
        // A late duplicate answer for the forgotten call counts as a new (ring-time) answer, never as a crash.
        s.apply(.agentAnswered(callId: "c1", agentId: "a1", at: at(4001), ringSeconds: 2))
        #expect(s.figures(at: at(4001)).answered == 1)
    }
}
