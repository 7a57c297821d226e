/// What the number-list filter compares, for every row of a `NumberListSource`, computed once:
/// the folded name and the number's digits (E.164 digits, a separator, the raw number's digits), each row's
/// bytes packed into one pool so filtering a million rows touches two flat arrays.
public struct NumberListSearchKeys: Sendable {
    var names: [UInt8] = []
    var nameEnds: [UInt32] = []
    var digits: [UInt8] = []
    var digitEnds: [UInt32] = []

    static let separator: UInt8 = 0xFF

    public init() {}

    /// Rows keyed.
    public var count: Int { nameEnds.count }

    /// Bytes held (capacity).
    public var memoryBytes: Int { names.capacity + digits.capacity + (nameEnds.capacity + digitEnds.capacity) * 4 }

    /// Adds the keys of the next row.
    public mutating func append(name: String, e164: String?, raw: String) {
        names += NumberListFilter.fold(name)
        nameEnds.append(UInt32(names.count))
        if let e164 { digits += e164.utf8.filter { $0 >= 48 && $0 <= 57 } }
        digits.append(Self.separator)
        digits += raw.utf8.filter { $0 >= 48 && $0 <= 57 }
        digitEnds.append(UInt32(digits.count))
    }

    /// Adds the keys of the next row from already folded name bytes.
    public mutating func append(foldedName: UnsafeBufferPointer<UInt8>, e164: UnsafeBufferPointer<UInt8>, raw: UnsafeBufferPointer<UInt8>) {
        names.append(contentsOf: foldedName)
        nameEnds.append(UInt32(names.count))
        for byte in e164 where byte >= 48 && byte <= 57 { digits.append(byte) }
        digits.append(Self.separator)
        for byte in raw where byte >= 48 && byte <= 57 { digits.append(byte) }
        digitEnds.append(UInt32(digits.count))
    }

    public mutating func reserve(rows: Int, nameBytes: Int, digitBytes: Int) {
        names.reserveCapacity(nameBytes)
        digits.reserveCapacity(digitBytes)
        nameEnds.reserveCapacity(rows)
        digitEnds.reserveCapacity(rows)
    }

    /// Rows (in order) matching `filter`, among `candidates` (all rows when nil).
    public func matching(_ filter: NumberListFilter, among candidates: [Int32]?) -> [Int32] {
        var out: [Int32] = []
        names.withUnsafeBufferPointer { names in
            digits.withUnsafeBufferPointer { digits in
                nameEnds.withUnsafeBufferPointer { nameEnds in
                    digitEnds.withUnsafeBufferPointer { digitEnds in
                        let words = filter.words.map { ContiguousArray($0) }
                        let wanted = filter.digits
                        func test(_ row: Int) -> Bool {
                            if !wanted.isEmpty {
                                let start = row == 0 ? 0 : Int(digitEnds[row - 1])
                                let slice = UnsafeBufferPointer(rebasing: digits[start..<Int(digitEnds[row])])
                                let found = wanted.withUnsafeBufferPointer { NumberListFilter.occurs($0, in: slice) }
                                if !found { return false }
                            }
                            if !words.isEmpty {
                                let start = row == 0 ? 0 : Int(nameEnds[row - 1])
                                let slice = UnsafeBufferPointer(rebasing: names[start..<Int(nameEnds[row])])
                                for word in words {
                                    if !word.withUnsafeBufferPointer({ NumberListFilter.occurs($0, in: slice) }) { return false }
                                }
                            }
                            return true
                        }
                        if let candidates {
                            for row in candidates where test(Int(row)) { out.append(row) }
                        } else {
                            for row in 0..<nameEnds.count where test(row) { out.append(Int32(row)) }
                        }
                    }
                }
            }
        }
        return out
    }
}
