import Foundation

extension TOMLParser {
    mutating func parseValue(depth: Int) throws(TOMLError) -> TOMLValue {
        guard let c = current else { throw error("missing value after =") }
        switch c {
        case UInt8(ascii: "\""):
            return .string(starts(with: "\"\"\"", at: pos) ? try parseMultilineString(literal: false) : try parseBasicString(multiline: false))
        case UInt8(ascii: "'"):
            return .string(starts(with: "'''", at: pos) ? try parseMultilineString(literal: true) : try parseLiteralString())
        case UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { throw error("values are nested more than \(Self.maximumDepth) deep") }
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { throw error("values are nested more than \(Self.maximumDepth) deep") }
            return try parseInlineTable(depth: depth + 1)
        default:
            break
        }
        if starts(with: "true", at: pos) { pos += 4; return .bool(true) }
        if starts(with: "false", at: pos) { pos += 5; return .bool(false) }
        if let dateTime = try parseDateTime() { return .dateTime(dateTime) }
        if let number = try parseNumber() { return number }
        for (text, value) in [("inf", Double.infinity), ("nan", Double.nan)] {
            for sign in ["", "+", "-"] where matches(sign + text) {
                pos += sign.utf8.count + 3
                return .float(sign == "-" ? -value : value)
            }
        }
        throw error("can't read the value \(snippet()) (strings need quotes)")
    }

    func matches(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard pos + utf8.count <= bytes.count else { return false }
        return bytes[pos..<pos + utf8.count].elementsEqual(utf8)
    }

    // MARK: Strings

    mutating func parseLiteralString() throws(TOMLError) -> String {
        pos += 1
        let start = pos
        while true {
            guard let c = current else { throw error("a string is not closed with '") }
            if c == UInt8(ascii: "'") { break }
            if Self.isIllegalControl(c, newlineAllowed: false) {
                throw error(c == 0x0A ? "a string is not closed with ' on its line" : "a string holds the control character \(Self.describe(c))")
            }
            pos += 1
        }
        defer { pos += 1 }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    mutating func parseMultilineString(literal: Bool) throws(TOMLError) -> String {
        let quote = literal ? UInt8(ascii: "'") : UInt8(ascii: "\"")
        pos += 3
        if current == 0x0A { pos += 1 }
        var result: String
        if literal {
            let start = pos
            while !starts(with: "'''", at: pos) {
                guard let c = current else { throw error("a multi-line string is not closed with '''") }
                if Self.isIllegalControl(c, newlineAllowed: true) { throw error("a string holds the control character \(Self.describe(c))") }
                pos += 1
            }
            result = String(decoding: bytes[start..<pos], as: UTF8.self)
            pos += 3
        } else {
            result = try parseBasicString(multiline: true, opened: true)
        }
        // Up to two quotes may sit just before the closing delimiter.
        for _ in 0..<2 where current == quote {
            pos += 1
            result.unicodeScalars.append(Unicode.Scalar(quote))
        }
        return result
    }

    /// A `"…"` string (or the body of a `"""…"""` one when `opened`), with escapes.
    mutating func parseBasicString(multiline: Bool, opened: Bool = false) throws(TOMLError) -> String {
        if !opened { pos += 1 }
        var out: [UInt8] = []
        while true {
            guard let c = current else { throw error(multiline ? "a multi-line string is not closed with \"\"\"" : "a string is not closed with \"") }
            if c == UInt8(ascii: "\"") {
                if !multiline { pos += 1; break }
                if starts(with: "\"\"\"", at: pos) { pos += 3; break }
                out.append(c)
                pos += 1
                continue
            }
            if c == UInt8(ascii: "\\") {
                try parseEscape(into: &out, multiline: multiline)
                continue
            }
            if Self.isIllegalControl(c, newlineAllowed: multiline) {
                throw error(c == 0x0A ? "a string is not closed with \" on its line" : "a string holds the control character \(Self.describe(c)); write it as an escape such as \\u001B")
            }
            out.append(c)
            pos += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func parseEscape(into out: inout [UInt8], multiline: Bool) throws(TOMLError) {
        pos += 1
        guard let e = current else { throw error("a string ends with a lone \\") }
        pos += 1
        switch e {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = e == UInt8(ascii: "u") ? 4 : 8
            guard pos + count <= bytes.count,
                  let code = UInt32(String(decoding: bytes[pos..<pos + count], as: UTF8.self), radix: 16),
                  bytes[pos..<pos + count].allSatisfy({ $0.isASCIIHexDigit }) else {
                throw error("\\\(Character(Unicode.Scalar(e))) needs \(count) hex digits")
            }
            guard let scalar = Unicode.Scalar(code) else { throw error("\\\(Character(Unicode.Scalar(e)))\(String(code, radix: 16)) is not a Unicode scalar value") }
            pos += count
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        case 0x20, 0x09, 0x0A:
            // Line-ending backslash (multi-line strings only): trims whitespace and newlines up to the next character.
            guard multiline else { throw error("a \\ inside a string must start an escape (write \\\\ for a backslash)") }
            if e != 0x0A {
                skipSpace()
                guard let next = current else { return }
                guard next == 0x0A else { throw error("a \\ inside a string must start an escape (write \\\\ for a backslash)") }
                pos += 1
            }
            while let c = current, c == 0x20 || c == 0x09 || c == 0x0A { pos += 1 }
        default:
            throw error("unknown escape \\\(String(decoding: [e], as: UTF8.self)) in a string (write \\\\ for a backslash)")
        }
    }

    // MARK: Arrays and inline tables

    mutating func parseArray(depth: Int) throws(TOMLError) -> TOMLValue {
        pos += 1
        var items: [TOMLValue] = []
        try skipArraySpace()
        if current == UInt8(ascii: "]") { pos += 1; return .array(items) }
        while true {
            items.append(try parseValue(depth: depth))
            try skipArraySpace()
            if current == UInt8(ascii: "]") { pos += 1; return .array(items) }
            guard current == UInt8(ascii: ",") else { throw error("expected , or ] in a list, found \(snippet())") }
            pos += 1
            try skipArraySpace()
            if current == UInt8(ascii: "]") { pos += 1; return .array(items) }
        }
    }

    mutating func parseInlineTable(depth: Int) throws(TOMLError) -> TOMLValue {
        pos += 1
        let table = TOMLTableBuilder()
        var inlineFlags = TOMLFlags()
        skipSpace()
        if current == UInt8(ascii: "}") { pos += 1; return .table(table.table) }
        while true {
            let (key, value) = try parseKeyValuePair(depth: depth)
            if inlineFlags.isSet(key, .frozen) { throw error("\(Self.dotted(key)) was written in full earlier and cannot be extended") }
            guard let nest = table.nest(Array(key.dropLast()), throughArrays: false) else {
                throw error("\(Self.dotted(key)): \(Self.dotted(Array(key.dropLast()))) is a value, not a table")
            }
            let stem = key[key.count - 1]
            guard nest.slots[stem] == nil else { throw error("\(Self.dotted(key)) is set twice in an inline table") }
            nest.insert(stem, .value(value))
            skipSpace()
            if current == UInt8(ascii: "}") { pos += 1; return .table(table.table) }
            guard current == UInt8(ascii: ",") else {
                throw error("expected , or } in an inline table, found \(snippet()) (inline tables stay on one line)")
            }
            switch value {
            case .array, .table: inlineFlags.set(key, .frozen, recursive: true)
            case .string, .integer, .float, .bool, .dateTime: break
            }
            pos += 1
            skipSpace()
        }
    }
}

extension UInt8 {
    var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }
    var isASCIIHexDigit: Bool { isASCIIDigit || (self >= 0x41 && self <= 0x46) || (self >= 0x61 && self <= 0x66) }
}
