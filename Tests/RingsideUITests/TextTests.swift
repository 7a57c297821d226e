import Foundation
import RingsideUI
import Testing

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("abc", 3), ("", 0), ("山田", 4), ("ｱ", 1), ("Ａ", 2), ("한국", 4), ("e\u{301}", 1), ("Zoë", 3),
        ("a\u{200B}b", 2), ("👍", 2), ("❤\u{FE0F}", 2), ("\u{1b}", 0), ("…", 1), ("→", 1), ("🇬🇧", 2),
    ])
    func widths(_ text: String, _ width: Int) {
        #expect(DisplayWidth.of(text) == width, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test func combiningMarksHaveNoWidth() {
        #expect(DisplayWidth.of("\u{301}" as Unicode.Scalar) == 0)
        #expect(DisplayWidth.of("\u{20DD}" as Unicode.Scalar) == 0)
        #expect(DisplayWidth.of("\u{FE0F}" as Unicode.Scalar) == 0)
    }
}

@Suite struct SanitiserTests {
    @Test func oscTitleSequenceIsRemoved() {
        #expect(TextSanitizer.clean("\u{1b}]0;pwned\u{07}Mallory") == "\u{FFFD}Mallory")
        #expect(TextSanitizer.clean("\u{1b}]0;pwned\u{1b}\\Mallory") == "\u{FFFD}Mallory")
    }

    @Test func csiSequencesAreRemoved() {
        #expect(TextSanitizer.clean("\u{1b}[31mRed\u{1b}[0m") == "\u{FFFD}Red\u{FFFD}")
        #expect(TextSanitizer.clean("a\u{9b}2Jb") == "a\u{FFFD}b")
        #expect(TextSanitizer.clean("\u{1b}c") == "\u{FFFD}")
    }

    @Test func controlsBecomeVisible() {
        #expect(TextSanitizer.clean("a\u{0}b\u{7f}c\u{85}d") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d")
        #expect(TextSanitizer.clean("line1\nline2\tx") == "line1 line2 x")
    }

    @Test func bidiOverridesAreRemoved() {
        #expect(TextSanitizer.clean("abc\u{202E}fed\u{202C}") == "abcfed")
        #expect(TextSanitizer.clean("\u{2066}x\u{2069}") == "x")
    }

    @Test func plainTextIsUntouched() {
        for text in ["Fred Bloggs", "山田 太郎", "Zoë Åkesson-Núñez", "e\u{301}", "👍"] {
            #expect(TextSanitizer.clean(text) == text)
        }
    }

    @Test func unterminatedStringSequenceSwallowsTheRest() {
        #expect(TextSanitizer.clean("ok\u{1b}]0;never ends") == "ok\u{FFFD}")
    }
}

@Suite struct TruncationTests {
    @Test func shortTextIsUnchanged() {
        #expect(TextFitting.truncate("Fred", to: 10) == "Fred")
        #expect(TextFitting.truncate("Fred", to: 4) == "Fred")
    }

    @Test func longTextEndsInEllipsis() {
        #expect(TextFitting.truncate("Fred Bloggs", to: 6) == "Fred …")
        #expect(DisplayWidth.of(TextFitting.truncate("Fred Bloggs", to: 6)) == 6)
    }

    @Test func wideCharactersAreNotSplit() {
        let cut = TextFitting.truncate("山田太郎", to: 6)
        #expect(cut == "山田…")
        #expect(DisplayWidth.of(cut) == 5)
        #expect(TextFitting.pad("山田太郎", to: 6) == "山田… ")
    }

    @Test func combiningMarksStayWithTheirBase() {
        let text = "Ame\u{301}lie Poulain"
        let cut = TextFitting.truncate(text, to: 4)
        #expect(cut == "Ame\u{301}…")
    }

    @Test func emojiFlagsAreGraphemes() {
        #expect(TextFitting.truncate("🇬🇧🇫🇷🇩🇪", to: 5) == "🇬🇧🇫🇷…")
    }

    @Test func zeroWidthGivesNothing() {
        #expect(TextFitting.truncate("abc", to: 0) == "")
        #expect(TextFitting.truncate("abc", to: 1) == "…")
    }
}

@Suite struct ScreenTests {
    @Test func wideCharacterTakesTwoCells() {
        var screen = Screen(width: 10, height: 1)
        let used = screen.put("山a", x: 0, y: 0)
        #expect(used == 3)
        #expect(screen[0, 0].width == 2)
        #expect(screen[1, 0].isContinuation)
        #expect(screen[2, 0].text == "a")
        #expect(screen.line(0) == "山a")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var screen = Screen(width: 10, height: 1)
        screen.put("山田", x: 0, y: 0)
        screen.put("x", x: 1, y: 0)
        #expect(screen.line(0) == " x田")
    }

    @Test func clippedAtTheRightEdge() {
        var screen = Screen(width: 5, height: 1)
        screen.put("abcdefgh", x: 2, y: 0)
        #expect(screen.line(0) == "  ab…")
        var wide = Screen(width: 4, height: 1)
        wide.put("山田太", x: 0, y: 0, ellipsis: false)
        #expect(wide.line(0) == "山田")
    }

    @Test func hostileTextNeverReachesCells() {
        var screen = Screen(width: 40, height: 1)
        screen.put("\u{1b}]0;pwned\u{07}Mallory\u{1b}[2J", x: 0, y: 0)
        #expect(screen.line(0) == "\u{FFFD}Mallory\u{FFFD}")
    }

    @Test func hitTestFindsTheTopmostRegion() {
        var screen = Screen(width: 20, height: 5)
        screen.addRegion(Rect(x: 0, y: 0, width: 20, height: 5), .focus(.call))
        screen.addRegion(Rect(x: 2, y: 1, width: 4, height: 1), .command(.answer))
        #expect(screen.hitTest(x: 3, y: 1) == .command(.answer))
        #expect(screen.hitTest(x: 10, y: 1) == .focus(.call))
        #expect(screen.hitTest(x: 30, y: 1) == nil)
    }
}
