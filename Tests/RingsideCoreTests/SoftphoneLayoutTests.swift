import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

private let fredNumber = Fixtures.number(Fixtures.fredRaw)
private let older = Fixtures.contact("003000000000001AAA", name: "Fred Old", modified: Fixtures.modifiedOld)
private let newer = Fixtures.lead("00Q000000000009AAA", name: "Fred New", modified: Fixtures.modifiedNew)
private let single = Fixtures.contact("003000000000002AAA", name: "Fiona Only")

private func driver(_ layout: SoftphoneLayout, defaultNew: EntityType = .lead) -> SessionDriver {
    SessionDriver(settings: SessionSettings(match: MatchSettings(defaultNewEntity: defaultNew, layout: layout)))
}

private func completeCall(_ d: inout SessionDriver, line: LineCallID = "L1", id: CallObjectID = "call-1") throws -> CallRecord {
    d.phone(.closed(line, reason: .remoteHangUp), after: 30)
    d.send(.recordSaved(id))
    d.agent(.finishWrapUp(disposition: "Resolved", notes: ""), after: 1)
    return try #require(d.completedRecords.last)
}

/// Issue 15: `[layout]` settings (seed 001 softphone layouts), decided in the core.
@Suite("SoftphoneLayout")
struct SoftphoneLayoutTests {
    @Test func defaultsKeepTodaysBehaviourNothingOpensByItself() throws {
        var d = driver(SoftphoneLayout())
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup(single)))
        d.phone(.established("L1"))
        #expect(d.call("call-1")?.popped == nil)
        let record = try completeCall(&d)
        #expect(record.associationRule == .singleMatch)
        #expect(record.associationNote == nil)
    }

    @Test func popOnRingOpensTheSingleMatchWhenTheLookupAnswersWithoutCountingAsTheAgentsChoice() throws {
        var d = driver(SoftphoneLayout(inboundPop: .ring))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        #expect(d.call("call-1")?.popped == nil)
        d.send(.lookupFinished("call-1", Fixtures.lookup(single)))
        #expect(d.call("call-1")?.popped == single.ref)
        #expect(d.call("call-1")?.association.interactions == [])
        d.phone(.established("L1"))
        let record = try completeCall(&d)
        #expect(record.who == single.ref)
        #expect(record.associationRule == .singleMatch)
    }

    @Test func popOnAnswerWaitsForTheAnswer() {
        var d = driver(SoftphoneLayout(inboundPop: .answer))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup(single)))
        #expect(d.call("call-1")?.popped == nil)
        d.phone(.established("L1"), after: 3)
        #expect(d.call("call-1")?.popped == single.ref)
    }

    @Test func popOnAnswerWhenTheLookupAnswersAfterTheAnswer() {
        var d = driver(SoftphoneLayout(inboundPop: .answer))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.established("L1"), after: 1)
        #expect(d.call("call-1")?.popped == nil)
        d.send(.lookupFinished("call-1", Fixtures.lookup(single)))
        #expect(d.call("call-1")?.popped == single.ref)
    }

    @Test func neverPopsForThatDirectionOnly() {
        var d = driver(SoftphoneLayout(inboundPop: .never, outboundPop: .ring))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup(single)))
        d.phone(.established("L1"))
        #expect(d.call("call-1")?.popped == nil)

        var out = driver(SoftphoneLayout(inboundPop: .never, outboundPop: .ring))
        out.agent(.dial(Fixtures.fredRaw, clickToDial: nil))
        out.send(.lookupFinished("call-1", Fixtures.lookup(single)))
        #expect(out.call("call-1")?.popped == single.ref)
    }

    @Test func missedCallWhoseLookupAnswersLateDoesNotPop() {
        var d = driver(SoftphoneLayout(inboundPop: .ring, noMatch: .create))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.phone(.closed("L1", reason: .remoteHangUp), after: 5)
        let effects = d.send(.lookupFinished("call-1", Fixtures.lookup()))
        #expect(!effects.contains { if case .createRecord = $0 { true } else { false } })
    }

    @Test func severalMatchesListLeavesTheChoiceToTheAgent() throws {
        var d = driver(SoftphoneLayout(inboundPop: .ring, multipleMatches: .list))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup(older, newer)))
        d.phone(.established("L1"))
        #expect(d.call("call-1")?.popped == nil)
        let record = try completeCall(&d)
        #expect(record.who == nil)
        #expect(record.associationRule == .multipleMatchesNoSelection)
    }

    @Test func severalMatchesNewestPicksTheLatestModifiedAsItsOwnRuleWithANote() throws {
        var d = driver(SoftphoneLayout(inboundPop: .ring, multipleMatches: .newest))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup(older, newer)))
        // The Contact comes first in the search list (type precedence), but the Lead was modified last.
        #expect(d.call("call-1")?.match == .finished(.search([older, newer]), .live))
        #expect(d.call("call-1")?.popped == newer.ref)
        #expect(d.call("call-1")?.association.interactions == [])
        d.phone(.established("L1"))
        let record = try completeCall(&d)
        #expect(record.who == newer.ref)
        #expect(record.associationRule == .newestOfSeveral)
        #expect(record.associationRule != .agentChoice)
        let note = try #require(record.associationNote)
        #expect(note.contains("most recently modified of 2 matches"))
        #expect(note.contains("the agent chose none"))
    }

    @Test func theAgentsPickOverridesTheNewestPick() throws {
        var d = driver(SoftphoneLayout(inboundPop: .ring, multipleMatches: .newest))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup(older, newer)))
        d.agent(.select(older.ref))
        d.phone(.established("L1"))
        let record = try completeCall(&d)
        #expect(record.who == older.ref)
        #expect(record.associationRule == .agentChoice)
        #expect(record.associationNote == nil)
    }

    @Test func newestWithPopNeverDoesNothingByItself() throws {
        var d = driver(SoftphoneLayout(inboundPop: .never, multipleMatches: .newest))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup(older, newer)))
        d.phone(.established("L1"))
        let record = try completeCall(&d)
        #expect(record.associationRule == .multipleMatchesNoSelection)
    }

    @Test func noMatchNewFormOffersNew() {
        var d = driver(SoftphoneLayout(inboundPop: .ring, noMatch: .newForm))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        let effects = d.send(.lookupFinished("call-1", Fixtures.lookup()))
        #expect(effects == [])
        #expect(d.agent(.requestNew) == [.createRecord("call-1", .lead, fredNumber)])
    }

    @Test func noMatchCreateCreatesAtThePopAndNotesThatTheLayoutDidIt() throws {
        var d = driver(SoftphoneLayout(inboundPop: .answer, noMatch: .create))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        #expect(d.send(.lookupFinished("call-1", Fixtures.lookup())) == [])
        #expect(d.phone(.established("L1")) == [.createRecord("call-1", .lead, fredNumber)])
        // Created once; the agent's New is refused while it is under way.
        #expect(d.agent(.requestNew) == [])
        #expect(d.session.banner?.text.contains("being created") == true)
        let created = Fixtures.lead("00Q000000000077AAA", name: "Caller 07814 256404")
        d.send(.recordCreated("call-1", created))
        let record = try completeCall(&d)
        #expect(record.who == created.ref)
        #expect(record.associationRule == .newRecord)
        #expect(record.associationNote?.contains("no_match = create") == true)
    }

    @Test func noMatchCreateThatFailsOffersNewToTheAgent() {
        var d = driver(SoftphoneLayout(inboundPop: .ring, noMatch: .create))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        #expect(d.send(.lookupFinished("call-1", Fixtures.lookup())) == [.createRecord("call-1", .lead, fredNumber)])
        d.send(.recordCreateFailed("call-1", "HTTP 400"))
        #expect(d.agent(.requestNew) == [.createRecord("call-1", .lead, fredNumber)])
    }

    @Test func noMatchNothingRefusesNewAndLogsUnassociated() throws {
        var d = driver(SoftphoneLayout(inboundPop: .ring, noMatch: .nothing))
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup()))
        #expect(d.agent(.requestNew) == [])
        #expect(d.session.refusal(for: .requestNew, seen: "call-1")?.contains("no_match = \"nothing\"") == true)
        d.phone(.established("L1"))
        let record = try completeCall(&d)
        #expect(record.who == nil)
        #expect(record.associationRule == .noMatch)
    }

    @Test func newEntitiesDecideWhatNewCreates() {
        // The default is allowed: it stays the default.
        #expect(SoftphoneLayout(newEntities: [.contact, .lead]).newEntity(default: .lead) == .lead)
        #expect(SoftphoneLayout(newEntities: [.contact, .lead]).newChoices(default: .lead) == [.lead, .contact])
        // The default is not allowed: the first allowed one.
        #expect(SoftphoneLayout(newEntities: [.contact]).newEntity(default: .lead) == .contact)
        // None given: the default only.
        #expect(SoftphoneLayout().newChoices(default: .account) == [.account])

        var d = driver(SoftphoneLayout(newEntities: [.contact]), defaultNew: .lead)
        d.phone(.incoming("L1", remote: Fixtures.fredRaw))
        d.send(.lookupFinished("call-1", Fixtures.lookup()))
        #expect(d.call("call-1")?.match == .finished(.new(.contact), .live))
        #expect(d.agent(.requestNew) == [.createRecord("call-1", .contact, fredNumber)])
    }

    @Test func internalCallsNeverPop() {
        var d = driver(SoftphoneLayout(inboundPop: .ring, noMatch: .create))
        let effects = d.phone(.incoming("L1", remote: "2001"))
        #expect(!effects.contains { if case .createRecord = $0 { true } else { false } })
        #expect(d.call("call-1")?.popped == nil)
    }

    @Test func aJournalledCallFromBeforeLayoutsStillDecodes() throws {
        var call = CallMachine(id: "c", at: Fixtures.t0)
        _ = call.handle(.incoming(line: "L1", remote: Fixtures.fredRaw, number: fredNumber), at: Fixtures.t0)
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(call)) as! [String: Any]
        json["layout"] = nil
        json["layoutActed"] = nil
        json["popped"] = nil
        var association = json["association"] as! [String: Any]
        association["pickedNewest"] = nil
        association["createdByLayout"] = nil
        json["association"] = association
        let decoded = try JSONDecoder().decode(CallMachine.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(decoded.popped == nil)
        #expect(decoded.state == .ringing)
    }
}
