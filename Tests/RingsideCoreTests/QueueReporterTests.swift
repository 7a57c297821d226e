import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

private let t0 = Fixtures.t0
private func at(_ s: TimeInterval) -> Date { t0.addingTimeInterval(s) }

/// An agent session plus the reporter, applied the way `AgentRuntime` does after each work item.
private struct Agent {
    var driver = SessionDriver()
    var reporter = QueueReporter()
    var published: [QueueEvent] = []

    mutating func step(_ event: SessionEvent, after seconds: TimeInterval = 0) {
        let effects = driver.send(event, after: seconds)
        for case .complete(let record) in effects { published += reporter.completed(record, agentId: "a1", at: driver.now) }
        published += reporter.update(calls: driver.session.calls, agentId: "a1", at: driver.now)
    }
}

@Suite("QueueReporter: what an agent publishes about the calls it is offered")
struct QueueReporterTests {
    @Test func answeredCallReportsOfferAnswerAndHandleWithTalkHoldAndWrapUp() {
        var a = Agent()
        a.step(.phone(.incoming("sip-call-1@10.0.0.1", remote: Fixtures.fredRaw)))
        a.step(.agent(.answer), after: 4)
        a.step(.phone(.established("sip-call-1@10.0.0.1")))
        a.step(.phone(.held("sip-call-1@10.0.0.1")), after: 10)
        a.step(.phone(.resumed("sip-call-1@10.0.0.1")), after: 6)
        a.step(.phone(.closed("sip-call-1@10.0.0.1", reason: .remoteHangUp)), after: 20)
        a.step(.recordSaved("call-1"))
        a.step(.agent(.finishWrapUp(disposition: nil, notes: "")), after: 15)
        #expect(a.published == [
            .offered(callId: "sip-call-1@10.0.0.1", agentId: "a1", at: at(0)),
            .agentAnswered(callId: "sip-call-1@10.0.0.1", agentId: "a1", at: at(4), ringSeconds: 4),
            .handled(callId: "sip-call-1@10.0.0.1", agentId: "a1", at: at(55), talkSeconds: 30, holdSeconds: 6, wrapUpSeconds: 15),
        ])
        #expect(a.reporter.open == 0)
    }

    @Test func forkThatStopsRingingReportsRingEndedWithItsRingTime() {
        var a = Agent()
        a.step(.phone(.incoming("c2", remote: Fixtures.fredRaw)))
        a.step(.phone(.closed("c2", reason: .remoteHangUp)), after: 3)
        a.step(.recordSaved("call-1"))
        a.step(.wrapUpTimedOut("call-1"), after: 200)
        #expect(a.published == [
            .offered(callId: "c2", agentId: "a1", at: at(0)),
            .ringEnded(callId: "c2", agentId: "a1", at: at(3), ringSeconds: 3, reason: "hung up by caller"),
        ])
        #expect(a.reporter.open == 0)
    }

    @Test func transferIsReportedWithItsTarget() {
        var a = Agent()
        a.step(.phone(.incoming("c3", remote: Fixtures.fredRaw)))
        a.step(.agent(.answer), after: 1)
        a.step(.phone(.established("c3")))
        a.step(.agent(.transfer(to: "2002")), after: 5)
        a.step(.phone(.transferred("c3", to: "2002")), after: 1)
        #expect(a.published.contains(.transferred(callId: "c3", agentId: "a1", at: at(7), target: "2002")))
    }

    @Test func outboundAndInternalCallsAreNotQueueCalls() {
        var a = Agent()
        a.step(.phone(.incoming("int", remote: "2001")))
        a.step(.agent(.dial("07700 900123", clickToDial: nil)), after: 60)
        a.step(.phone(.outgoing("out", remote: "07700 900123")))
        #expect(a.published.isEmpty)
    }

    @Test func eachObservationIsReportedOnce() {
        var a = Agent()
        a.step(.phone(.incoming("c4", remote: Fixtures.fredRaw)))
        for _ in 0..<3 { a.step(.notice(.info, "noise"), after: 1) }
        #expect(a.published.count == 1)
    }
}
