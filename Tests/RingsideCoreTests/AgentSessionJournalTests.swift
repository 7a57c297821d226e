import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

/// Issue 13 in the core: keys belong to the call on screen, one connected call, transfer targets, refused
/// dials, the journal's restore and shut-down paths, and the wrap-up countdown that pauses while typing.
@Suite("AgentSession: calls are never lost or misfiled")
struct AgentSessionJournalTests {
    /// Three records sharing 020 7946 0018 (a Search decision).
    static let shared = [
        Fixtures.contact("003000000000011AAA", name: "Ruth Okafor", phone: "020 7946 0018"),
        Fixtures.contact("003000000000012AAA", name: "Sam Shared", phone: "020 7946 0018"),
        Fixtures.lead("00Q000000000013AAA", name: "Cat Shared", phone: "020 7946 0018"),
    ]

    // MARK: Keys belong to the call the agent saw

    @Test func aKeyReadForOneCallNeverLandsOnAnother() {
        // The repro: a call is on screen, another rings as Enter is read; the pick must not reach the new call.
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: "020 7946 0018"))
        d.send(.lookupFinished("call-1", LookupResult(candidates: Self.shared, source: .live)))
        d.phone(.closed("L1", reason: .remoteHangUp))
        d.send(.recordSaved("call-1"))
        d.agent(.finishWrapUp(disposition: nil, notes: ""))
        #expect(d.session.focus == nil)
        // Screen showed no call; a call rings before the key is handled.
        d.phone(.incoming("L2", remote: "020 7946 0999"))
        let ruth = Self.shared[0].ref
        #expect(d.send(.agentOnScreen(.select(ruth), seen: nil)) == [])
        #expect(d.call("call-2")?.association.interactions.isEmpty == true)
        #expect(d.session.banner?.text.contains("nothing was changed") == true)
    }

    @Test func aCommandForACallThatEndedIsRefused() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.closed("L1", reason: .remoteHangUp))
        d.send(.recordSaved("call-1"))
        d.agent(.finishWrapUp(disposition: nil, notes: ""))
        #expect(d.send(.agentOnScreen(.hangUp, seen: "call-1")) == [])
        #expect(d.session.banner?.text == "That call has ended; nothing was changed")
    }

    @Test func aCommandForACallNoLongerFocusedIsRefused() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.incoming("L2", remote: "020 7946 0018"))
        d.agent(.focusNext)
        #expect(d.session.focus == "call-2")
        #expect(d.send(.agentOnScreen(.pop, seen: "call-1")) == [])
        #expect(d.call("call-1")?.association.interactions.isEmpty == true)
    }

    @Test func anIncomingCallDoesNotTakeTheScreenFromAWrapUp() {
        var d = SessionDriver(settings: SessionSettings(wrapUpSeconds: 60))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.established("L1"))
        d.phone(.closed("L1", reason: .remoteHangUp))
        d.send(.recordSaved("call-1"))
        d.phone(.incoming("L2", remote: "020 7946 0018"))
        #expect(d.session.focus == "call-1")
        // The wrap-up on screen can still be saved with what the agent typed.
        d.send(.agentOnScreen(.finishWrapUp(disposition: "Resolved", notes: "typed"), seen: "call-1"))
        #expect(d.completedRecords.map(\.callObject) == ["call-1"])
        #expect(d.completedRecords.first?.notes == "typed")
    }

    // MARK: One connected call

    @Test func resumingAHeldCallHoldsTheConnectedOne() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.agent(.answer)
        d.phone(.established("L1"))
        d.phone(.incoming("L2", remote: "020 7946 0018"))
        d.agent(.answer)
        d.phone(.held("L1"))
        d.phone(.established("L2"))
        d.agent(.focusNext)
        #expect(d.session.focus == "call-1")
        let out = d.send(.agentOnScreen(.resume, seen: "call-1"))
        #expect(out == [.phone(.hold("L2")), .phone(.resume("L1"))])
    }

    @Test func resumeReachesTheHeldCallAfterTheWaitingCallEnds() {
        var d = SessionDriver(settings: SessionSettings(wrapUpSeconds: 60))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.agent(.answer)
        d.phone(.established("L1"))
        d.phone(.incoming("L2", remote: "020 7946 0018"))
        d.agent(.answer)
        d.phone(.held("L1"))
        d.phone(.established("L2"))
        d.phone(.closed("L2", reason: .remoteHangUp))
        d.send(.recordSaved("call-2"))
        #expect(d.session.focusedCall?.state == .wrapUp)
        // What the hold/resume key means here, and that the session agrees it may be done.
        #expect(d.session.holdOrResume(seen: "call-2") == .resume)
        #expect(d.session.refusal(for: .resume, seen: "call-2") == nil)
        #expect(d.send(.agentOnScreen(.resume, seen: "call-2")) == [.phone(.resume("L1"))])
        // Hang-up on the wrap-up never reaches the held call.
        #expect(d.send(.agentOnScreen(.hangUp, seen: "call-2")) == [])
    }

    // MARK: Transfer targets

    @Test func transferTargetsAreValidatedAndRecorded() throws {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.established("L1"))
        #expect(d.agent(.transfer(to: "abc")) == [])
        #expect(d.session.banner?.text.hasPrefix("Can't transfer to abc") == true)
        #expect(d.agent(.transfer(to: Fixtures.fredRaw)) == [])
        #expect(d.session.banner?.text == "Can't transfer the caller to their own number")
        #expect(d.agent(.transfer(to: "2002")).map(\.withoutContext) == [.publishHandoff(nil), .phone(.transfer("L1", to: "2002"))])
        d.phone(.transferFailed("L1", reason: "busy"))
        #expect(d.agent(.transfer(to: "sip:desk@pbx.example.com")).map(\.withoutContext) == [.publishHandoff(nil), .phone(.transfer("L1", to: "sip:desk@pbx.example.com"))])
        d.phone(.transferred("L1", to: "sip:desk@pbx.example.com"))
        let record = try #require(d.savedRecords.last)
        #expect(record.description.contains("Transferred to sip:desk@pbx.example.com"))
        #expect(record.endReason == "transferred")
    }

    @Test func aFailedTransferIsInTheRecord() throws {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.established("L1"))
        d.agent(.transfer(to: "2002"))
        d.phone(.transferFailed("L1", reason: "busy"))
        d.phone(.closed("L1", reason: .remoteHangUp))
        let record = try #require(d.savedRecords.last)
        #expect(record.description.contains("Transfer to 2002 failed: busy"))
    }

    // MARK: Dials the phone refuses

    @Test func aDialThePhoneRefusedLeavesNoCall() {
        var d = SessionDriver()
        let out = d.agent(.dial("020 7946 0018", clickToDial: nil))
        #expect(out.contains(.dial("call-1", "+442079460018")))
        #expect(d.send(.dialFailed("call-1", "connection refused")) == [.activityChanged(.ready)])
        #expect(d.session.calls.isEmpty)
        #expect(d.completedRecords.isEmpty && d.savedRecords.isEmpty)
        #expect(d.session.banner?.text.contains("Not dialled") == true)
    }

    // MARK: Truthful status

    @Test func theStatusSaysRingingOnCallOnHold() {
        var d = SessionDriver()
        #expect(d.session.statusLabel == "Ready")
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        #expect(d.session.statusLabel == "Ringing")
        d.phone(.established("L1"))
        #expect(d.session.statusLabel == "On call")
        d.phone(.held("L1"))
        #expect(d.session.statusLabel == "On hold")
        d.phone(.closed("L1", reason: .remoteHangUp))
        #expect(d.session.statusLabel == "Wrap-up")
    }

    // MARK: Wrap-up countdown

    @Test func theWrapUpCountdownPausesWhileTheAgentTypes() throws {
        var d = SessionDriver(settings: SessionSettings(wrapUpSeconds: 30))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.established("L1"))
        d.agent(.editWrapUp(disposition: nil, notes: "typed during the call"))
        d.phone(.closed("L1", reason: .remoteHangUp), after: 5)
        #expect(d.send(.recordSaved("call-1")) == [.scheduleWrapUpTimeout("call-1", seconds: 30)])
        // Typing at 25 s: the timer set for 30 s must not save.
        d.send(.agentOnScreen(.editWrapUp(disposition: "Resolved", notes: "typed during the call, and more"), seen: "call-1"), after: 25)
        let late = d.send(.wrapUpTimedOut("call-1"), after: 5)
        #expect(late.count == 1)
        guard case .scheduleWrapUpTimeout(_, let seconds)? = late.first else { Issue.record("expected a new timer"); return }
        #expect(seconds >= Int(WrapUpClock.resumeAfter))
        #expect(d.completedRecords.isEmpty)
        // After the pause and the rest of the countdown it saves everything typed.
        d.send(.wrapUpTimedOut("call-1"), after: Double(seconds))
        let record = try #require(d.completedRecords.first)
        #expect(record.notes == "typed during the call, and more")
        #expect(record.disposition == "Resolved")
    }

    // MARK: Journal: restore and shut down

    @Test func restoredCallsThePhoneNoLongerHasEndApproximately() throws {
        var first = SessionDriver()
        first.phone(.incoming("L1", remote: Fixtures.fredRaw))
        first.send(.lookupFinished("call-1", Fixtures.lookup(Fixtures.contact())))
        first.agent(.pop)
        first.phone(.established("L1"), after: 2)
        let journalled = try #require(first.call("call-1"))
        let lastSeen = first.now.addingTimeInterval(40)

        var second = SessionDriver(start: first.now.addingTimeInterval(600))
        let restored = second.session.restore([.init(call: journalled, updatedAt: lastSeen)], at: second.now)
        #expect(restored.isEmpty)
        #expect(second.session.focusedCall?.state == .connected)
        second.phone(.listed([]))
        let record = try #require(second.completedRecords.first)
        #expect(record.callObject == "call-1")
        #expect(record.endedAt == lastSeen)
        #expect(record.durationSeconds == 40)
        #expect(record.who?.id == Fixtures.contact().id)
        #expect(record.associationRule == .agentChoice)
        #expect(record.description.contains("approximate"))
        #expect(second.session.calls.isEmpty)
    }

    @Test func restoredCallsThePhoneStillHasGoOn() throws {
        var first = SessionDriver()
        first.phone(.incoming("L1", remote: Fixtures.fredRaw))
        first.phone(.established("L1"))
        let journalled = try #require(first.call("call-1"))
        var second = SessionDriver()
        _ = second.session.restore([.init(call: journalled, updatedAt: first.now)], at: second.now)
        // baresip re-announces the call it still has: no second call is created.
        second.phone(.incoming("L1", remote: Fixtures.fredRaw))
        second.phone(.established("L1"))
        second.phone(.listed(["L1"]))
        #expect(second.session.calls.map(\.id) == ["call-1"])
        second.phone(.closed("L1", reason: .remoteHangUp), after: 30)
        #expect(second.savedRecords.map(\.callObject) == ["call-1"])
        #expect(second.savedRecords.first?.description.contains("approximate") == false)
    }

    @Test func shutdownCompletesEverythingWithASimulatedPhone() {
        var d = SessionDriver(settings: SessionSettings(wrapUpSeconds: 60))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.established("L1"))
        d.phone(.incoming("L2", remote: "020 7946 0018"))
        d.agent(.editWrapUp(disposition: "Resolved", notes: "kept"))
        let out = d.session.shutdown(callsOutliveRingside: false, at: d.now)
        let completed = out.compactMap { if case .complete(let r) = $0 { r } else { nil } }
        #expect(Set(completed.map(\.callObject)) == ["call-1", "call-2"])
        #expect(completed.first { $0.callObject == "call-1" }?.notes == "kept")
        #expect(d.session.calls.isEmpty)
    }

    @Test func shutdownLeavesLiveCallsOfARealPhone() {
        var d = SessionDriver(settings: SessionSettings(wrapUpSeconds: 60))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.established("L1"))
        d.phone(.incoming("L2", remote: "020 7946 0018"))
        d.phone(.closed("L2", reason: .remoteHangUp))
        d.send(.recordSaved("call-2"))
        #expect(d.session.quitConsequence(callsOutliveRingside: true)?.contains("continues on the phone") == true)
        let out = d.session.shutdown(callsOutliveRingside: true, at: d.now)
        #expect(out.compactMap { if case .complete(let r) = $0 { r.callObject } else { nil } } == ["call-2"])
        #expect(d.session.calls.map(\.id) == ["call-1"])
    }

    @Test func callMachinesSurviveTheJournalsJSON() throws {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: "020 7946 0018"))
        d.send(.lookupFinished("call-1", LookupResult(candidates: Self.shared, source: .index(syncedAt: Fixtures.t0))))
        d.agent(.select(Self.shared[1].ref))
        d.phone(.established("L1"))
        d.agent(.editWrapUp(disposition: "Resolved", notes: "line 1\nline 2"))
        let call = try #require(d.call("call-1"))
        let decoded = try JSONDecoder().decode(CallMachine.self, from: JSONEncoder().encode(call))
        #expect(decoded == call)
    }
}

@Suite("AgentSession: save confirmation")
struct AgentSessionSaveConfirmationTests {
    @Test func everySaveIsConfirmedWithWhatWasSaved() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.closed("L1", reason: .remoteHangUp))
        d.send(.recordSaved("call-1"))
        _ = d.agent(.finishWrapUp(disposition: "Resolved", notes: "called back\nsent the form"))
        #expect(d.session.banner?.level == .info, "\(String(describing: d.session.banner))")
        #expect(d.session.banner?.text.hasPrefix("✓ Saved · ") == true)
        #expect(d.session.banner?.text.hasSuffix(" · Resolved · 2 notes lines") == true)
    }

    @Test func aSaveNeverHidesAnError() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.closed("L1", reason: .remoteHangUp))
        _ = d.send(.recordSaveFailed("call-1", "disk full"))
        _ = d.agent(.finishWrapUp(disposition: nil, notes: ""))
        #expect(d.session.banner?.level == .error)
    }
}
