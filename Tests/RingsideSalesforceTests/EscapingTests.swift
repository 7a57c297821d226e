import Testing
@testable import RingsideSalesforce

@Suite("SalesforceEscaping")
struct EscapingTests {
    @Test func soqlLiteralEscapesQuotesBackslashAndControls() {
        #expect(SalesforceEscaping.soqlLiteral("Bob's BBQ") == #"Bob\'s BBQ"#)
        #expect(SalesforceEscaping.soqlLiteral(#"say "hi""#) == #"say \"hi\""#)
        #expect(SalesforceEscaping.soqlLiteral(#"C:\temp"#) == #"C:\\temp"#)
        #expect(SalesforceEscaping.soqlLiteral("a\nb\rc\td\u{08}e\u{0C}f") == #"a\nb\rc\td\be\ff"#)
        #expect(SalesforceEscaping.soqlLiteral("nul\u{00}bell\u{07}") == "nulbell")
        #expect(SalesforceEscaping.soqlQuoted("x' OR Name != '") == #"'x\' OR Name != \''"#)
        #expect(SalesforceEscaping.soqlLiteral("50%_off") == "50%_off", "wildcards are literal outside LIKE")
    }

    @Test func soqlLikeEscapesWildcards() {
        #expect(SalesforceEscaping.soqlLikeLiteral("50%_off's") == #"50\%\_off\'s"#)
        #expect(SalesforceEscaping.soqlLikeLiteral(#"a\b"#) == #"a\\b"#)
    }

    @Test func soslEscapesEveryReservedCharacter() {
        let reserved = #"?&|!{}[]()^~*:\"'+-"#
        let escaped = SalesforceEscaping.soslTerm(reserved)
        var expected = ""
        for c in reserved { expected += "\\" + String(c) }
        #expect(escaped == expected)
        #expect(SalesforceEscaping.soslTerm("+44 (0)20-7946") == #"\+44 \(0\)20\-7946"#)
        #expect(SalesforceEscaping.soslTerm("O'Brien") == #"O\'Brien"#)
        #expect(SalesforceEscaping.soslTerm("plain 07814256404") == "plain 07814256404")
        #expect(SalesforceEscaping.soslTerm("a}b") == #"a\}b"#, "a closing brace cannot end the term early")
        #expect(SalesforceEscaping.soslTerm("tab\there") == "tab here")
    }

    @Test func soslFreeTextDropsOperatorsAndEscapesWords() {
        #expect(SalesforceEscaping.soslFreeText("Evans & Co") == "Evans Co")
        #expect(SalesforceEscaping.soslFreeText("R&D team-lead") == #"R\&D team\-lead"#)
        #expect(SalesforceEscaping.soslFreeText("Smith OR Jones and not Bob") == "Smith Jones Bob")
        #expect(SalesforceEscaping.soslFreeText("  ann*  ") == #"ann\*"#)
        #expect(SalesforceEscaping.soslFreeText("or AND") == "")
    }

    @Test func urlAndFormEncoding() {
        #expect(SalesforceEscaping.urlQueryValue("FIND {0781} IN") == "FIND%20%7B0781%7D%20IN")
        #expect(SalesforceEscaping.urlQueryValue("a+b=c&d/é") == "a%2Bb%3Dc%26d%2F%C3%A9")
        #expect(SalesforceEscaping.formBody([("password", "p@ss&word+TOKEN"), ("grant_type", "password")])
            == "password=p%40ss%26word%2BTOKEN&grant_type=password")
    }
}
