import Foundation
import RingsideCore
import RingsideTestSupport
import RingsideUI
import Testing

/// Issue 18: the record's name and link in the call panel are OSC 8 hyperlinks. The renderer lists the spans
/// (row, column, width, URL) as data; the terminal writes them after curses has painted.
@Suite("OSC 8 hyperlinks")
struct HyperlinkTests {
    static let base = "https://acme.my.salesforce.com"
    static let fredLink = "https://acme.my.salesforce.com/lightning/r/Contact/003000000000001AAA/view"

    /// The text shown in a span's cells.
    func visible(_ span: HyperlinkSpan, _ screen: Screen) -> String {
        (span.x..<span.x + span.width).map { screen[$0, span.y] }.filter { !$0.isContinuation }.map(\.text).joined()
    }

    func poppedInSalesforce(_ record: CRMRecord = ConsoleFixtures.fred) -> Harness {
        var h = Harness(ConsoleFixtures.ringing(matches: [record]))
        h.linkBase = Self.base
        h.keys(.char("p"))
        return h
    }

    @Test func theNameAndLinkRowsOfThePopAreLinkedToTheLightningPage() {
        let h = poppedInSalesforce()
        let screen = h.screen()
        let spans = screen.links
        #expect(!spans.isEmpty)
        #expect(spans.allSatisfy { $0.url == Self.fredLink })
        let names = spans.filter { visible($0, screen) == "Fred Bloggs" }
        #expect(names.count >= 2, "the match line and the Name row: \(spans.map { visible($0, screen) })")
        let nameRow = screen.text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("Name     Fred Bloggs") }
        #expect(names.contains { $0.y == nameRow && $0.x == 11 })
    }

    @Test func aRecordsOwnURLIsUsedWhenItHasOne() {
        var fred = ConsoleFixtures.fred
        fred.url = "https://crm.example.com/contacts/1"
        var h = Harness(ConsoleFixtures.ringing(matches: [fred]))
        h.keys(.char("p"))
        let screen = h.screen()
        let link = screen.links.first { visible($0, screen) == "https://crm.example.com/contacts/1" }
        #expect(link?.url == "https://crm.example.com/contacts/1")
        #expect(screen.links.contains { visible($0, screen) == "Fred Bloggs" && $0.url == "https://crm.example.com/contacts/1" })
    }

    @Test func localRecordsWithoutAWebPageHaveNoLinks() {
        var h = Harness(ConsoleFixtures.ringing(matches: [ConsoleFixtures.fred]))
        h.keys(.char("p"))
        #expect(h.screen().links.isEmpty)
    }

    @Test(arguments: [
        "https://evil.example/\u{1B}]8;;https://other\u{1B}\\",
        "https://evil.example/\u{07}bell",
        "https://evil.example/line\nbreak",
        "https://evil.example/c1\u{9B}31m",
        "https://evil.example/a b",
        "https://evil.example/\u{7F}",
        "https://évil.example/",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "HTTPS//missing-colon",
        "",
    ])
    func hostileURLsAreNeverEmitted(url: String) {
        #expect(Hyperlink.safeURL(url) == nil, "\(url.debugDescription)")
        var mallory = ConsoleFixtures.fred
        mallory.url = url
        var h = Harness(ConsoleFixtures.ringing(matches: [mallory]))
        h.keys(.char("p"))
        let screen = h.screen()
        #expect(screen.links.isEmpty, "\(screen.links)")
        let bytes = screen.hyperlinkSequence(colors: true)
        #expect(bytes.isEmpty)
    }

    @Test func theBytesWrittenForASpanHoldOnlyTheSanitisedURLAndTheVisibleText() {
        let h = poppedInSalesforce()
        let screen = h.screen()
        let bytes = screen.hyperlinkSequence(colors: false)
        let nameRow = screen.links.first { visible($0, screen) == "Fred Bloggs" && $0.x == 11 }
        #expect(nameRow != nil)
        if let span = nameRow {
            let expected = "\u{1B}7\u{1B}[\(span.y + 1);12H\u{1B}[0;1m\u{1B}]8;;\(Self.fredLink)\u{1B}\\Fred Bloggs\u{1B}]8;;\u{1B}\\\u{1B}[0m\u{1B}8"
            #expect(bytes.contains(expected), "\(bytes.debugDescription)")
        }
        // Every ESC in the output starts one of our own sequences; no BEL, no line break.
        #expect(!bytes.contains("\u{07}") && !bytes.contains("\n") && !bytes.contains("\r"))
        let escapes = bytes.components(separatedBy: "\u{1B}").dropFirst()
        #expect(escapes.allSatisfy { $0.hasPrefix("7") || $0.hasPrefix("8") || $0.hasPrefix("[") || $0.hasPrefix("]8;;") || $0.hasPrefix("\\") })
    }

    @Test func aHostileNameIsWrittenAsItsSanitisedCells() {
        var mallory = ConsoleFixtures.fred
        mallory.name = ConsoleFixtures.hostileName
        let h = poppedInSalesforce(mallory)
        let bytes = h.screen().hyperlinkSequence(colors: true)
        #expect(!bytes.isEmpty)
        #expect(!bytes.contains("\u{07}") && !bytes.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x9B })
        let escapes = bytes.components(separatedBy: "\u{1B}").dropFirst()
        #expect(escapes.allSatisfy { $0.hasPrefix("7") || $0.hasPrefix("8") || $0.hasPrefix("[") || $0.hasPrefix("]8;;") || $0.hasPrefix("\\") })
    }

    @Test func noLinksUnderAModalOrInASCII() {
        var h = poppedInSalesforce()
        #expect(!h.screen().links.isEmpty)
        #expect(h.screen().asciiOnly().links.isEmpty, "LANG=C: no hyperlinks")
        h.keys(.char("?"))
        #expect(h.screen().links.isEmpty, "a modal covers the call panel")
    }

    @Test func autoTurnsOnOnlyForTerminalsKnownToShowThem() {
        #expect(Hyperlink.enabled(.on, environment: ["TERM": "xterm"]))
        #expect(!Hyperlink.enabled(.off, environment: ["TERM_PROGRAM": "iTerm.app"]))
        #expect(Hyperlink.enabled(.auto, environment: ["TERM_PROGRAM": "iTerm.app"]))
        #expect(Hyperlink.enabled(.auto, environment: ["TERM": "xterm-kitty"]))
        #expect(Hyperlink.enabled(.auto, environment: ["TERM": "xterm-256color", "VTE_VERSION": "7200"]))
        #expect(!Hyperlink.enabled(.auto, environment: ["TERM": "xterm-256color", "VTE_VERSION": "4802"]))
        #expect(Hyperlink.enabled(.auto, environment: ["TERM": "tmux-256color", "TERM_PROGRAM": "tmux", "TERM_PROGRAM_VERSION": "3.4"]))
        #expect(Hyperlink.enabled(.auto, environment: ["TERM": "tmux-256color", "TERM_PROGRAM": "tmux", "TERM_PROGRAM_VERSION": "3.5a"]))
        #expect(!Hyperlink.enabled(.auto, environment: ["TERM": "screen", "TERM_PROGRAM": "tmux", "TERM_PROGRAM_VERSION": "3.3a"]))
        #expect(!Hyperlink.enabled(.auto, environment: ["TERM": "xterm-256color"]))
        #expect(!Hyperlink.enabled(.on, environment: ["TERM": "dumb"]))
        #expect(!Hyperlink.enabled(.on, environment: ["TERM": "xterm", "LANG": "C"]), "LANG=C: ASCII only")
    }
}
