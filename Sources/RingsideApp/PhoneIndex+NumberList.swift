import Foundation
import RingsideCore

/// The number list's directory rows as a view over a `PhoneIndex`: one row per phone of every record, sorted by
/// folded name, without copying any string (rows materialise from the index's byte pool when shown).
///
/// The sorted rows and their search keys (`Stored`) are built once per index and saved in its snapshot, so a
/// restart maps them like the index instead of rebuilding them. Records left out (favourites, shown in the
/// list's head) are hidden by row number: the stored rows are shared, never copied.
public final class PhoneIndexNumberList: NumberListSource {
    /// Every record's phones in display order, and their search keys.
    public struct Stored: Sendable {
        /// Row → phone (global phone number of the index) and its record.
        let rowPhone: SharedBuffer<UInt32>
        let rowRecord: SharedBuffer<UInt32>
        let searchKeys: NumberListSearchKeys

        /// Rows read back from a snapshot; nil unless they agree with `index` (every row a phone of its record).
        init?(rowPhone: SharedBuffer<UInt32>, rowRecord: SharedBuffer<UInt32>, searchKeys: NumberListSearchKeys, index: PhoneIndex) {
            guard rowPhone.count == rowRecord.count, searchKeys.count == rowPhone.count, rowPhone.count == index.phoneField.count else {
                return nil
            }
            let records = index.recordCount
            let consistent = rowPhone.withUnsafeBufferPointer { phones in
                rowRecord.withUnsafeBufferPointer { owners in
                    index.recordFirstPhone.withUnsafeBufferPointer { first in
                        for row in 0..<phones.count {
                            let record = Int(owners[row]), phone = phones[row]
                            guard record < records, first[record] <= phone, phone < first[record + 1] else { return false }
                        }
                        return true
                    }
                }
            }
            guard consistent else { return nil }
            self.rowPhone = rowPhone
            self.rowRecord = rowRecord
            self.searchKeys = searchKeys
        }

        /// Builds the rows of `index`: folds every name, sorts, keys every row. A mapped index's pages are given
        /// back every `releaseEvery` records or rows read (a rebuild reads all of them).
        init(_ index: PhoneIndex) {
            let records = index.recordCount
            let releaseEvery = 1 << 16
            // Folded names, one per record (ASCII names fold to as many bytes).
            var nameBytes = 0
            for record in 0..<records {
                let slot = Int(index.recordFirstSlot[record]) + 1
                nameBytes += Int(index.slotEnds[slot]) - Int(index.slotEnds[slot - 1])
            }
            var folded: [UInt8] = []
            var foldedEnds: [UInt32] = []
            folded.reserveCapacity(nameBytes + 64)
            foldedEnds.reserveCapacity(records)
            var prefixes: [UInt64] = []
            prefixes.reserveCapacity(records)
            for record in 0..<records {
                if record % releaseEvery == releaseEvery - 1 { index.mapping?.release() }
                let start = folded.count
                folded += NumberListFilter.fold(index.string(slot: Int(index.recordFirstSlot[record]) + 1))
                foldedEnds.append(UInt32(folded.count))
                var prefix: UInt64 = 0
                for i in 0..<8 { prefix = prefix << 8 | UInt64(start + i < folded.count ? folded[start + i] : 0) }
                prefixes.append(prefix)
            }
            // Rows: every phone of every record.
            var rows: [(record: UInt32, phone: UInt32)] = []
            rows.reserveCapacity(index.phoneField.count)
            for record in 0..<records {
                for phone in Int(index.recordFirstPhone[record])..<Int(index.recordFirstPhone[record + 1]) {
                    rows.append((UInt32(record), UInt32(phone)))
                }
            }
            folded.withUnsafeBufferPointer { pool in
                func name(_ record: UInt32) -> UnsafeBufferPointer<UInt8> {
                    let r = Int(record)
                    let start = r == 0 ? 0 : Int(foldedEnds[r - 1])
                    return UnsafeBufferPointer(rebasing: pool[start..<Int(foldedEnds[r])])
                }
                rows.sort { a, b in
                    if a.record == b.record { return a.phone < b.phone }
                    let pa = prefixes[Int(a.record)], pb = prefixes[Int(b.record)]
                    if pa != pb { return pa < pb }
                    let na = name(a.record), nb = name(b.record)
                    let common = min(na.count, nb.count)
                    let order = common == 0 ? 0 : memcmp(na.baseAddress!, nb.baseAddress!, common)
                    if order != 0 { return order < 0 }
                    if na.count != nb.count { return na.count < nb.count }
                    return a.phone < b.phone
                }
            }
            prefixes = []
            // The keys (as `NumberListSearchKeys.Builder` packs them) go straight into buffers that grow without
            // copying and become the list's arrays as they are (a million rows' keys are 50 MiB).
            let names = GrowingBuffer<UInt8>(), nameEnds = GrowingBuffer<UInt32>()
            let digits = GrowingBuffer<UInt8>(), digitEnds = GrowingBuffer<UInt32>()
            let separator = NumberListSearchKeys.separator
            folded.withUnsafeBufferPointer { pool in
                index.bytes.withUnsafeBufferPointer { bytes in
                    func slot(_ slot: Int) -> UnsafeBufferPointer<UInt8> {
                        let start = slot == 0 ? 0 : Int(index.slotEnds[slot - 1])
                        return UnsafeBufferPointer(rebasing: bytes[start..<Int(index.slotEnds[slot])])
                    }
                    for (row, (record, phone)) in rows.enumerated() {
                        if row % releaseEvery == releaseEvery - 1 { index.mapping?.release() }
                        let r = Int(record)
                        let nameStart = r == 0 ? 0 : Int(foldedEnds[r - 1])
                        let rawSlot = PhoneIndexNumberList.rawSlot(index, record: r, phone: Int(phone))
                        names.append(contentsOf: UnsafeBufferPointer(rebasing: pool[nameStart..<Int(foldedEnds[r])]))
                        nameEnds.append(UInt32(names.count))
                        for byte in slot(rawSlot + 1) where byte >= 48 && byte <= 57 { digits.append(byte) }
                        digits.append(separator)
                        for byte in slot(rawSlot) where byte >= 48 && byte <= 57 { digits.append(byte) }
                        digitEnds.append(UInt32(digits.count))
                    }
                }
            }
            folded = []
            foldedEnds = []
            let rowRecords = GrowingBuffer<UInt32>(), rowPhones = GrowingBuffer<UInt32>()
            for (record, phone) in rows {
                rowRecords.append(record)
                rowPhones.append(phone)
            }
            rows = []
            rowRecord = rowRecords.shared
            rowPhone = rowPhones.shared
            searchKeys = NumberListSearchKeys(names: names.shared, nameEnds: nameEnds.shared, digits: digits.shared, digitEnds: digitEnds.shared,
                                              rows: rowRecord.count)!
        }

        /// Bytes held (heap, or mapped from the snapshot).
        var memoryBytes: Int { rowPhone.byteCount + rowRecord.byteCount + searchKeys.memoryBytes }
    }

    let index: PhoneIndex
    let stored: Stored
    /// Stored rows left out (their records are in `excluding`), ascending.
    let hidden: [Int32]

    /// - Parameter excluding: record ids left out (favourites, shown in the list's head instead).
    public init(_ index: PhoneIndex, excluding: Set<String> = []) {
        self.index = index
        stored = index.storedList ?? Stored(index)
        hidden = Self.rows(of: excluding, in: index, stored: stored)
    }

    /// Stored rows whose record id is in `ids`.
    static func rows(of ids: Set<String>, in index: PhoneIndex, stored: Stored) -> [Int32] {
        guard !ids.isEmpty else { return [] }
        var records = Set<UInt32>()
        for record in 0..<index.recordCount where ids.contains(index.string(slot: Int(index.recordFirstSlot[record]))) {
            records.insert(UInt32(record))
        }
        // That scan read every record's id: give the mapped pages back (they stay in the page cache).
        index.mapping?.release()
        guard !records.isEmpty else { return [] }
        var rows: [Int32] = []
        stored.rowRecord.withUnsafeBufferPointer { owners in
            for row in 0..<owners.count where records.contains(owners[row]) { rows.append(Int32(row)) }
        }
        return rows
    }

    static func rawSlot(_ index: PhoneIndex, record: Int, phone: Int) -> Int {
        Int(index.recordFirstSlot[record]) + PhoneIndex.slotsPerRecord + (phone - Int(index.recordFirstPhone[record])) * 2
    }

    public var count: Int { stored.rowPhone.count - hidden.count }

    /// Bytes held besides the index itself (heap, or mapped from the snapshot: see `PhoneIndex.isMapped`).
    public var memoryBytes: Int { stored.memoryBytes + hidden.count * 4 }

    /// The search keys of the stored rows (hidden rows included).
    public var searchKeys: NumberListSearchKeys { stored.searchKeys }

    /// The stored row shown at `row`.
    func storedRow(_ row: Int) -> Int {
        var position = row
        for hiddenRow in hidden {
            guard Int(hiddenRow) <= position else { break }
            position += 1
        }
        return position
    }

    public func entry(at row: Int) -> NumberListEntry {
        index.mapping?.recordTouched()
        let position = storedRow(row)
        let record = Int(stored.rowRecord[position]), phone = Int(stored.rowPhone[position])
        let first = Int(index.recordFirstSlot[record])
        let type = EntityType.allCases[Int(index.recordKind[record] & 0x7F)]
        let name = index.string(slot: first + 1)
        let entity = EntityRef(type: type, id: index.string(slot: first), name: name, accountId: index.optionalString(slot: first + 2))
        let rawSlot = Self.rawSlot(index, record: record, phone: phone)
        return NumberListEntry(kind: .directory, name: name, raw: index.string(slot: rawSlot), e164: index.optionalString(slot: rawSlot + 1),
                               entity: entity, field: index.fieldNames[Int(index.phoneField[phone])])
    }

    /// Gives the mapped search keys' pages back: a filter scans them all, and without one they are not needed
    /// (at 100k numbers they are 5 MiB of the console's resident set; the next filter maps them again from the
    /// page cache).
    public func filterCleared() {
        index.mapping?.release(index.mapping.map { $0.recordsRange.upperBound..<$0.size })
    }

    public func matching(_ filter: NumberListFilter, among candidates: [Int32]?) -> [Int32] {
        guard !hidden.isEmpty else { return stored.searchKeys.matching(filter, among: candidates) }
        // Shown rows → stored rows, match, then back (hidden rows dropped); both walks are merges of ascending lists.
        var storedCandidates: [Int32]?
        if let candidates {
            var out: [Int32] = []
            out.reserveCapacity(candidates.count)
            var skipped = 0
            for row in candidates {
                while skipped < hidden.count, Int(hidden[skipped]) <= Int(row) + skipped { skipped += 1 }
                out.append(row + Int32(skipped))
            }
            storedCandidates = out
        }
        let matches = stored.searchKeys.matching(filter, among: storedCandidates)
        var out: [Int32] = []
        out.reserveCapacity(matches.count)
        var before = 0
        for row in matches {
            while before < hidden.count, hidden[before] < row { before += 1 }
            if before < hidden.count, hidden[before] == row { continue }
            out.append(row - Int32(before))
        }
        return out
    }
}
