import Foundation
import RingsideTestSupport
import Testing
import RingsideCore
@testable import RingsidePhone

/// End-to-end tests with real baresip 1.0.0 processes. "ours" is the agent's baresip, driven through `BaresipLink`;
/// the others are remote parties driven with `RawBaresipClient`.
@Suite("BaresipLink with real baresip", .serialized, .enabled(if: RequiredComponent.runs(BaresipHarness.available),
                                                             "needs baresip (apt-get install -y baresip-core)"))
struct BaresipLinkIntegrationTests {
    /// Starts a link to `instance` and waits until it is connected and its first resync has run.
    static func connect(_ instance: BaresipHarness.Instance, configure: (inout BaresipLink.Configuration) -> Void = { _ in },
                        log: @escaping @Sendable (String) -> Void = { print("[link] \($0)") }) async throws -> (BaresipLink, PhoneEventRecorder) {
        var configuration = BaresipLink.Configuration(endpoint: try BaresipEndpoint(parsing: instance.linkURL))
        configure(&configuration)
        let link = BaresipLink(configuration: configuration, log: log)
        let recorder = PhoneEventRecorder(link.events)
        await link.start()
        try await recorder.waitFor(.link(.connected))
        return (link, recorder)
    }

    /// Remote dials ours; returns the call id once `.incoming` arrived.
    static func incomingCall(from remote: RawBaresipClient, _ caller: BaresipHarness.Instance, to ours: BaresipHarness.Instance,
                             recorder: PhoneEventRecorder) async throws -> LineCallID {
        let from = recorder.count
        try await remote.command("dial", ours.uri)
        let found = try await recorder.waitFor("incoming", from: from) {
            if case .incoming(_, let remote) = $0 { return remote == caller.aor }
            return false
        }
        guard case .incoming(let id, _) = found.event else { throw BaresipHarnessError.timedOut("incoming") }
        return id
    }

    static func outgoingID(_ recorder: PhoneEventRecorder, from: Int, to uri: String) async throws -> LineCallID {
        let found = try await recorder.waitFor("outgoing to \(uri)", from: from) {
            if case .outgoing(_, let remote) = $0 { return remote == uri }
            return false
        }
        guard case .outgoing(let id, _) = found.event else { throw BaresipHarnessError.timedOut("outgoing") }
        return id
    }

    static func events(of id: LineCallID, _ recorder: PhoneEventRecorder) -> [PhoneEvent] {
        recorder.callEvents.filter { event in
            switch event {
            case .incoming(let line, _), .outgoing(let line, _), .remoteRinging(let line), .established(let line), .held(let line),
                 .resumed(let line), .transferred(let line, _), .transferFailed(let line, _), .closed(let line, _):
                return line == id
            case .link, .listed:
                return false
            }
        }
    }

    @Test func inboundCallAnsweredAndHungUpByUs() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent")
            let bob = try await harness.launch("bob")
            let (link, recorder) = try await Self.connect(ours)
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            defer { bobClient.close() }

            let id = try await Self.incomingCall(from: bobClient, bob, to: ours, recorder: recorder)
            try await link.send(.answer(id))
            try await recorder.waitFor(.established(id))
            try await bobClient.waitForEvent("CALL_ESTABLISHED", id: id)
            try await link.send(.hangUp(id))
            try await recorder.waitFor(.closed(id, reason: .localHangUp))
            let bobClosed = try await bobClient.waitForEvent("CALL_CLOSED", id: id)
            #expect(bobClosed.param == "Connection reset by peer")
            #expect(Self.events(of: id, recorder) == [
                .incoming(id, remote: bob.aor), .established(id), .closed(id, reason: .localHangUp),
            ])
            await link.close()
        }
    }

    @Test func remoteHangUp() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent")
            let bob = try await harness.launch("bob")
            let (link, recorder) = try await Self.connect(ours)
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            defer { bobClient.close() }

            let id = try await Self.incomingCall(from: bobClient, bob, to: ours, recorder: recorder)
            try await link.send(.answer(id))
            try await recorder.waitFor(.established(id))
            try await bobClient.command("hangup")
            try await recorder.waitFor(.closed(id, reason: .remoteHangUp))
            #expect(Self.events(of: id, recorder) == [
                .incoming(id, remote: bob.aor), .established(id), .closed(id, reason: .remoteHangUp),
            ])
            await link.close()
        }
    }

    @Test func holdAndResume() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent")
            let bob = try await harness.launch("bob")
            let (link, recorder) = try await Self.connect(ours)
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            defer { bobClient.close() }

            let id = try await Self.incomingCall(from: bobClient, bob, to: ours, recorder: recorder)
            try await link.send(.answer(id))
            try await recorder.waitFor(.established(id))
            let beforeHold = bobClient.received
            try await link.send(.hold(id))
            try await recorder.waitFor(.held(id))
            // The remote really got a re-INVITE (baresip shows hold only as a new SDP offer).
            try await bobClient.waitForEvent("CALL_REMOTE_SDP", param: "offer", after: beforeHold)
            try await link.send(.resume(id))
            try await recorder.waitFor(.resumed(id))
            try await link.send(.hangUp(id))
            try await recorder.waitFor(.closed(id, reason: .localHangUp))
            #expect(Self.events(of: id, recorder) == [
                .incoming(id, remote: bob.aor), .established(id), .held(id), .resumed(id), .closed(id, reason: .localHangUp),
            ])
            await link.close()
        }
    }

    @Test func blindTransferToThirdInstance() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent")
            let bob = try await harness.launch("bob")
            let carol = try await harness.launch("carol")
            let (link, recorder) = try await Self.connect(ours)
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            let carolClient = try RawBaresipClient(port: carol.ctrlPort)
            defer { bobClient.close(); carolClient.close() }

            let id = try await Self.incomingCall(from: bobClient, bob, to: ours, recorder: recorder)
            try await link.send(.answer(id))
            try await recorder.waitFor(.established(id))
            try await link.send(.transfer(id, to: carol.uri))
            // The third instance rings with a call from the transferee.
            let ringing = try await carolClient.waitForEvent("CALL_INCOMING")
            #expect(ringing.peerURI == bob.aor)
            #expect(ringing.callID != id)
            // baresip 1.0.0 ends the transferor's leg only when the target answers (REFER NOTIFY 200).
            #expect(Self.events(of: id, recorder) == [.incoming(id, remote: bob.aor), .established(id)])
            try await carolClient.command("accept")
            try await recorder.waitFor(.closed(id, reason: .transferred))
            #expect(Self.events(of: id, recorder) == [
                .incoming(id, remote: bob.aor), .established(id), .transferred(id, to: carol.uri), .closed(id, reason: .transferred),
            ])
            await link.close()
        }
    }

    @Test func outboundDialAnsweredThenRemoteHangUp() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent")
            let bob = try await harness.launch("bob")
            let (link, recorder) = try await Self.connect(ours)
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            defer { bobClient.close() }

            let from = recorder.count
            try await link.send(.dial(bob.uri))
            let id = try await Self.outgoingID(recorder, from: from, to: bob.uri)
            try await recorder.waitFor(.remoteRinging(id))
            try await bobClient.waitForEvent("CALL_INCOMING", id: id)
            try await bobClient.command("accept")
            try await recorder.waitFor(.established(id))
            try await bobClient.command("hangup")
            try await recorder.waitFor(.closed(id, reason: .remoteHangUp))
            #expect(Self.events(of: id, recorder) == [
                .outgoing(id, remote: bob.uri), .remoteRinging(id), .established(id), .closed(id, reason: .remoteHangUp),
            ])
            await link.close()
        }
    }

    @Test func outboundBusyWhenRemoteRejects() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent")
            let bob = try await harness.launch("bob")
            let (link, recorder) = try await Self.connect(ours)
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            defer { bobClient.close() }

            let from = recorder.count
            try await link.send(.dial(bob.uri))
            let id = try await Self.outgoingID(recorder, from: from, to: bob.uri)
            try await bobClient.waitForEvent("CALL_INCOMING", id: id)
            try await bobClient.command("hangup")  // baresip 1.0.0 rejects with "486 Rejected"
            try await recorder.waitFor(.closed(id, reason: .busy))
            #expect(Self.events(of: id, recorder) == [.outgoing(id, remote: bob.uri), .remoteRinging(id), .closed(id, reason: .busy)])
            await link.close()
        }
    }

    @Test func outboundDeclinedWith603() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent")
            let decliner = try SIPDecliner(status: "603 Decline")
            defer { decliner.stop() }
            let (link, recorder) = try await Self.connect(ours)
            let target = "sip:dave@127.0.0.1:\(decliner.port)"
            let from = recorder.count
            try await link.send(.dial(target))
            let id = try await Self.outgoingID(recorder, from: from, to: target)
            try await recorder.waitFor(.closed(id, reason: .declined))
            #expect(Self.events(of: id, recorder).last == .closed(id, reason: .declined))
            await link.close()
        }
    }

    @Test func outboundUnansweredIsHungUpAsNoAnswer() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent")
            let bob = try await harness.launch("bob")
            let (link, recorder) = try await Self.connect(ours) { $0.noAnswerTimeout = .milliseconds(1500) }
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            defer { bobClient.close() }

            let from = recorder.count
            try await link.send(.dial(bob.uri))
            let id = try await Self.outgoingID(recorder, from: from, to: bob.uri)
            try await recorder.waitFor(.closed(id, reason: .noAnswer), timeout: .seconds(6))
            let bobClosed = try await bobClient.waitForEvent("CALL_CLOSED", id: id)
            #expect(bobClosed.param == "Connection reset by peer")
            #expect(Self.events(of: id, recorder) == [.outgoing(id, remote: bob.uri), .remoteRinging(id), .closed(id, reason: .noAnswer)])
            await link.close()
        }
    }

    @Test func callWaitingSecondIncomingIsReportedAndAnswered() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent")
            let bob = try await harness.launch("bob")
            let carol = try await harness.launch("carol")
            let (link, recorder) = try await Self.connect(ours)
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            let carolClient = try RawBaresipClient(port: carol.ctrlPort)
            defer { bobClient.close(); carolClient.close() }

            let first = try await Self.incomingCall(from: bobClient, bob, to: ours, recorder: recorder)
            try await link.send(.answer(first))
            try await recorder.waitFor(.established(first))
            let second = try await Self.incomingCall(from: carolClient, carol, to: ours, recorder: recorder)
            #expect(second != first)
            try await link.send(.answer(second))
            try await recorder.waitFor(.established(second))
            try await carolClient.waitForEvent("CALL_ESTABLISHED", id: second)
            try await recorder.waitFor(.held(first))
            try await link.send(.hangUp(second))
            try await recorder.waitFor(.closed(second, reason: .localHangUp))
            try await link.send(.resume(first))
            try await recorder.waitFor(.resumed(first))
            try await link.send(.hangUp(first))
            try await recorder.waitFor(.closed(first, reason: .localHangUp))
            #expect(Self.events(of: first, recorder) == [
                .incoming(first, remote: bob.aor), .established(first), .held(first), .resumed(first), .closed(first, reason: .localHangUp),
            ])
            #expect(Self.events(of: second, recorder) == [
                .incoming(second, remote: carol.aor), .established(second), .closed(second, reason: .localHangUp),
            ])
            await link.close()
        }
    }

    @Test func baresipKilledMidCallThenRestarted() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent")
            let bob = try await harness.launch("bob")
            let (link, recorder) = try await Self.connect(ours) { $0.maxBackoff = .milliseconds(400) }
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            defer { bobClient.close() }

            let id = try await Self.incomingCall(from: bobClient, bob, to: ours, recorder: recorder)
            try await link.send(.answer(id))
            let established = try await recorder.waitFor(.established(id))
            await ours.killHard()
            try await recorder.waitFor("link down", from: established) {
                if case .link(.disconnected) = $0 { return true }
                return false
            }
            // Nothing listens on ctrl_tcp any more (reconnect refused): the dead baresip's call is closed at once.
            try await recorder.waitFor(.closed(id, reason: .failed(BaresipLink.baresipStoppedReason)), from: established)
            await #expect(throws: BaresipLinkError.self) { try await link.send(.hangUp(id)) }
            try await ours.start()
            let connected = try await recorder.waitFor(.link(.connected), from: established + 1, timeout: .seconds(10))
            // The restarted baresip has no calls; the resync after the reconnect reports nothing more about the lost one.
            let bobIncoming = try await Self.incomingCall(from: bobClient, bob, to: ours, recorder: recorder)
            #expect(bobIncoming != id)
            #expect(recorder.events[connected...].contains { if case .closed(id, _) = $0 { true } else { false } } == false)
            await link.close()
        }
    }

    @Test func baresipRestartedBeforeTheLinkRetriesResyncClosesTheLostCall() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent")
            let bob = try await harness.launch("bob")
            // The first reconnect attempt comes after baresip is back, so no attempt is refused.
            let (link, recorder) = try await Self.connect(ours) { $0.initialBackoff = .seconds(2) }
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            defer { bobClient.close() }

            let id = try await Self.incomingCall(from: bobClient, bob, to: ours, recorder: recorder)
            try await link.send(.answer(id))
            let established = try await recorder.waitFor(.established(id))
            await ours.killHard()
            try await ours.start()
            let connected = try await recorder.waitFor(.link(.connected), from: established + 1, timeout: .seconds(10))
            // The restarted baresip has no calls: the resync closes the lost one.
            try await recorder.waitFor(.closed(id, reason: .failed("ended while the phone link was down")), from: connected)
            await link.close()
        }
    }

    @Test func resyncAfterAnotherClientTookTheSocket() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent")
            let bob = try await harness.launch("bob")
            let (link, recorder) = try await Self.connect(ours) {
                $0.initialBackoff = .seconds(1)
                $0.maxBackoff = .seconds(1)
            }
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            defer { bobClient.close() }

            let id = try await Self.incomingCall(from: bobClient, bob, to: ours, recorder: recorder)
            try await link.send(.answer(id))
            let established = try await recorder.waitFor(.established(id))
            // A second ctrl_tcp client replaces ours (baresip allows one) and holds the call behind our back.
            let thief = try RawBaresipClient(port: ours.ctrlPort)
            try await recorder.waitFor("link down", from: established) {
                if case .link(.disconnected) = $0 { return true }
                return false
            }
            try await thief.command("hold")
            thief.close()
            let connected = try await recorder.waitFor(.link(.connected), from: established + 1, timeout: .seconds(10))
            try await recorder.waitFor(.held(id), from: connected)
            try await link.send(.resume(id))
            try await recorder.waitFor(.resumed(id))
            await link.close()
        }
    }

    @Test func commandsWhileDisconnectedThrowNotConnected() async throws {
        let link = BaresipLink(configuration: .init(endpoint: BaresipEndpoint(host: "127.0.0.1", port: 9)))
        let recorder = PhoneEventRecorder(link.events)
        await link.start()
        try await recorder.waitFor("disconnected") {
            if case .link(.disconnected) = $0 { return true }
            return false
        }
        do {
            try await link.send(.dial("sip:bob@127.0.0.1"))
            Issue.record("send should have thrown")
        } catch let error as BaresipLinkError {
            guard case .notConnected = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(error.description.contains("not connected"))
        }
        #expect(recorder.events.first == .link(.connecting))
        await link.close()
    }

    @Test func latencyOnLoopback() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent")
            let bob = try await harness.launch("bob", answerMode: "auto")
            let (link, recorder) = try await Self.connect(ours, log: { _ in })
            var holdSamples: [Duration] = []
            var dialSamples: [Duration] = []
            for _ in 0..<25 {
                let from = recorder.count
                let start = ContinuousClock.now
                try await link.send(.dial(bob.uri))
                let found = try await recorder.waitFor("outgoing", from: from) { if case .outgoing = $0 { true } else { false } }
                dialSamples.append(found.at - start)
                guard case .outgoing(let id, _) = found.event else { return }
                try await recorder.waitFor(.established(id), from: from)
                for _ in 0..<2 {
                    var mark = recorder.count
                    let t0 = ContinuousClock.now
                    try await link.send(.hold(id))
                    holdSamples.append(try await recorder.waitFor("held", from: mark) { $0 == .held(id) }.at - t0)
                    mark = recorder.count
                    let t1 = ContinuousClock.now
                    try await link.send(.resume(id))
                    holdSamples.append(try await recorder.waitFor("resumed", from: mark) { $0 == .resumed(id) }.at - t1)
                }
                try await link.send(.hangUp(id))
                try await recorder.waitFor(.closed(id, reason: .localHangUp), from: from)
            }
            func report(_ name: String, _ samples: [Duration]) {
                let sorted = samples.sorted()
                let p50 = sorted[sorted.count / 2], p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
                print("LATENCY \(name): n=\(sorted.count) p50=\(p50) p99=\(p99) max=\(sorted.last!)")
            }
            report("hold/resume command → .held/.resumed", holdSamples)
            report("dial command → .outgoing", dialSamples)
            #expect(holdSamples.count == 100)
            await link.close()
        }
    }
}
