import Foundation
@testable import RingsideApp
import RingsideCore
import RingsideTestSupport
import Testing

/// Issue 16 (memory): the index and the number list are served straight from the mapped snapshot, the list's
/// entries come from the index's shared strings, and favourites are hidden by row number. Checked against the
/// entries materialised the old way (one `NumberListEntry` per phone, sorted by folded name) for random
/// directories, and every filter against a brute-force filter over those entries.
@Suite struct PhoneIndexMappedListTests {
    static let syllables = ["an", "bel", "chlo", "é", "da", "ñu", "zo", "ë", "Kwa", "me", "山", "田", "li", "ó", "Pri", "ya"]

    /// Random records: 1–3 phones each, some without an E.164 number (a record with none is not indexed).
    static func randomRecords(_ count: Int, _ rng: inout SeededRNG) -> [CRMRecord] {
        (0..<count).map { i in
            let words = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                (0..<Int.random(in: 1...3, using: &rng)).map { _ in syllables.randomElement(using: &rng)! }.joined().capitalized
            }
            let type = [EntityType.contact, .account, .lead][i % 3]
            let phones = (0..<Int.random(in: 1...3, using: &rng)).map { p -> PhoneField in
                let digits = String(format: "%04d %06d", Int.random(in: 7000...7999, using: &rng), Int.random(in: 0...999_999, using: &rng))
                let e164: String? = Int.random(in: 0..<8, using: &rng) == 0 ? nil : "+44" + digits.replacingOccurrences(of: " ", with: "")
                return PhoneField(field: ["Phone", "MobilePhone", "OtherPhone"][p], raw: "0" + digits, e164: e164)
            }
            return CRMRecord(type: type, id: String(format: "003R%014d", i), name: words.joined(separator: " "),
                             accountId: type == .contact ? String(format: "001A%014d", i / 4) : nil, accountName: type == .account ? nil : "Firm \(i / 4)",
                             phones: phones, owner: "Owner", lastModified: Date(timeIntervalSince1970: 1_780_000_000 + Double(i)))
        }
    }

    /// The old list: one entry per phone of every indexed record, sorted by folded name (ties in record order).
    static func materialised(_ records: [CRMRecord], excluding: Set<String> = []) -> [NumberListEntry] {
        let indexed = records.filter { record in record.phones.contains { $0.e164.flatMap(PhoneIndex.key) != nil } }
        var rows: [(name: [UInt8], position: Int, entry: NumberListEntry)] = []
        for record in indexed {
            for phone in record.phones {
                let entity = EntityRef(type: record.type, id: record.id, name: record.name, accountId: record.accountId)
                rows.append((NumberListFilter.fold(record.name), rows.count,
                             NumberListEntry(kind: .directory, name: record.name, raw: phone.raw, e164: phone.e164, entity: entity, field: phone.field)))
            }
        }
        rows.sort { a, b in a.name == b.name ? a.position < b.position : a.name.lexicographicallyPrecedes(b.name) }
        return rows.map(\.entry).filter { !excluding.contains($0.entity!.id) }
    }

    static func index(_ records: [CRMRecord]) -> PhoneIndex {
        var builder = PhoneIndex.Builder()
        for record in records { builder.add(record) }
        return builder.build()
    }

    /// The index saved as a snapshot and read back (mapped).
    static func mapped(_ index: PhoneIndex) throws -> PhoneIndex {
        let path = NSTemporaryDirectory() + "ringside-mapped-\(UUID().uuidString).index"
        defer { unlink(path) }
        try PhoneIndexSnapshot.write(index, revision: 42, to: path)
        switch PhoneIndexSnapshot.read(path: path, revision: 42) {
        case .success(let index): return index   // still mapped after the unlink (the mapping holds the file)
        case .failure(let rejection): throw rejection
        }
    }

    static func entries(_ list: PhoneIndexNumberList) -> [NumberListEntry] { (0..<list.count).map(list.entry(at:)) }

    @Test(arguments: [1, 2, 3])
    func listEntriesOverTheSharedStringsEqualTheMaterialisedEntries(seed: UInt64) throws {
        var rng = SeededRNG(seed: seed)
        let records = Self.randomRecords(400, &rng)
        let heap = Self.index(records)
        let mapped = try Self.mapped(heap)
        #expect(!heap.isMapped)
        #expect(mapped.isMapped)
        #expect(mapped.storedList != nil, "the snapshot carries the list's rows and keys")
        let expected = Self.materialised(records)
        #expect(expected.count > 400)
        #expect(Self.entries(PhoneIndexNumberList(heap)) == expected)
        #expect(Self.entries(PhoneIndexNumberList(mapped)) == expected)
        // Lookups from the mapped index equal the heap index's.
        for record in records {
            for phone in record.phones {
                guard let e164 = phone.e164 else { continue }
                #expect(mapped.records(withNumber: e164) == heap.records(withNumber: e164))
            }
        }
        // Favourites hidden by row: the same entries as a list built without them.
        let favourites = Set(records.shuffled(using: &rng).prefix(25).map(\.id))
        let hiddenExpected = Self.materialised(records, excluding: favourites)
        #expect(Self.entries(PhoneIndexNumberList(mapped, excluding: favourites)) == hiddenExpected)
        #expect(Self.entries(PhoneIndexNumberList(heap, excluding: favourites)) == hiddenExpected)
    }

    /// Filters (typed one character at a time, so narrowing is exercised too) equal a brute-force filter over the
    /// materialised entries, with and without hidden favourites.
    @Test func filtersOverTheMappedListEqualTheBruteForceFilter() throws {
        var rng = SeededRNG(seed: 160)
        let records = Self.randomRecords(600, &rng)
        let mapped = try Self.mapped(Self.index(records))
        let favourites = Set(records.shuffled(using: &rng).prefix(40).map(\.id))
        for excluding in [Set<String>(), favourites] {
            let expectedAll = Self.materialised(records, excluding: excluding)
            var view = NumberListView(NumberListData(head: [], rows: PhoneIndexNumberList(mapped, excluding: excluding)))
            var kept = 0
            for _ in 0..<60 {
                let target = expectedAll.randomElement(using: &rng)!
                let word = String(target.name.split(separator: " ").randomElement(using: &rng)!.prefix(3))
                let digits = String(target.raw.filter(\.isNumber).suffix(Int.random(in: 1...6, using: &rng)))
                let text = Bool.random(using: &rng) ? "\(word) \(digits)" : digits
                var typed = ""
                for character in text {
                    typed.append(character)
                    view.setFilter(typed)
                    let expected = Self.bruteForce(expectedAll, typed)
                    #expect((0..<view.count).map(view.entry(at:)) == expected, "filter \"\(typed)\"")
                }
                if view.count > 0 && view.count < expectedAll.count { kept += 1 }
                view.setFilter("")
                #expect(view.count == expectedAll.count)
            }
            #expect(kept > 20)
        }
    }

    /// Issue 16 (memory at 100k): a filter scans every row's search keys, making their mapped pages resident;
    /// once the filter is cleared those pages are given back (they stay in the page cache for the next filter),
    /// and the list still filters correctly afterwards.
    @Test func clearingTheFilterGivesTheSearchKeysPagesBack() throws {
        var rng = SeededRNG(seed: 161)
        let records = Self.randomRecords(20_000, &rng)
        let mapped = try Self.mapped(Self.index(records))
        let mapping = try #require(mapped.mapping)
        let keysRange = mapping.recordsRange.upperBound..<mapping.size
        #expect(keysRange.count > 1 << 20, "enough key pages to measure")
        let expectedAll = Self.materialised(records)
        var view = NumberListView(NumberListData(head: [], rows: PhoneIndexNumberList(mapped)))
        let before = try #require(mapping.residentBytes(keysRange))
        view.setFilter("an 7")
        #expect(view.count > 0)
        let scanned = try #require(mapping.residentBytes(keysRange))
        #expect(scanned > before + keysRange.count / 2, "the scan made the keys resident (\(before) → \(scanned))")
        view.setFilter("")
        #expect(view.count == expectedAll.count)
        let cleared = try #require(mapping.residentBytes(keysRange))
        #expect(cleared < keysRange.count / 8, "cleared filter: keys given back (\(scanned) → \(cleared))")
        view.setFilter("an 7")
        #expect((0..<view.count).map(view.entry(at:)) == Self.bruteForce(expectedAll, "an 7"))
    }

    /// Rows read back from a file must belong to their records, or the list is not trusted.
    @Test func storedRowsThatDisagreeWithTheIndexAreRejected() throws {
        var rng = SeededRNG(seed: 7)
        let index = Self.index(Self.randomRecords(50, &rng))
        let good = PhoneIndexNumberList.Stored(index)
        #expect(PhoneIndexNumberList.Stored(rowPhone: good.rowPhone, rowRecord: good.rowRecord, searchKeys: good.searchKeys, index: index) != nil)
        var records = Array(good.rowRecord)
        let row = records.firstIndex { $0 != records[0] }!
        records.swapAt(0, row)
        #expect(PhoneIndexNumberList.Stored(rowPhone: good.rowPhone, rowRecord: SharedBuffer(records), searchKeys: good.searchKeys,
                                            index: index) == nil)
        #expect(PhoneIndexNumberList.Stored(rowPhone: SharedBuffer(Array(good.rowPhone.dropLast())), rowRecord: good.rowRecord,
                                            searchKeys: good.searchKeys, index: index) == nil)
    }

    /// The number list's filter semantics, by brute force: every folded word in the folded name, the digits in the
    /// E.164 or raw number's digits.
    static func bruteForce(_ entries: [NumberListEntry], _ text: String) -> [NumberListEntry] {
        func fold(_ s: String) -> String { s.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased() }
        let punctuation = Set("+-().*/#")
        var words: [String] = []
        var digits = ""
        for token in text.split(whereSeparator: \.isWhitespace) {
            if token.contains(where: { $0.isASCII && $0.isNumber }) && token.allSatisfy({ ($0.isASCII && $0.isNumber) || punctuation.contains($0) }) {
                digits += token.filter { $0.isASCII && $0.isNumber }
            } else if !fold(String(token)).isEmpty {
                words.append(fold(String(token)))
            }
        }
        return entries.filter { e in
            let name = fold(e.name)
            guard words.allSatisfy({ name.contains($0) }) else { return false }
            guard !digits.isEmpty else { return true }
            return (e.e164 ?? "").filter(\.isNumber).contains(digits) || e.raw.filter(\.isNumber).contains(digits)
        }
    }
}
