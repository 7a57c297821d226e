import Foundation

/// Writes TOML values and keys (for `config --print` and `config --example`); the output parses back to the
/// same values (tested with our parser and with Python's `tomllib`).
public enum TOMLWriter {
    /// `"…"` with every control character, quote and backslash escaped.
    public static func basicString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                switch scalar.value {
                case 0x00..<0x20, 0x7F...0x9F, 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029, 0xFEFF:
                    // Controls, bidi controls and separators as escapes: the value survives, the terminal is safe.
                    out += String(format: "\\u%04X", scalar.value)
                default:
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A key: bare when it can be, else quoted.
    public static func key(_ key: String) -> String {
        !key.isEmpty && key.utf8.allSatisfy(TOMLParser.isBareKeyByte) ? key : basicString(key)
    }

    /// A value on one line (tables as inline tables).
    public static func value(_ value: TOMLValue) -> String {
        switch value {
        case .string(let s): return basicString(s)
        case .integer(let n): return String(n)
        case .bool(let b): return b ? "true" : "false"
        case .float(let d):
            if d.isNaN { return "nan" }
            if d.isInfinite { return d < 0 ? "-inf" : "inf" }
            let text = "\(d)"
            return text.contains(".") || text.contains("e") ? text : text + ".0"
        case .dateTime(let dateTime): return dateTime.description
        case .array(let items): return "[" + items.map(Self.value).joined(separator: ", ") + "]"
        case .table(let table):
            if table.keys.isEmpty { return "{}" }
            return "{ " + table.entries.map { "\(key($0.key)) = \(Self.value($0.value))" }.joined(separator: ", ") + " }"
        }
    }
}
