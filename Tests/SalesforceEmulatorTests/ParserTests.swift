import Foundation
import Testing
@testable import SalesforceEmulator

@Suite struct SalesforceIdTests {
    @Test func checksumMatchesKnownVectors() {
        #expect(SalesforceId.normalize("00558000001N0Ke") == "00558000001N0KeAAK")
        #expect(SalesforceId.normalize("001000000000000") == "001000000000000AAA")
        #expect(SalesforceId.normalize("003D000000QoL8h") == "003D000000QoL8hIAF")
        #expect(SalesforceId.normalize("00Q5g000003aBcD") == "00Q5g000003aBcDEAU")
    }

    @Test func eighteenCharIdsAreCaseInsensitiveInTheSuffixAndValidated() {
        #expect(SalesforceId.normalize("003D000000QoL8hiaf") == "003D000000QoL8hIAF")
        #expect(SalesforceId.normalize("003D000000QoL8hAAA") == nil)
        #expect(SalesforceId.normalize("003-00000QoL8h") == nil)
        #expect(SalesforceId.normalize("not-an-id") == nil)
    }

    @Test func generatedIdsCarryPrefixAndValidChecksum() {
        let ids = (1...500).map { SalesforceId.make(prefix: "00T", counter: $0) }
        #expect(Set(ids).count == 500)
        for id in ids {
            #expect(id.count == 18)
            #expect(id.hasPrefix("00T"))
            #expect(SalesforceId.normalize(id) == id)
        }
    }
}

@Suite struct SOQLParserTests {
    @Test func parsesFieldsRelationshipsWhereOrderLimit() throws {
        let q = try SOQLParser.parse(
            "SELECT Id, Name, Account.Name FROM Contact WHERE (Phone != null AND LastName LIKE 'O\\'B%') OR Id IN ('003Dg0000000001', 'x') ORDER BY LastName DESC NULLS LAST, Id LIMIT 10 OFFSET 5")
        #expect(q.object == "Contact")
        #expect(q.selection == .fields([FieldPath(parts: ["Id"], column: 8), FieldPath(parts: ["Name"], column: 12),
                                        FieldPath(parts: ["Account", "Name"], column: 18)]))
        #expect(q.limit == 10)
        #expect(q.offset == 5)
        #expect(q.orderBy.map(\.ascending) == [false, true])
        #expect(q.orderBy[0].nullsFirst == false)
        guard case .or(.and(.compare(_, .ne, .null), .like(_, let pattern, false)), .inList(_, let list, false))? = q.condition else {
            Issue.record("unexpected condition \(String(describing: q.condition))")
            return
        }
        #expect(pattern == "O'B%")
        #expect(list.count == 2)
    }

    @Test func parsesLiteralKinds() throws {
        let q = try SOQLParser.parse("SELECT Id FROM Task WHERE SystemModstamp > 2026-01-01T00:00:00Z AND ActivityDate <= 2026-02-01 AND CallDurationInSeconds >= -5 AND IsClosed = TRUE")
        var literals: [SOQLLiteral] = []
        func walk(_ c: SOQLCondition) {
            switch c {
            case .and(let a, let b), .or(let a, let b): walk(a); walk(b)
            case .not(let a): walk(a)
            case .compare(_, _, let l): literals.append(l)
            case .inList, .like: break
            }
        }
        walk(q.condition!)
        #expect(literals == [.dateTime(1_767_225_600), .date("2026-02-01"), .number(-5), .bool(true)])
    }

    @Test func countQuery() throws {
        #expect(try SOQLParser.parse("select count() from Lead").selection == .count)
    }

    @Test(arguments: [
        "SELECT FROM Contact", "SELECT Id FROM", "SELECT Id FROM Contact WHERE", "SELECT Id Contact",
        "SELECT Id FROM Contact WHERE Name = 'unterminated", "SELECT Id FROM Contact WHERE Name = 'bad\\q'",
        "SELECT Id FROM Contact LIMIT x", "SELECT Id FROM Contact WHERE Name ~ 'x'",
    ])
    func malformedQueriesThrow(_ soql: String) {
        #expect(throws: QueryError.self) { try SOQLParser.parse(soql) }
        do {
            _ = try SOQLParser.parse(soql)
        } catch let e as QueryError {
            #expect(e.errorCode == "MALFORMED_QUERY")
            #expect(e.message.contains("ERROR at Row:1:Column:"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func likePatterns() {
        #expect(LikePattern("%lee").matches("Ann Lee"))
        #expect(LikePattern("a_n%").matches("ANN LEE"))
        #expect(!LikePattern("a_n").matches("Ann Lee"))
        #expect(LikePattern("100\\%").matches("100%"))
        #expect(!LikePattern("100\\%").matches("1000"))
    }

    @Test func dateParsing() {
        #expect(SalesforceDate.parse("2026-01-01T00:00:00Z") == 1_767_225_600)
        #expect(SalesforceDate.parse("2026-01-01T01:00:00+01:00") == 1_767_225_600)
        #expect(SalesforceDate.parse("2026-01-01T00:00:00.000+0000") == 1_767_225_600)
        #expect(SalesforceDate.parse("2026-01-01T01:00:00 01:00") == 1_767_225_600)  // '+' URL-decoded to space
        #expect(SalesforceDate.parse("2026-13") == nil)
        #expect(SalesforceDate.format(Date(timeIntervalSince1970: 1_767_225_600.5)) == "2026-01-01T00:00:00.500+0000")
    }

    @Test func hmacMatchesRFCVector() {
        let mac = HMAC.sha256HMAC(key: Array("key".utf8), message: Array("The quick brown fox jumps over the lazy dog".utf8))
        #expect(mac.map { String(format: "%02x", $0) }.joined() == "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
    }
}

@Suite struct SOSLParserTests {
    @Test func parsesRingsideLookup() throws {
        let q = try SOSLParser.parse(
            "FIND {447814256404 OR 07814256404} IN PHONE FIELDS RETURNING Contact(Id, Name, Phone, MobilePhone, AccountId), Account(Id, Name, IsPersonAccount, PersonMobilePhone), Lead(Id, Name, Phone WHERE IsConverted = false LIMIT 5)")
        #expect(q.scope == .phone)
        #expect(q.term.groups.map { $0.words.map(\.literalText) } == [["447814256404"], ["07814256404"]])
        #expect(q.returning.map(\.object) == ["Contact", "Account", "Lead"])
        #expect(q.returning[2].query.limit == 5)
        #expect(q.returning[2].query.condition != nil)
        #expect(q.returning[0].fields.count == 5)
    }

    @Test func unescapesReservedCharacters() throws {
        let q = try SOSLParser.parse(#"FIND {\+44 \(0\) 7814\-256404 O\'Brien \\ \{x\} \: \* \?} IN ALL FIELDS"#)
        #expect(q.term.groups[0].words.map(\.literalText) == ["+44", "(0)", "7814-256404", "O'Brien", "\\", "{x}", ":", "*", "?"])
        #expect(q.term.groups[0].words.allSatisfy { !$0.hasWildcard })
    }

    @Test func wildcardsAndOperators() throws {
        let q = try SOSLParser.parse("FIND {ann* AND NOT bob OR \"acme logistics\"} IN NAME FIELDS")
        #expect(q.term.groups.count == 2)
        #expect(q.term.groups[0].words[0].hasWildcard)
        #expect(q.term.groups[0].excluded.map(\.literalText) == ["bob"])
        #expect(q.term.groups[1].words[0].isPhrase)
        #expect(q.scope == .name)
    }

    @Test(arguments: ["FIND {+44}", "FIND {07814-256404}", "FIND {a:b}", "FIND {x", "FIND 'acme'", "SEARCH {x}",
                      "FIND {acme} IN NOWHERE FIELDS", "FIND {acme} RETURNING Contact(Id"])
    func malformedSearchThrows(_ sosl: String) {
        do {
            _ = try SOSLParser.parse(sosl)
            Issue.record("expected an error for \(sosl)")
        } catch let e as QueryError {
            #expect(e.errorCode == "MALFORMED_SEARCH")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func tooShortTermIsInvalidSearch() {
        #expect(throws: QueryError.self) { try SOSLParser.parse("FIND {a}") }
        do { _ = try SOSLParser.parse("FIND {a}") } catch let e as QueryError { #expect(e.errorCode == "INVALID_SEARCH") } catch {}
        do { _ = try SOSLParser.parse("FIND {*ann}") } catch let e as QueryError { #expect(e.errorCode == "INVALID_SEARCH") } catch {}
    }

    @Test func phoneMatchingComparesDigitsAndSharedSuffix() {
        func word(_ s: String) -> SearchWord { SearchWord(pieces: s.map { .char($0) }) }
        #expect(SOSLMatcher.phoneMatches(word("07814256404"), "+44 7814 256404"))  // shares last 10 digits
        #expect(SOSLMatcher.phoneMatches(word("447814256404"), "+44 (0)7814-256404"))
        #expect(SOSLMatcher.phoneMatches(word("4155550142"), "(415) 555-0142"))
        #expect(SOSLMatcher.phoneMatches(word("4165550142"), "(415) 555-0142"))  // near-match: last 7 shared
        #expect(!SOSLMatcher.phoneMatches(word("4155550143"), "(415) 555-0142"))
        #expect(!SOSLMatcher.phoneMatches(word("550142"), "(415) 555-0142"))  // only 6 shared digits
        #expect(SOSLMatcher.phoneMatches(word("1234"), "12-34"))  // short numbers must be equal
    }
}
