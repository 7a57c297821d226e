/// Escaping for values placed inside SOQL string literals and SOSL search terms.
///
/// Pure functions; every query Ringside builds goes through here, never through
/// string interpolation of raw input.
public enum SalesforceEscaping {
    /// Characters SOSL reserves inside `FIND {…}`; each is escaped with a backslash.
    public static let soslReserved: Set<Character> = [
        "?", "&", "|", "!", "{", "}", "[", "]", "(", ")", "^", "~", "*", ":", "\\", "\"", "'", "+", "-",
    ]

    /// The body of a SOQL string literal (without the surrounding quotes):
    /// backslash-escapes `\ ' "`, and writes `\n \r \t \b \f` for those control characters.
    /// Other control characters are dropped (SOQL has no escape for them).
    public static func soqlLiteral(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A quoted SOQL string literal: `'Bob\'s BBQ'`.
    public static func soqlQuoted(_ value: String) -> String {
        "'" + soqlLiteral(value) + "'"
    }

    /// The body of a SOQL `LIKE` pattern that matches `value` literally: as
    /// `soqlLiteral`, plus `_` → `\_` and `%` → `\%`. Add your own `%` around it.
    public static func soqlLikeLiteral(_ value: String) -> String {
        var out = ""
        for character in soqlLiteral(value) {
            switch character {
            case "_": out += "\\_"
            case "%": out += "\\%"
            default: out.append(character)
            }
        }
        return out
    }

    /// One SOSL search word with every reserved character backslash-escaped, so the
    /// text is searched literally (no wildcards, operators or grouping). Control
    /// characters become spaces.
    public static func soslTerm(_ value: String) -> String {
        var out = ""
        for character in value {
            if soslReserved.contains(character) {
                out += "\\"
                out.append(character)
            } else if character.unicodeScalars.allSatisfy({ $0.value < 0x20 || $0.value == 0x7F }) {
                out += " "
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// Free text typed by a person as a SOSL search term: each word escaped, the
    /// operator words `AND`, `OR`, `NOT` and punctuation-only words (`&`, `-`) dropped
    /// (they would change the query's meaning or match nothing).
    /// Empty when nothing searchable is left.
    public static func soslFreeText(_ text: String) -> String {
        let operators: Set<String> = ["AND", "OR", "NOT", "AND NOT"]
        return text.split(whereSeparator: { $0.isWhitespace || $0.unicodeScalars.allSatisfy { $0.value < 0x20 } })
            .map(String.init)
            .filter { !operators.contains($0.uppercased()) && $0.contains(where: { $0.isLetter || $0.isNumber }) }
            .map(soslTerm)
            .joined(separator: " ")
    }

    /// Percent-encodes a query parameter value (RFC 3986 unreserved characters kept).
    public static func urlQueryValue(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// `application/x-www-form-urlencoded` body from ordered pairs.
    public static func formBody(_ pairs: [(String, String)]) -> String {
        pairs.map { urlQueryValue($0.0) + "=" + urlQueryValue($0.1) }.joined(separator: "&")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
