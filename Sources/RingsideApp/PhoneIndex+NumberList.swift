import Foundation
import RingsideCore

/// The number list's directory rows as a view over a `PhoneIndex`: one row per phone of every record, sorted by
/// folded name, without copying any string (rows materialise from the index's byte pool when shown). Built once
/// per index snapshot, off the key path.
public final class PhoneIndexNumberList: NumberListSource {
    let index: PhoneIndex
    /// Row → phone (global phone index) and its record, in display order.
    let rowPhone: [UInt32]
    let rowRecord: [UInt32]
    public let searchKeys: NumberListSearchKeys

    /// - Parameter excluding: record ids left out (favourites, shown in the list's head instead).
    public init(_ index: PhoneIndex, excluding: Set<String> = []) {
        self.index = index
        let records = index.recordCount
        // Folded names, one per record.
        var folded: [UInt8] = []
        var foldedEnds: [UInt32] = []
        folded.reserveCapacity(index.bytes.count / 4)
        foldedEnds.reserveCapacity(records)
        var prefixes: [UInt64] = []
        prefixes.reserveCapacity(records)
        for record in 0..<records {
            let start = folded.count
            folded += NumberListFilter.fold(index.string(slot: Int(index.recordFirstSlot[record]) + 1))
            foldedEnds.append(UInt32(folded.count))
            var prefix: UInt64 = 0
            for i in 0..<8 { prefix = prefix << 8 | UInt64(start + i < folded.count ? folded[start + i] : 0) }
            prefixes.append(prefix)
        }
        // Rows: every phone of every record kept.
        var rows: [(record: UInt32, phone: UInt32)] = []
        rows.reserveCapacity(index.phoneField.count)
        for record in 0..<records {
            if !excluding.isEmpty, excluding.contains(index.string(slot: Int(index.recordFirstSlot[record]))) { continue }
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
        rowRecord = rows.map(\.record)
        rowPhone = rows.map(\.phone)
        var keys = NumberListSearchKeys()
        keys.reserve(rows: rows.count, nameBytes: folded.count + folded.count / 2, digitBytes: rows.count * 26)
        folded.withUnsafeBufferPointer { pool in
            index.bytes.withUnsafeBufferPointer { bytes in
                func slot(_ slot: Int) -> UnsafeBufferPointer<UInt8> {
                    let start = slot == 0 ? 0 : Int(index.slotEnds[slot - 1])
                    return UnsafeBufferPointer(rebasing: bytes[start..<Int(index.slotEnds[slot])])
                }
                for (record, phone) in rows {
                    let r = Int(record)
                    let nameStart = r == 0 ? 0 : Int(foldedEnds[r - 1])
                    let rawSlot = Self.rawSlot(index, record: r, phone: Int(phone))
                    keys.append(foldedName: UnsafeBufferPointer(rebasing: pool[nameStart..<Int(foldedEnds[r])]),
                                e164: slot(rawSlot + 1), raw: slot(rawSlot))
                }
            }
        }
        searchKeys = keys
    }

    static func rawSlot(_ index: PhoneIndex, record: Int, phone: Int) -> Int {
        Int(index.recordFirstSlot[record]) + PhoneIndex.slotsPerRecord + (phone - Int(index.recordFirstPhone[record])) * 2
    }

    public var count: Int { rowPhone.count }

    /// Bytes held besides the index itself.
    public var memoryBytes: Int { (rowPhone.capacity + rowRecord.capacity) * 4 + searchKeys.memoryBytes }

    public func entry(at row: Int) -> NumberListEntry {
        let record = Int(rowRecord[row]), phone = Int(rowPhone[row])
        let first = Int(index.recordFirstSlot[record])
        let type = EntityType.allCases[Int(index.recordKind[record] & 0x7F)]
        let name = index.string(slot: first + 1)
        let entity = EntityRef(type: type, id: index.string(slot: first), name: name, accountId: index.optionalString(slot: first + 2))
        let rawSlot = Self.rawSlot(index, record: record, phone: phone)
        return NumberListEntry(kind: .directory, name: name, raw: index.string(slot: rawSlot), e164: index.optionalString(slot: rawSlot + 1),
                               entity: entity, field: index.fieldNames[Int(index.phoneField[phone])])
    }
}
