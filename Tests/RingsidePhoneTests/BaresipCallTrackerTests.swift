import Testing
import RingsideCore
@testable import RingsidePhone

@Suite("Baresip event mapping")
struct BaresipCallTrackerTests {
    static func event(_ type: String, _ id: String?, _ direction: BaresipCallDirection = .incoming,
                      peer: String = "sip:bob@127.0.0.1", param: String? = nil) -> BaresipEvent {
        BaresipEvent(typeName: type, direction: direction, peerURI: peer, callID: id, param: param ?? peer)
    }

    @Test func inboundLifecycle() {
        var tracker = BaresipCallTracker()
        var out: [PhoneEvent] = []
        out += tracker.apply(Self.event("CALL_INCOMING", "c1"))
        out += tracker.apply(Self.event("CALL_INCOMING", "c1"))  // duplicate ignored
        out += tracker.apply(Self.event("CALL_RTCP", "c1"))
        out += tracker.apply(Self.event("CALL_ESTABLISHED", "c1"))
        out += tracker.didSucceed(.hold("c1"))
        out += tracker.didSucceed(.hold("c1"))  // already held: nothing
        out += tracker.didSucceed(.resume("c1"))
        out += tracker.apply(Self.event("CALL_CLOSED", "c1", param: "Connection reset by peer"))
        out += tracker.apply(Self.event("CALL_CLOSED", "c1", param: "Connection reset by peer"))
        #expect(out == [
            .incoming("c1", remote: "sip:bob@127.0.0.1"), .established("c1"), .held("c1"), .resumed("c1"),
            .closed("c1", reason: .remoteHangUp),
        ])
        #expect(tracker.calls.isEmpty)
    }

    @Test func outboundIsAnnouncedFromFirstEventWithAnID() {
        var tracker = BaresipCallTracker()
        var out: [PhoneEvent] = []
        out += tracker.apply(Self.event("CALL_LOCAL_SDP", nil, .outgoing, param: "offer"))
        out += tracker.apply(Self.event("CALL_RINGING", "o1", .outgoing, peer: "sip:bob@127.0.0.1:15080"))
        out += tracker.apply(Self.event("CALL_PROGRESS", "o1", .outgoing, peer: "sip:bob@127.0.0.1:15080"))
        out += tracker.apply(Self.event("CALL_CLOSED", "o1", .outgoing, peer: "sip:bob@127.0.0.1:15080", param: "486 Rejected"))
        #expect(out == [.outgoing("o1", remote: "sip:bob@127.0.0.1:15080"), .remoteRinging("o1"), .closed("o1", reason: .busy)])
    }

    @Test func autoAnsweredCallIsAnnouncedBeforeEstablished() {
        var tracker = BaresipCallTracker()
        let out = tracker.apply(Self.event("CALL_ESTABLISHED", "a1"))
        #expect(out == [.incoming("a1", remote: "sip:bob@127.0.0.1"), .established("a1")])
    }

    @Test func blindTransferReportsTargetThenClosed() {
        var tracker = BaresipCallTracker()
        _ = tracker.apply(Self.event("CALL_INCOMING", "t1"))
        _ = tracker.apply(Self.event("CALL_ESTABLISHED", "t1"))
        tracker.willSend(.transfer("t1", to: "sip:carol@127.0.0.1"))
        let out = tracker.apply(Self.event("CALL_CLOSED", "t1", param: "Call transfered"))
        #expect(out == [.transferred("t1", to: "sip:carol@127.0.0.1"), .closed("t1", reason: .transferred)])
    }

    @Test func transferFailureEventAndRejection() {
        var tracker = BaresipCallTracker()
        _ = tracker.apply(Self.event("CALL_ESTABLISHED", "t2"))
        tracker.willSend(.transfer("t2", to: "sip:nobody@127.0.0.1"))
        #expect(tracker.apply(Self.event("TRANSFER_FAILED", "t2", param: "404 Not Found")) == [.transferFailed("t2", reason: "404 Not Found")])
        tracker.willSend(.transfer("t2", to: "sip:x@127.0.0.1"))
        #expect(tracker.didFail(.transfer("t2", to: "sip:x@127.0.0.1"), reason: "Invalid argument") == [.transferFailed("t2", reason: "Invalid argument")])
    }

    @Test func callWaitingAnswerHoldsTheActiveCall() {
        var tracker = BaresipCallTracker()
        _ = tracker.apply(Self.event("CALL_INCOMING", "first"))
        _ = tracker.apply(Self.event("CALL_ESTABLISHED", "first"))
        #expect(tracker.apply(Self.event("CALL_INCOMING", "second", peer: "sip:carol@127.0.0.1")) == [.incoming("second", remote: "sip:carol@127.0.0.1")])
        #expect(tracker.didSucceed(.answer("second")) == [.held("first")])
        #expect(tracker.apply(Self.event("CALL_ESTABLISHED", "second")) == [.established("second")])
    }

    @Test func noAnswerOverrideWinsOverLocalHangUp() {
        var tracker = BaresipCallTracker()
        _ = tracker.apply(Self.event("CALL_RINGING", "n1", .outgoing))
        #expect(tracker.isAlerting("n1"))
        tracker.overrideCloseReason("n1", .noAnswer)
        #expect(tracker.apply(Self.event("CALL_CLOSED", "n1", .outgoing, param: "Connection reset by user")) == [.closed("n1", reason: .noAnswer)])
    }

    @Test func reconcileClosesVanishedAnnouncesNewAndReportsChanges() {
        var tracker = BaresipCallTracker()
        _ = tracker.apply(Self.event("CALL_INCOMING", "gone"))
        _ = tracker.apply(Self.event("CALL_ESTABLISHED", "kept"))
        _ = tracker.apply(Self.event("CALL_RINGING", "answered", .outgoing))
        tracker.beginSnapshot()
        let out = tracker.reconcile([
            BaresipCallSnapshot(callID: "kept", direction: .incoming, state: "ESTABLISHED", onHold: true, peerURI: "sip:bob@127.0.0.1"),
            BaresipCallSnapshot(callID: "answered", direction: .outgoing, state: "ESTABLISHED", onHold: false, peerURI: "sip:bob@127.0.0.1"),
            BaresipCallSnapshot(callID: "new", direction: .outgoing, state: "RINGING", onHold: false, peerURI: "sip:dan@127.0.0.1"),
        ], vanishedReason: .failed("lost"))
        #expect(out == [
            .closed("gone", reason: .failed("lost")),
            .held("kept"),
            .established("answered"),
            .outgoing("new", remote: "sip:dan@127.0.0.1"), .remoteRinging("new"),
        ])
        // A second identical snapshot changes nothing.
        tracker.beginSnapshot()
        #expect(tracker.reconcile([
            BaresipCallSnapshot(callID: "kept", direction: .incoming, state: "ESTABLISHED", onHold: true, peerURI: "sip:bob@127.0.0.1"),
            BaresipCallSnapshot(callID: "answered", direction: .outgoing, state: "ESTABLISHED", onHold: false, peerURI: "sip:bob@127.0.0.1"),
            BaresipCallSnapshot(callID: "new", direction: .outgoing, state: "RINGING", onHold: false, peerURI: "sip:dan@127.0.0.1"),
        ], vanishedReason: .failed("lost")).isEmpty)
    }

    @Test func staleSnapshotDoesNotResurrectACallClosedDuringTheRead() {
        var tracker = BaresipCallTracker()
        _ = tracker.apply(Self.event("CALL_ESTABLISHED", "c"))
        tracker.beginSnapshot()
        _ = tracker.apply(Self.event("CALL_CLOSED", "c", param: "Connection reset by peer"))
        let out = tracker.reconcile([
            BaresipCallSnapshot(callID: "c", direction: .incoming, state: "ESTABLISHED", onHold: false, peerURI: "sip:bob@127.0.0.1"),
        ], vanishedReason: .remoteHangUp)
        #expect(out.isEmpty)
    }

    @Test func staleSnapshotDoesNotCloseACallAnnouncedDuringTheRead() {
        var tracker = BaresipCallTracker()
        tracker.beginSnapshot()
        _ = tracker.apply(Self.event("CALL_INCOMING", "fresh"))
        #expect(tracker.reconcile([], vanishedReason: .failed("lost")).isEmpty)
        #expect(tracker.calls["fresh"] != nil)
    }
}
