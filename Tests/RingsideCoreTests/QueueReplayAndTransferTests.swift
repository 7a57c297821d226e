import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

private let t0 = Fixtures.t0
private func at(_ s: TimeInterval) -> Date { t0.addingTimeInterval(s) }

/// A call offered to a1 and a2, answered by a1 after 3 s, a2's fork cancelled; a1 blind-transfers it at 40 s
/// (talk 37 s, no hold, wrap-up 5 s); the new leg `leg` rings at a3 for 2 s, a3 talks 60 s with 10 s hold and 8 s wrap-up.
private func transferredCall(linkFirst: Bool = true) -> [QueueEvent] {
    var events: [QueueEvent] = [
        .offered(callId: "c1", agentId: "a1", at: at(0)),
        .offered(callId: "c1", agentId: "a2", at: at(0)),
        .agentAnswered(callId: "c1", agentId: "a1", at: at(3), ringSeconds: 3),
        .ringEnded(callId: "c1", agentId: "a2", at: at(3.01), ringSeconds: 3.01, reason: "answered elsewhere"),
        .transferred(callId: "c1", agentId: "a1", at: at(40), target: "2003"),
        .handled(callId: "c1", agentId: "a1", at: at(45), talkSeconds: 37, holdSeconds: 0, wrapUpSeconds: 5),
    ]
    let link = QueueEvent.transferLeg(callId: "leg", originalCallId: "c1", agentId: "a3", at: at(40.5))
    let leg: [QueueEvent] = [
        .offered(callId: "leg", agentId: "a3", at: at(40.5)),
        .agentAnswered(callId: "leg", agentId: "a3", at: at(42.5), ringSeconds: 2),
        .handled(callId: "leg", agentId: "a3", at: at(120.5), talkSeconds: 60, holdSeconds: 10, wrapUpSeconds: 8),
    ]
    if linkFirst {
        events += [link] + leg
    } else {
        // The receiving agent published its leg's offer and answer before the transfer context reached it.
        events += Array(leg.prefix(2)) + [link] + Array(leg.suffix(1))
    }
    return events
}

@Suite("QueueStats: replays after an outage and transfer legs")
struct QueueReplayAndTransferTests {
    @Test func aReplayedEventIsNotCountedTwice() {
        let call: [QueueEvent] = [
            .offered(callId: "c1", agentId: "a1", at: at(0)),
            .agentAnswered(callId: "c1", agentId: "a1", at: at(4), ringSeconds: 4),
            .transferred(callId: "c1", agentId: "a1", at: at(30), target: "2002"),
            .handled(callId: "c1", agentId: "a1", at: at(40), talkSeconds: 26, holdSeconds: 0, wrapUpSeconds: 10),
        ]
        let once = stats(call).figures(at: at(41))
        // The agent's outbox sent everything again after a reconnect (an acknowledgement was lost).
        let s = stats(call + call)
        let twice = s.figures(at: at(41))
        #expect(twice == once)
        #expect(twice.answered == 1 && twice.transferred == 1 && twice.completed == 1)
        #expect(s.unmatchedEvents == 0, "a replay is not an unmatched event")
        #expect(s.replayedEvents == 4)
    }

    @Test func aSecondDifferentHandleReportFromTheSameAgentIsStillUnmatched() {
        let s = stats([
            .agentAnswered(callId: "c1", agentId: "a1", at: at(4), ringSeconds: 4),
            .handled(callId: "c1", agentId: "a1", at: at(40), talkSeconds: 26, holdSeconds: 0, wrapUpSeconds: 10),
            .handled(callId: "c1", agentId: "a1", at: at(41), talkSeconds: 26, holdSeconds: 0, wrapUpSeconds: 11),
        ])
        #expect(s.figures(at: at(42)).completed == 1)
        #expect(s.figures(at: at(42)).averageHandleTime == 36)
        #expect(s.unmatchedEvents == 1 && s.replayedEvents == 0)
    }

    @Test func aReplayArrivingAfterTheOutageKeepsItsOriginalTimes() {
        // Offered live; answered during the outage; the answer arrives 90 s late with its original timestamp.
        var s = stats([.offered(callId: "c1", agentId: "a1", at: at(0))])
        #expect(s.figures(at: at(60)).waiting == 1)
        s.apply(.agentAnswered(callId: "c1", agentId: "a1", at: at(4), ringSeconds: 4))
        let f = s.figures(at: at(94))
        #expect(f.waiting == 0)
        #expect(f.answered == 1)
        #expect(f.answeredWithinThreshold == 1, "waited 4 s, not the 94 s until the replay")
        #expect(f.abandoned + f.shortAbandoned == 0)
    }

    @Test func aBlindTransferIsOneQueueCallTransferredWithHandleTimeAcrossBothLegs() {
        for linkFirst in [true, false] {
            let s = stats(transferredCall(linkFirst: linkFirst))
            let f = s.figures(at: at(121))
            #expect(f.answered == 1, "the new leg is not a second offered call (link first: \(linkFirst))")
            #expect(f.answeredWithinThreshold == 1)
            #expect(f.waiting == 0)
            #expect(f.abandoned + f.shortAbandoned == 0)
            #expect(f.transferred == 1)
            #expect(f.completed == 1, "one queue call completed")
            #expect(f.averageHandleTime == TimeInterval((37 + 0 + 5) + (60 + 10 + 8)), "talk, hold and wrap-up of both legs")
            #expect(s.unmatchedEvents == 0)
        }
    }

    @Test func theNewLegRingingBeforeItsLinkArrivesIsNotLeftWaiting() {
        var s = stats(Array(transferredCall().prefix(6)) + [.offered(callId: "leg", agentId: "a3", at: at(40.5))])
        #expect(s.figures(at: at(41)).waiting == 1, "before the link the new leg looks like a new call")
        s.apply(.transferLeg(callId: "leg", originalCallId: "c1", agentId: "a3", at: at(40.6)))
        let f = s.figures(at: at(41))
        #expect(f.waiting == 0)
        #expect(f.answered == 1)
    }

    @Test func aChainedTransferStaysOneQueueCall() {
        var events = transferredCall()
        events += [
            .transferred(callId: "leg", agentId: "a3", at: at(100), target: "2004"),
            .transferLeg(callId: "leg2", originalCallId: "leg", agentId: "a4", at: at(101)),
            .offered(callId: "leg2", agentId: "a4", at: at(101)),
            .agentAnswered(callId: "leg2", agentId: "a4", at: at(102), ringSeconds: 1),
            .handled(callId: "leg2", agentId: "a4", at: at(150), talkSeconds: 40, holdSeconds: 0, wrapUpSeconds: 0),
        ]
        let f = stats(events).figures(at: at(151))
        #expect(f.answered == 1)
        #expect(f.transferred == 1, "one queue call was transferred (twice)")
        #expect(f.completed == 1)
        #expect(f.averageHandleTime == TimeInterval(42 + 78 + 40))
    }

    @Test func theLinkRoundTripsAsJSON() throws {
        let link = QueueEvent.transferLeg(callId: "leg@127.0.0.1", originalCallId: "c1@127.0.0.1", agentId: "a3", at: at(1))
        #expect(try QueueEvent.decodeBounded(link.jsonData()) == link)
        #expect(link.agentId == "a3" && link.callId == "leg@127.0.0.1")
        let empty = QueueEvent.transferLeg(callId: "leg", originalCallId: "", agentId: "a3", at: at(1))
        #expect(throws: PresenceDecodingError.self) { try QueueEvent.decodeBounded(empty.jsonData()) }
    }
}

@Suite("QueueReporter: a transferred call's new leg")
struct QueueReporterTransferLegTests {
    @Test func theReceivingLegNamesTheOriginalCallId() {
        var driver = SessionDriver()
        var reporter = QueueReporter()
        var published: [QueueEvent] = []
        func step(_ event: SessionEvent, after seconds: TimeInterval = 0) {
            let effects = driver.send(event, after: seconds)
            for case .complete(let record) in effects { published += reporter.completed(record, agentId: "a3", at: driver.now) }
            published += reporter.update(calls: driver.session.calls, agentId: "a3", at: driver.now)
        }
        step(.phone(.incoming("leg-1", remote: Fixtures.fredRaw)))
        // The transferring agent's context arrives just after the new leg started ringing (blind transfer: new Call-ID).
        let context = TransferContext(callId: "orig-1", number: Fixtures.fredE164, entity: nil, disposition: nil, notes: "",
                                      fromAgentId: "a1", fromAgentName: "Ann", target: "2003", sentAt: t0)
        step(.handoffReceived(context), after: 0.5)
        #expect(driver.session.calls.first?.originalCallId == "orig-1")
        #expect(published == [
            .offered(callId: "leg-1", agentId: "a3", at: at(0)),
            .transferLeg(callId: "leg-1", originalCallId: "orig-1", agentId: "a3", at: at(0.5)),
        ])
    }

    @Test func aSecondTransferPassesTheOriginalCallIdOn() {
        var context = TransferContext(callId: "leg-1", number: Fixtures.fredE164, entity: nil, disposition: nil, notes: "",
                                      fromAgentId: "a3", fromAgentName: "Cat", target: "2004", sentAt: t0)
        context.originalCallId = "orig-1"
        let decoded = try? TransferContext.decode(context.jsonData())
        #expect(decoded?.originalCallId == "orig-1")
        #expect(decoded?.queueCallId == "orig-1")
        context.originalCallId = nil
        #expect(context.queueCallId == "leg-1")
    }
}
