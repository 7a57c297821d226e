/// Tokens of the SOQL subset (also used for the RETURNING part of SOSL).
struct SOQLToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case word(String)
        /// Unescaped text; in `likePattern` the LIKE escapes `\%` and `\_` are kept.
        case string(String, likePattern: String)
        case number(Double)
        case dateTime(Double, raw: String)
        case date(String)
        case punct(String)
        case eof
    }

    var kind: Kind
    /// 1-based column of the first character.
    var column: Int

    var text: String {
        switch kind {
        case .word(let w): return w
        case .string(let s, _): return "'\(s)'"
        case .number(let n): return EmulatorJSON.format(number: n)
        case .dateTime(_, let raw): return raw
        case .date(let d): return d
        case .punct(let p): return p
        case .eof: return "<EOF>"
        }
    }

    func isKeyword(_ k: String) -> Bool {
        if case .word(let w) = kind { return w.caseInsensitiveCompare(k) == .orderedSame }
        return false
    }
}

/// A syntax or semantic error in SOQL/SOSL, rendered like Salesforce's messages.
struct QueryError: Error, Sendable {
    var errorCode: String
    var message: String

    static func malformed(_ query: String, column: Int, _ detail: String, code: String = "MALFORMED_QUERY") -> QueryError {
        let caret = String(repeating: " ", count: max(0, column - 1)) + "^"
        return QueryError(errorCode: code, message: "\(query)\n\(caret)\nERROR at Row:1:Column:\(column)\n\(detail)")
    }
}

enum SOQLLexer {
    static func tokenize(_ text: String, columnOffset: Int = 0, original: String? = nil) throws -> [SOQLToken] {
        let query = original ?? text
        let chars = Array(text)
        var tokens: [SOQLToken] = []
        var i = 0
        func isWordStart(_ c: Character) -> Bool { c.isLetter || c == "_" }
        func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." }
        while i < chars.count {
            let c = chars[i]
            let column = i + 1 + columnOffset
            if c.isWhitespace {
                i += 1
            } else if isWordStart(c) {
                var j = i
                while j < chars.count, isWordChar(chars[j]) { j += 1 }
                tokens.append(SOQLToken(kind: .word(String(chars[i..<j])), column: column))
                i = j
            } else if c == "'" {
                var value = ""
                var like = ""
                var j = i + 1
                var closed = false
                while j < chars.count {
                    let ch = chars[j]
                    if ch == "'" {
                        closed = true
                        break
                    }
                    if ch == "\\" {
                        guard j + 1 < chars.count else { break }
                        let e = chars[j + 1]
                        switch e {
                        case "'", "\"", "\\": value.append(e); like.append(e == "\\" ? "\\\\" : String(e))
                        case "n": value.append("\n"); like.append("\n")
                        case "r": value.append("\r"); like.append("\r")
                        case "t": value.append("\t"); like.append("\t")
                        case "b": value.append("\u{8}"); like.append("\u{8}")
                        case "f": value.append("\u{c}"); like.append("\u{c}")
                        case "%", "_": value.append("\\"); value.append(e); like.append("\\"); like.append(e)
                        case "u":
                            guard j + 5 < chars.count, let code = UInt32(String(chars[(j + 2)...(j + 5)]), radix: 16),
                                  let scalar = Unicode.Scalar(code) else {
                                throw QueryError.malformed(query, column: j + 1 + columnOffset,
                                                           "Invalid string literal: illegal unicode escape")
                            }
                            value.unicodeScalars.append(scalar)
                            like.unicodeScalars.append(scalar)
                            j += 4
                        default:
                            throw QueryError.malformed(query, column: j + 1 + columnOffset,
                                                       "Invalid string literal '\\\(e)'. Illegal character sequence '\\\(e)' in string literal.")
                        }
                        j += 2
                        continue
                    }
                    value.append(ch)
                    like.append(ch)
                    j += 1
                }
                guard closed else {
                    throw QueryError.malformed(query, column: column, "line 1:\(column - 1) mismatched character '<EOF>' expecting '''")
                }
                tokens.append(SOQLToken(kind: .string(value, likePattern: like), column: column))
                i = j + 1
            } else if c.isNumber || ((c == "-" || c == "+") && i + 1 < chars.count && chars[i + 1].isNumber) {
                var j = i + 1
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || ":.+-".contains(chars[j]) { j += 1 }
                let raw = String(chars[i..<j])
                tokens.append(SOQLToken(kind: try classify(raw, query: query, column: column), column: column))
                i = j
            } else if "(),".contains(c) {
                tokens.append(SOQLToken(kind: .punct(String(c)), column: column))
                i += 1
            } else if "=!<>".contains(c) {
                let two = i + 1 < chars.count ? String(chars[i...(i + 1)]) : ""
                if ["!=", "<>", "<=", ">="].contains(two) {
                    tokens.append(SOQLToken(kind: .punct(two == "<>" ? "!=" : two), column: column))
                    i += 2
                } else if c == "!" {
                    throw QueryError.malformed(query, column: column, "unexpected token: '!'")
                } else {
                    tokens.append(SOQLToken(kind: .punct(String(c)), column: column))
                    i += 1
                }
            } else {
                throw QueryError.malformed(query, column: column, "line 1:\(column - 1) no viable alternative at character '\(c)'")
            }
        }
        tokens.append(SOQLToken(kind: .eof, column: chars.count + 1 + columnOffset))
        return tokens
    }

    private static func classify(_ raw: String, query: String, column: Int) throws -> SOQLToken.Kind {
        let bytes = Array(raw.utf8)
        let looksLikeDate = bytes.count >= 10 && bytes[4] == 45 && bytes[7] == 45
        if looksLikeDate {
            if bytes.count == 10, SalesforceDate.parse(raw) != nil { return .date(raw) }
            if let t = SalesforceDate.parse(raw) { return .dateTime(t, raw: raw) }
            throw QueryError.malformed(query, column: column, "line 1:\(column - 1) no viable alternative at character '\(raw)'")
        }
        if let n = Double(raw) { return .number(n) }
        throw QueryError.malformed(query, column: column, "unexpected token: '\(raw)'")
    }
}
