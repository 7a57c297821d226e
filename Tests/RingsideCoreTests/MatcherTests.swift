import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

@Suite("Matcher")
struct MatcherTests {
    let all = MatchSettings()

    @Test func noCandidatesOffersNewLeadByDefault() {
        #expect(MatchSettings().defaultNewEntity == .lead)
        #expect(Matcher.decide([], settings: all) == .new(.lead))
        #expect(Matcher.decide([], settings: all).candidates.isEmpty)
    }

    @Test(arguments: [EntityType.contact, .account, .lead, .caseRecord, .opportunity])
    func defaultNewEntityIsConfigurable(type: EntityType) {
        let settings = MatchSettings(defaultNewEntity: type)
        #expect(Matcher.decide([], settings: settings) == .new(type))
    }

    @Test(arguments: [Fixtures.contact(), Fixtures.account(), Fixtures.personAccount(), Fixtures.lead()])
    func singleCandidatePops(record: CRMRecord) {
        #expect(Matcher.decide([record], settings: all) == .pop(record))
        #expect(Matcher.decide([record], settings: all).candidates == [record])
    }

    @Test func severalCandidatesOfferSearchInPrecedenceOrder() {
        let lead = Fixtures.lead(modified: Fixtures.modifiedNew)
        let account = Fixtures.account(modified: Fixtures.modifiedNew)
        let contact = Fixtures.contact(modified: Fixtures.modifiedOld)
        // Precedence Contact → Account → Lead beats recency.
        #expect(Matcher.decide([lead, account, contact], settings: all) == .search([contact, account, lead]))
    }

    @Test func personAccountsRankAsAccounts() {
        let person = Fixtures.personAccount(modified: Fixtures.modifiedNew)
        let contact = Fixtures.contact(modified: Fixtures.modifiedOld)
        let lead = Fixtures.lead(modified: Fixtures.modifiedNew)
        #expect(Matcher.decide([lead, person, contact], settings: all) == .search([contact, person, lead]))
    }

    @Test func newestFirstWithinAType() {
        let old = Fixtures.contact("003000000000001AAA", name: "Old", modified: Fixtures.modifiedOld)
        let mid = Fixtures.contact("003000000000002AAA", name: "Mid", modified: Fixtures.modifiedMid)
        let new = Fixtures.contact("003000000000003AAA", name: "New", modified: Fixtures.modifiedNew)
        let leadOld = Fixtures.lead("00Q000000000001AAA", modified: Fixtures.modifiedOld)
        let leadNew = Fixtures.lead("00Q000000000002AAA", modified: Fixtures.modifiedNew)
        let decision = Matcher.decide([leadOld, old, new, leadNew, mid], settings: all)
        #expect(decision == .search([new, mid, old, leadNew, leadOld]))
    }

    @Test func orderDoesNotDependOnInputOrder() {
        let records = [
            Fixtures.contact("003000000000001AAA", modified: Fixtures.modifiedOld),
            Fixtures.contact("003000000000002AAA", modified: Fixtures.modifiedNew),
            Fixtures.account("001000000000001AAA", modified: Fixtures.modifiedMid),
            // Same type and date as the next one: the id breaks the tie.
            Fixtures.lead("00Q000000000002AAA", modified: Fixtures.modifiedMid),
            Fixtures.lead("00Q000000000001AAA", modified: Fixtures.modifiedMid),
        ]
        let expected = Matcher.decide(records, settings: all)
        #expect(expected.candidates.map(\.id) == [
            "003000000000002AAA", "003000000000001AAA", "001000000000001AAA", "00Q000000000001AAA", "00Q000000000002AAA",
        ])
        for rotation in 0..<records.count {
            let rotated = Array(records[rotation...] + records[..<rotation])
            #expect(Matcher.decide(rotated, settings: all) == expected)
            #expect(Matcher.decide(rotated.reversed(), settings: all) == expected)
        }
    }

    @Test func onlySearchedEntitiesCount() {
        let contact = Fixtures.contact()
        let lead = Fixtures.lead()
        let account = Fixtures.account()
        let contactsOnly = MatchSettings(searchedEntities: [.contact])
        #expect(Matcher.decide([lead, contact, account], settings: contactsOnly) == .pop(contact))

        let leadsAndAccounts = MatchSettings(searchedEntities: [.lead, .account])
        #expect(Matcher.decide([lead, contact, account], settings: leadsAndAccounts) == .search([account, lead]))

        // Everything filtered away: the number counts as unknown and New is offered.
        let leadsOnly = MatchSettings(searchedEntities: [.lead], defaultNewEntity: .contact)
        #expect(Matcher.decide([contact, account], settings: leadsOnly) == .new(.contact))

        let nothing = MatchSettings(searchedEntities: [])
        #expect(Matcher.decide([contact], settings: nothing) == .new(.lead))
    }

    @Test func aRecordMatchedTwiceIsOneMatch() {
        // The same Contact matched on Phone and MobilePhone must pop (rule 2), not search (rule 4).
        let contact = Fixtures.contact()
        var mobile = contact
        mobile.phones = [PhoneField(field: "MobilePhone", raw: Fixtures.fredRaw, e164: Fixtures.fredE164)]
        #expect(Matcher.decide([contact, mobile], settings: all).candidates.count == 1)
        #expect(Matcher.decide([contact, contact, contact], settings: all) == .pop(contact))
    }

    @Test func duplicatesAreRemovedAmongSeveralMatches() {
        let contact = Fixtures.contact()
        let lead = Fixtures.lead()
        #expect(Matcher.decide([lead, contact, lead, contact], settings: all) == .search([contact, lead]))
    }

    @Test func duplicateKeepsTheNewestCopy() {
        // The index and a live answer may hold different versions of one record.
        let stale = Fixtures.contact(name: "Fred Blogs", modified: Fixtures.modifiedOld)
        let fresh = Fixtures.contact(name: "Fred Bloggs", modified: Fixtures.modifiedNew)
        #expect(Matcher.decide([stale, fresh], settings: all) == .pop(fresh))
        #expect(Matcher.decide([fresh, stale], settings: all) == .pop(fresh))
    }

    @Test func precedesIsAStrictOrder() {
        let a = Fixtures.contact("003000000000001AAA", modified: Fixtures.modifiedOld)
        let b = Fixtures.contact("003000000000002AAA", modified: Fixtures.modifiedNew)
        let c = Fixtures.account(modified: Fixtures.modifiedNew)
        #expect(Matcher.precedes(b, a))
        #expect(!Matcher.precedes(a, b))
        #expect(Matcher.precedes(a, c))
        #expect(!Matcher.precedes(a, a))
    }

    @Test func entityPrecedenceIsContactAccountLead() {
        #expect(EntityType.contact.precedence < EntityType.account.precedence)
        #expect(EntityType.account.precedence < EntityType.lead.precedence)
    }
}
