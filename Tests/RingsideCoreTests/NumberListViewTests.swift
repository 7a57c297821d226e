import Foundation
import RingsideCore
import Testing

/// The number list view against a brute-force filter written with plain `String` operations.
@Suite struct NumberListViewTests {
    static let syllables = ["an", "Bo", "fred", "Zoë", "Åke", "núñez", "O'Brien", "山田", "太郎", "LEE", "ma", "ri", "Søren", "ﾃｽﾄ", "x"]

    static func randomEntries(_ count: Int, _ rng: inout PhoneFuzzRNG) -> [NumberListEntry] {
        (0..<count).map { n in
            let words = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                (0..<Int.random(in: 1...3, using: &rng)).map { _ in syllables.randomElement(using: &rng)! }.joined()
            }
            let national = (0..<10).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
            let kind: NumberListEntry.Kind = n % 17 == 0 ? .favourite : (n % 11 == 0 ? .recent : .directory)
            let isInternal = n % 23 == 0
            let raw = isInternal ? String(national.prefix(4)) : "0\(national.prefix(4)) \(national.dropFirst(4))"
            return NumberListEntry(kind: kind, name: words.joined(separator: " "), raw: raw, e164: isInternal ? nil : "+44\(national)",
                                   entity: EntityRef(type: .contact, id: "id\(n)", name: words.joined(separator: " ")))
        }
    }

    /// The reference: fold with Foundation, match with `String.contains`.
    static func bruteForce(_ entries: [NumberListEntry], _ filter: String) -> [NumberListEntry] {
        func fold(_ s: String) -> String { s.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased() }
        let punctuation = Set("+-().*/#")
        var words: [String] = []
        var digits = ""
        for token in filter.split(whereSeparator: \.isWhitespace) {
            if token.contains(where: { $0.isASCII && $0.isNumber }) && token.allSatisfy({ ($0.isASCII && $0.isNumber) || punctuation.contains($0) }) {
                digits += token.filter { $0.isASCII && $0.isNumber }
            } else if !fold(String(token)).isEmpty {
                words.append(fold(String(token)))
            }
        }
        func matches(_ e: NumberListEntry) -> Bool {
            let name = fold(e.name)
            guard words.allSatisfy({ name.contains($0) }) else { return false }
            guard !digits.isEmpty else { return true }
            return (e.e164 ?? "").filter(\.isNumber).contains(digits) || e.raw.filter(\.isNumber).contains(digits)
        }
        let head = entries.filter { $0.kind != .directory }
        var recent = 0
        let headMatches = head.filter(matches).filter { e in
            guard e.kind == .recent else { return true }
            recent += 1
            return recent <= NumberListData.recentShown
        }
        return headMatches + entries.filter { $0.kind == .directory && matches($0) }
    }

    static func randomFilter(_ entries: [NumberListEntry], _ rng: inout PhoneFuzzRNG) -> String {
        let entry = entries.randomElement(using: &rng)!
        var parts: [String] = []
        if Bool.random(using: &rng) {
            let name = Array(entry.name)
            let start = Int.random(in: 0..<name.count, using: &rng)
            let piece = String(name[start..<min(name.count, start + Int.random(in: 1...4, using: &rng))])
            parts.append(Bool.random(using: &rng) ? piece.uppercased() : piece)
        }
        if Bool.random(using: &rng) {
            let digits = Array(entry.raw.filter(\.isNumber))
            let start = Int.random(in: 0..<digits.count, using: &rng)
            parts.append(String(digits[start..<min(digits.count, start + Int.random(in: 1...5, using: &rng))]))
        }
        if Int.random(in: 0..<4, using: &rng) == 0 { parts.append(String(syllables.randomElement(using: &rng)!.prefix(2))) }
        if Int.random(in: 0..<6, using: &rng) == 0 { parts.append("+44") }
        return parts.shuffled(using: &rng).joined(separator: " ")
    }

    static func shown(_ view: NumberListView) -> [NumberListEntry] { (0..<view.count).map(view.entry(at:)) }

    @Test func randomFiltersEqualTheBruteForceFilter() {
        var rng = PhoneFuzzRNG(state: 16)
        let entries = Self.randomEntries(3000, &rng)
        let data = NumberListData(entries: entries)
        var nonEmpty = 0
        for _ in 0..<300 {
            let filter = Self.randomFilter(entries, &rng)
            let view = NumberListView(data, filter: filter)
            let expected = Self.bruteForce(entries, filter)
            #expect(Self.shown(view) == expected, "filter \"\(filter)\"")
            #expect(view.totalCount == entries.count)
            if !expected.isEmpty && expected.count < entries.count { nonEmpty += 1 }
        }
        #expect(nonEmpty > 100, "the generator should produce filters that keep some entries and drop others")
    }

    /// A scan split across cores (as at a million rows) keeps every match, in order, also when narrowing.
    @Test func aScanSplitAcrossCoresEqualsTheBruteForceFilter() {
        var rng = PhoneFuzzRNG(state: 1_000_000)
        let entries = Self.randomEntries(3000, &rng).filter { $0.kind == .directory }
        let keys = NumberListEntries(entries).searchKeys
        let position = Dictionary(entries.enumerated().map { ($0.element, Int32($0.offset)) }, uniquingKeysWith: min)
        for _ in 0..<200 {
            let text = Self.randomFilter(entries, &rng)
            let filter = NumberListFilter(text)
            let expected = Self.bruteForce(entries, text).map { position[$0]! }
            let split = keys.matching(filter, among: nil, parallelFrom: 64)
            #expect(split == expected, "filter \"\(text)\"")
            let everyOther = (0..<Int32(entries.count)).filter { $0 % 2 == 0 }
            #expect(keys.matching(filter, among: everyOther, parallelFrom: 64) == expected.filter { $0 % 2 == 0 }, "filter \"\(text)\" narrowed")
        }
    }

    @Test func typingAndDeletingCharacterByCharacterEqualsTheBruteForceFilter() {
        var rng = PhoneFuzzRNG(state: 61)
        let entries = Self.randomEntries(2000, &rng)
        var view = NumberListView(NumberListData(entries: entries))
        for _ in 0..<40 {
            let target = Self.randomFilter(entries, &rng)
            var typed = ""
            for c in target {
                typed.append(c)
                view.setFilter(typed)
                #expect(Self.shown(view) == Self.bruteForce(entries, typed), "typed \"\(typed)\"")
            }
            while !typed.isEmpty {
                typed.removeLast(Int.random(in: 1...typed.count, using: &rng))
                view.setFilter(typed)
                #expect(Self.shown(view) == Self.bruteForce(entries, typed), "deleted to \"\(typed)\"")
            }
        }
    }

    @Test func newDataWithTheSameRowsKeepsTheFilterAndTakesTheNewHead() {
        var rng = PhoneFuzzRNG(state: 7)
        let entries = Self.randomEntries(500, &rng)
        let rows = NumberListEntries(entries.filter { $0.kind == .directory })
        var view = NumberListView(NumberListData(head: [], rows: rows), filter: "a")
        let before = view.count
        let fresh = NumberListEntry(kind: .recent, name: "Anna New", raw: "020 7946 0999", e164: "+442079460999", entity: nil)
        view.setData(NumberListData(head: [fresh], rows: rows))
        #expect(view.count == before + 1)
        #expect(view.entry(at: 0) == fresh)
        view.setData(NumberListData(head: [], rows: NumberListEntries([])))
        #expect(view.count == 0)
    }

    @Test func filterParsing() {
        let filter = NumberListFilter("Zoë  +44 (117) nú")
        #expect(filter.words == [Array("zoe".utf8), Array("nu".utf8)])
        #expect(filter.digits == Array("44117".utf8))
        #expect(NumberListFilter("fred 07").narrows(NumberListFilter("fre 0")))
        #expect(!NumberListFilter("fred").narrows(NumberListFilter("fred 0")))
        #expect(NumberListFilter("fr 17").narrows(NumberListFilter("fr 7")))
        #expect(!NumberListFilter("fr 71").narrows(NumberListFilter("fr 17")))
        #expect(NumberListFilter("   ").isEmpty)
    }
}
