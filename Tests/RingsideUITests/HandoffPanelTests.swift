import Foundation
import RingsideCore
import RingsideTestSupport
@testable import RingsideUI
import Testing

/// The call panel's "Transferred by …" line (issue 18): shown, sanitised, cut to the width, and `p` accepts.
@Suite("Call panel: transfer context")
struct HandoffPanelTests {
    func transferredHere(name: String = "Sam Agent", notes: String = "Wants a refund\nsecond line") -> Harness {
        var driver = ConsoleFixtures.idle()
        let fiona = EntityRef(type: .contact, id: "003000000000002AAA", name: "Fiona Bloggs")
        driver.send(.handoffReceived(TransferContext(callId: "old", number: Fixtures.fredE164, entity: fiona, disposition: nil, notes: notes,
                                                     fromAgentId: "sam", fromAgentName: name, target: "2002", sentAt: Fixtures.t0)))
        driver.phone(.incoming("new", remote: Fixtures.fredRaw), after: 2)
        driver.send(.lookupFinished(driver.issuedIDs[0], Fixtures.lookup(ConsoleFixtures.fred)))
        return Harness(driver)
    }

    @Test func theLineNamesWhoAndAboutWhomAndPopAcceptsIt() throws {
        var h = transferredHere()
        let narrow = h.screen(TermSize(width: 80, height: 24)).text
        // At 80 columns the key's label gives up the record type before "about Fiona Bloggs (Contact)" is cut.
        #expect(narrow.contains("↪ Transferred by Sam Agent · about Fiona Bloggs (Contact) · Want…  p Accept"), "\(narrow)")
        let wide = h.screen(TermSize(width: 132, height: 40)).text
        #expect(wide.contains("↪ Transferred by Sam Agent · about Fiona Bloggs (Contact) · Wants a refund"), "\(wide)")
        #expect(wide.contains("p Accept Contact"))
        for text in [narrow, wide] {
            #expect(!text.contains("second line"))
            let matchLine = text.split(separator: "\n").first { $0.contains("Fred Bloggs · Contact · Bloggs Ltd") }
            #expect(matchLine?.contains("p Pop") == false, "one key, one meaning: Pop accepts the transferred record first")
        }
        h.keys(.char("p"))
        let after = h.screen().text
        #expect(after.contains("✓ accepted"))
        #expect(after.contains("Logged against: Fiona Bloggs (Contact) · rule 3: chosen by the agent"), "\(after)")
        let matchLine = after.split(separator: "\n").first { $0.contains("Fred Bloggs · Contact · Bloggs Ltd") }
        #expect(matchLine?.contains("p Pop") == true, "the lookup's own match is offered again after the accept")
    }

    @Test func hostileContextsAreShownSafely() {
        let h = transferredHere(name: "\u{1B}]0;pwned\u{07}Mallory\u{202E}evil", notes: String(repeating: "\u{1B}[2J huge ", count: 2000))
        let screen = h.screen(TermSize(width: 80, height: 24))
        let text = screen.text
        #expect(text.contains("Transferred by �Mallory"))
        #expect(!text.contains("pwned"))
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
        #expect(text.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 80 })
    }
}
