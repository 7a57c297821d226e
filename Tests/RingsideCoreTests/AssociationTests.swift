import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

private let fredContact = Fixtures.contact("003000000000001AAA", name: "Fred Bloggs", accountId: "001000000000001AAA",
                                           accountName: "Bloggs Ltd")
private let otherContact = Fixtures.contact("003000000000002AAA", name: "Fiona Bloggs", modified: Fixtures.modifiedNew)
private let bloggsLtd = Fixtures.account("001000000000001AAA", name: "Bloggs Ltd")
private let larry = Fixtures.lead("00Q000000000001AAA", name: "Larry Lead")
private let clicked = Fixtures.contact("003000000000009AAA", name: "Clicked Person").ref

private func resolve(internal isInternal: Bool = false, clickToDial: EntityRef? = nil, decision: PopDecision? = nil,
                     _ interactions: [Interaction] = [], relatedTo: EntityRef? = nil) -> AssociationResult {
    Association.resolve(AssociationInput(isInternal: isInternal, clickToDial: clickToDial, decision: decision,
                                         interactions: interactions, relatedTo: relatedTo))
}

@Suite("Association")
struct AssociationTests {
    // MARK: One test per rule (seed 001 "Summary of Call Record Association handling")

    @Test(arguments: [nil, PopDecision.new(.lead), .search([fredContact, otherContact])])
    func rule1ClickToDialAssociatesTheRecordDialledFrom(decision: PopDecision?) {
        let result = resolve(clickToDial: clicked, decision: decision)
        #expect(result.primary == clicked)
        #expect(result.who == clicked)
        #expect(result.rule == .clickToDial)
    }

    @Test func rule1ClickToDialBeatsADifferentSingleMatch() {
        let result = resolve(clickToDial: clicked, decision: .pop(fredContact))
        #expect(result.primary == clicked)
        #expect(result.rule == .clickToDial)
    }

    @Test(arguments: [fredContact, bloggsLtd, larry])
    func rule2SingleMatchWithoutInteraction(record: CRMRecord) {
        let result = resolve(decision: .pop(record))
        #expect(result.primary == record.ref)
        #expect(result.rule == .singleMatch)
    }

    @Test func rule3PoppedRecord() {
        let result = resolve(decision: .pop(fredContact), [.popped(fredContact.ref)])
        #expect(result.primary == fredContact.ref)
        #expect(result.rule == .agentChoice)
    }

    @Test func rule3SelectedFromSearch() {
        let result = resolve(decision: .search([fredContact, otherContact]), [.selected(otherContact.ref)])
        #expect(result.primary == otherContact.ref)
        #expect(result.rule == .agentChoice)
    }

    @Test func rule3NavigatedRecordIsPreferredOverTheAutomaticOne() {
        // Seed: "the first entity popped was not the preferred match and the user then navigates to the correct match".
        let result = resolve(decision: .pop(fredContact), [.navigated(bloggsLtd.ref)])
        #expect(result.primary == bloggsLtd.ref)
        #expect(result.rule == .agentChoice)
    }

    @Test func rule3LastInteractionWins() {
        let sequences: [([Interaction], EntityRef)] = [
            ([.popped(fredContact.ref), .navigated(bloggsLtd.ref)], bloggsLtd.ref),
            ([.navigated(bloggsLtd.ref), .popped(fredContact.ref)], fredContact.ref),
            ([.selected(otherContact.ref), .selected(fredContact.ref)], fredContact.ref),
            ([.selected(fredContact.ref), .navigated(larry.ref), .selected(otherContact.ref)], otherContact.ref),
        ]
        for (interactions, expected) in sequences {
            let result = resolve(decision: .search([fredContact, otherContact]), interactions)
            #expect(result.primary == expected)
            #expect(result.rule == .agentChoice)
        }
    }

    @Test(arguments: [Interaction.popped(fredContact.ref), .selected(fredContact.ref), .navigated(fredContact.ref)])
    func rule3AgentChoiceBeatsClickToDial(interaction: Interaction) {
        // Seed: "if you are on a contact record it will associate with that record".
        let result = resolve(clickToDial: clicked, decision: .pop(fredContact), [interaction])
        #expect(result.primary == fredContact.ref)
        #expect(result.rule == .agentChoice)
    }

    @Test func rule4MultipleMatchesWithoutSelectionAreNotAssociated() {
        let result = resolve(decision: .search([fredContact, otherContact, larry]))
        #expect(result.primary == nil)
        #expect(result.who == nil)
        #expect(result.what == nil)
        #expect(result.rule == .multipleMatchesNoSelection)
    }

    @Test func rule5NewRecordIsAssociated() {
        let created = Fixtures.lead("00Q000000000077AAA", name: "").ref
        let result = resolve(decision: .new(.lead), [.created(created)])
        #expect(result.primary == created)
        #expect(result.who == created)
        #expect(result.rule == .newRecord)
    }

    @Test func rule5NewThenNavigatedElsewhereFollowsTheLastInteraction() {
        let created = Fixtures.lead("00Q000000000077AAA").ref
        let result = resolve(decision: .new(.lead), [.created(created), .navigated(bloggsLtd.ref)])
        #expect(result.primary == bloggsLtd.ref)
        #expect(result.rule == .agentChoice)
    }

    @Test(arguments: [PopDecision.new(.lead), .new(.contact)])
    func rule6NoMatchAndNothingDone(decision: PopDecision) {
        let result = resolve(decision: decision)
        #expect(result.primary == nil)
        #expect(result.who == nil)
        #expect(result.what == nil)
        #expect(result.rule == .noMatch)
    }

    @Test func rule6AlsoWhenTheLookupNeverAnswered() {
        let result = resolve(decision: nil)
        #expect(result.primary == nil)
        #expect(result.rule == .noMatch)
    }

    @Test func rule8InternalCallsAreNeverAssociated() {
        let cases: [AssociationResult] = [
            resolve(internal: true),
            resolve(internal: true, clickToDial: clicked),
            resolve(internal: true, decision: .pop(fredContact)),
            resolve(internal: true, decision: .pop(fredContact), [.popped(fredContact.ref), .created(larry.ref)]),
            resolve(internal: true, clickToDial: clicked, decision: .new(.lead), [.navigated(bloggsLtd.ref)],
                    relatedTo: Fixtures.caseRef()),
        ]
        for result in cases {
            #expect(result.primary == nil)
            #expect(result.who == nil)
            #expect(result.what == nil)
            #expect(result.rule == .internalCall)
        }
    }

    @Test func ruleNumbersMatchTheSeedSummary() {
        #expect(AssociationRule.clickToDial.rawValue == 1)
        #expect(AssociationRule.singleMatch.rawValue == 2)
        #expect(AssociationRule.agentChoice.rawValue == 3)
        #expect(AssociationRule.multipleMatchesNoSelection.rawValue == 4)
        #expect(AssociationRule.newRecord.rawValue == 5)
        #expect(AssociationRule.noMatch.rawValue == 6)
        #expect(AssociationRule.transferReceiverLooksUpAfresh.rawValue == 7)
        #expect(AssociationRule.internalCall.rawValue == 8)
        for rule in [AssociationRule.clickToDial, .singleMatch, .agentChoice, .multipleMatchesNoSelection, .newRecord, .noMatch,
                     .transferReceiverLooksUpAfresh, .internalCall] {
            #expect(rule.description.hasPrefix("rule \(rule.rawValue):"))
        }
    }

    // MARK: Combinations

    @Test func selectionAfterMultipleMatchesWithClickToDialFollowsTheSelection() {
        let result = resolve(clickToDial: clicked, decision: .search([fredContact, otherContact]), [.selected(otherContact.ref)])
        #expect(result.primary == otherContact.ref)
    }

    @Test func createdRecordOverridesClickToDial() {
        let created = Fixtures.contact("003000000000077AAA", name: "New Person").ref
        let result = resolve(clickToDial: clicked, decision: .new(.contact), [.created(created)])
        #expect(result.primary == created)
        #expect(result.rule == .newRecord)
    }

    @Test func multipleMatchesWithOnlyARelatedCaseKeepTheCase() {
        // No person chosen (rule 4) but the agent related the call to a Case: the WhatId is the agent's explicit choice.
        let result = resolve(decision: .search([fredContact, otherContact]), relatedTo: Fixtures.caseRef())
        #expect(result.who == nil)
        #expect(result.what == Fixtures.caseRef())
        #expect(result.rule == .multipleMatchesNoSelection)
    }

    // MARK: WhoId / WhatId split

    @Test func contactWithoutAccountIsWhoOnly() {
        let result = resolve(decision: .pop(otherContact))
        #expect(otherContact.accountId == nil)
        #expect(result.who == otherContact.ref)
        #expect(result.what == nil)
    }

    @Test func contactsAccountIsTheDefaultWhat() {
        let result = resolve(decision: .pop(fredContact))
        #expect(result.who?.id == "003000000000001AAA")
        #expect(result.what?.type == .account)
        #expect(result.what?.id == "001000000000001AAA")
    }

    @Test(arguments: [Fixtures.caseRef(), Fixtures.opportunityRef()])
    func relatedToReplacesTheContactsAccount(related: EntityRef) {
        let result = resolve(decision: .pop(fredContact), relatedTo: related)
        #expect(result.who == fredContact.ref)
        #expect(result.what == related)
        #expect(result.note == nil)
    }

    @Test func accountIsWhatOnly() {
        let result = resolve(decision: .pop(bloggsLtd))
        #expect(result.who == nil)
        #expect(result.what == bloggsLtd.ref)
    }

    @Test func personAccountIsWhatOnly() {
        let person = Fixtures.personAccount()
        let result = resolve(decision: .pop(person))
        #expect(result.who == nil)
        #expect(result.what?.id == person.id)
        #expect(result.what?.type == .account)
    }

    @Test func leadIsWhoOnly() {
        let result = resolve(decision: .pop(larry))
        #expect(result.who == larry.ref)
        #expect(result.what == nil)
        #expect(result.note == nil)
    }

    @Test(arguments: [Fixtures.caseRef(), Fixtures.opportunityRef(), Fixtures.account().ref])
    func leadNeverGetsAWhatIdAndSaysWhy(related: EntityRef) {
        let result = resolve(decision: .pop(larry), relatedTo: related)
        #expect(result.who == larry.ref)
        #expect(result.what == nil)
        #expect(result.note?.contains("Lead") == true)
    }

    @Test(arguments: [Fixtures.caseRef(), Fixtures.opportunityRef()])
    func caseOrOpportunityChosenByTheAgentIsWhat(entity: EntityRef) {
        let result = resolve(decision: .pop(fredContact), [.navigated(entity)])
        #expect(result.primary == entity)
        #expect(result.who == nil)
        #expect(result.what == entity)
    }

    @Test func peopleAreWhoEverythingElseWhat() {
        #expect(EntityType.contact.isPerson)
        #expect(EntityType.lead.isPerson)
        #expect(!EntityType.account.isPerson)
        #expect(!EntityType.caseRecord.isPerson)
        #expect(!EntityType.opportunity.isPerson)
    }

    // MARK: Through the call machine

    @Test func clickToDialThroughTheMachine() throws {
        var m = CallMachine(id: "c", at: Fixtures.t0)
        _ = try m.handle(.dial(remote: Fixtures.fredE164, number: Fixtures.number(Fixtures.fredRaw), clickToDial: clicked),
                         at: Fixtures.t0).get()
        _ = try m.handle(.lookupFinished(Fixtures.lookup(fredContact, otherContact), settings: MatchSettings()), at: Fixtures.t0).get()
        #expect(m.resolvedAssociation.primary == clicked)
        #expect(m.resolvedAssociation.rule == .clickToDial)
    }

    @Test func internalDialFromARecordThroughTheMachine() throws {
        var m = CallMachine(id: "c", at: Fixtures.t0)
        _ = try m.handle(.dial(remote: "2001", number: Fixtures.number("2001"), clickToDial: clicked), at: Fixtures.t0).get()
        #expect(m.resolvedAssociation.primary == nil)
        #expect(m.resolvedAssociation.rule == .internalCall)
    }

    // MARK: Rule 7 — transfer: each agent writes its own record; the receiver looks up afresh

    @Test func rule7TransferWritesEachAgentsOwnRecordAndTheReceiverLooksUpAgain() throws {
        let fred = Fixtures.number(Fixtures.fredRaw)
        var alice = SessionDriver(user: AgentUser(id: "005000000000001AAA", name: "Alice", timeZone: "Europe/London"), idPrefix: "A-")
        var bob = SessionDriver(user: AgentUser(id: "005000000000002AAA", name: "Bob", timeZone: "Europe/London"), idPrefix: "B-")

        // Alice takes the call, picks Fiona from the two matches, then transfers to Bob's extension.
        #expect(alice.phone(.incoming("a-line", remote: Fixtures.fredRaw)).contains(.lookup("A-1", fred)))
        alice.send(.lookupFinished("A-1", Fixtures.lookup(fredContact, otherContact)), after: 1)
        alice.agent(.answer, after: 1)
        alice.phone(.established("a-line"))
        alice.agent(.select(otherContact.ref), after: 5)
        // The context goes out first (issue 18: the receiver sees who transferred and about whom), then the phone transfers.
        #expect(alice.agent(.transfer(to: "2002"), after: 30).map(\.withoutContext) == [.publishHandoff(nil), .phone(.transfer("a-line", to: "2002"))])
        #expect(alice.savedRecords.isEmpty)
        alice.phone(.transferred("a-line", to: "2002"), after: 2)

        // Alice's record is written at the transfer, against her choice.
        let aliceRecord = try #require(alice.savedRecords.first)
        #expect(alice.savedRecords.count == 1)
        #expect(aliceRecord.callObject == "A-1")
        #expect(aliceRecord.ownerId == "005000000000001AAA")
        #expect(aliceRecord.endReason == "transferred")
        #expect(aliceRecord.who == otherContact.ref)
        #expect(aliceRecord.associationRule == .agentChoice)

        // Bob's phone rings with the same caller: a fresh lookup, nothing inherited from Alice.
        let bobStart = bob.phone(.incoming("b-line", remote: Fixtures.fredRaw), after: 35)
        #expect(bobStart.contains(.lookup("B-1", fred)))
        bob.send(.lookupFinished("B-1", Fixtures.lookup(fredContact, otherContact)), after: 1)
        bob.agent(.answer)
        bob.phone(.established("b-line"))
        #expect(bob.call("B-1")?.association.interactions == [])
        bob.phone(.closed("b-line", reason: .remoteHangUp), after: 60)
        let bobRecord = try #require(bob.savedRecords.first)
        #expect(bobRecord.callObject == "B-1")
        #expect(bobRecord.callObject != aliceRecord.callObject)
        #expect(bobRecord.ownerId == "005000000000002AAA")
        // Bob made no choice among the two matches: rule 4, unlike Alice's record.
        #expect(bobRecord.who == nil)
        #expect(bobRecord.associationRule == .multipleMatchesNoSelection)
    }

    @Test func rule7ReceiverNavigatingAssociatesItsOwnRecord() throws {
        var bob = SessionDriver(idPrefix: "B-")
        bob.phone(.incoming("b-line", remote: Fixtures.fredRaw))
        bob.send(.lookupFinished("B-1", Fixtures.lookup(fredContact, otherContact)))
        bob.agent(.answer)
        bob.phone(.established("b-line"))
        bob.agent(.navigate(fredContact.ref), after: 10)
        bob.phone(.closed("b-line", reason: .remoteHangUp), after: 10)
        let record = try #require(bob.savedRecords.first)
        #expect(record.who == fredContact.ref)
        #expect(record.associationRule == .agentChoice)
    }
}
