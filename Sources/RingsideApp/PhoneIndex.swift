import Foundation
import RingsideCore

/// The in-memory phone index: every E.164 number in the directory → the records carrying it, in a
/// compact, immutable form built once from SQLite at start.
///
/// Layout (no per-record objects, no per-string allocations):
/// * `keys` / `owners`: the numbers as integers (`+447814256404` → 447814256404), sorted, each with the
///   index of its record — 12 bytes a number; a lookup is a binary search (≈20 steps for 1M numbers).
/// * per record: type and flags, last-modified time, and where its strings and phones start.
/// * per phone: its field name (an index into `fieldNames`).
/// * one UTF-8 byte pool holding every string (ids, names, raw numbers…), addressed by slot number.
///
/// Only external numbers (E.164, starting with `+`) are indexed: internal numbers are never looked up.
public struct PhoneIndex: Sendable {
    // Sorted numbers and the record each belongs to.
    var keys = SharedBuffer<UInt64>()
    var owners = SharedBuffer<UInt32>()
    // Records.
    var recordKind = SharedBuffer<UInt8>()  // EntityType ordinal | 0x80 when a person account
    var recordModified = SharedBuffer<UInt64>()  // seconds since 1970 (a Double's bit pattern)
    var recordFirstSlot = SharedBuffer<UInt32>()  // string slots: id, name, accountId, accountName, owner, url, then raw+e164 per phone
    var recordFirstPhone = SharedBuffer<UInt32>([0])  // phones of record i: recordFirstPhone[i] ..< recordFirstPhone[i + 1]
    // Phones of every record, in record order.
    var phoneField = SharedBuffer<UInt8>()
    var fieldNames: [String] = []
    // String pool: slot i is bytes[slotEnds[i - 1] ..< slotEnds[i]] (slot 0 starts at 0).
    var bytes = SharedBuffer<UInt8>()
    var slotEnds = SharedBuffer<UInt32>()
    /// The instance URL shared by record links (`<base>/lightning/r/Type/Id/view` is stored as a marker).
    var urlBase: String?
    /// The number list's rows over this index, when saved with it (a snapshot) or built once.
    var storedList: PhoneIndexNumberList.Stored?
    /// The snapshot file the arrays are mapped from (nil: on the heap).
    var mapping: MappedSnapshot?

    static let slotsPerRecord = 6
    static let derivedURLMarker: UInt8 = 0x01

    /// An empty index.
    public init() {}

    /// Numbers indexed.
    public var numberCount: Int { keys.count }
    /// Records with at least one indexed number.
    public var recordCount: Int { recordKind.count }

    /// Bytes of the index's arrays (on the heap, or mapped from the snapshot file: see `isMapped`).
    public var memoryBytes: Int {
        keys.byteCount + owners.byteCount + recordKind.byteCount + recordModified.byteCount + recordFirstSlot.byteCount
            + recordFirstPhone.byteCount + phoneField.byteCount + bytes.byteCount + slotEnds.byteCount
            + fieldNames.reduce(0) { $0 + $1.utf8.count + 16 }
    }

    /// Whether the arrays are served from the mapped snapshot file (clean pages the kernel can drop and re-read)
    /// rather than the heap.
    public var isMapped: Bool { mapping != nil }

    // MARK: Lookup

    /// The integer key of an E.164 number (`+` then 1–18 digits); nil for anything else.
    @inlinable
    public static func key(_ e164: String) -> UInt64? {
        var utf8 = e164.utf8.makeIterator()
        guard utf8.next() == UInt8(ascii: "+") else { return nil }
        var value: UInt64 = 0
        var digits = 0
        while let byte = utf8.next() {
            guard byte >= 48, byte <= 57, digits < 18 else { return nil }
            value = value &* 10 &+ UInt64(byte &- 48)
            digits += 1
        }
        return digits == 0 ? nil : value
    }

    /// Record indexes carrying the number `key` (each once).
    func recordIndexes(forKey key: UInt64) -> [Int] {
        var low = 0, high = keys.count
        while low < high {
            let mid = (low &+ high) >> 1
            if keys[mid] < key { low = mid &+ 1 } else { high = mid }
        }
        var out: [Int] = []
        var i = low
        while i < keys.count, keys[i] == key {
            let owner = Int(owners[i])
            if !out.contains(owner) { out.append(owner) }
            i += 1
        }
        return out
    }

    /// Every record with a phone equal to `e164`.
    public func records(withNumber e164: String) -> [CRMRecord] {
        guard let key = Self.key(e164) else { return [] }
        return recordIndexes(forKey: key).map(record(at:))
    }

    /// Whether any record carries `e164`.
    public func contains(_ e164: String) -> Bool {
        guard let key = Self.key(e164) else { return false }
        return !recordIndexes(forKey: key).isEmpty
    }

    // MARK: Materialising

    func string(slot: Int) -> String {
        let start = slot == 0 ? 0 : Int(slotEnds[slot - 1])
        let end = Int(slotEnds[slot])
        precondition(start <= end && end <= bytes.count, "phone index slot out of range")
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    func optionalString(slot: Int) -> String? {
        let start = slot == 0 ? 0 : Int(slotEnds[slot - 1])
        return start == Int(slotEnds[slot]) ? nil : string(slot: slot)
    }

    /// The record at `index`, with all its phones.
    func record(at index: Int) -> CRMRecord {
        mapping?.recordTouched()
        let first = Int(recordFirstSlot[index])
        let kind = recordKind[index]
        let type = EntityType.allCases[Int(kind & 0x7F)]
        let id = string(slot: first)
        var url = optionalString(slot: first + 5)
        if url?.utf8.first == Self.derivedURLMarker, let urlBase {
            url = "\(urlBase)/lightning/r/\(type.rawValue)/\(id)/view"
        }
        let phoneStart = Int(recordFirstPhone[index]), phoneEnd = Int(recordFirstPhone[index + 1])
        var phones: [PhoneField] = []
        phones.reserveCapacity(phoneEnd - phoneStart)
        for p in phoneStart..<phoneEnd {
            let slot = first + Self.slotsPerRecord + (p - phoneStart) * 2
            phones.append(PhoneField(field: fieldNames[Int(phoneField[p])], raw: string(slot: slot), e164: optionalString(slot: slot + 1)))
        }
        return CRMRecord(type: type, id: id, name: string(slot: first + 1), accountId: optionalString(slot: first + 2),
                         accountName: optionalString(slot: first + 3), phones: phones, owner: optionalString(slot: first + 4),
                         lastModified: Date(timeIntervalSince1970: Double(bitPattern: recordModified[index])), isPersonAccount: kind & 0x80 != 0, url: url)
    }
}
