import Foundation
import RingsideCore
import RingsideTestSupport
import RingsideUI
import Testing

/// The "Related to" picker (`l`) and quick find (`g`): issue 9's console side.
@Suite struct FinderTests {
    static let openCase = CRMRecord(type: .caseRecord, id: "500000000000001AAA", name: "00001026 Broken handset",
                                    accountId: "001000000000001AAA", lastModified: Date(timeIntervalSince1970: 1_764_000_000))
    static let deal = CRMRecord(type: .opportunity, id: "006000000000001AAA", name: "Renewal 2027",
                                accountId: "001000000000001AAA", lastModified: Date(timeIntervalSince1970: 1_763_000_000))

    @Test func relatedToLoadsTheAccountsWorkAndPicksACase() {
        var h = Harness(ConsoleFixtures.ringing(matches: [ConsoleFixtures.fred]))
        let requests = h.keys(.char("l"))
        #expect(requests == [.loadRelated(ConsoleFixtures.fred.ref)])
        #expect(h.screen().text.contains("Searching…"))
        h.send(.related(ConsoleFixtures.fred.ref, [Self.openCase, Self.deal]))
        let screen = h.screen().text
        #expect(screen.contains("00001026 Broken handset"))
        #expect(screen.contains("Renewal 2027"))
        let picked = h.keys(.down, .enter)
        #expect(picked == [.agent(.relate(Self.deal.ref))])
        #expect(h.driver.session.focusedCall?.resolvedAssociation.what?.id == Self.deal.id)
        #expect(h.screen().text.contains("related to Opportunity Renewal 2027"))
    }

    @Test func leadsGetNoRelatedToAndSayWhy() {
        let lead = Fixtures.lead()
        var h = Harness(ConsoleFixtures.ringing(matches: [lead]))
        #expect(h.keys(.char("l")).isEmpty)
        #expect(h.state.message?.text.contains("Lead") == true)
        #expect(h.state.modal == nil)
    }

    @Test func quickFindSearchesThenNavigatesOrRelates() {
        var h = Harness(ConsoleFixtures.ringing("020 7946 0018", matches: ConsoleFixtures.shared))
        #expect(h.keys(.char("g")).isEmpty)
        var requests: [ConsoleRequest] = []
        for c in "Bloggs" { requests += h.keys(.char(c)) }
        #expect(requests.isEmpty, "typing is text, not commands")
        #expect(h.keys(.enter) == [.quickFind("Bloggs")])
        h.send(.found(query: "Bloggs", [ConsoleFixtures.fred, Self.openCase]))
        // Enter on a person associates the call with it (rule 3: navigated to).
        #expect(h.keys(.enter) == [.agent(.navigate(ConsoleFixtures.fred.ref))])
        #expect(h.driver.session.focusedCall?.resolvedAssociation.primary?.id == ConsoleFixtures.fred.id)
        #expect(h.driver.session.focusedCall?.resolvedAssociation.rule == .agentChoice)
        // A Case found by quick find becomes the Related-to.
        h.keys(.char("g"))
        for c in "00001026" { h.keys(.char(c)) }
        h.keys(.enter)
        h.send(.found(query: "00001026", [Self.openCase]))
        #expect(h.keys(.enter) == [.agent(.relate(Self.openCase.ref))])
    }

    @Test func staleResultsAreIgnoredAndEscCloses() {
        var h = Harness(ConsoleFixtures.ringing(matches: [ConsoleFixtures.fred]))
        h.keys(.char("g"))
        for c in "Ann" { h.keys(.char(c)) }
        h.keys(.enter)
        h.send(.found(query: "Someone else", [Self.deal]))
        #expect(!h.screen().text.contains("Renewal 2027"))
        h.keys(.escape)
        #expect(h.state.modal == nil)
    }

    @Test func hostileNamesInResultsAreNeutralised() {
        var h = Harness(ConsoleFixtures.ringing(matches: [ConsoleFixtures.fred]))
        h.keys(.char("l"))
        var evil = Self.openCase
        evil.name = "\u{1b}]0;pwned\u{07}Case"
        h.send(.related(ConsoleFixtures.fred.ref, [evil]))
        let text = h.screen().text
        #expect(!text.contains("\u{1b}"))
        #expect(!text.contains("\u{07}"))
    }
}
