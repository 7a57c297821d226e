import Foundation

/// What the number-list filter compares, for every row of a `NumberListSource`, computed once:
/// the folded name and the number's digits (E.164 digits, a separator, the raw number's digits), each row's
/// bytes packed into one pool so filtering a million rows touches two flat arrays.
public struct NumberListSearchKeys: Sendable {
    public let names: SharedBuffer<UInt8>
    public let nameEnds: SharedBuffer<UInt32>
    public let digits: SharedBuffer<UInt8>
    public let digitEnds: SharedBuffer<UInt32>

    /// Between a row's E.164 digits and its raw number's digits.
    public static let separator: UInt8 = 0xFF

    /// No rows.
    public init() { self.init(Builder()) }

    /// Keys stored elsewhere (a snapshot file); nil when they do not describe `rows` rows consistently.
    public init?(names: SharedBuffer<UInt8>, nameEnds: SharedBuffer<UInt32>, digits: SharedBuffer<UInt8>, digitEnds: SharedBuffer<UInt32>,
                 rows: Int) {
        guard nameEnds.count == rows, digitEnds.count == rows,
              Self.ascending(nameEnds, endingAt: names.count), Self.ascending(digitEnds, endingAt: digits.count) else { return nil }
        self.names = names
        self.nameEnds = nameEnds
        self.digits = digits
        self.digitEnds = digitEnds
    }

    /// Each array copied to its exact size, the builder's released in turn (a million rows' keys are 50 MiB).
    init(_ builder: consuming Builder) {
        names = SharedBuffer(builder.names)
        builder.names = []
        nameEnds = SharedBuffer(builder.nameEnds)
        builder.nameEnds = []
        digits = SharedBuffer(builder.digits)
        builder.digits = []
        digitEnds = SharedBuffer(builder.digitEnds)
    }

    /// Whether `ends` never decreases and its last value is `total` (0 when empty).
    static func ascending(_ ends: SharedBuffer<UInt32>, endingAt total: Int) -> Bool {
        ends.withUnsafeBufferPointer { ends in
            var previous: UInt32 = 0
            for end in ends {
                if end < previous { return false }
                previous = end
            }
            return Int(previous) == total
        }
    }

    /// Rows keyed.
    public var count: Int { nameEnds.count }

    /// Bytes held.
    public var memoryBytes: Int { names.byteCount + digits.byteCount + nameEnds.byteCount + digitEnds.byteCount }

    /// Collects the keys row by row.
    public struct Builder: Sendable {
        var names: [UInt8] = []
        var nameEnds: [UInt32] = []
        var digits: [UInt8] = []
        var digitEnds: [UInt32] = []

        public init() {}

        /// Adds the keys of the next row.
        public mutating func append(name: String, e164: String?, raw: String) {
            names += NumberListFilter.fold(name)
            nameEnds.append(UInt32(names.count))
            if let e164 { digits += e164.utf8.filter { $0 >= 48 && $0 <= 57 } }
            digits.append(separator)
            digits += raw.utf8.filter { $0 >= 48 && $0 <= 57 }
            digitEnds.append(UInt32(digits.count))
        }

        /// Adds the keys of the next row from already folded name bytes.
        public mutating func append(foldedName: UnsafeBufferPointer<UInt8>, e164: UnsafeBufferPointer<UInt8>, raw: UnsafeBufferPointer<UInt8>) {
            names.append(contentsOf: foldedName)
            nameEnds.append(UInt32(names.count))
            for byte in e164 where byte >= 48 && byte <= 57 { digits.append(byte) }
            digits.append(separator)
            for byte in raw where byte >= 48 && byte <= 57 { digits.append(byte) }
            digitEnds.append(UInt32(digits.count))
        }

        public mutating func reserve(rows: Int, nameBytes: Int, digitBytes: Int) {
            names.reserveCapacity(nameBytes)
            digits.reserveCapacity(digitBytes)
            nameEnds.reserveCapacity(rows)
            digitEnds.reserveCapacity(rows)
        }

        /// The finished keys (exactly sized).
        public consuming func build() -> NumberListSearchKeys { NumberListSearchKeys(self) }

        private var separator: UInt8 { NumberListSearchKeys.separator }
    }

    /// Rows (in order) matching `filter`, among `candidates` (all rows when nil).
    ///
    /// Large scans are split across the processor's cores (the rows are independent), so a keystroke over a
    /// million rows costs a fraction of one core's pass.
    /// `parallelFrom` is the smallest scan that is split (tests lower it to check the split result).
    public func matching(_ filter: NumberListFilter, among candidates: [Int32]?, parallelFrom: Int = parallelRows) -> [Int32] {
        let total = candidates?.count ?? count
        let chunks = total >= parallelFrom ? max(1, min(Self.cores, total / max(1, parallelFrom / 2))) : 1
        var needles: [UInt8] = filter.digits
        var needleEnds = [filter.digits.count]
        for word in filter.words {
            needles += word
            needleEnds.append(needles.count)
        }
        return names.withUnsafeBufferPointer { names in
            digits.withUnsafeBufferPointer { digits in
                nameEnds.withUnsafeBufferPointer { nameEnds in
                    digitEnds.withUnsafeBufferPointer { digitEnds in
                        needles.withUnsafeBufferPointer { needles in
                            needleEnds.withUnsafeBufferPointer { needleEnds in
                                let matcher = RowMatcher(names: names, nameEnds: nameEnds, digits: digits, digitEnds: digitEnds,
                                                         needles: needles, needleEnds: needleEnds)
                                guard chunks > 1 else { return matcher.scan(0..<total, candidates) }
                                let parts = ChunkResults(count: chunks)
                                defer { parts.deallocate() }
                                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                                    parts.store(matcher.scan(total * chunk / chunks ..< total * (chunk + 1) / chunks, candidates), at: chunk)
                                }
                                return parts.joined()
                            }
                        }
                    }
                }
            }
        }
    }

    /// Scans of at least this many rows are split across cores.
    public static let parallelRows = 65_536
    static let cores = ProcessInfo.processInfo.activeProcessorCount
}

/// One chunk's result per slot; each concurrent chunk writes only its own slot.
private struct ChunkResults: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<[Int32]>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: [])
    }

    func store(_ rows: [Int32], at chunk: Int) { slots[chunk] = rows }

    /// The chunks' rows in order.
    func joined() -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(slots.reduce(0) { $0 + $1.count })
        for part in slots { out += part }
        return out
    }

    func deallocate() {
        _ = slots.deinitialize()
        slots.deallocate()
    }
}

/// One filter applied to the packed keys: needle 0 is the digits (maybe empty), the others the name words.
/// It borrows the keys' buffers for the length of one `matching` call (shared read-only by its chunks).
private struct RowMatcher: @unchecked Sendable {
    let names: UnsafeBufferPointer<UInt8>
    let nameEnds: UnsafeBufferPointer<UInt32>
    let digits: UnsafeBufferPointer<UInt8>
    let digitEnds: UnsafeBufferPointer<UInt32>
    let needles: UnsafeBufferPointer<UInt8>
    let needleEnds: UnsafeBufferPointer<Int>

    /// Matching rows among `range` of the candidates (or of all rows).
    func scan(_ range: Range<Int>, _ candidates: [Int32]?) -> [Int32] {
        var out: [Int32] = []
        if let candidates {
            candidates.withUnsafeBufferPointer { candidates in
                for i in range where test(Int(candidates[i])) { out.append(candidates[i]) }
            }
        } else {
            for row in range where test(row) { out.append(Int32(row)) }
        }
        return out
    }

    @inline(__always)
    func test(_ row: Int) -> Bool {
        if needleEnds[0] > 0 {
            let start = row == 0 ? 0 : Int(digitEnds[row - 1])
            let slice = UnsafeBufferPointer(rebasing: digits[start..<Int(digitEnds[row])])
            if !NumberListFilter.occurs(UnsafeBufferPointer(rebasing: needles[0..<needleEnds[0]]), in: slice) { return false }
        }
        guard needleEnds.count > 1 else { return true }
        let start = row == 0 ? 0 : Int(nameEnds[row - 1])
        let slice = UnsafeBufferPointer(rebasing: names[start..<Int(nameEnds[row])])
        for word in 1..<needleEnds.count {
            let needle = UnsafeBufferPointer(rebasing: needles[needleEnds[word - 1]..<needleEnds[word]])
            if !NumberListFilter.occurs(needle, in: slice) { return false }
        }
        return true
    }
}
