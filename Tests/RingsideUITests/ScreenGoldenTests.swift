import Foundation
import RingsideCore
import RingsideTestSupport
import RingsideUI
import Testing

/// Every panel and state of the console, rendered and compared with `Golden/*.txt`.
@Suite struct ScreenGoldenTests {
    let large = TermSize(width: 132, height: 40)

    @Test func idle80x24() {
        let h = Harness(ConsoleFixtures.idle(), history: ConsoleFixtures.history())
        Golden.check(h.screen(), "idle-80x24")
    }

    @Test func idleLarge() {
        let h = Harness(ConsoleFixtures.idle(), history: ConsoleFixtures.history())
        Golden.check(h.screen(large), "idle-132x40")
    }

    @Test func idleNotDemo() {
        let h = Harness(ConsoleFixtures.idle(), isDemo: false)
        Golden.check(h.screen(), "idle-agent-80x24")
    }

    @Test func ringingSingleMatch() {
        let h = Harness(ConsoleFixtures.ringing(matches: [ConsoleFixtures.fred]))
        Golden.check(h.screen(), "ringing-single")
    }

    @Test func ringingSearching() {
        let h = Harness(ConsoleFixtures.ringing(matches: nil))
        Golden.check(h.screen(), "ringing-searching")
    }

    @Test func ringingMultipleMatches() {
        let h = Harness(ConsoleFixtures.ringing("020 7946 0018", matches: ConsoleFixtures.shared))
        Golden.check(h.screen(), "ringing-multiple-search-list")
    }

    @Test func ringingNoMatch() {
        let h = Harness(ConsoleFixtures.ringing("0161 496 0000", matches: []))
        Golden.check(h.screen(), "ringing-no-match")
    }

    @Test func ringingInternal() {
        let h = Harness(ConsoleFixtures.ringing("2001", matches: nil))
        Golden.check(h.screen(), "ringing-internal")
    }

    @Test func twoCallsRinging() {
        let first = ConsoleFixtures.connected(seconds: 20)
        let h = Harness(ConsoleFixtures.ringing("020 7946 0018", matches: ConsoleFixtures.shared, line: "L2", into: first))
        Golden.check(h.screen(), "ringing-second-call")
    }

    @Test func popDetail() {
        let h = Harness(ConsoleFixtures.connected(popped: true))
        Golden.check(h.screen(), "connected-pop-detail")
        Golden.check(h.screen(large), "connected-pop-detail-132x40")
    }

    @Test func connectedBeforePop() {
        let h = Harness(ConsoleFixtures.connected(popped: false, seconds: 3725))
        Golden.check(h.screen(), "connected-timer-hours")
    }

    @Test func searchPicked() {
        var h = Harness(ConsoleFixtures.ringing("020 7946 0018", matches: ConsoleFixtures.shared))
        h.keys(.down, .enter)
        Golden.check(h.screen(), "search-picked")
    }

    @Test func held() {
        let h = Harness(ConsoleFixtures.held())
        Golden.check(h.screen(), "held")
    }

    @Test func transferPrompt() {
        var h = Harness(ConsoleFixtures.connected(popped: true))
        h.keys(.char("t"))
        _ = h.type("20")
        Golden.check(h.screen(), "transfer-prompt")
    }

    @Test func transferring() {
        let h = Harness(ConsoleFixtures.transferring())
        Golden.check(h.screen(), "transferring")
    }

    @Test func wrapUpForm() {
        var h = Harness(ConsoleFixtures.wrapUp())
        h.keys(.down, .down, .char("w"))
        _ = h.type("Call back Tuesday")
        Golden.check(h.screen(), "wrap-up-form")
    }

    @Test func historyAndDetail() {
        var h = Harness(ConsoleFixtures.idle(), history: ConsoleFixtures.history())
        h.keys(.char("H"))
        Golden.check(h.screen(), "history")
        h.keys(.down, .enter)
        Golden.check(h.screen(), "history-detail")
        h.keys(.down)
        Golden.check(h.screen(), "history-detail-parked")
    }

    @Test func helpOverlay() {
        var h = Harness(ConsoleFixtures.connected(popped: true))
        h.keys(.char("?"))
        Golden.check(h.screen(), "help-80x24")
        Golden.check(h.screen(TermSize(width: 100, height: 50)), "help-100x50")
    }

    @Test func numberListFiltered() {
        var h = Harness(ConsoleFixtures.idle())
        h.keys(.char("/"))
        _ = h.type("bl")
        Golden.check(h.screen(), "numbers-filtered")
    }

    @Test func dialFieldValid() {
        var h = Harness(ConsoleFixtures.idle())
        h.keys(.char("d"))
        _ = h.type("07700 900123")
        Golden.check(h.screen(), "dial-valid")
    }

    @Test func dialFieldInvalid() {
        var h = Harness(ConsoleFixtures.idle())
        h.keys(.char("d"))
        _ = h.type("0770x")
        Golden.check(h.screen(), "dial-invalid")
    }

    @Test func notReadyPicker() {
        var h = Harness(ConsoleFixtures.idle())
        h.keys(.char("r"), .down)
        Golden.check(h.screen(), "not-ready-picker")
        h.keys(.enter)
        Golden.check(h.screen(), "not-ready-lunch")
        // The Not-ready timer runs on the status bar.
        h.driver.advance(125)
        #expect(h.screen().line(23).contains("Not ready: Lunch 2:05") || h.screen().line(23).contains("2:05"), "\(h.screen().line(23))")
    }

    @Test func banner() {
        var driver = ConsoleFixtures.idle()
        driver.phone(.link(.disconnected(reason: "connection refused")))
        let h = Harness(driver)
        Golden.check(h.screen(), "banner-phone-down")
    }

    @Test func refusalMessage() {
        var h = Harness(ConsoleFixtures.idle())
        h.keys(.char("a"))
        Golden.check(h.screen(), "refusal-nothing-to-answer")
    }

    @Test func quitConfirmation() {
        var h = Harness(ConsoleFixtures.connected())
        h.keys(.char("q"))
        Golden.check(h.screen(), "quit-confirm")
    }

    @Test func cjkAndAccentedNames() {
        let yamada = CRMRecord(type: .contact, id: "003000000000009AAA", name: "山田 太郎", accountName: "株式会社サンプル",
                               phones: Fixtures.phones("+81 3-1234-5678"), owner: "Ada Agent", lastModified: Fixtures.modifiedNew)
        let zoe = CRMRecord(type: .lead, id: "00Q000000000009AAA", name: "Zoë Åkesson-Núñez", phones: Fixtures.phones("0117 496 0123"),
                            lastModified: Fixtures.modifiedMid)
        let h = Harness(ConsoleFixtures.ringing("+81 3-1234-5678", matches: [yamada, zoe]))
        Golden.check(h.screen(), "cjk-accented-search")
        var popped = Harness(ConsoleFixtures.ringing("+81 3-1234-5678", matches: [yamada]))
        popped.keys(.char("p"))
        Golden.check(popped.screen(), "cjk-pop")
    }

    @Test func hostileName() {
        let mallory = CRMRecord(type: .contact, id: "003000000000666AAA", name: ConsoleFixtures.hostileName,
                                accountName: "Evil\u{202E}Corp", phones: Fixtures.phones("020 7946 0666"), lastModified: Fixtures.modifiedNew)
        var h = Harness(ConsoleFixtures.ringing("020 7946 0666", matches: [mallory]))
        h.keys(.char("p"))
        let screen = h.screen()
        Golden.check(screen, "hostile-name")
        for cell in screen.cells {
            #expect(!cell.text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
        }
        #expect(screen.text.contains("\u{FFFD}Mallory"))
    }

    @Test func tooSmall() {
        let h = Harness(ConsoleFixtures.connected())
        Golden.check(h.screen(TermSize(width: 60, height: 20)), "too-small-60x20")
        #expect(h.screen(TermSize(width: 79, height: 24)).text.contains("Terminal too small (need 80×24, have 79×24)"))
        #expect(h.screen(TermSize(width: 80, height: 23)).text.contains("have 80×23"))
        #expect(!h.screen(TermSize(width: 80, height: 24)).text.contains("too small"))
    }
}

/// Issue 18: the console in a terminal whose locale is not UTF-8 (`LANG=C`): ASCII only, same layout.
@Suite struct ASCIIFallbackGoldenTests {
    @Test func idleRingingAndJapaneseNameInASCII() {
        let idle = Harness(ConsoleFixtures.idle())
        Golden.check(idle.screen().asciiOnly(), "ascii-idle-80x24")
        let ringing = Harness(ConsoleFixtures.ringing(matches: [ConsoleFixtures.fred]))
        Golden.check(ringing.screen().asciiOnly(), "ascii-ringing-single-80x24")
        let yamada = CRMRecord(type: .contact, id: "003000000000009AAA", name: "山田 太郎", accountName: "株式会社サンプル",
                               phones: Fixtures.phones("+81 3-1234-5678"), owner: "Ada Agent", lastModified: Fixtures.modifiedNew)
        var cjk = Harness(ConsoleFixtures.ringing("+81 3-1234-5678", matches: [yamada]))
        cjk.keys(.char("p"))
        let screen = cjk.screen().asciiOnly()
        Golden.check(screen, "ascii-cjk-pop-80x24")
        #expect(screen.text.unicodeScalars.allSatisfy { $0.isASCII })
        // 山田 太郎 keeps its four columns as "????", not blanks.
        #expect(screen.text.contains("???? ????"))
    }

    @Test func replacementsKeepTheColumnCount() {
        for text in ["★", "↺", "山", "é", "e\u{301}", "👍", "a", "─", "│"] {
            let width = DisplayWidth.of(text)
            let ascii = ASCIIFallback.replace(text, width: width)
            #expect(ascii.count == width, "\(text) → \(ascii)")
            #expect(ascii.unicodeScalars.allSatisfy { $0.isASCII })
        }
        #expect(ASCIIFallback.replace("é", width: 1) == "e")
        #expect(ASCIIFallback.needed(codeset: "ANSI_X3.4-1968"))
        #expect(!ASCIIFallback.needed(codeset: "UTF-8"))
    }
}
