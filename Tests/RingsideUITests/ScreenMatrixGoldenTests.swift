import Foundation
import RingsideCore
import RingsideTestSupport
import RingsideUI
import Testing

/// Issue 18: every modal and screen at 80×24, 100×30 and 132×40, in UTF-8 and in the ASCII fallback (`LANG=C`),
/// compared with `Golden/matrix/<scene>-<w>x<h>[-ascii].txt`. Each scene also checks what must hold at every
/// size: boxes fit the screen, nothing is drawn past a box's border, ASCII screens are ASCII only.
@Suite struct ScreenMatrixGoldenTests {
    static let sizes = [TermSize(width: 80, height: 24), TermSize(width: 100, height: 30), TermSize(width: 132, height: 40)]

    static let openCase = CRMRecord(type: .caseRecord, id: "500000000000001AAA", name: "00001026 Refund not received", accountId: "001000000000001AAA",
                                    accountName: "Bloggs Ltd", lastModified: Fixtures.modifiedNew)

    /// The scenes: a name and how to get the console there.
    static let scenes: [String: @Sendable () -> Harness] = [
        "help": {
            var h = Harness(ConsoleFixtures.connected(popped: true))
            h.keys(.char("?"))
            return h
        },
        "wrap-up": {
            var h = Harness(ConsoleFixtures.wrapUp())
            h.keys(.down, .down, .char("w"))
            _ = h.type("Call back Tuesday about the refund; the customer prefers mornings")
            return h
        },
        "new-record-form": {
            var h = Harness(ConsoleFixtures.ringing("0161 496 0000", matches: []))
            h.keys(.char("n"))
            return h
        },
        "find": {
            var h = Harness(ConsoleFixtures.connected())
            h.keys(.char("g"))
            _ = h.type("Bloggs")
            h.keys(.enter)
            h.send(.found(query: "Bloggs", [ConsoleFixtures.fred, openCase] + ConsoleFixtures.shared))
            return h
        },
        "related-to": {
            var h = Harness(ConsoleFixtures.connected(popped: true))
            h.keys(.char("l"))
            h.send(.related(ConsoleFixtures.fred.ref, [openCase]))
            return h
        },
        "transfer-prompt": {
            var h = Harness(ConsoleFixtures.connected(popped: true))
            h.keys(.char("t"))
            _ = h.type("2001")
            return h
        },
        "handoff": {
            var driver = ConsoleFixtures.idle()
            let fiona = EntityRef(type: .contact, id: "003000000000002AAA", name: "Fiona Bloggs")
            driver.send(.handoffReceived(TransferContext(callId: "old", number: Fixtures.fredE164, entity: fiona, disposition: "Follow-up needed",
                                                         notes: "Wants a refund for order 1234\nsecond line", fromAgentId: "sam",
                                                         fromAgentName: "Sam Agent", target: "2002", sentAt: Fixtures.t0)))
            driver.phone(.incoming("new", remote: Fixtures.fredRaw), after: 2)
            driver.send(.lookupFinished(driver.issuedIDs[0], Fixtures.lookup(ConsoleFixtures.fred)))
            return Harness(driver)
        },
        "dial": {
            var h = Harness(ConsoleFixtures.idle())
            h.keys(.char("d"))
            _ = h.type("07700 900123")
            return h
        },
        "notes": {
            var h = Harness(ConsoleFixtures.connected(popped: true))
            h.keys(.char("w"))
            _ = h.type("Wants a refund for order 1234")
            return h
        },
        "history-filter": {
            var h = Harness(ConsoleFixtures.idle(), history: ConsoleFixtures.history())
            h.keys(.char("H"), .char("/"))
            _ = h.type("follow")
            return h
        },
        "history-detail": {
            var h = Harness(ConsoleFixtures.idle(), history: ConsoleFixtures.history())
            h.keys(.char("H"), .enter)
            return h
        },
        "not-ready-picker": {
            var h = Harness(ConsoleFixtures.idle())
            h.keys(.char("r"), .down)
            return h
        },
        "not-ready": {
            var h = Harness(ConsoleFixtures.idle())
            h.keys(.char("r"), .down, .enter)
            h.driver.advance(125)
            return h
        },
        "number-list": {
            var entries = ConsoleFixtures.numberEntries()
            entries.insert(NumberListEntry(kind: .directory, name: "Ximena Long-Named International Caller", raw: "+1 (212) 555-0123 ext. 4567",
                                           e164: "+12125550123", entity: nil), at: 0)
            var h = Harness(ConsoleFixtures.idle(), history: ConsoleFixtures.history(), entries: entries)
            h.keys(.char("N"))
            return h
        },
        "number-list-filtered": {
            var h = Harness(ConsoleFixtures.idle())
            h.keys(.char("/"))
            _ = h.type("bl")
            return h
        },
        "quit-confirm": {
            var h = Harness(ConsoleFixtures.connected())
            h.keys(.char("q"))
            return h
        },
        "ringing-search-list": {
            Harness(ConsoleFixtures.ringing("020 7946 0018", matches: ConsoleFixtures.shared))
        },
        "pop-detail": {
            var h = Harness(ConsoleFixtures.connected(popped: true))
            h.linkBase = "https://acme.my.salesforce.com"
            return h
        },
    ]

    static var cases: [(String, TermSize, Bool)] {
        scenes.keys.sorted().flatMap { scene in sizes.flatMap { size in [(scene, size, false), (scene, size, true)] } }
    }

    @Test(arguments: cases)
    func scene(_ name: String, size: TermSize, ascii: Bool) throws {
        let make = try #require(Self.scenes[name])
        let harness = make()
        let utf8 = harness.screen(size)
        let screen = ascii ? utf8.asciiOnly() : utf8
        Golden.check(screen, "matrix/\(name)-\(size.width)x\(size.height)\(ascii ? "-ascii" : "")")
        let lines = screen.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == size.height)
        #expect(lines.allSatisfy { DisplayWidth.of(String($0)) <= size.width })
        if ascii { #expect(screen.text.unicodeScalars.allSatisfy { $0.isASCII }) }
        // A modal box (found on the UTF-8 screen; the ASCII one has the same layout): its four corners are on the
        // screen and both side borders run the whole height, so nothing spilled over the frame.
        let cells = { (x: Int, y: Int) in utf8[x, y].text }
        guard let corner = (0..<size.height).lazy.compactMap({ y in (0..<size.width).first { cells($0, y) == "┌" }.map { ($0, y) } }).first else { return }
        let (left, top) = corner
        let right = try #require((left + 1..<size.width).first { cells($0, top) == "┐" }, "\(name): the box has a top-right corner")
        let bottom = try #require((top + 1..<size.height).first { cells(left, $0) == "└" }, "\(name): the box has a bottom border")
        #expect(cells(right, bottom) == "┘")
        for y in (top + 1)..<bottom {
            #expect(cells(left, y) == "│" && cells(right, y) == "│", "row \(y) of \(name) lost a border")
        }
    }
}

/// Issue 18: the wrap-up header said "Esc save without" (without what?): each size says the whole thing.
@Suite struct WrapUpHeaderTests {
    @Test(arguments: [(TermSize(width: 80, height: 24), "Esc no disposition"), (TermSize(width: 100, height: 30), "Esc save without a disposition"),
                      (TermSize(width: 132, height: 40), "Esc save without a disposition")])
    func escSaysItSavesWithoutADisposition(size: TermSize, expected: String) {
        let h = Harness(ConsoleFixtures.wrapUp())
        let header = h.screen(size).text.split(separator: "\n").first { $0.contains("Wrap-up ·") && $0.contains("Enter save") } ?? ""
        #expect(header.hasSuffix(expected), "\(header)")
    }
}

/// Issue 18: at 80×24 the wrapped Task fields of a history record are taller than the box: PgDn/PgUp scroll
/// them (↑/↓ still move between calls) and the border says which rows are shown.
@Suite struct HistoryDetailScrollTests {
    @Test func pageDownShowsTheRowsBelowAndPageUpComesBack() {
        var h = Harness(ConsoleFixtures.idle(), history: ConsoleFixtures.history())
        h.keys(.char("H"), .down, .enter)
        let first = h.screen().text
        #expect(!first.contains("WhoId"))
        #expect(first.contains("PgDn"), "the border says there is more: \(first)")
        h.keys(.pageDown)
        let scrolled = h.screen().text
        #expect(scrolled.contains("WhoId") && scrolled.contains("CallDisposition"), "\(scrolled)")
        #expect(h.state.modal != nil, "PgDn scrolls, it doesn't close the record")
        h.keys(.pageUp)
        #expect(h.screen().text == first)
        h.keys(.pageDown, .down)
        #expect(h.screen().text.contains("Call record 3 of 3"))
        #expect(h.screen().text.contains("Delivery"), "another call starts at its top")
    }
}

/// Issue 18: every symbol the console draws has an ASCII stand-in (found by the matrix goldens: the handoff
/// line's ↪ became "?").
@Suite struct ASCIIStandInTests {
    @Test(arguments: [("↪", ">"), ("÷", "/"), ("█", "#"), ("▁", "_"), ("▄", "="), ("▇", "#"), ("▌", "|")])
    func symbolsHaveStandIns(symbol: String, ascii: String) {
        #expect(ASCIIFallback.replace(symbol, width: 1) == ascii)
    }
}
