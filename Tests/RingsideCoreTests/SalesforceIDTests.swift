import Foundation
import Testing
import RingsideCore

/// 15 → 18 conversions. The first is Salesforce's documented example; the
/// others were computed with an independent Python implementation of the
/// documented checksum algorithm.
let salesforceConversions: [(String, String)] = [
    ("001D000000IqhSL", "001D000000IqhSLIAZ"),
    ("003D000000QWErT", "003D000000QWErTIAX"),
    ("00Q5e00000AbCdE", "00Q5e00000AbCdEEAV"),
    ("5005e00000XyZab", "5005e00000XyZabAAF"),
    ("0065e00000MNOPq", "0065e00000MNOPqAAP"),
    ("0055e000001aBcD", "0055e000001aBcDAAU"),
    ("00T5e00000zzzzz", "00T5e00000zzzzzEAA"),
    ("001000000000000", "001000000000000AAA"),
    ("001ABCDEABCDEAB", "001ABCDEABCDEABY55"),
    ("003abcdeabcdeab", "003abcdeabcdeabAAA"),
    ("a0B5e00000Q1w2E", "a0B5e00000Q1w2EEAR"),
]

/// The kind of a `SalesforceIDError`, for table-driven expectations.
enum SalesforceIDFailure: Sendable {
    case wrongLength, invalidCharacter, checksumMismatch, notARecordURL, objectMismatch

    init(_ error: SalesforceIDError) {
        switch error {
        case .wrongLength: self = .wrongLength
        case .invalidCharacter: self = .invalidCharacter
        case .checksumMismatch: self = .checksumMismatch
        case .notARecordURL: self = .notARecordURL
        case .objectMismatch: self = .objectMismatch
        }
    }
}

@Suite("Salesforce IDs")
struct SalesforceIDTests {
    @Test("15-character IDs get the checksum suffix", arguments: salesforceConversions)
    func converts(_ fifteen: String, _ eighteen: String) throws {
        let id = try SalesforceID(fifteen)
        #expect(id.description == eighteen)
        #expect(id.rawValue == eighteen)
        #expect(id.fifteenCharacterForm == fifteen)
        #expect(try SalesforceID(eighteen) == id)
    }

    @Test("the suffix is checked case-insensitively", arguments: salesforceConversions)
    func lowercaseSuffix(_ fifteen: String, _ eighteen: String) throws {
        let id = try SalesforceID(fifteen + eighteen.suffix(3).lowercased())
        #expect(id.description == eighteen)
    }

    @Test func restoresLostLetterCaseFromTheSuffix() throws {
        #expect(try SalesforceID("001d000000iqhsliaz").description == "001D000000IqhSLIAZ")
        #expect(try SalesforceID("001D000000IQHSLIAZ").description == "001D000000IqhSLIAZ")
        #expect(try SalesforceID("00Q5E00000ABCDEEAV").description == "00Q5e00000AbCdEEAV")
        #expect(try SalesforceID("00q5e00000abcdeeav").description == "00Q5e00000AbCdEEAV")
    }

    @Test("a wrong suffix or a changed letter fails the checksum", arguments: [
        "001D000000IqhSLIAA",  // last character changed
        "001D000000IQhSLIAZ",  // one letter's case changed in a mixed-case ID
        "003D000000QWErTIAZ",  // suffix of another ID
        "001D000000IqhSL999",  // 9 is not in the suffix alphabet
        "001000000000000BAA",  // suffix marks a digit as uppercase
    ])
    func checksumMismatch(_ text: String) {
        #expect(failure { try SalesforceID(text) } == .checksumMismatch)
    }

    @Test("wrong lengths are rejected", arguments: [
        "", "001", "001D000000IqhS", "001D000000IqhSLI", "001D000000IqhSLIA", "001D000000IqhSLIAZ1",
        "001D000000IqhSLIAZ001D000000IqhSLIAZ",
    ])
    func wrongLength(_ text: String) {
        #expect(failure { try SalesforceID(text) } == .wrongLength)
    }

    @Test("characters outside A–Z, a–z, 0–9 are rejected", arguments: [
        "001D000000Iqh-L", "001D000000IqhS_", "001D00000ÖIqhSL", "001D0000 0IqhSL", "001D000000IqhS\u{1B}",
        "００１D000000IqhSL",
    ])
    func invalidCharacter(_ text: String) {
        #expect(failure { try SalesforceID(text) } == .invalidCharacter)
    }

    @Test func surroundingBlanksAreIgnored() throws {
        #expect(try SalesforceID("  001D000000IqhSL\n").description == "001D000000IqhSLIAZ")
    }

    @Test func errorMessagesSayWhatToDo() {
        #expect(message { try SalesforceID("001D000000IqhS") }.contains("is 14 characters long; a Salesforce ID has 15 or 18"))
        #expect(message { try SalesforceID("001D000000Iqh-L") }.contains("\"-\" at position 14"))
        #expect(message { try SalesforceID("001D000000IqhSLIAA") }.contains("need the suffix IAZ"))
        let hostile = message { try SalesforceID("\u{1B}]0;pwned\u{07}") }
        #expect(!hostile.unicodeScalars.contains { $0.value < 0x20 })
        #expect(throws: SalesforceIDError.checksumMismatch(input: "001D000000IqhSLIAA", expectedSuffix: "IAZ")) {
            try SalesforceID("001D000000IqhSLIAA")
        }
    }

    @Test("key prefixes name the object", arguments: [
        ("001D000000IqhSL", "001", SalesforceID.PrefixKind?.some(.account), EntityType?.some(.account)),
        ("003D000000QWErT", "003", .contact, .contact),
        ("00Q5e00000AbCdE", "00Q", .lead, .lead),
        ("5005e00000XyZab", "500", .caseRecord, .caseRecord),
        ("0065e00000MNOPq", "006", .opportunity, .opportunity),
        ("0055e000001aBcD", "005", .user, nil),
        ("00T5e00000zzzzz", "00T", .task, nil),
        ("a0B5e00000Q1w2E", "a0B", nil, nil),
        ("00q5e00000AbCdE", "00q", nil, nil),  // key prefixes are case-sensitive
    ])
    func prefixes(_ text: String, _ prefix: String, _ kind: SalesforceID.PrefixKind?, _ entity: EntityType?) throws {
        let id = try SalesforceID(text)
        #expect(id.keyPrefix == prefix)
        #expect(id.prefixKind == kind)
        #expect(id.entityType == entity)
    }

    @Test("prefix kinds and entity types agree", arguments: EntityType.allCases)
    func prefixKindForEntity(_ entity: EntityType) {
        let kind = SalesforceID.PrefixKind(entity)
        #expect(kind.entityType == entity)
        #expect(kind.objectName == entity.rawValue)
    }

    @Test func codableUsesTheEighteenCharacterString() throws {
        let id = try SalesforceID("001D000000IqhSL")
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == "[\"001D000000IqhSLIAZ\"]")
        let decoded = try JSONDecoder().decode([SalesforceID].self, from: Data("[\"001D000000IqhSL\"]".utf8))
        #expect(decoded == [id])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([SalesforceID].self, from: Data("[\"001D000000IqhSLIAA\"]".utf8))
        }
    }

    @Test("record URLs yield their ID", arguments: [
        ("https://acme.my.salesforce.com/lightning/r/Contact/003D000000QWErTIAX/view", "003D000000QWErTIAX"),
        ("https://acme.lightning.force.com/lightning/r/Account/001D000000IqhSL/view?ws=%2Flightning", "001D000000IqhSLIAZ"),
        ("https://acme.lightning.force.com/lightning/r/001D000000IqhSLIAZ/view", "001D000000IqhSLIAZ"),
        ("https://acme.my.salesforce.com/003D000000QWErT", "003D000000QWErTIAX"),
        ("https://na1.salesforce.com/001D000000IqhSL?srPos=0#top", "001D000000IqhSLIAZ"),
        ("https://acme--uat.sandbox.my.salesforce.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view", "00Q5e00000AbCdEEAV"),
        ("  HTTPS://ACME.MY.SALESFORCE.COM/lightning/r/Case/5005e00000XyZab/view  ", "5005e00000XyZabAAF"),
        ("https://acme.lightning.force.com/lightning/r/Invoice__c/a0B5e00000Q1w2E/view", "a0B5e00000Q1w2EEAR"),
        ("https://acme.my.salesforce.com:443/0065e00000MNOPq", "0065e00000MNOPqAAP"),
    ])
    func recordURLs(_ url: String, _ expected: String) throws {
        #expect(try SalesforceID.fromRecordURL(url).description == expected)
    }

    @Test("links that are not record links are rejected", arguments: [
        ("https://example.com/003D000000QWErT", SalesforceIDFailure.notARecordURL),
        ("https://evil.salesforce.com.example.net/003D000000QWErT", .notARecordURL),
        ("ftp://acme.my.salesforce.com/003D000000QWErT", .notARecordURL),
        ("003D000000QWErT", .notARecordURL),
        ("https://acme.my.salesforce.com/", .notARecordURL),
        ("https://acme.lightning.force.com/lightning/o/Contact/list", .notARecordURL),
        ("https://acme.my.salesforce.com/home/home.jsp", .notARecordURL),
        ("https://acme.my.salesforce.com/lightning/r/Account/003D000000QWErTIAX/view", .objectMismatch),
        ("https://acme.my.salesforce.com/lightning/r/Contact/003D000000QWErTIAA/view", .checksumMismatch),
    ])
    func badURLs(_ url: String, _ expected: SalesforceIDFailure) {
        #expect(failure { try SalesforceID.fromRecordURL(url) } == expected)
    }

    private func failure(_ body: () throws -> SalesforceID) -> SalesforceIDFailure? {
        do {
            _ = try body()
            return nil
        } catch let error as SalesforceIDError {
            return SalesforceIDFailure(error)
        } catch {
            Issue.record("untyped error \(error)")
            return nil
        }
    }

    private func message(_ body: () throws -> SalesforceID) -> String {
        do {
            return "parsed as \(try body())"
        } catch {
            return String(describing: error)
        }
    }
}
