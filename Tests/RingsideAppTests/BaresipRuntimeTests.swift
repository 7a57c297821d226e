import Foundation
import RingsideApp
import RingsideCore
@testable import RingsidePhone
import RingsideStore
import RingsideTestSupport
import Testing

/// Real SIP calls through Ringside: headless baresip 1.0.0 instances on 127.0.0.1, an `AgentRuntime` (local directory +
/// SQLite in temp XDG folders) attached to the agent's instance with `BaresipLink`, remote parties driven over their own
/// ctrl_tcp. Each test asserts the runtime's `AgentSession` (call states, link state) and the saved call records.
///
/// Accounts use numeric users so that lookups run: the caller `sip:+447814256404@127.0.0.1` is Fred Bloggs (the demo
/// directory's single match), `sip:+442079460999@127.0.0.1` matches nobody, `sip:2002@127.0.0.1` is an internal extension.
/// Outbound calls are dialled as numbers, as the console does; the agent's account routes them through an `outbound`
/// proxy (another instance acting as the PBX), as a real account routes them through its provider.
@Suite("AgentRuntime with real baresip", .serialized, .enabled(if: RequiredComponent.runs(BaresipHarness.available),
                                                                  "needs baresip (apt-get install -y baresip-core)"))
struct BaresipRuntimeTests {
    static let fred = "+447814256404"
    static let nobody = "+442079460999"
    static let extensionNumber = "2002"

    /// The remote dials the agent's instance; returns the agent's ringing call once it shows in the session.
    static func ringIn(from remote: RawBaresipClient, _ caller: BaresipHarness.Instance, to ours: BaresipHarness.Instance,
                       agent: BaresipAgent) async throws -> CallMachine {
        let known = Set(await agent.runtime.current.calls.map(\.id))
        try await remote.command("dial", ours.uri)
        return try await agent.waitForCall("incoming call from \(caller.aor) ringing") {
            !known.contains($0.id) && $0.state == .ringing && $0.remote == caller.aor
        }
    }

    static func fredRecord(_ agent: BaresipAgent) async throws -> CRMRecord {
        let number = try PhoneNumber.parse(fred, defaultRegion: .GB)
        let result = try await agent.agent.directory.lookup(number)
        guard result.candidates.count == 1, let record = result.candidates.first else {
            throw BaresipHarnessError.clientFailed("the demo directory should have exactly one record for \(fred)")
        }
        return record
    }

    // MARK: - Inbound

    @Test func inboundCallAnsweredAndHungUpByTheAgent() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent", user: "2001")
            let bob = try await harness.launch("bob", user: Self.fred)
            let agent = try await BaresipAgent.start(attachedTo: ours)
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            defer { bobClient.close() }
            let fred = try await Self.fredRecord(agent)

            let ringing = try await Self.ringIn(from: bobClient, bob, to: ours, agent: agent)
            #expect(ringing.direction == .inbound)
            #expect(ringing.number?.e164 == Self.fred)
            #expect(ringing.line != nil)
            // The lookup ran on the number in the SIP URI: a single match pops.
            let popped = try await agent.waitForCall(ringing.id, "single match") {
                if case .finished(.pop(let record), _) = $0.match { return record.id == fred.id }
                return false
            }
            #expect(popped.state == .ringing)
            #expect(await agent.runtime.current.activity == .onCall)

            await agent.send(.answer)
            try await agent.waitForCall(ringing.id, "connected") { $0.state == .connected }
            try await bobClient.waitForEvent("CALL_ESTABLISHED", id: ringing.line)

            await agent.send(.hangUp)
            // The record is saved (wrap-up) as soon as the call ends.
            let wrapUp = try await agent.waitForCall(ringing.id, "wrap-up") { $0.state == .wrapUp }
            #expect(wrapUp.endReason == .localHangUp)
            let saved = try await agent.waitForRecord(ringing.id, "saved in wrap-up") { $0.delivery == .wrapUp }
            #expect(saved.callType == .inbound)
            #expect(saved.direction == .inbound)
            #expect(saved.endReason == "hung up by agent")
            #expect(saved.durationSeconds >= 0)
            #expect(saved.answeredAt != nil)
            #expect(saved.e164 == Self.fred)
            #expect(saved.remote == bob.aor)
            let bobClosed = try await bobClient.waitForEvent("CALL_CLOSED", id: ringing.line)
            #expect(bobClosed.param == "Connection reset by peer")
            #expect(await agent.runtime.current.activity == .wrapUp)

            await agent.send(.finishWrapUp(disposition: "Resolved", notes: "Asked about the invoice"))
            try await agent.waitFor("wrap-up finished") { $0.calls.isEmpty }
            let final = try await agent.waitForRecord(ringing.id, "completed") { $0.delivery == .local }
            #expect(final.disposition == "Resolved")
            #expect(final.notes == "Asked about the invoice")
            #expect(final.associationRule == .singleMatch)
            #expect(final.who?.id == fred.id)
            #expect(final.remoteName == fred.name)
            #expect(final.subject.hasPrefix("Inbound Call at "))
            #expect(try agent.store.recentCalls(limit: 10).map(\.callObject) == [ringing.id])
            await agent.stop()
        }
    }

    @Test func remoteHangUpOfAnUnknownCaller() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent", user: "2001")
            let caller = try await harness.launch("caller", user: Self.nobody)
            let agent = try await BaresipAgent.start(attachedTo: ours)
            let client = try RawBaresipClient(port: caller.ctrlPort)
            defer { client.close() }

            let ringing = try await Self.ringIn(from: client, caller, to: ours, agent: agent)
            try await agent.waitForCall(ringing.id, "no match → New offered") {
                if case .finished(.new, _) = $0.match { return true }
                return false
            }
            await agent.send(.answer)
            try await agent.waitForCall(ringing.id, "connected") { $0.state == .connected }
            try await client.command("hangup")
            let ended = try await agent.waitForCall(ringing.id, "wrap-up after remote hang-up") { $0.state == .wrapUp }
            #expect(ended.endReason == .remoteHangUp)
            let saved = try await agent.waitForRecord(ringing.id, "saved") { $0.delivery == .wrapUp }
            #expect(saved.endReason == "hung up by caller")
            #expect(saved.callType == .inbound)
            #expect(saved.associationRule == .noMatch)
            #expect(saved.who == nil && saved.what == nil)

            await agent.send(.finishWrapUp(disposition: nil, notes: ""))
            let final = try await agent.waitForRecord(ringing.id, "completed") { $0.delivery == .local }
            #expect(final.disposition == nil)
            await agent.stop()
        }
    }

    @Test func holdAndResumeCountHoldSeconds() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent", user: "2001")
            let bob = try await harness.launch("bob", user: Self.fred)
            let clock = OutboxTestClock(Date())
            let agent = try await BaresipAgent.start(attachedTo: ours, clock: clock.function)
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            defer { bobClient.close() }

            let call = try await Self.ringIn(from: bobClient, bob, to: ours, agent: agent)
            await agent.send(.answer)
            try await agent.waitForCall(call.id, "connected") { $0.state == .connected }
            let beforeHold = bobClient.received

            await agent.send(.hold)
            let held = try await agent.waitForCall(call.id, "held") { $0.state == .held }
            #expect(held.heldSince != nil)
            // The far end really got the hold re-INVITE (a new SDP offer).
            try await bobClient.waitForEvent("CALL_REMOTE_SDP", param: "offer", after: beforeHold)
            // 1.5 s on hold, on the runtime's clock: whole hold seconds are counted.
            clock.advance(1.5)

            await agent.send(.resume)
            let resumed = try await agent.waitForCall(call.id, "connected again") { $0.state == .connected }
            #expect(resumed.heldSince == nil)
            #expect(abs(resumed.holdSeconds - 1.5) < 0.01, "held \(resumed.holdSeconds) s")

            await agent.send(.hangUp)
            try await agent.waitForCall(call.id, "wrap-up") { $0.state == .wrapUp }
            let saved = try await agent.waitForRecord(call.id, "saved") { $0.delivery == .wrapUp }
            #expect(saved.holdSeconds >= 1)
            #expect(saved.holdSeconds <= saved.durationSeconds)
            #expect(saved.endReason == "hung up by agent")
            await agent.send(.finishWrapUp(disposition: "Resolved", notes: ""))
            let final = try await agent.waitForRecord(call.id, "completed") { $0.delivery == .local }
            #expect(final.holdSeconds == saved.holdSeconds)
            await agent.stop()
        }
    }

    // MARK: - Transfer

    @Test func blindTransferSavesTheTransferorsRecordAndTheReceiverLooksUpAfresh() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent", user: "2001")
            let bob = try await harness.launch("bob", user: Self.fred)
            let carol = try await harness.launch("carol", user: "2003")
            let agent = try await BaresipAgent.start(attachedTo: ours, name: "agent")
            let receiver = try await BaresipAgent.start(attachedTo: carol, name: "receiver")
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            defer { bobClient.close() }
            let fred = try await Self.fredRecord(agent)

            let call = try await Self.ringIn(from: bobClient, bob, to: ours, agent: agent)
            try await agent.waitForCall(call.id, "lookup finished") {
                if case .finished = $0.match { return true }
                return false
            }
            await agent.send(.answer)
            try await agent.waitForCall(call.id, "connected") { $0.state == .connected }
            // The agent picks the caller explicitly: that choice belongs to this agent's record only.
            await agent.send(.pop)
            try await agent.waitForCall(call.id, "popped") { $0.association.interactions == [.popped(fred.ref)] }

            await agent.send(.transfer(to: carol.uri))
            try await agent.waitForCall(call.id, "transferring") { $0.state == .transferring(to: carol.uri) }

            // The receiver's runtime sees an ordinary new call from the transferee, with its own lookup.
            let incoming = try await receiver.waitForCall("transferred call ringing at the receiver") { $0.state == .ringing }
            #expect(incoming.remote == bob.aor)
            #expect(incoming.number?.e164 == Self.fred)
            #expect(incoming.id != call.id)
            #expect(incoming.line != call.line)
            #expect(incoming.association.interactions.isEmpty)
            try await receiver.waitForCall(incoming.id, "receiver's own lookup") {
                if case .finished(.pop(let record), _) = $0.match { return record.id == fred.id }
                return false
            }

            // baresip 1.0.0 ends the transferor's leg when the target answers.
            await receiver.send(.answer)
            try await receiver.waitForCall(incoming.id, "receiver connected") { $0.state == .connected }
            let transferred = try await agent.waitForCall(call.id, "transferor in wrap-up") { $0.state == .wrapUp }
            #expect(transferred.endReason == .transferred)
            let saved = try await agent.waitForRecord(call.id, "transferor's record saved") { $0.delivery == .wrapUp }
            #expect(saved.endReason == "transferred")
            #expect(saved.callType == .inbound)
            #expect(saved.associationRule == .agentChoice)
            #expect(saved.who?.id == fred.id)
            await agent.send(.finishWrapUp(disposition: "Resolved", notes: "Passed to billing"))
            try await agent.waitForRecord(call.id, "transferor's record completed") { $0.delivery == .local }

            // The receiver finishes the call; its record is its own (own store, own id, own lookup).
            await receiver.send(.hangUp)
            try await receiver.waitForCall(incoming.id, "receiver wrap-up") { $0.state == .wrapUp }
            await receiver.send(.finishWrapUp(disposition: nil, notes: ""))
            let received = try await receiver.waitForRecord(incoming.id, "receiver's record") { $0.delivery == .local }
            #expect(received.callType == .inbound)
            #expect(received.associationRule == .singleMatch)
            #expect(received.who?.id == fred.id)
            #expect(received.endReason == "hung up by agent")
            #expect(try receiver.store.record(call.id) == nil)
            #expect(try agent.store.record(incoming.id) == nil)
            await agent.stop()
            await receiver.stop()
        }
    }

    // MARK: - Outbound

    @Test func clickToDialAnsweredThenRemoteHangUp() async throws {
        try await BaresipHarness.with { harness in
            let fredPhone = try await harness.launch("fred", user: Self.fred)
            let ours = try await harness.launch("agent", user: "2001", accountParams: fredPhone.asOutboundProxy)
            let agent = try await BaresipAgent.start(attachedTo: ours)
            let fredClient = try RawBaresipClient(port: fredPhone.ctrlPort)
            defer { fredClient.close() }
            let fred = try await Self.fredRecord(agent)

            await agent.send(.dial("07814 256404", clickToDial: fred.ref))
            let dialing = try await agent.waitForCall("dialling") { $0.direction == .outbound }
            #expect(dialing.association.clickToDial == fred.ref)
            // baresip reports the call (id = SIP Call-ID) and the far end ringing.
            let ringing = try await agent.waitForCall(dialing.id, "far end ringing") { $0.state == .remoteRinging && $0.line != nil }
            let incoming = try await fredClient.waitForEvent("CALL_INCOMING", id: ringing.line)
            #expect(incoming.peerURI == ours.aor)

            try await fredClient.command("accept")
            try await agent.waitForCall(dialing.id, "connected") { $0.state == .connected && $0.answeredAt != nil }
            try await fredClient.command("hangup")
            let ended = try await agent.waitForCall(dialing.id, "wrap-up") { $0.state == .wrapUp }
            #expect(ended.endReason == .remoteHangUp)
            await agent.send(.finishWrapUp(disposition: "Follow-up needed", notes: ""))
            let record = try await agent.waitForRecord(dialing.id, "completed") { $0.delivery == .local }
            #expect(record.callType == .outbound)
            #expect(record.direction == .outbound)
            #expect(record.associationRule == .clickToDial)
            #expect(record.who?.id == fred.id)
            #expect(record.e164 == Self.fred)
            #expect(record.endReason == "hung up by caller")
            #expect(record.answeredAt != nil)
            #expect(record.subject.hasPrefix("Outbound Call at "))
            await agent.stop()
        }
    }

    /// Dials `number` from the field and returns the record once the unanswered call is in wrap-up.
    static func dialUnanswered(_ agent: BaresipAgent, _ number: String, until reason: CallEndReason,
                               timeout: Duration = .seconds(5), whileRinging: (CallMachine) async throws -> Void = { _ in }) async throws -> CallRecord {
        await agent.send(.dial(number, clickToDial: nil))
        let dialing = try await agent.waitForCall("dialling \(number)") { $0.direction == .outbound }
        let lined = try await agent.waitForCall(dialing.id, "baresip named the call") { $0.line != nil }
        try await whileRinging(lined)
        let ended = try await agent.waitForCall(dialing.id, "wrap-up", timeout: timeout) { $0.state == .wrapUp }
        #expect(ended.endReason == reason)
        #expect(ended.answeredAt == nil)
        let saved = try await agent.waitForRecord(dialing.id, "saved") { $0.delivery == .wrapUp }
        await agent.send(.finishWrapUp(disposition: "No answer", notes: ""))
        let final = try await agent.waitForRecord(dialing.id, "completed") { $0.delivery == .local }
        #expect(final.endReason == saved.endReason)
        return final
    }

    @Test func outboundBusy() async throws {
        try await BaresipHarness.with { harness in
            let callee = try await harness.launch("callee", user: Self.fred)
            let ours = try await harness.launch("agent", user: "2001", accountParams: callee.asOutboundProxy)
            let agent = try await BaresipAgent.start(attachedTo: ours)
            let client = try RawBaresipClient(port: callee.ctrlPort)
            defer { client.close() }

            let record = try await Self.dialUnanswered(agent, "07814 256404", until: .busy) { call in
                try await client.waitForEvent("CALL_INCOMING", id: call.line)
                try await client.command("hangup")  // baresip 1.0.0 rejects an incoming call with 486
            }
            #expect(record.endReason == "busy")
            #expect(record.callType == .outbound)
            #expect(record.durationSeconds == 0)
            #expect(record.associationRule == .singleMatch)
            await agent.stop()
        }
    }

    @Test func outboundDeclined() async throws {
        try await BaresipHarness.with { harness in
            let decliner = try SIPDecliner(status: "603 Decline")
            defer { decliner.stop() }
            let ours = try await harness.launch("agent", user: "2001", accountParams: ";outbound=\"sip:127.0.0.1:\(decliner.port)\"")
            let agent = try await BaresipAgent.start(attachedTo: ours)

            let record = try await Self.dialUnanswered(agent, "07814 256404", until: .declined)
            #expect(record.endReason == "declined")
            #expect(record.callType == .outbound)
            #expect(record.durationSeconds == 0)
            await agent.stop()
        }
    }

    @Test func outboundUnansweredIsNoAnswer() async throws {
        try await BaresipHarness.with { harness in
            let callee = try await harness.launch("callee", user: Self.nobody)
            let ours = try await harness.launch("agent", user: "2001", accountParams: callee.asOutboundProxy)
            let agent = try await BaresipAgent.start(attachedTo: ours) { $0.noAnswerTimeout = .milliseconds(1_500) }
            let client = try RawBaresipClient(port: callee.ctrlPort)
            defer { client.close() }

            let record = try await Self.dialUnanswered(agent, "020 7946 0999", until: .noAnswer, timeout: .seconds(8)) { call in
                try await client.waitForEvent("CALL_INCOMING", id: call.line)
            }
            try await client.waitForEvent("CALL_CLOSED")
            #expect(record.endReason == "no answer")
            #expect(record.callType == .outbound)
            #expect(record.durationSeconds == 0)
            #expect(record.answeredAt == nil)
            #expect(record.associationRule == .noMatch)
            await agent.stop()
        }
    }

    // MARK: - Call waiting

    @Test func callWaitingSecondCallIsShownAndAnsweredHoldingTheFirst() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent", user: "2001")
            let bob = try await harness.launch("bob", user: Self.fred)
            let colleague = try await harness.launch("colleague", user: Self.extensionNumber)
            let agent = try await BaresipAgent.start(attachedTo: ours)
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            let colleagueClient = try RawBaresipClient(port: colleague.ctrlPort)
            defer { bobClient.close(); colleagueClient.close() }

            let first = try await Self.ringIn(from: bobClient, bob, to: ours, agent: agent)
            await agent.send(.answer)
            try await agent.waitForCall(first.id, "first connected") { $0.state == .connected }

            let second = try await Self.ringIn(from: colleagueClient, colleague, to: ours, agent: agent)
            let both = await agent.runtime.current
            let firstState = both.calls.first(where: { $0.id == first.id })?.state
            #expect(both.calls.count == 2)
            #expect(firstState == .connected)
            // A waiting call never takes the screen from the call in progress (keys stay with the call seen).
            #expect(both.focus == first.id)
            #expect(second.match == .skippedInternal)

            await agent.send(.answer)
            try await agent.waitForCall(second.id, "second connected") { $0.state == .connected }
            #expect(await agent.runtime.current.focus == second.id)
            try await agent.waitForCall(first.id, "first held") { $0.state == .held }
            try await colleagueClient.waitForEvent("CALL_ESTABLISHED", id: second.line)

            await agent.send(.hangUp)
            try await agent.waitForCall(second.id, "second in wrap-up") { $0.state == .wrapUp }
            await agent.send(.resume)
            try await agent.waitForCall(first.id, "first resumed") { $0.state == .connected }
            await agent.send(.hangUp)
            try await agent.waitForCall(first.id, "first in wrap-up") { $0.state == .wrapUp }

            await agent.send(.finishWrapUp(disposition: nil, notes: ""))
            await agent.send(.finishWrapUp(disposition: nil, notes: ""))
            try await agent.waitFor("both wrap-ups finished") { $0.calls.isEmpty }
            let internalRecord = try await agent.waitForRecord(second.id, "internal record") { $0.delivery == .local }
            #expect(internalRecord.callType == .internal)
            #expect(internalRecord.associationRule == .internalCall)
            #expect(internalRecord.endReason == "hung up by agent")
            let firstRecord = try await agent.waitForRecord(first.id, "first record") { $0.delivery == .local }
            #expect(firstRecord.callType == .inbound)
            #expect(firstRecord.holdSeconds <= firstRecord.durationSeconds)
            #expect(firstRecord.endReason == "hung up by agent")
            await agent.stop()
        }
    }

    // MARK: - baresip crash

    @Test func baresipKilledMidCallRecordIsSavedAndTheLinkReconnects() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent", user: "2001")
            let bob = try await harness.launch("bob", user: Self.fred)
            let agent = try await BaresipAgent.start(attachedTo: ours) { $0.maxBackoff = .milliseconds(400) }
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            defer { bobClient.close() }

            let call = try await Self.ringIn(from: bobClient, bob, to: ours, agent: agent)
            await agent.send(.answer)
            try await agent.waitForCall(call.id, "connected") { $0.state == .connected }

            await ours.killHard()
            let down = try await agent.waitFor("phone link down") {
                if case .disconnected = $0.phoneLink { return true }
                return false
            }
            #expect(down.banner?.text.hasPrefix("Phone link down") == true)
            // Nothing listens on its ctrl_tcp port: the link ends the dead baresip's call, and the record is saved
            // while baresip is still down.
            let ended = try await agent.waitForCall(call.id, "lost call in wrap-up") { $0.state == .wrapUp }
            #expect(ended.endReason == .failed(BaresipLink.baresipStoppedReason))
            let saved = try await agent.waitForRecord(call.id, "saved") { $0.delivery == .wrapUp }
            #expect(saved.endReason == "failed: \(BaresipLink.baresipStoppedReason)")
            #expect(saved.answeredAt != nil)
            #expect(saved.callType == .inbound)
            let whileDown = await agent.runtime.current
            #expect(whileDown.phoneLink != .connected)
            #expect(whileDown.activity == .wrapUp)
            await agent.send(.finishWrapUp(disposition: nil, notes: "baresip crashed"))
            try await agent.waitForRecord(call.id, "completed") { $0.delivery == .local }

            try await ours.start()
            try await agent.waitFor("phone link back", timeout: .seconds(10)) { $0.phoneLink == .connected }
            // The link works again: a new call rings and is answered.
            let next = try await Self.ringIn(from: bobClient, bob, to: ours, agent: agent)
            await agent.send(.answer)
            try await agent.waitForCall(next.id, "connected after restart") { $0.state == .connected }
            await agent.send(.hangUp)
            try await agent.waitForCall(next.id, "wrap-up") { $0.state == .wrapUp }
            #expect(try agent.store.recentCalls(limit: 10).count == 2)
            await agent.stop()
            // Bob still holds the call the crash orphaned; a clean quit would wait on SIP timers for its BYE.
            await bob.killHard()
        }
    }

    /// Issue 13: Ringside dies mid-call (kill -9: nothing is written at the end) while baresip keeps the call.
    /// The next start finds the call in the journal and in baresip's call list, tracks it on, and completes its
    /// record at hang-up with the agent's choice and the true end time.
    @Test func ringsideKilledMidCallPicksTheCallUpAgainAtRestart() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent", user: "2001")
            let bob = try await harness.launch("bob", user: Self.fred)
            let first = try await BaresipAgent.start(attachedTo: ours, name: "first")
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            defer { bobClient.close() }

            let call = try await Self.ringIn(from: bobClient, bob, to: ours, agent: first)
            try await first.waitForCall(call.id, "single match") {
                if case .finished(.pop, _) = $0.match { return true }
                return false
            }
            await first.send(.pop)
            await first.send(.answer)
            try await first.waitForCall(call.id, "connected") { $0.state == .connected && $0.resolvedAssociation.rule == .agentChoice }
            try await bobClient.waitForEvent("CALL_ESTABLISHED", id: nil)
            await first.crash()
            #expect(try first.store.record(call.id) == nil)

            let second = try await BaresipAgent.start(attachedTo: ours, name: "second", home: first.home)
            defer { Task { await second.stop() } }
            let resumed = try await second.waitForCall(call.id, "the call tracked again", timeout: .seconds(10)) { $0.state == .connected }
            #expect(resumed.line == call.line)
            #expect(resumed.resolvedAssociation.rule == .agentChoice)
            try await bobClient.command("hangup")
            try await second.waitForCall(call.id, "wrap-up after the caller hung up") { $0.state == .wrapUp }
            await second.send(.finishWrapUp(disposition: "Resolved", notes: "picked up again"))
            let record = try await second.waitForRecord(call.id, "completed") { $0.delivery == .local }
            #expect(record.who?.name == "Fred Bloggs")
            #expect(record.associationRule == .agentChoice)
            #expect(record.endReason == "hung up by caller")
            #expect(!record.description.contains("approximate"))
            #expect(record.notes == "picked up again")
            #expect(try second.store.recentCalls(limit: 10).filter { $0.callObject == call.id }.count == 1)
            #expect(try second.store.openJournal().entries.isEmpty)
        }
    }

    @Test func baresipRestartedBeforeTheLinkRetriesTheResyncEndsTheLostCall() async throws {
        try await BaresipHarness.with { harness in
            let ours = try await harness.launch("agent", user: "2001")
            let bob = try await harness.launch("bob", user: Self.fred)
            // The first reconnect attempt comes after baresip is back: the call-list resync finds the call gone.
            let agent = try await BaresipAgent.start(attachedTo: ours) { $0.initialBackoff = .seconds(2) }
            let bobClient = try RawBaresipClient(port: bob.ctrlPort)
            defer { bobClient.close() }

            let call = try await Self.ringIn(from: bobClient, bob, to: ours, agent: agent)
            await agent.send(.answer)
            try await agent.waitForCall(call.id, "connected") { $0.state == .connected }
            await ours.killHard()
            try await agent.waitFor("phone link down") {
                if case .disconnected = $0.phoneLink { return true }
                return false
            }
            try await ours.start()
            try await agent.waitFor("phone link back", timeout: .seconds(10)) { $0.phoneLink == .connected }
            let ended = try await agent.waitForCall(call.id, "lost call in wrap-up", timeout: .seconds(5)) { $0.state == .wrapUp }
            #expect(ended.endReason == .failed("ended while the phone link was down"))
            let saved = try await agent.waitForRecord(call.id, "saved") { $0.delivery == .wrapUp }
            #expect(saved.endReason == "failed: ended while the phone link was down")
            await agent.stop()
            await bob.killHard()
        }
    }

    // MARK: - Latency

    @Test func commandToStateLatencyOnLoopback() async throws {
        try await BaresipHarness.with { harness in
            let callee = try await harness.launch("callee", user: Self.fred, answerMode: "auto")
            let caller = try await harness.launch("caller", user: Self.nobody)
            let ours = try await harness.launch("agent", user: "2001", accountParams: callee.asOutboundProxy)
            let agent = try await BaresipAgent.start(attachedTo: ours)
            let callerClient = try RawBaresipClient(port: caller.ctrlPort)
            defer { callerClient.close() }
            var samples: [String: [Duration]] = [:]

            /// Runs `command` and records how long until the recorded session satisfies `predicate`.
            func measure(_ name: String, _ command: AgentCommand, _ predicate: (AgentSession) -> Bool) async throws {
                let from = agent.recorder.count
                let start = ContinuousClock.now
                await agent.send(command)
                let found = try await agent.recorder.waitFor(name, from: from, predicate)
                samples[name, default: []].append(found.at - start)
            }
            func state(_ wanted: CallMachine.State) -> (AgentSession) -> Bool {
                { $0.focusedCall?.state == wanted }
            }

            for _ in 0..<20 {
                try await measure("dial → far end ringing or connected", .dial("07814 256404", clickToDial: nil)) { session in
                    guard let call = session.focusedCall, call.line != nil else { return false }
                    return call.state == .remoteRinging || call.state == .connected
                }
                try await agent.waitFor("auto-answered") { $0.focusedCall?.state == .connected }
                for _ in 0..<2 {
                    try await measure("hold → held", .hold, state(.held))
                    try await measure("resume → connected", .resume, state(.connected))
                }
                try await measure("hang up → record saved, wrap-up", .hangUp, state(.wrapUp))
                try await measure("finish wrap-up → record completed", .finishWrapUp(disposition: nil, notes: "")) { $0.calls.isEmpty }

                let inbound = try await Self.ringIn(from: callerClient, caller, to: ours, agent: agent)
                try await measure("answer → connected", .answer, state(.connected))
                try await measure("hang up → record saved, wrap-up", .hangUp, state(.wrapUp))
                await agent.send(.finishWrapUp(disposition: nil, notes: ""))
                try await agent.waitFor("idle") { $0.calls.isEmpty }
                try await callerClient.waitForEvent("CALL_CLOSED", id: inbound.line)
            }
            for (name, values) in samples.sorted(by: { $0.key < $1.key }) {
                let sorted = values.sorted()
                let p50 = sorted[sorted.count / 2], p90 = sorted[min(sorted.count - 1, sorted.count * 9 / 10)]
                print("LATENCY runtime \(name): n=\(sorted.count) p50=\(Self.ms(p50)) p90=\(Self.ms(p90)) max=\(Self.ms(sorted.last!))")
            }
            #expect(samples["hold → held"]?.count == 40)
            #expect(try agent.store.recentCalls(limit: 100).count == 40)
            await agent.stop()
        }
    }

    static func ms(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.2f ms", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }
}
