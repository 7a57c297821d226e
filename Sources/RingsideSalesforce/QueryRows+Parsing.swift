import Foundation

/// One page of a query answer: its paging members and its records (nil when it has no `records` array).
struct QueryPage<Records> {
    var totalSize: Int?
    var done: Bool?
    var nextRecordsUrl: String?
    var records: Records?
}

extension QueryPage<[String?]> {
    /// Decodes `{"totalSize", "done", "nextRecordsUrl", "records": [...]}` keeping only `columns` of each record
    /// (row-major, `columns.paths.count` values per record); other members are checked for syntax and skipped.
    /// Nil when the bytes are not valid JSON or not an object. (Skipped strings are not checked for valid UTF-8:
    /// their text is never used.)
    static func parse(_ data: Data, columns: QueryColumns) -> QueryPage? {
        data.withUnsafeBytes { raw -> QueryPage? in
            var parser = JSONBytesParser(bytes: raw.bindMemory(to: UInt8.self))
            var page = QueryPage()
            let parsed = parser.object(depth: 0) { parser, key in
                switch key {
                case "totalSize":
                    guard let value = parser.value(depth: 1) else { return false }
                    page.totalSize = value.intValue
                case "done":
                    guard let value = parser.value(depth: 1) else { return false }
                    page.done = value.boolValue
                case "nextRecordsUrl":
                    guard let value = parser.value(depth: 1) else { return false }
                    page.nextRecordsUrl = value.stringValue
                case "records":
                    guard let values = parser.records(columns) else { return false }
                    page.records = values
                default:
                    return parser.skipValue(depth: 1)
                }
                return true
            }
            guard parsed else { return nil }
            parser.skipSpace()
            guard parser.position == parser.bytes.count else { return nil }
            return page
        }
    }
}

extension QueryRows {
    /// One page of a query answer decoded against `columns`; nil when it is not valid JSON or has no `records` array.
    /// (`SalesforceClient.queryRows` follows the pages of a query itself.)
    public init?(page data: Data, columns: QueryColumns) {
        guard let page = QueryPage.parse(data, columns: columns), let values = page.records else { return nil }
        self.init(columns: columns, totalSize: page.totalSize ?? 0, values: values, pages: 1)
    }
}

extension JSONBytesParser {
    /// An object's members: `member` reads each value (the parser is at it) and returns false when it is invalid.
    /// False when the bytes are not an object.
    mutating func object(depth: Int, _ member: (inout JSONBytesParser, String) -> Bool) -> Bool {
        withMembers(depth: depth) { parser, key in
            guard let name = parser.keyString(key) else { return false }
            return member(&parser, name)
        }
    }

    /// The `records` array: each record's `columns` values, row-major.
    mutating func records(_ columns: QueryColumns) -> [String?]? {
        let width = columns.paths.count
        var values: [String?] = []
        let parsed = withElements(depth: 1) { parser in
            let base = values.count
            values.append(contentsOf: repeatElement(nil, count: width))
            parser.skipSpace()
            guard parser.position < parser.bytes.count, parser.bytes[parser.position] == UInt8(ascii: "{") else {
                return parser.skipValue(depth: 2)  // not a record: a row of nils
            }
            return parser.fields(columns.root, into: &values, base: base, depth: 2)
        }
        return parsed ? values : nil
    }

    /// A record (or a relationship's object): the members `node` names go to their columns, the rest are skipped.
    /// `base`: the record's first value in `values`.
    private mutating func fields(_ node: QueryColumns.Node, into values: inout [String?], base: Int, depth: Int) -> Bool {
        withMembers(depth: depth) { parser, key in
            let slot: QueryColumns.Node.Slot?
            if parser.bytes[key].contains(UInt8(ascii: "\\")) {
                guard let name = parser.keyString(key) else { return false }
                slot = Array(name.utf8).withUnsafeBufferPointer { node.slot($0) }
            } else {
                slot = node.slot(UnsafeBufferPointer(rebasing: parser.bytes[key]))
            }
            switch slot {
            case .column(let column)?:
                guard let text = parser.scalarText(depth: depth + 1) else { return false }
                values[base + column] = text
                return true
            case .relationship(let child)?:
                parser.skipSpace()
                if parser.position < parser.bytes.count, parser.bytes[parser.position] == UInt8(ascii: "{") {
                    return parser.fields(child, into: &values, base: base, depth: depth + 1)
                }
                return parser.skipValue(depth: depth + 1)  // null (no related record) or not an object: its columns stay nil
            case nil:
                return parser.skipValue(depth: depth + 1)
            }
        }
    }

    /// A value as column text: `.some(nil)` for null, an object or an array; nil when invalid.
    private mutating func scalarText(depth: Int) -> String?? {
        skipSpace()
        guard position < bytes.count else { return nil }
        let start = position
        switch bytes[position] {
        case UInt8(ascii: "\""):
            return string().map { .some($0) }
        case UInt8(ascii: "t"):
            return literal("true", .bool(true)) == nil ? nil : .some("true")
        case UInt8(ascii: "f"):
            return literal("false", .bool(false)) == nil ? nil : .some("false")
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "n"):
            return skipValue(depth: depth) ? .some(nil) : nil
        default:
            guard number() != nil else { return nil }
            return .some(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
        }
    }

    /// Checks and skips one value without building it.
    mutating func skipValue(depth: Int) -> Bool {
        guard depth < Self.maxDepth else { return false }
        skipSpace()
        guard position < bytes.count else { return false }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            return withMembers(depth: depth) { parser, _ in parser.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            return withElements(depth: depth) { parser in parser.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""):
            return skipString() != nil
        case UInt8(ascii: "t"): return literal("true", .null) != nil
        case UInt8(ascii: "f"): return literal("false", .null) != nil
        case UInt8(ascii: "n"): return literal("null", .null) != nil
        default: return number() != nil
        }
    }

    /// Skips a string at its opening quote, checking its escapes; returns the bytes between the quotes.
    mutating func skipString() -> Range<Int>? {
        position += 1
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return start..<(position - 1)
            case UInt8(ascii: "\\"):
                guard position + 1 < bytes.count else { return nil }
                let escape = bytes[position + 1]
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 2
                case UInt8(ascii: "u"):
                    guard position + 6 <= bytes.count,
                          bytes[(position + 2)..<(position + 6)].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) })
                    else { return nil }
                    position += 6
                default:
                    return nil
                }
            default:
                if byte < 0x20 { return nil }
                position += 1
            }
        }
        return nil
    }

    /// The decoded text of a member name whose bytes (inside the quotes) are `key`.
    func keyString(_ key: Range<Int>) -> String? {
        var copy = JSONBytesParser(bytes: bytes)
        copy.position = key.lowerBound - 1
        return copy.string()
    }
}
