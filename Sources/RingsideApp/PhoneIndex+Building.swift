import Foundation
import RingsideCore
import RingsideStore

extension PhoneIndex {
    /// Builds a `PhoneIndex` record by record; records without an E.164 number are left out.
    public struct Builder {
        /// The index's arrays while they grow (the two big ones without copying: see `GrowingBuffer`).
        struct Parts {
            var recordKind: [UInt8] = []
            var recordModified: [UInt64] = []
            var recordFirstSlot: [UInt32] = []
            var recordFirstPhone: [UInt32] = [0]
            var phoneField: [UInt8] = []
            var fieldNames: [String] = []
            var bytes = GrowingBuffer<UInt8>()
            var slotEnds = GrowingBuffer<UInt32>()
            var urlBase: String?
        }
        var parts = Parts()
        /// A number's key and its record, sorted by key when the index is built.
        struct Pending: BitwiseCopyable {
            var key: UInt64
            var owner: UInt32
        }
        private var pending = GrowingBuffer<Pending>()
        private var fieldCodes: [String: UInt8] = [:]
        private var open = false
        private var openHasKey = false
        private var openSlotStart = 0
        private var openByteStart = 0
        private var openPhoneStart = 0
        private var openPendingStart = 0
        private var openId = ""
        private var openType = EntityType.contact

        /// - Parameter spillDirectory: where the byte pool and slot ends may live in an unlinked file instead of
        ///   memory (a rebuild from SQLite: see `GrowingBuffer`).
        public init(expectedNumbers: Int = 0, spillDirectory: String? = nil) {
            if let spillDirectory {
                parts.bytes = GrowingBuffer(spillingTo: spillDirectory)
                parts.slotEnds = GrowingBuffer(spillingTo: spillDirectory)
            }
            if expectedNumbers > 0 {
                parts.phoneField.reserveCapacity(expectedNumbers)
            }
        }

        private mutating func addSlot(_ text: String?) {
            if let text { parts.bytes.append(contentsOf: text) }
            parts.slotEnds.append(UInt32(parts.bytes.count))
        }

        /// Starts a record; follow with `addPhone` calls and `endRecord()`.
        public mutating func beginRecord(type: EntityType, id: String, name: String, accountId: String?, accountName: String?,
                                         owner: String?, lastModified: Date, isPersonAccount: Bool, url: String?) {
            precondition(!open, "endRecord() before beginning another record")
            open = true
            openHasKey = false
            openSlotStart = parts.slotEnds.count
            openByteStart = parts.bytes.count
            openPhoneStart = parts.phoneField.count
            openPendingStart = pending.count
            openId = id
            openType = type
            let ordinal = UInt8(EntityType.allCases.firstIndex(of: type)!)
            parts.recordKind.append(ordinal | (isPersonAccount ? 0x80 : 0))
            parts.recordModified.append(lastModified.timeIntervalSince1970.bitPattern)
            parts.recordFirstSlot.append(UInt32(openSlotStart))
            addSlot(id)
            addSlot(name)
            addSlot(accountId)
            addSlot(accountName)
            addSlot(owner)
            addSlot(compactURL(url, type: type, id: id))
        }

        private mutating func compactURL(_ url: String?, type: EntityType, id: String) -> String? {
            guard let url else { return nil }
            let suffix = "/lightning/r/\(type.rawValue)/\(id)/view"
            guard url.hasSuffix(suffix) else { return url }
            let base = String(url.dropLast(suffix.count))
            if parts.urlBase == nil { parts.urlBase = base }
            return parts.urlBase == base ? String(UnicodeScalar(PhoneIndex.derivedURLMarker)) : url
        }

        /// Adds a phone of the open record; indexed when `e164` is an E.164 number.
        public mutating func addPhone(field: String, raw: String, e164: String?) {
            precondition(open, "beginRecord() first")
            let code: UInt8
            if let known = fieldCodes[field] {
                code = known
            } else {
                precondition(parts.fieldNames.count < 255, "too many distinct phone field names")
                code = UInt8(parts.fieldNames.count)
                parts.fieldNames.append(field)
                fieldCodes[field] = code
            }
            parts.phoneField.append(code)
            addSlot(raw)
            addSlot(e164)
            if let e164, let key = PhoneIndex.key(e164) {
                pending.append(Pending(key: key, owner: UInt32(parts.recordKind.count - 1)))
                openHasKey = true
            }
        }

        /// Closes the open record; drops it when none of its phones is an E.164 number.
        public mutating func endRecord() {
            precondition(open, "beginRecord() first")
            open = false
            if openHasKey {
                parts.recordFirstPhone.append(UInt32(parts.phoneField.count))
                return
            }
            parts.recordKind.removeLast()
            parts.recordModified.removeLast()
            parts.recordFirstSlot.removeLast()
            parts.phoneField.removeSubrange(openPhoneStart...)
            parts.slotEnds.truncate(to: openSlotStart)
            parts.bytes.truncate(to: openByteStart)
            pending.truncate(to: openPendingStart)
        }

        /// Adds a whole record.
        public mutating func add(_ record: CRMRecord) {
            beginRecord(type: record.type, id: record.id, name: record.name, accountId: record.accountId, accountName: record.accountName,
                        owner: record.owner, lastModified: record.lastModified, isPersonAccount: record.isPersonAccount, url: record.url)
            for phone in record.phones { addPhone(field: phone.field, raw: phone.raw, e164: phone.e164) }
            endRecord()
        }

        /// The finished index (numbers sorted). The byte pool and slot ends are handed over as they are; the
        /// smaller arrays are copied to their exact size.
        public consuming func build() -> PhoneIndex {
            precondition(!open, "endRecord() before build()")
            pending.sort { (a: Pending, b: Pending) -> Bool in a.key != b.key ? a.key < b.key : a.owner < b.owner }
            var index = PhoneIndex()
            let keys = GrowingBuffer<UInt64>(), owners = GrowingBuffer<UInt32>()
            for entry in pending.mutableBuffer {
                keys.append(entry.key)
                owners.append(entry.owner)
            }
            pending = GrowingBuffer()
            index.keys = keys.shared
            index.owners = owners.shared
            index.bytes = parts.bytes.shared
            index.slotEnds = parts.slotEnds.shared
            index.phoneField = SharedBuffer(parts.phoneField)
            index.recordKind = SharedBuffer(parts.recordKind)
            index.recordModified = SharedBuffer(parts.recordModified)
            index.recordFirstSlot = SharedBuffer(parts.recordFirstSlot)
            index.recordFirstPhone = SharedBuffer(parts.recordFirstPhone)
            index.fieldNames = parts.fieldNames
            index.urlBase = parts.urlBase
            return index
        }
    }

    /// Builds the index from every directory record in SQLite (all sources: synced, demo, imported).
    public static func load(from store: PhoneIndexStore) throws -> PhoneIndex {
        try loadWithRevision(from: store).index
    }

    /// Builds the index from SQLite, with the directory revision those rows are (read in the same transaction).
    /// - Parameter spillDirectory: see `Builder.init(expectedNumbers:spillDirectory:)`.
    public static func loadWithRevision(from store: PhoneIndexStore, spillDirectory: String? = nil) throws -> (index: PhoneIndex, revision: Int64) {
        var builder = Builder(spillDirectory: spillDirectory)
        var currentId: String?
        let revision = try store.forEachPhoneRow { row in
            if row.id != currentId {
                if currentId != nil { builder.endRecord() }
                currentId = row.id
                builder.beginRecord(type: EntityType(rawValue: row.type) ?? .contact, id: row.id, name: row.name, accountId: row.accountId,
                                    accountName: row.accountName, owner: row.owner, lastModified: row.lastModified,
                                    isPersonAccount: row.isPersonAccount, url: row.url)
            }
            builder.addPhone(field: row.field, raw: row.raw, e164: row.e164)
        }
        if currentId != nil { builder.endRecord() }
        return (builder.build(), revision)
    }
}
