import RingsideCore
import Testing

/// Issue 19: one sanitiser for everything printed from outside data (the CLI and the console share it).
@Suite struct SafeTextTests {
    @Test func bidiControlsMarksAndSeparatorsCannotReorderOrBreakALine() {
        #expect(SafeText.line("Eve\u{202E}gnp.exe") == "Evegnp.exe")
        #expect(SafeText.line("a\u{200E}b\u{200F}c\u{061C}d\u{2066}e\u{2069}") == "abcde")
        #expect(SafeText.line("one\u{2028}two\u{2029}three") == "one two three")
    }

    @Test func escapesAndControlsAreNeutralised() {
        #expect(SafeText.line("001\u{1b}[2J\u{1b}]0;owned\u{07}X") == "001\u{FFFD}\u{FFFD}X")
        #expect(SafeText.line("nul\u{0}bell\u{7}c1\u{85}") == "nul\u{FFFD}bell\u{FFFD}c1\u{FFFD}")
        #expect(SafeText.line("two\nlines\r") == "two lines ")
        #expect(SafeText.line("Zoë 山田 👍") == "Zoë 山田 👍")
    }

    @Test func multiLineTextKeepsItsBreaksOnly() {
        #expect(SafeText.lines("a\u{1b}[1m\nb\u{202E}") == "a\u{FFFD}\nb")
    }
}

/// Issue 19: URL passwords never reach messages or logs.
@Suite struct URLUserInfoTests {
    @Test(arguments: [
        ("mqtt://agent:Pa55@broker:1883", "mqtt://agent:[REDACTED]@broker:1883"),
        ("smtps://a%40b.example:p@ss@mail.example.com:465/x?y#z", "smtps://a%40b.example:[REDACTED]@mail.example.com:465/x?y#z"),
        ("mqtt://agent@broker", "mqtt://agent@broker"),
        ("https://example.com/a:b@c", "https://example.com/a:b@c"),
        ("not a url", "not a url"),
    ])
    func passwordsAreHidden(url: String, expected: String) {
        #expect(URLUserInfo.redacted(url) == expected)
    }
}
