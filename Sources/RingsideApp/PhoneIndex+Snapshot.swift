import Foundation
import RingsideCore
import RingsideStore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A saved copy of the in-memory phone index (issue 16): a restart maps this file instead of re-reading a
/// million rows from SQLite.
///
/// Layout: a 40-byte header — magic `RSIDXSNP`, format version, the directory revision it was built from,
/// the payload's length and a checksum — then the index's arrays and the number list's sorted rows and search
/// keys as raw little-endian bytes, each preceded by its element count and 8-byte aligned. A snapshot is used
/// only when magic, version, length, checksum and revision all match and its arrays agree with each other;
/// anything else (corrupt, truncated, stale, another version) is ignored and rebuilt from SQLite.
///
/// A snapshot in use is served straight from the mapped file (no copy on the heap): its pages are clean and
/// shared with the page cache, and only those touched (lookups, rows on screen, a filter scan) are resident.
/// Checking it reads every page once; those pages are given back as soon as they are checked.
public enum PhoneIndexSnapshot {
    static let magic: [UInt8] = Array("RSIDXSNP".utf8)
    /// Bumped whenever the layout of `PhoneIndex` or of this file changes.
    static let version: UInt32 = 2
    static let headerSize = 40

    /// Why a snapshot was not used.
    public enum Rejection: Error, Equatable, Sendable {
        case missing
        case unreadable(String)
        case notASnapshot
        case otherVersion(UInt32)
        case truncated
        case checksumMismatch
        case stale(snapshot: Int64, database: Int64)
    }

    /// How the index was obtained.
    public enum Source: Equatable, Sendable {
        case snapshot
        case database(rejected: Rejection)
    }

    // MARK: Loading

    /// The index for `store`: from the snapshot at `path` when it matches the directory's revision, else built
    /// from SQLite and saved to `path` for the next start (a failure to save only costs the next start time).
    public static func load(store: PhoneIndexStore, path: String) throws -> (index: PhoneIndex, source: Source) {
        let revision = try store.revision()
        switch read(path: path, revision: revision) {
        case .success(let index):
            return (index, .snapshot)
        case .failure(let rejection):
            let folder = (path as NSString).deletingLastPathComponent
            var (index, revision) = try PhoneIndex.loadWithRevision(from: store, spillDirectory: folder.isEmpty ? "." : folder)
            // Saved, then served from the file like at the next start (the heap copies are released).
            if (try? writeBuildingList(&index, revision: revision, to: path)) != nil {
                // The list's heap copy goes before the file is read back (reading it checks every array).
                index.storedList = nil
                if case .success(let mapped) = read(path: path, revision: revision) { index = mapped }
            }
            if index.storedList == nil { index.storedList = PhoneIndexNumberList.Stored(index) }
            return (index, .database(rejected: rejection))
        }
    }

    /// Reads the snapshot at `path` if it is intact and was built from `revision`.
    public static func read(path: String, revision: Int64) -> Result<PhoneIndex, Rejection> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno)))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        let size = Int(info.st_size)
        guard size >= headerSize else { return .failure(size == 0 ? .truncated : .notASnapshot) }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            return .failure(.unreadable(String(cString: strerror(errno))))
        }
        let mapping = MappedSnapshot(base: UnsafeRawPointer(base), size: size)
        // Lookups and the rows on screen touch a few scattered pages: no read-ahead or fault-around of neighbours.
        _ = madvise(base, size, MADV_RANDOM)
        let bytes = UnsafeRawBufferPointer(start: base, count: size)
        guard Array(bytes[0..<8]) == magic else { return .failure(.notASnapshot) }
        let version = bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        guard version == Self.version else { return .failure(.otherVersion(version)) }
        let snapshotRevision = bytes.loadUnaligned(fromByteOffset: 16, as: Int64.self)
        let length = Int(bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        guard length == size - headerSize else { return .failure(.truncated) }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[headerSize...])
        guard length % 8 == 0 else { return .failure(.truncated) }
        // Hashed a piece at a time, each piece's pages given back once hashed (peak memory stays low).
        var hash = Checksum()
        var offset = 0
        while offset < payload.count {
            let end = min(payload.count, offset + MappedSnapshot.pieceBytes)
            hash.add(UnsafeRawBufferPointer(rebasing: payload[offset..<end]))
            mapping.release(headerSize + offset ..< headerSize + end)
            offset = end
        }
        guard hash.value == bytes.loadUnaligned(fromByteOffset: 32, as: UInt64.self) else { return .failure(.checksumMismatch) }
        guard snapshotRevision == revision else { return .failure(.stale(snapshot: snapshotRevision, database: revision)) }
        var reader = Reader(bytes: payload, mapping: mapping)
        let index = reader.index()
        mapping.release()  // the consistency checks touched most arrays
        guard let index else { return .failure(.truncated) }
        return .success(index)
    }

    // MARK: Saving

    /// Writes `index` (built from the directory at `revision`) to `path` atomically, readable by the owner only.
    /// The arrays are streamed to the file (no second copy of the index in memory).
    public static func write(_ index: PhoneIndex, revision: Int64, to path: String) throws {
        var (writer, temporary) = try start(path, mode: O_WRONLY)
        writer.indexArrays(index)
        writer.listArrays(index.storedList ?? PhoneIndexNumberList.Stored(index))
        try finish(&writer, revision: revision, temporary: temporary, path: path)
    }

    /// Writes a freshly built `index` (without its list) to `path` with its number list, keeping the peak memory of
    /// a rebuild low (issue 16: 260 MiB at 1M numbers): the index's arrays are written first and `index` is
    /// switched to them mapped from the file, so its heap copy is gone before the list is built from it; then the
    /// list is written. On return `index` is served from the file, its list from the heap (read the file back to
    /// serve both from it).
    static func writeBuildingList(_ index: inout PhoneIndex, revision: Int64, to path: String) throws {
        var (writer, temporary) = try start(path, mode: O_RDWR)  // read back: the index part is mapped below
        let fd = writer.fd
        writer.indexArrays(index)
        let indexEnd = headerSize + writer.hashedBytes
        guard writer.ok, let base = mmap(nil, indexEnd, PROT_READ, MAP_SHARED, fd, 0), base != MAP_FAILED else {
            let reason = String(cString: strerror(errno))
            close(fd)
            unlink(temporary)
            throw SnapshotError(path: path, reason: reason)
        }
        let mapping = MappedSnapshot(base: UnsafeRawPointer(base), size: indexEnd)
        _ = madvise(base, indexEnd, MADV_RANDOM)
        var reader = Reader(bytes: UnsafeRawBufferPointer(start: base + headerSize, count: indexEnd - headerSize), mapping: mapping)
        guard let part = reader.indexPart(), reader.offset == indexEnd - headerSize else {
            close(fd)
            unlink(temporary)
            throw SnapshotError(path: path, reason: "the index written could not be read back")
        }
        mapping.release()
        index = part  // the heap copy goes here
        let list = PhoneIndexNumberList.Stored(index)
        mapping.release()
        writer.listArrays(list)
        index.storedList = list
        try finish(&writer, revision: revision, temporary: temporary, path: path)
    }

    /// Opens a temporary file next to `path` (owner-only; `mode`: O_WRONLY or O_RDWR) for a streamed snapshot, with room
    /// for the header, which `finish` fills in last.
    private static func start(_ path: String, mode: Int32) throws -> (Writer, temporary: String) {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, mode | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SnapshotError(path: path, reason: String(cString: strerror(errno))) }
        var writer = Writer(fd: fd)
        writer.raw(Array(repeating: 0, count: headerSize), hashed: false)
        return (writer, temporary)
    }

    /// Writes the header of a streamed snapshot, closes it and moves it to `path`.
    private static func finish(_ writer: inout Writer, revision: Int64, temporary: String, path: String) throws {
        var header = magic
        append(version, to: &header)
        append(UInt32(0), to: &header)
        append(revision, to: &header)
        append(UInt64(writer.hashedBytes), to: &header)
        append(writer.hash.value, to: &header)
        let fd = writer.fd
        var ok = writer.ok && header.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) == $0.count }
        ok = close(fd) == 0 && ok
        guard ok, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw SnapshotError(path: path, reason: reason)
        }
    }

    /// Streams arrays to a file, each as its count then its bytes padded to 8, hashing the payload as it goes.
    struct Writer {
        let fd: Int32
        var ok = true
        var hash = Checksum()
        var hashedBytes = 0

        /// The index's arrays, in the order `Reader.indexPart()` reads them.
        mutating func indexArrays(_ index: PhoneIndex) {
            array(index.keys)
            array(index.owners)
            array(index.recordKind)
            array(index.recordModified)
            array(index.recordFirstSlot)
            array(index.recordFirstPhone)
            array(index.phoneField)
            array(index.bytes)
            array(index.slotEnds)
            array(SharedBuffer(Array(index.fieldNames.joined(separator: "\n").utf8)))
            array(SharedBuffer(Array((index.urlBase.map { "1" + $0 } ?? "0").utf8)))
        }

        /// The number list's rows and search keys, after the index's arrays.
        mutating func listArrays(_ list: PhoneIndexNumberList.Stored) {
            array(list.rowPhone)
            array(list.rowRecord)
            array(list.searchKeys.names)
            array(list.searchKeys.nameEnds)
            array(list.searchKeys.digits)
            array(list.searchKeys.digitEnds)
        }

        mutating func array<T: FixedWidthInteger>(_ values: SharedBuffer<T>) {
            var count: [UInt8] = []
            append(UInt64(values.count), to: &count)
            raw(count, hashed: true)
            values.withUnsafeBytes { bytes in
                if let spilled = values.owner as? GrowingBuffer<T>, spilled.spills {
                    // Read a piece at a time, each piece's pages given back once written.
                    var offset = 0
                    while offset < bytes.count {
                        let end = min(bytes.count, offset + GrowingBuffer<T>.spillReleaseBytes)
                        write(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]), hashed: true)
                        spilled.releaseResident()
                        offset = end
                    }
                } else {
                    write(bytes, hashed: true)
                }
                let padding = (8 - bytes.count % 8) % 8
                if padding > 0 { raw(Array(repeating: 0, count: padding), hashed: true) }
            }
        }

        mutating func raw(_ bytes: [UInt8], hashed: Bool) {
            bytes.withUnsafeBytes { write($0, hashed: hashed) }
        }

        mutating func write(_ bytes: UnsafeRawBufferPointer, hashed: Bool) {
            guard ok, bytes.count > 0 else { return }
            if hashed {
                hash.add(bytes)
                hashedBytes += bytes.count
            }
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    ok = false
                    return
                }
                offset += n
            }
        }
    }

    /// A snapshot could not be saved (the index itself is fine).
    public struct SnapshotError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "could not save the phone index snapshot \(path): \(reason)" }
    }

    // MARK: Encoding helpers

    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A 64-bit checksum, fed in pieces of any length and folded a word at a time: a flipped bit anywhere changes it.
    struct Checksum {
        private var hash: UInt64 = 0x9E37_79B9_7F4A_7C15
        /// Bytes of an unfinished word (little-endian), and how many.
        private var partial: UInt64 = 0
        private var partialCount = 0

        /// The checksum of everything added (an unfinished word is folded in, zero-padded).
        var value: UInt64 { partialCount == 0 ? hash : Self.fold(hash, partial) }

        mutating func add(_ bytes: UnsafeRawBufferPointer) {
            var i = 0
            while partialCount > 0 && i < bytes.count {
                addByte(bytes[i])
                i += 1
            }
            var h = hash
            while i + 8 <= bytes.count {
                h = Self.fold(h, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            hash = h
            while i < bytes.count {
                addByte(bytes[i])
                i += 1
            }
        }

        private mutating func addByte(_ byte: UInt8) {
            partial |= UInt64(byte) << (8 * UInt64(partialCount))
            partialCount += 1
            if partialCount == 8 {
                hash = Self.fold(hash, partial)
                partial = 0
                partialCount = 0
            }
        }

        @inline(__always)
        private static func fold(_ hash: UInt64, _ word: UInt64) -> UInt64 {
            let h = (hash ^ word) &* 0x0000_0100_0000_01B3
            return h ^ (h >> 29)
        }
    }

    /// Reads the payload's arrays back in place (borrowed from the mapping), each checked against the bytes left.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        let mapping: MappedSnapshot
        var offset = 0

        mutating func array<T: FixedWidthInteger>(_: T.Type) -> SharedBuffer<T>? {
            guard offset + 8 <= bytes.count else { return nil }
            let count = Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
            let size = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
            guard !size.overflow, count >= 0, offset + size.partialValue <= bytes.count else { return nil }
            // Every array starts 8-byte aligned (the mapping is page aligned, the header and each array padded to 8).
            let start = bytes.baseAddress!.advanced(by: offset)
            guard Int(bitPattern: start) % MemoryLayout<T>.alignment == 0 else { return nil }
            let values = SharedBuffer(borrowing: UnsafeBufferPointer(start: start.bindMemory(to: T.self, capacity: count), count: count),
                                      owner: mapping)
            offset += size.partialValue
            offset += (8 - size.partialValue % 8) % 8
            guard offset <= bytes.count else { return nil }
            return values
        }

        /// The index and its number list (the whole payload).
        mutating func index() -> PhoneIndex? {
            guard var index = indexPart(),
                  let rowPhone = array(UInt32.self), let rowRecord = array(UInt32.self), case let keysStart = offset, let names = array(UInt8.self),
                  let nameEnds = array(UInt32.self), let digits = array(UInt8.self), let digitEnds = array(UInt32.self),
                  offset == bytes.count else { return nil }
            guard let keys = NumberListSearchKeys(names: names, nameEnds: nameEnds, digits: digits, digitEnds: digitEnds, rows: rowPhone.count),
                  let list = PhoneIndexNumberList.Stored(rowPhone: rowPhone, rowRecord: rowRecord, searchKeys: keys, index: index) else { return nil }
            index.storedList = list
            mapping.recordsRange = 0..<(bytes.baseAddress! - mapping.base + keysStart)
            return index
        }

        /// The index's arrays (the start of the payload), checked against each other.
        mutating func indexPart() -> PhoneIndex? {
            var index = PhoneIndex()
            guard let keys = array(UInt64.self), let owners = array(UInt32.self), let kinds = array(UInt8.self),
                  let modified = array(UInt64.self), let firstSlot = array(UInt32.self), let firstPhone = array(UInt32.self),
                  let phoneField = array(UInt8.self), let pool = array(UInt8.self), let slotEnds = array(UInt32.self),
                  let fields = array(UInt8.self), let url = array(UInt8.self) else { return nil }
            // The arrays must agree with each other, or lookups could read out of range.
            let records = kinds.count
            guard owners.count == keys.count, modified.count == records, firstSlot.count == records,
                  firstPhone.count == records + 1, owners.allSatisfy({ Int($0) < records }),
                  firstSlot.allSatisfy({ Int($0) + PhoneIndex.slotsPerRecord <= slotEnds.count }),
                  zip(slotEnds, slotEnds.dropFirst()).allSatisfy({ $0 <= $1 }),
                  zip(firstPhone, firstPhone.dropFirst()).allSatisfy({ $0 <= $1 }),
                  slotEnds.last.map({ Int($0) == pool.count }) ?? pool.isEmpty,
                  firstPhone.last.map({ Int($0) == phoneField.count }) ?? false,
                  slotEnds.count == records * PhoneIndex.slotsPerRecord + phoneField.count * 2 else { return nil }
            index.keys = keys
            index.owners = owners
            index.recordKind = kinds
            index.recordModified = modified
            index.recordFirstSlot = firstSlot
            index.recordFirstPhone = firstPhone
            index.phoneField = phoneField
            index.bytes = pool
            index.slotEnds = slotEnds
            let fieldText = String(decoding: fields, as: UTF8.self)
            index.fieldNames = fieldText.isEmpty ? [] : fieldText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard phoneField.allSatisfy({ Int($0) < index.fieldNames.count }) else { return nil }
            let urlText = String(decoding: url, as: UTF8.self)
            index.urlBase = urlText.first == "1" ? String(urlText.dropFirst()) : nil
            index.mapping = mapping
            return index
        }
    }
}

/// A snapshot file mapped read-only; unmapped when the last index or list using it goes.
final class MappedSnapshot: @unchecked Sendable {
    let base: UnsafeRawPointer
    let size: Int
    /// Pages checked (or scanned) at a time before they are given back.
    static let pieceBytes = 4 << 20
    /// The part holding the records and the list's rows (everything before the filter's search keys): what
    /// lookups and the rows on screen touch, a few scattered pages at a time.
    var recordsRange: Range<Int>
    /// Records materialised since their pages were last given back.
    private let touches = Atomic<Int>(0)
    /// Every this many records materialised, `recordsRange`'s pages are given back: scattered lookups and scrolling
    /// would otherwise leave most of the file resident over a day (the filter's keys, scanned whole on every
    /// keystroke, stay).
    static let recordsPerTrim = 32

    init(base: UnsafeRawPointer, size: Int) {
        self.base = base
        self.size = size
        recordsRange = 0..<size
    }

    /// Counts a record materialised (a lookup's answer, a row shown); gives the records' pages back now and then.
    func recordTouched() {
        if touches.add(1, ordering: .relaxed).newValue % Self.recordsPerTrim == 0 { release(recordsRange) }
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), size) }

    /// Bytes of `range` resident in this process (pages mapped in, from `/proc/self/pagemap`); nil when unreadable.
    func residentBytes(_ range: Range<Int>) -> Int? {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0, !range.isEmpty else { return 0 }
        let first = (Int(bitPattern: base) + range.lowerBound) / page
        let last = (Int(bitPattern: base) + range.upperBound - 1) / page
        let fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var entries = [UInt64](repeating: 0, count: last - first + 1)
        let wanted = entries.count * 8
        let n = entries.withUnsafeMutableBytes { pread(fd, $0.baseAddress, wanted, off_t(first * 8)) }
        guard n == wanted else { return nil }
        return entries.reduce(0) { $0 + ($1 >> 63 == 1 ? page : 0) }
    }

    /// Drops this process's copies of the pages in `range` (the whole file by default): they stay in the page cache
    /// and are mapped again, without I/O, when next touched. Only whole pages inside the range are dropped.
    func release(_ range: Range<Int>? = nil) {
        let range = range ?? 0..<size
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound == size ? size : range.upperBound / page * page
        guard page > 0, end > start else { return }
        // Advice only: a refusal costs memory, never correctness (the mapping is read-only and file-backed).
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
}
