import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

private let fredContact = Fixtures.contact("003000000000001AAA", name: "Fred Bloggs", accountId: "001000000000001AAA")

private func context(callId: String = "59dcb4020620e0f2", number: String = Fixtures.fredE164, entity: EntityRef? = fredContact.ref,
                     notes: String = "Wants a refund\nsecond line", from: String = "sam") -> TransferContext {
    TransferContext(callId: callId, number: number, entity: entity, disposition: "Follow-up needed", notes: notes,
                    fromAgentId: from, fromAgentName: "Sam Agent", target: "sip:2002@127.0.0.1", sentAt: Fixtures.t0)
}

@Suite("Transfer handoff: matching")
struct HandoffInboxTests {
    @Test func sameCallIdMatchesWhateverTheTimeInsideTheWindowAndTheNumber() {
        var inbox = HandoffInbox(window: 120)
        inbox.receive(context(), at: Fixtures.t0)
        #expect(inbox.take(callId: "other", number: "+441234567890", at: Fixtures.t0.addingTimeInterval(5)) == nil)
        #expect(inbox.take(callId: "59dcb4020620e0f2", number: nil, at: Fixtures.t0.addingTimeInterval(100)) == context())
        #expect(inbox.entries.isEmpty, "a matched context is consumed")
    }

    @Test func blindTransferNewCallIdMatchesByNumberWithinTheWindowOnly() {
        var inbox = HandoffInbox(window: 120)
        inbox.receive(context(), at: Fixtures.t0)
        // The receiving leg of a blind transfer has a new Call-ID (baresip: the transferee dials afresh).
        #expect(inbox.take(callId: "a02a84b0500f1d73", number: "+447700900123", at: Fixtures.t0.addingTimeInterval(2)) == nil)
        #expect(inbox.take(callId: "a02a84b0500f1d73", number: Fixtures.fredE164, at: Fixtures.t0.addingTimeInterval(2)) == context())

        inbox.receive(context(), at: Fixtures.t0)
        #expect(inbox.take(callId: "late", number: Fixtures.fredE164, at: Fixtures.t0.addingTimeInterval(121)) == nil)
        #expect(inbox.entries.isEmpty, "expired contexts are dropped")
    }

    @Test func theNewestNumberMatchWinsAndTheInboxIsBounded() {
        var inbox = HandoffInbox(window: 120, capacity: 3)
        inbox.receive(context(callId: "a", notes: "old"), at: Fixtures.t0)
        inbox.receive(context(callId: "b", notes: "new"), at: Fixtures.t0.addingTimeInterval(10))
        #expect(inbox.take(callId: "z", number: Fixtures.fredE164, at: Fixtures.t0.addingTimeInterval(11))?.notes == "new")
        for i in 0..<10 { inbox.receive(context(callId: "c\(i)"), at: Fixtures.t0.addingTimeInterval(12)) }
        #expect(inbox.entries.count == 3)
        #expect(inbox.entries.map(\.context.callId) == ["c7", "c8", "c9"])
    }

    @Test func hostilePayloadsAreCappedOrRefused() throws {
        var big = context(notes: String(repeating: "x", count: 10_000))
        big.fromAgentName = "\u{1B}]0;pwned\u{07}Mallory\u{202E}"
        let decoded = try TransferContext.decode(big.jsonData())
        #expect(decoded.notes.count == TransferContext.maxNotes + 1)
        #expect(decoded.fromAgentName.contains("Mallory"))
        #expect(throws: TransferContext.DecodingError.self) { try TransferContext.decode(Data(repeating: 0x20, count: 70_000)) }
        #expect(throws: TransferContext.DecodingError.self) { try TransferContext.decode(Data("{\"callId\":1}".utf8)) }
        var anonymous = context()
        anonymous.fromAgentId = ""
        #expect(throws: TransferContext.DecodingError.self) { try TransferContext.decode(anonymous.jsonData()) }
        #expect(try TransferContext.decode(context().jsonData()) == context())
    }

    @Test func summaryNamesAgentEntityAndFirstNotesLine() {
        #expect(context().summary == "Transferred by Sam Agent · about Fred Bloggs (Contact) · Follow-up needed · Wants a refund")
        #expect(context(entity: nil, notes: "").summary == "Transferred by Sam Agent · Follow-up needed")
    }
}

@Suite("Transfer handoff: session")
struct HandoffSessionTests {
    @Test func transferringPublishesTheCallsContextBeforeThePhoneTransfers() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup(fredContact)))
        d.agent(.pop)
        d.agent(.answer)
        d.phone(.established("L1"))
        d.agent(.editWrapUp(disposition: "Follow-up needed", notes: "Wants a refund"))
        let effects = d.agent(.transfer(to: " 2002 "), after: 5)
        let expected = TransferContext(callId: "L1", number: Fixtures.fredE164, entity: fredContact.ref, disposition: "Follow-up needed",
                                       notes: "Wants a refund", fromAgentId: Fixtures.agent.id, fromAgentName: Fixtures.agent.name,
                                       target: "2002", sentAt: d.now)
        #expect(effects == [.publishHandoff(expected), .phone(.transfer("L1", to: "2002"))])
    }

    @Test func aRefusedTransferPublishesNothing() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        #expect(d.agent(.transfer(to: "2002")).contains { if case .publishHandoff = $0 { true } else { false } } == false)
    }

    @Test func contextBeforeTheRingIsShownAndPopAcceptsItAsRule3() throws {
        var d = SessionDriver()
        #expect(d.send(.handoffReceived(context())) == [])
        // New Call-ID (blind transfer), same caller number, 3 s later.
        d.phone(.incoming("a02a84b0500f1d73", remote: Fixtures.fredRaw), after: 3)
        #expect(d.call("call-1")?.handoff == context())
        #expect(d.session.handoffs.entries.isEmpty)
        // The receiving agent's own lookup finds nothing (rule 7 runs afresh) — the handoff is still offered.
        d.send(.lookupFinished("call-1", Fixtures.lookup()))
        #expect(d.call("call-1")?.offeredHandoffEntity == fredContact.ref)
        #expect(d.session.refusal(for: .pop, seen: "call-1") == nil)
        d.agent(.pop)
        #expect(d.call("call-1")?.handoffAccepted == true)
        #expect(d.call("call-1")?.offeredHandoffEntity == nil)
        let association = try #require(d.call("call-1")?.resolvedAssociation)
        #expect(association.rule == .agentChoice)
        #expect(association.who == fredContact.ref)
        #expect(association.what?.id == "001000000000001AAA")
    }

    @Test func contextAfterTheRingAttachesToTheRingingCall() {
        var d = SessionDriver()
        d.phone(.incoming("new-id", remote: Fixtures.fredRaw))
        d.send(.handoffReceived(context()), after: 1)
        #expect(d.call("call-1")?.handoff == context())
        #expect(d.session.handoffs.entries.isEmpty)
    }

    @Test func anotherCallersRingDoesNotTakeTheContext() {
        var d = SessionDriver()
        d.send(.handoffReceived(context()))
        d.phone(.incoming("x", remote: "07700 900123"), after: 1)
        #expect(d.call("call-1")?.handoff == nil)
        #expect(d.session.handoffs.entries.count == 1)
        // And a ring from the number long after the window gets none either.
        d.phone(.incoming("y", remote: Fixtures.fredRaw), after: 200)
        #expect(d.call("call-2")?.handoff == nil)
    }

    @Test func withoutAnAcceptTheAutomaticRulesStillApply() {
        var d = SessionDriver()
        d.send(.handoffReceived(context()))
        d.phone(.incoming("n", remote: Fixtures.fredRaw), after: 1)
        let other = Fixtures.contact("003000000000009AAA", name: "Fred Other")
        d.send(.lookupFinished("call-1", Fixtures.lookup(other)))
        #expect(d.call("call-1")?.resolvedAssociation.rule == .singleMatch)
        #expect(d.call("call-1")?.resolvedAssociation.primary == other.ref)
        // Pop accepts the transferring agent's record first, then (pressed again) the lookup's own match.
        d.agent(.pop)
        #expect(d.call("call-1")?.resolvedAssociation.primary == fredContact.ref)
        d.agent(.pop)
        #expect(d.call("call-1")?.resolvedAssociation.primary == other.ref)
    }
}

/// An effect with a transfer context's contents hidden, for tests about other things than the context.
enum ComparableEffect: Hashable {
    case publishHandoff(String?)
    case other(SessionEffect)

    static func phone(_ command: PhoneCommand) -> ComparableEffect { .other(.phone(command)) }
}

extension SessionEffect {
    var withoutContext: ComparableEffect {
        if case .publishHandoff = self { return .publishHandoff(nil) }
        return .other(self)
    }
}

@Suite("Transfer handoff: journal")
struct HandoffJournalTests {
    @Test func aCallsContextSurvivesTheJournalAndOlderRowsStillDecode() throws {
        var d = SessionDriver()
        d.send(.handoffReceived(context()))
        d.phone(.incoming("n", remote: Fixtures.fredRaw), after: 1)
        let call = try #require(d.call("call-1"))
        #expect(call.handoff != nil)
        let data = try JSONEncoder().encode(call)
        #expect(try JSONDecoder().decode(CallMachine.self, from: data) == call)
        // A journal row written before issue 18 has no "handoff" key.
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["handoff"] = nil
        let old = try JSONDecoder().decode(CallMachine.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(old.handoff == nil)
        #expect(old.id == call.id)
    }
}

@Suite("Transfer handoff: handset transfers")
struct HandoffHandsetTests {
    @Test func aTransferFromTheHandsetAlsoSendsTheContext() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup(fredContact)))
        d.agent(.answer)
        d.phone(.established("L1"))
        let effects = d.phone(.transferred("L1", to: "sip:2002@pbx"), after: 3)
        guard case .publishHandoff(let sent)? = effects.first else { Issue.record("no context sent: \(effects)"); return }
        #expect(sent.callId == "L1")
        #expect(sent.target == "sip:2002@pbx")
        #expect(sent.entity == fredContact.ref)
        #expect(d.savedRecords.count == 1, "the transferring agent's own record is still saved")
    }

    @Test func aTransferRingsideRequestedSendsItOnlyOnce() {
        var d = SessionDriver()
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.agent(.answer)
        d.phone(.established("L1"))
        d.agent(.transfer(to: "2002"))
        let confirmed = d.phone(.transferred("L1", to: "2002"))
        #expect(!confirmed.contains { if case .publishHandoff = $0 { true } else { false } })
    }
}
