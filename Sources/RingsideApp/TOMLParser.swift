import Foundation

/// A complete TOML 1.0 parser (https://toml.io/en/v1.0.0), checked against Python's `tomllib` on a corpus and on
/// mutated documents (`TOMLOracleTests`). Every error names the file and line. Values nest at most
/// `maximumDepth` deep, so hostile input (5,000 `[`) gets an error instead of overflowing the stack.
///
/// The statement rules (which tables may be reopened, extended by dotted keys, or appended to) follow `tomllib`'s
/// flags: tables created by a `[header]` or by dotted keys are *explicit*; inline tables and arrays are *frozen*.
public struct TOMLParser {
    public static let maximumDepth = 100

    let bytes: [UInt8]
    let file: String
    var pos = 0
    var flags = TOMLFlags()
    let root = TOMLTableBuilder()
    var lines: [[String]: Int] = [:]

    /// Parses `text` (CRLF or LF line ends); `file` is only used in error messages.
    public static func parse(_ text: String, file: String) throws(TOMLError) -> TOMLDocument {
        var parser = TOMLParser(text: text, file: file)
        try parser.parseDocument()
        return TOMLDocument(root: parser.root.table, lines: parser.lines)
    }

    init(text: String, file: String) {
        // The spec allows reading "\r\n" as "\n", also inside strings; a lone "\r" stays and is an error.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var previousCR = false
        for byte in text.utf8 {
            if byte == 0x0A, previousCR { bytes[bytes.count - 1] = 0x0A } else { bytes.append(byte) }
            previousCR = byte == 0x0D
        }
        self.bytes = bytes
        self.file = file
    }

    // MARK: Errors and cursor

    func error(_ message: String, at position: Int? = nil) -> TOMLError {
        let end = min(position ?? pos, bytes.count)
        var line = 1
        for index in 0..<end where bytes[index] == 0x0A { line += 1 }
        return TOMLError(file: file, line: line, message: message)
    }

    func line(at position: Int) -> Int {
        var line = 1
        for index in 0..<min(position, bytes.count) where bytes[index] == 0x0A { line += 1 }
        return line
    }

    var current: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    func starts(with text: StaticString, at position: Int) -> Bool {
        let count = text.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        return text.withUTF8Buffer { buffer in
            for offset in 0..<count where bytes[position + offset] != buffer[offset] { return false }
            return true
        }
    }

    mutating func skipSpace() {
        while let c = current, c == 0x20 || c == 0x09 { pos += 1 }
    }

    /// Skips a `#` comment up to (not including) the newline; control characters other than tab are errors.
    mutating func skipComment() throws(TOMLError) {
        guard current == UInt8(ascii: "#") else { return }
        pos += 1
        while let c = current, c != 0x0A {
            if Self.isIllegalControl(c, newlineAllowed: false) { throw error("a comment holds the control character \(Self.describe(c))") }
            pos += 1
        }
    }

    /// Whitespace, newlines and comments between array elements.
    mutating func skipArraySpace() throws(TOMLError) {
        while true {
            let before = pos
            while let c = current, c == 0x20 || c == 0x09 || c == 0x0A { pos += 1 }
            try skipComment()
            if pos == before { return }
        }
    }

    static func isIllegalControl(_ c: UInt8, newlineAllowed: Bool) -> Bool {
        (c < 0x20 && c != 0x09 && !(newlineAllowed && c == 0x0A)) || c == 0x7F
    }

    static func describe(_ c: UInt8) -> String {
        switch c {
        case 0x0D: "CR (a carriage return without a line feed)"
        case 0x0A: "a line break"
        default: String(format: "U+%04X", c)
        }
    }

    // MARK: Statements

    mutating func parseDocument() throws(TOMLError) {
        if starts(with: "\u{FEFF}", at: 0) {
            throw error("the file starts with a byte-order mark: save it as UTF-8 without BOM")
        }
        var header: [String] = []
        while true {
            skipSpace()
            guard let c = current else { break }
            if c == 0x0A { pos += 1; continue }
            if Self.isBareKeyByte(c) || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                try parseKeyValueStatement(header: header)
                skipSpace()
            } else if c == UInt8(ascii: "[") {
                flags.finalizePending()
                header = starts(with: "[[", at: pos) ? try parseArrayTableHeader() : try parseTableHeader()
                skipSpace()
            } else if c != UInt8(ascii: "#") {
                throw error(c == 0x0D ? "a carriage return without a line feed" : "expected a key = value, a [table] or a comment")
            }
            try skipComment()
            guard let end = current else { break }
            if end != 0x0A { throw error("expected the end of the line after a statement, found \(snippet())") }
            pos += 1
        }
    }

    /// A few characters from the cursor, for error messages.
    func snippet() -> String {
        let end = min(pos + 12, bytes.count)
        var text = String(decoding: bytes[pos..<end], as: UTF8.self)
        if let newline = text.firstIndex(of: "\n") { text = String(text[..<newline]) }
        return text.isEmpty ? "the end of the line" : "\"\(text)\""
    }

    mutating func parseTableHeader() throws(TOMLError) -> [String] {
        let start = pos
        pos += 1
        skipSpace()
        let key = try parseKey()
        if flags.isSet(key, .explicitNest) || flags.isSet(key, .frozen) {
            throw error("[\(Self.dotted(key))] is defined twice")
        }
        flags.set(key, .explicitNest, recursive: false)
        guard root.nest(key) != nil else { throw error("[\(Self.dotted(key))] would replace a value already set") }
        guard current == UInt8(ascii: "]") else { throw error("expected ] at the end of the table header [\(Self.dotted(key))]") }
        pos += 1
        if lines[key] == nil { lines[key] = line(at: start) }
        return key
    }

    mutating func parseArrayTableHeader() throws(TOMLError) -> [String] {
        let start = pos
        pos += 2
        skipSpace()
        let key = try parseKey()
        if flags.isSet(key, .frozen) { throw error("[[\(Self.dotted(key))]] cannot add to a value written in full earlier") }
        flags.unsetAll(key)
        flags.set(key, .explicitNest, recursive: false)
        guard root.appendTable(key) else { throw error("[[\(Self.dotted(key))]] would replace a value already set") }
        guard starts(with: "]]", at: pos) else { throw error("expected ]] at the end of the header [[\(Self.dotted(key))]]") }
        pos += 2
        if lines[key] == nil { lines[key] = line(at: start) }
        return key
    }

    mutating func parseKeyValueStatement(header: [String]) throws(TOMLError) {
        let start = pos
        let (key, value) = try parseKeyValuePair(depth: 0)
        let parent = header + key.dropLast()
        for length in 1..<key.count {
            let container = header + key.prefix(length)
            if flags.isSet(container, .explicitNest) {
                throw error("\(Self.dotted(key)): the table \(Self.dotted(container)) is already defined; set it in its own section")
            }
            flags.addPending(container, .explicitNest)
        }
        if flags.isSet(parent, .frozen) {
            throw error("\(Self.dotted(header + key)): \(Self.dotted(parent)) was written in full earlier and cannot be extended")
        }
        guard let nest = root.nest(parent) else {
            throw error("\(Self.dotted(header + key)): \(Self.dotted(parent)) is a value, not a table")
        }
        let stem = key[key.count - 1]
        guard nest.slots[stem] == nil else { throw error("\(Self.dotted(header + key)) is set twice", at: start) }
        switch value {
        case .array, .table: flags.set(header + key, .frozen, recursive: true)
        case .string, .integer, .float, .bool, .dateTime: break
        }
        nest.insert(stem, .value(value))
        let line = line(at: start)
        for length in 1...key.count where lines[header + key.prefix(length)] == nil {
            lines[header + key.prefix(length)] = line
        }
    }

    mutating func parseKeyValuePair(depth: Int) throws(TOMLError) -> ([String], TOMLValue) {
        let key = try parseKey()
        guard current == UInt8(ascii: "=") else { throw error("expected = after the key \(Self.dotted(key))") }
        pos += 1
        skipSpace()
        return (key, try parseValue(depth: depth))
    }

    // MARK: Keys

    static func isBareKeyByte(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x5F
    }

    mutating func parseKey() throws(TOMLError) -> [String] {
        var key = [try parseKeyPart()]
        skipSpace()
        while current == UInt8(ascii: ".") {
            pos += 1
            skipSpace()
            key.append(try parseKeyPart())
            skipSpace()
        }
        return key
    }

    mutating func parseKeyPart() throws(TOMLError) -> String {
        guard let c = current else { throw error("expected a key at the end of the file") }
        if Self.isBareKeyByte(c) {
            let start = pos
            while let c = current, Self.isBareKeyByte(c) { pos += 1 }
            return String(decoding: bytes[start..<pos], as: UTF8.self)
        }
        if c == UInt8(ascii: "'") { return try parseLiteralString() }
        if c == UInt8(ascii: "\"") { return try parseBasicString(multiline: false) }
        throw error("a key is letters, digits, _ and -, or a quoted string; found \(snippet())")
    }

    static func dotted(_ key: [String]) -> String {
        key.map { part in
            !part.isEmpty && part.utf8.allSatisfy(isBareKeyByte) ? part : TOMLWriter.basicString(part)
        }.joined(separator: ".")
    }
}
