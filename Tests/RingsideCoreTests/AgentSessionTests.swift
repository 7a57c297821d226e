import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

private let fred = Fixtures.number(Fixtures.fredRaw)
private let fredContact = Fixtures.contact("003000000000001AAA", name: "Fred Bloggs", accountId: "001000000000001AAA")
private let fiona = Fixtures.contact("003000000000002AAA", name: "Fiona Bloggs")

private func effectsOnly(_ effects: [SessionEffect]) -> [SessionEffect] {
    effects.filter { if case .activityChanged = $0 { false } else { true } }
}

@Suite("AgentSession")
struct AgentSessionTests {
    // MARK: Full flows

    @Test func inboundCallFromRingToCompletedRecord() throws {
        var d = SessionDriver()
        #expect(d.session.activity == .ready)

        // Ring: a call is created, focused and looked up; the agent goes on call.
        let ring = d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        #expect(ring == [.lookup("call-1", fred), .activityChanged(.onCall)])
        #expect(d.session.focus == "call-1")
        #expect(d.call("call-1")?.state == .ringing)

        // Lookup answers with one match: Pop is offered, and popping records the interaction.
        #expect(d.send(.lookupFinished("call-1", Fixtures.lookup(fredContact)), after: 1) == [])
        #expect(d.call("call-1")?.match == .finished(.pop(fredContact), .live))
        #expect(d.agent(.pop, after: 1) == [])
        #expect(d.call("call-1")?.association.interactions == [.popped(fredContact.ref)])

        #expect(d.agent(.answer, after: 1) == [.phone(.answer("L1"))])
        #expect(d.phone(.established("L1")) == [])
        #expect(d.call("call-1")?.state == .connected)

        #expect(d.agent(.hold, after: 10) == [.phone(.hold("L1"))])
        d.phone(.held("L1"))
        #expect(d.agent(.resume, after: 20) == [.phone(.resume("L1"))])
        d.phone(.resumed("L1"))
        #expect(d.agent(.hangUp, after: 30) == [.phone(.hangUp("L1"))])
        #expect(d.savedRecords.isEmpty)

        // The phone confirms: the record is saved in wrap-up state before anything else.
        let closed = d.phone(.closed("L1", reason: .localHangUp))
        let saved = try #require(d.savedRecords.first)
        #expect(closed == [.save(saved), .activityChanged(.wrapUp)])
        #expect(saved.delivery == .wrapUp)
        #expect(saved.callObject == "call-1")
        #expect(saved.durationSeconds == 60)
        #expect(saved.holdSeconds == 20)
        #expect(saved.who == fredContact.ref)
        #expect(d.session.records["call-1"] == saved)

        #expect(d.send(.recordSaved("call-1")) == [.scheduleWrapUpTimeout("call-1", seconds: 120)])
        #expect(d.call("call-1")?.state == .wrapUp)

        // Wrap-up times out: the record is completed with what the agent chose.
        let done = d.send(.wrapUpTimedOut("call-1"), after: 120)
        let completed = try #require(d.completedRecords.first)
        #expect(done == [.complete(completed), .activityChanged(.ready)])
        #expect(completed.delivery == .queued)
        #expect(completed.who == fredContact.ref)
        #expect(completed.what?.id == "001000000000001AAA")
        #expect(completed.associationRule == .agentChoice)
        #expect(completed.subject == "Inbound Call at 16:11:36 Europe/London from 07814256404 (Fred Bloggs)")
        #expect(d.session.calls.isEmpty)
        #expect(d.session.records["call-1"] == nil)
        #expect(d.session.focus == nil)
    }

    @Test func agentFinishesWrapUpWithDispositionAndNotes() throws {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup(fredContact, fiona)))
        d.phone(.established("L1"))
        d.phone(.closed("L1", reason: .remoteHangUp), after: 30)
        d.send(.recordSaved("call-1"))
        // Choosing during wrap-up still counts (rule 3).
        d.agent(.select(fiona.ref))
        let out = d.agent(.finishWrapUp(disposition: "Resolved", notes: "Sorted"), after: 5)
        let record = try #require(d.completedRecords.first)
        #expect(effectsOnly(out) == [.complete(record)])
        #expect(record.disposition == "Resolved")
        #expect(record.notes == "Sorted")
        #expect(record.who == fiona.ref)
        #expect(record.associationRule == .agentChoice)
    }

    @Test func outboundDialFromARecord() throws {
        var d = SessionDriver()
        let dial = d.agent(.dial("07814 256404", clickToDial: fredContact.ref))
        #expect(dial == [.dial("call-1", Fixtures.fredE164), .lookup("call-1", fred), .activityChanged(.onCall)])
        #expect(d.call("call-1")?.direction == .outbound)
        #expect(d.phone(.outgoing("L5", remote: Fixtures.fredE164), after: 1) == [])
        #expect(d.call("call-1")?.line == "L5")
        #expect(d.session.calls.count == 1)
        d.send(.lookupFinished("call-1", Fixtures.lookup(fredContact, fiona)))
        d.phone(.remoteRinging("L5"))
        d.phone(.established("L5"), after: 5)
        d.agent(.hangUp, after: 40)
        d.phone(.closed("L5", reason: .localHangUp))
        let record = try #require(d.savedRecords.first)
        #expect(record.who == fredContact.ref)
        #expect(record.associationRule == .clickToDial)
        #expect(record.callType == .outbound)
        #expect(record.durationSeconds == 40)
    }

    @Test func busyOutboundCallIsStillRecorded() throws {
        var d = SessionDriver()
        d.agent(.dial("07814 256404", clickToDial: nil))
        d.phone(.outgoing("L5", remote: Fixtures.fredE164))
        d.phone(.closed("L5", reason: .busy), after: 3)
        let record = try #require(d.savedRecords.first)
        #expect(record.endReason == "busy")
        #expect(record.durationSeconds == 0)
    }

    // MARK: Call waiting

    @Test func answeringASecondCallHoldsTheFirst() throws {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.agent(.answer)
        d.phone(.established("L1"))
        let second = d.phone(.incoming("L2", remote: "020 7946 0018"), after: 30)
        #expect(second == [.lookup("call-2", Fixtures.number("020 7946 0018"))])
        // The waiting call does not take the screen from the call in progress; answering it does.
        #expect(d.session.focus == "call-1")
        #expect(d.call("call-1")?.state == .connected)

        #expect(d.agent(.answer, after: 2) == [.phone(.hold("L1")), .phone(.answer("L2"))])
        #expect(d.session.focus == "call-2")
        d.phone(.held("L1"))
        d.phone(.established("L2"))
        #expect(d.call("call-1")?.state == .held)
        #expect(d.call("call-2")?.state == .connected)
        #expect(d.session.activity == .onCall)
    }

    @Test func answerWithNothingRingingIsRefused() {
        var d = SessionDriver()
        #expect(d.agent(.answer) == [])
        #expect(d.session.banner?.level == .warning)
    }

    @Test func answerPicksTheNewestRingingCall() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.incoming("L2", remote: "020 7946 0018"))
        #expect(d.agent(.answer) == [.phone(.answer("L2"))])
    }

    @Test func finishWrapUpAppliesToTheFocusedCall() throws {
        var d = SessionDriver()
        for (line, remote) in [("L1", Fixtures.fredRaw), ("L2", "020 7946 0018")] {
            d.phone(.incoming(line, remote: remote))
            d.phone(.established(line))
        }
        d.phone(.closed("L1", reason: .remoteHangUp), after: 10)
        d.phone(.closed("L2", reason: .remoteHangUp), after: 10)
        d.send(.recordSaved("call-1"))
        d.send(.recordSaved("call-2"))
        #expect(d.session.focus == "call-1")
        d.agent(.focusNext)
        #expect(d.session.focus == "call-2")
        d.agent(.finishWrapUp(disposition: "Wrong number", notes: ""))
        let record = try #require(d.completedRecords.first)
        #expect(record.callObject == "call-2")
        #expect(record.disposition == "Wrong number")
        #expect(d.call("call-1")?.state == .wrapUp)
    }

    @Test func focusNextCyclesThroughCalls() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.incoming("L2", remote: "020 7946 0018"))
        #expect(d.session.focus == "call-1")
        d.agent(.focusNext)
        #expect(d.session.focus == "call-2")
        #expect(d.session.focusedCall?.line == "L2")
        d.agent(.focusNext)
        #expect(d.session.focus == "call-1")
    }

    // MARK: Dialling

    @Test(arguments: ["", "hello", "   "])
    func dialJunkShowsABannerAndDoesNothing(raw: String) {
        var d = SessionDriver()
        #expect(d.agent(.dial(raw, clickToDial: nil)) == [])
        #expect(d.session.calls.isEmpty)
        #expect(d.session.banner?.level == .warning)
        #expect(d.session.banner?.text.hasPrefix("Can't dial") == true)
        #expect(d.issuedIDs.isEmpty)
    }

    @Test func dialWhileConnectedIsRefused() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.established("L1"))
        #expect(d.agent(.dial("020 7946 0018", clickToDial: nil)) == [])
        #expect(d.session.calls.count == 1)
        #expect(d.session.banner != nil)
    }

    @Test func dialWhileRingingIsRefused() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        #expect(d.agent(.dial("020 7946 0018", clickToDial: nil)) == [])
        #expect(d.session.calls.count == 1)
    }

    @Test func dialWhileTheOtherCallIsHeldIsAllowed() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.established("L1"))
        d.phone(.held("L1"))
        let out = d.agent(.dial("020 7946 0018", clickToDial: nil))
        #expect(out.contains(.dial("call-2", "+442079460018")))
        #expect(d.session.calls.count == 2)
        #expect(d.session.focus == "call-2")
    }

    @Test func internalDialIsNotLookedUp() {
        var d = SessionDriver()
        let out = d.agent(.dial("2001", clickToDial: fredContact.ref))
        #expect(effectsOnly(out) == [.dial("call-1", "2001")])
        #expect(d.call("call-1")?.match == .skippedInternal)
    }

    @Test func manualDialFromTheHandsetCreatesACall() throws {
        var d = SessionDriver()
        let out = d.phone(.outgoing("L9", remote: Fixtures.fredRaw))
        // No dial command back to the phone: it is already dialling.
        #expect(out == [.lookup("call-1", fred), .activityChanged(.onCall)])
        let call = try #require(d.call("call-1"))
        #expect(call.line == "L9")
        #expect(call.direction == .outbound)
        #expect(call.state == .dialing)
        #expect(d.session.focus == "call-1")
        // Seed: manual dial behaves like click-to-dial without an entity: a single match is associated.
        d.send(.lookupFinished("call-1", Fixtures.lookup(fredContact)))
        d.phone(.established("L9"))
        d.phone(.closed("L9", reason: .remoteHangUp), after: 20)
        #expect(d.savedRecords.first?.who == fredContact.ref)
        #expect(d.savedRecords.first?.associationRule == .singleMatch)
    }

    @Test func outgoingForAPendingDialDoesNotCreateASecondCall() {
        var d = SessionDriver()
        d.agent(.dial("07814 256404", clickToDial: nil))
        d.phone(.outgoing("L9", remote: Fixtures.fredE164))
        d.phone(.outgoing("L9", remote: Fixtures.fredE164))
        #expect(d.session.calls.count == 1)
        #expect(d.issuedIDs == ["call-1"])
    }

    // MARK: New (rule 5)

    @Test func requestNewOnlyWhenThereIsNoMatch() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        // Still searching.
        #expect(d.agent(.requestNew) == [])
        #expect(d.session.banner != nil)
        d.agent(.dismissBanner)
        #expect(d.session.banner == nil)
        // One match: Pop, not New.
        d.send(.lookupFinished("call-1", Fixtures.lookup(fredContact)))
        #expect(d.agent(.requestNew) == [])
        #expect(d.session.banner != nil)
        // Several matches: Search, not New.
        d.send(.lookupFinished("call-1", Fixtures.lookup(fredContact, fiona)))
        #expect(d.agent(.requestNew) == [])
    }

    @Test func requestNewCreatesTheConfiguredEntity() {
        var d = SessionDriver(settings: SessionSettings(match: MatchSettings(defaultNewEntity: .contact)))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup()))
        #expect(d.agent(.requestNew) == [.createRecord("call-1", .contact, fred)])
    }

    @Test func requestNewIsRefusedForInternalCalls() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: "2001"))
        #expect(d.agent(.requestNew) == [])
        #expect(d.session.banner != nil)
    }

    @Test func createdRecordIsAssociatedByRule5() throws {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup()))
        #expect(d.agent(.requestNew) == [.createRecord("call-1", .lead, fred)])
        let created = Fixtures.lead("00Q000000000099AAA", name: "New Caller")
        d.send(.recordCreated("call-1", created), after: 2)
        d.phone(.established("L1"))
        d.phone(.closed("L1", reason: .remoteHangUp), after: 30)
        let record = try #require(d.savedRecords.first)
        #expect(record.who == created.ref)
        #expect(record.what == nil)
        #expect(record.associationRule == .newRecord)
    }

    @Test func noMatchAndNothingDoneIsUnassociated() throws {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup()))
        d.phone(.closed("L1", reason: .remoteHangUp), after: 10)
        let record = try #require(d.savedRecords.first)
        #expect(record.who == nil)
        #expect(record.associationRule == .noMatch)
    }

    @Test func recordCreateFailureShowsAnError() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        #expect(d.send(.recordCreateFailed("call-1", "REQUIRED_FIELD_MISSING")) == [])
        #expect(d.session.banner?.level == .error)
    }

    // MARK: Wrap-up settings

    @Test func zeroWrapUpCompletesImmediately() throws {
        var d = SessionDriver(settings: SessionSettings(wrapUpSeconds: 0))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.established("L1"))
        d.phone(.closed("L1", reason: .remoteHangUp), after: 10)
        let out = d.send(.recordSaved("call-1"))
        let record = try #require(d.completedRecords.first)
        #expect(out == [.complete(record), .activityChanged(.ready)])
        #expect(record.delivery == .queued)
        #expect(d.session.calls.isEmpty)
    }

    @Test func deliveryOffKeepsCompletedRecordsLocal() throws {
        var d = SessionDriver(settings: SessionSettings(wrapUpSeconds: 0, completedState: .local))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.closed("L1", reason: .remoteHangUp), after: 10)
        d.send(.recordSaved("call-1"))
        #expect(try #require(d.completedRecords.first).delivery == .local)
    }

    @Test func wrapUpTimeoutForAnUnknownOrFinishedCallIsIgnored() {
        var d = SessionDriver()
        #expect(d.send(.wrapUpTimedOut("call-99")) == [])
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        // Not yet in wrap-up (still ringing): ignored.
        #expect(d.send(.wrapUpTimedOut("call-1")) == [])
        #expect(d.call("call-1")?.state == .ringing)
    }

    @Test func finishWrapUpWithoutWrapUpIsRefused() {
        var d = SessionDriver()
        #expect(d.agent(.finishWrapUp(disposition: nil, notes: "")) == [])
        #expect(d.session.banner != nil)
    }

    @Test func recordSaveFailureRaisesAnErrorBannerAndKeepsTheCall() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.closed("L1", reason: .remoteHangUp))
        // The record is held in memory (written as an emergency copy at quit): the wrap-up goes on.
        #expect(d.send(.recordSaveFailed("call-1", "disk full")) == [.scheduleWrapUpTimeout("call-1", seconds: 120)])
        #expect(d.session.banner?.level == .error)
        #expect(d.session.banner?.text.contains("NOT saved") == true)
        #expect(d.call("call-1")?.state == .wrapUp)
        #expect(d.session.records["call-1"] != nil)
    }

    // MARK: Activity and presence

    @Test func activityChangesAreAnnounced() {
        var d = SessionDriver(settings: SessionSettings(wrapUpSeconds: 60))
        #expect(d.agent(.setAvailability(.notReady(reason: "Lunch"))) == [.activityChanged(.notReady(reason: "Lunch"))])
        #expect(d.session.activity.label == "Not ready: Lunch")
        #expect(d.agent(.setAvailability(.ready)) == [.activityChanged(.ready)])
        // Same state again: nothing to announce.
        #expect(d.agent(.setAvailability(.ready)) == [])

        #expect(d.phone(.incoming("L1", remote: Fixtures.fredRaw)).last == .activityChanged(.onCall))
        // Changing availability during a call does not change what supervisors see.
        #expect(d.agent(.setAvailability(.notReady(reason: "Break"))) == [])
        #expect(d.phone(.closed("L1", reason: .remoteHangUp)).last == .activityChanged(.wrapUp))
        #expect(d.send(.recordSaved("call-1")).contains(.activityChanged(.wrapUp)) == false)
        #expect(d.send(.wrapUpTimedOut("call-1"), after: 60).last == .activityChanged(.notReady(reason: "Break")))
    }

    @Test func activityLabels() {
        #expect(AgentActivity.ready.label == "Ready")
        #expect(AgentActivity.notReady(reason: "").label == "Not ready")
        #expect(AgentActivity.onCall.label == "On call")
        #expect(AgentActivity.wrapUp.label == "Wrap-up")
    }

    // MARK: Links, banners, unknown lines

    @Test func phoneLinkDownShowsABanner() {
        var d = SessionDriver()
        #expect(d.session.phoneLink == .connecting)
        d.phone(.link(.connected))
        #expect(d.session.phoneLink == .connected)
        #expect(d.session.banner == nil)
        #expect(d.phone(.link(.disconnected(reason: "connection refused")), after: 5) == [])
        #expect(d.session.phoneLink == .disconnected(reason: "connection refused"))
        #expect(d.session.banner?.level == .warning)
        #expect(d.session.banner?.text.contains("connection refused") == true)
        #expect(d.session.banner?.at == d.now)
    }

    @Test func bannersAreSanitised() {
        var d = SessionDriver()
        d.phone(.link(.disconnected(reason: "evil\u{1B}[2J")))
        #expect(d.session.banner?.text.contains("\u{1B}") == false)
    }

    @Test(arguments: [
        PhoneEvent.remoteRinging("nope"), .established("nope"), .held("nope"), .resumed("nope"),
        .transferred("nope", to: "2002"), .transferFailed("nope", reason: "x"), .closed("nope", reason: .remoteHangUp),
    ])
    func eventsForUnknownLinesAreIgnored(event: PhoneEvent) {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        let before = d.session.calls
        #expect(d.phone(event) == [])
        #expect(d.session.calls == before)
        #expect(d.session.banner == nil)
    }

    @Test func duplicateIncomingForALiveLineIsIgnored() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        #expect(d.phone(.incoming("L1", remote: Fixtures.fredRaw)) == [])
        #expect(d.session.calls.count == 1)
    }

    @Test func aLineIdReusedWhileTheOldCallIsInWrapUpStartsANewCall() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.closed("L1", reason: .remoteHangUp))
        d.send(.recordSaved("call-1"))
        let out = d.phone(.incoming("L1", remote: "020 7946 0018"), after: 5)
        #expect(out.contains(.lookup("call-2", Fixtures.number("020 7946 0018"))))
        #expect(d.session.calls.count == 2)
        d.phone(.established("L1"))
        #expect(d.call("call-2")?.state == .connected)
        #expect(d.call("call-1")?.state == .wrapUp)
    }

    @Test func lateLineEventsForAnEndedCallAreIgnored() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.established("L1"))
        d.phone(.transferred("L1", to: "2002"))
        #expect(d.savedRecords.count == 1)
        #expect(d.phone(.closed("L1", reason: .remoteHangUp)) == [])
        #expect(d.savedRecords.count == 1)
    }

    @Test func commandsWithoutACallAreRefused() {
        for command in [AgentCommand.hold, .resume, .hangUp, .pop, .requestNew, .transfer(to: "2002")] {
            var d = SessionDriver()
            #expect(d.agent(command) == [])
            #expect(d.session.banner != nil, "\(command)")
        }
    }

    @Test func transferToABlankTargetIsRefused() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.established("L1"))
        #expect(d.agent(.transfer(to: "   ")) == [])
        #expect(d.call("call-1")?.state == .connected)
        #expect(d.agent(.transfer(to: " 2002 ")).map(\.withoutContext) == [.publishHandoff(nil), .phone(.transfer("L1", to: "2002"))])
    }

    @Test func popWithSeveralMatchesIsRefused() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup(fredContact, fiona)))
        #expect(d.agent(.pop) == [])
        #expect(d.session.banner != nil)
        #expect(d.call("call-1")?.association.interactions == [])
    }

    @Test func lookupFailureShowsABannerAndLeavesTheCallUnassociated() throws {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        #expect(d.send(.lookupFailed("call-1", "timed out")) == [])
        #expect(d.session.banner?.text.contains("timed out") == true)
        d.phone(.closed("L1", reason: .remoteHangUp))
        #expect(try #require(d.savedRecords.first).who == nil)
    }

    @Test func lookupUsesTheSessionsMatchSettings() {
        var d = SessionDriver(settings: SessionSettings(match: MatchSettings(searchedEntities: [.lead])))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup(fredContact)))
        #expect(d.call("call-1")?.match == .finished(.new(.lead), .live))
    }

    @Test func outboxAndCRMStateAreTracked() {
        var d = SessionDriver()
        #expect(d.send(.outbox(queued: 3, parked: 1)) == [])
        #expect(d.session.queued == 3)
        #expect(d.session.parked == 1)
        d.send(.crm(.unavailable("offline")))
        #expect(d.session.crm == .unavailable("offline"))
    }

    @Test func relateSetsTheWhatIdOfTheRecord() throws {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup(fredContact)))
        d.agent(.relate(Fixtures.caseRef()))
        d.phone(.closed("L1", reason: .remoteHangUp))
        let record = try #require(d.savedRecords.first)
        #expect(record.who == fredContact.ref)
        #expect(record.what == Fixtures.caseRef())
    }
}

@Suite struct AgentSessionCallWaitingFocusTests {
    @Test func resumeAfterTheWaitingCallEndsReachesTheHeldCall() {
        var session = AgentSession(settings: SessionSettings(wrapUpSeconds: 60), user: AgentUser(id: "005", name: "A", timeZone: "UTC"))
        let t = Date(timeIntervalSince1970: 1_764_000_000)
        var n = 0
        func id() -> String { n += 1; return "call-\(n)" }
        _ = session.handle(.phone(.incoming("L1", remote: "2001")), at: t, newID: id())
        _ = session.handle(.phone(.established("L1")), at: t, newID: id())
        _ = session.handle(.phone(.incoming("L2", remote: "2002")), at: t, newID: id())
        let answer = session.handle(.agent(.answer), at: t, newID: id())
        #expect(answer.contains(.phone(.hold("L1"))))
        _ = session.handle(.phone(.held("L1")), at: t, newID: id())
        _ = session.handle(.phone(.established("L2")), at: t, newID: id())
        _ = session.handle(.phone(.closed("L2", reason: .remoteHangUp)), at: t, newID: id())
        // The focused call (L2) is now ending; Resume must go to L1, still on hold.
        let resume = session.handle(.agent(.resume), at: t, newID: id())
        #expect(resume == [.phone(.resume("L1"))])
    }
}

@Suite struct AgentSessionSIPDialTests {
    @Test func aTypedSIPURIIsDialledAsWrittenAndLookedUpByItsNumber() {
        var session = AgentSession(settings: SessionSettings(), user: AgentUser(id: "005", name: "A", timeZone: "UTC"))
        let effects = session.handle(.agent(.dial("sip:+447814256404@pbx.example.com:5080", clickToDial: nil)),
                                     at: Date(timeIntervalSince1970: 1_764_000_000), newID: "c1")
        #expect(effects.contains(.dial("c1", "sip:+447814256404@pbx.example.com:5080")))
        #expect(effects.contains { if case .lookup(_, let number) = $0 { number.e164 == "+447814256404" } else { false } })
        let plain = session.handle(.agent(.hangUp), at: Date(timeIntervalSince1970: 1_764_000_001), newID: "c2")
        #expect(!plain.isEmpty)
    }
}
