import Foundation

/// A TOML value of the subset Ringside's config uses.
public enum TOMLValue: Hashable, Sendable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case array([TOMLValue])

    var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a number"
        case .bool: "true/false"
        case .array: "a list"
        }
    }
}

/// A `key = value` found in a file, with the line it came from for error messages.
public struct TOMLEntry: Hashable, Sendable {
    public var section: String
    public var key: String
    public var value: TOMLValue
    public var line: Int
}

/// Why a config file could not be read, naming the file and line.
public struct TOMLError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
}

/// Parser for the TOML subset used by Ringside: `[section]` / `[a.b]` headers, `key = value`, basic and literal
/// strings, integers, floats, booleans, single- and multi-line arrays, `#` comments.
public enum TOMLSubset {
    public static func parse(_ text: String, file: String) throws(TOMLError) -> [TOMLEntry] {
        var entries: [TOMLEntry] = []
        var section = ""
        var seen = Set<String>()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index < lines.count {
            let lineNumber = index + 1
            var line = stripComment(lines[index]).trimmingCharacters(in: .whitespaces)
            index += 1
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[[") else {
                    throw TOMLError(file: file, line: lineNumber, message: "a section header looks like [name]")
                }
                section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                guard !section.isEmpty, section.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) else {
                    throw TOMLError(file: file, line: lineNumber, message: "bad section name [\(section)]")
                }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw TOMLError(file: file, line: lineNumber, message: "expected key = value")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw TOMLError(file: file, line: lineNumber, message: "bad key \"\(key)\" (letters, digits, _ and - only)")
            }
            var rest = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            // Multi-line arrays: keep reading until brackets balance.
            while rest.hasPrefix("["), bracketDepth(rest) > 0, index < lines.count {
                rest += " " + stripComment(lines[index]).trimmingCharacters(in: .whitespaces)
                index += 1
            }
            line = rest
            var cursor = line.unicodeScalars[...]
            let value = try parseValue(&cursor, file: file, line: lineNumber)
            guard cursor.allSatisfy({ $0 == " " || $0 == "\t" }) else {
                throw TOMLError(file: file, line: lineNumber, message: "unexpected text after the value: \(String(String.UnicodeScalarView(cursor)))")
            }
            let full = section.isEmpty ? key : "\(section).\(key)"
            guard seen.insert(full).inserted else {
                throw TOMLError(file: file, line: lineNumber, message: "\(full) is set twice")
            }
            entries.append(TOMLEntry(section: section, key: key, value: value, line: lineNumber))
        }
        return entries
    }

    static func stripComment(_ line: String) -> String {
        var inBasic = false, inLiteral = false, escaped = false
        for (offset, c) in line.enumerated() {
            if escaped { escaped = false; continue }
            switch c {
            case "\\" where inBasic: escaped = true
            case "\"" where !inLiteral: inBasic.toggle()
            case "'" where !inBasic: inLiteral.toggle()
            case "#" where !inBasic && !inLiteral: return String(line.prefix(offset))
            default: break
            }
        }
        return line
    }

    static func bracketDepth(_ text: String) -> Int {
        var depth = 0, inString = false
        for c in text {
            if c == "\"" || c == "'" { inString.toggle() }
            if !inString { depth += c == "[" ? 1 : c == "]" ? -1 : 0 }
        }
        return depth
    }

    static func skipSpace(_ s: inout Substring.UnicodeScalarView) {
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
    }

    static func parseValue(_ s: inout Substring.UnicodeScalarView, file: String, line: Int) throws(TOMLError) -> TOMLValue {
        skipSpace(&s)
        guard let first = s.first else { throw TOMLError(file: file, line: line, message: "missing value after =") }
        switch first {
        case "\"":
            s.removeFirst()
            var out = String.UnicodeScalarView()
            while let c = s.popFirst() {
                if c == "\"" { return .string(String(out)) }
                if c == "\\" {
                    guard let e = s.popFirst() else { break }
                    switch e {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "\"": out.append("\"")
                    case "\\": out.append("\\")
                    default: throw TOMLError(file: file, line: line, message: "unsupported escape \\\(e) in a string")
                    }
                } else {
                    out.append(c)
                }
            }
            throw TOMLError(file: file, line: line, message: "a string is not closed with \"")
        case "'":
            s.removeFirst()
            var out = String.UnicodeScalarView()
            while let c = s.popFirst() {
                if c == "'" { return .string(String(out)) }
                out.append(c)
            }
            throw TOMLError(file: file, line: line, message: "a string is not closed with '")
        case "[":
            s.removeFirst()
            var items: [TOMLValue] = []
            while true {
                skipSpace(&s)
                if s.first == "]" { s.removeFirst(); return .array(items) }
                items.append(try parseValue(&s, file: file, line: line))
                skipSpace(&s)
                if s.first == "," { s.removeFirst(); continue }
                if s.first == "]" { s.removeFirst(); return .array(items) }
                throw TOMLError(file: file, line: line, message: "expected , or ] in a list")
            }
        default:
            var token = ""
            while let c = s.first, c != ",", c != "]", c != " ", c != "\t" { token.unicodeScalars.append(c); s.removeFirst() }
            if token == "true" { return .bool(true) }
            if token == "false" { return .bool(false) }
            let plain = token.replacingOccurrences(of: "_", with: "")
            if let int = Int(plain) { return .integer(int) }
            if let double = Double(plain) { return .float(double) }
            throw TOMLError(file: file, line: line, message: "can't read the value \(token) (strings need quotes)")
        }
    }
}
