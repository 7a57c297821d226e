/// The SOSL subset: `FIND {term} [IN ALL|NAME|EMAIL|PHONE|SIDEBAR FIELDS]
/// [RETURNING Obj[(f, … [WHERE cond] [ORDER BY …] [LIMIT n])], …] [LIMIT n]`.

enum SearchScope: String, Sendable {
    case all = "ALL", name = "NAME", email = "EMAIL", phone = "PHONE", sidebar = "SIDEBAR"
}

/// One word of a search term. `text` is unescaped; `*`/`?` wildcards are kept only when unescaped.
struct SearchWord: Sendable, Equatable {
    enum Piece: Sendable, Equatable { case char(Character), anyRun, anyOne }
    var pieces: [Piece]
    var isPhrase = false

    var literalText: String {
        String(pieces.compactMap { if case .char(let c) = $0 { return c }; return nil })
    }

    var hasWildcard: Bool { pieces.contains { $0 != .char(" ") && !isChar($0) } }

    private func isChar(_ p: Piece) -> Bool {
        if case .char = p { return true }
        return false
    }
}

/// A term is an OR of AND-groups; each group may exclude words (AND NOT).
struct SearchTerm: Sendable, Equatable {
    struct Group: Sendable, Equatable {
        var words: [SearchWord] = []
        var excluded: [SearchWord] = []
    }
    var groups: [Group]
}

struct ReturningSpec: Sendable, Equatable {
    var object: String
    var objectColumn: Int
    var fields: [FieldPath]
    var query: SOQLQuery  // WHERE / ORDER BY / LIMIT carried in a SOQLQuery shell
}

struct SOSLQuery: Sendable, Equatable {
    var term: SearchTerm
    var scope: SearchScope
    var returning: [ReturningSpec]
    var limit: Int?
}

enum SOSLParser {
    /// Reserved characters that must be escaped inside `{…}` (besides the operators `& | !`,
    /// the grouping `( )`, the phrase quote `"` and the wildcards `* ?`, which have meaning).
    static let mustEscape: Set<Character> = ["{", "[", "]", "^", "~", ":", "'", "+", "-"]

    static func parse(_ q: String) throws -> SOSLQuery {
        let chars = Array(q)
        var i = 0
        func skipSpace() { while i < chars.count, chars[i].isWhitespace { i += 1 } }
        func malformed(_ detail: String, column: Int) -> QueryError {
            QueryError.malformed(q, column: column, detail, code: "MALFORMED_SEARCH")
        }
        skipSpace()
        guard i + 4 <= chars.count, String(chars[i..<(i + 4)]).uppercased() == "FIND" else {
            throw malformed("unexpected token: \(chars.isEmpty ? "<EOF>" : String(chars[i...].prefix(10)))", column: i + 1)
        }
        i += 4
        skipSpace()
        guard i < chars.count, chars[i] == "{" else {
            throw QueryError(errorCode: "MALFORMED_SEARCH",
                             message: "No search term found. The search term must be enclosed in braces.")
        }
        i += 1
        let (term, end) = try parseTerm(chars, from: i, query: q)
        i = end + 1
        let rest = String(chars[i...])
        var p = SOQLParser(query: q, tokens: try SOQLLexer.tokenize(rest, columnOffset: i, original: q))
        p.errorCode = "MALFORMED_SEARCH"
        var scope = SearchScope.all
        if p.acceptKeyword("IN") {
            guard case .word(let w) = p.current.kind, let s = SearchScope(rawValue: w.uppercased()) else { throw p.fail() }
            scope = s
            p.advance()
            try p.expectKeyword("FIELDS")
        }
        var returning: [ReturningSpec] = []
        if p.acceptKeyword("RETURNING") {
            repeat {
                guard case .word(let object) = p.current.kind else { throw p.fail() }
                let column = p.current.column
                p.advance()
                var spec = ReturningSpec(object: object, objectColumn: column, fields: [],
                                         query: SOQLQuery(selection: .fields([]), object: object, objectColumn: column))
                if p.acceptPunct("(") {
                    spec.fields = try p.parseFieldList()
                    try p.parseTail(into: &spec.query)
                    try p.expectPunct(")")
                }
                spec.query.selection = .fields(spec.fields)
                returning.append(spec)
            } while p.acceptPunct(",")
        }
        var limit: Int?
        if p.acceptKeyword("LIMIT") { limit = try p.parseCount() }
        guard p.current.kind == .eof else { throw p.fail() }
        return SOSLQuery(term: term, scope: scope, returning: returning, limit: limit)
    }

    /// Parses the braces' content; returns the term and the index of the closing brace.
    static func parseTerm(_ chars: [Character], from start: Int, query: String) throws -> (SearchTerm, Int) {
        var groups: [SearchTerm.Group] = [.init()]
        var word: [SearchWord.Piece] = []
        var negateNext = false
        var inPhrase = false
        var i = start
        func malformed(_ c: String, _ at: Int) -> QueryError {
            QueryError.malformed(query, column: at + 1, "line 1:\(at) mismatched character '\(c)' expecting '}'",
                                 code: "MALFORMED_SEARCH")
        }
        func flush(phrase: Bool = false) {
            guard !word.isEmpty else { return }
            let w = SearchWord(pieces: word, isPhrase: phrase)
            word = []
            if !phrase, w.pieces.allSatisfy({ if case .char = $0 { return true }; return false }) {
                switch w.literalText.uppercased() {
                case "OR": groups.append(.init()); return
                case "AND": return
                case "NOT": negateNext = true; return
                default: break
                }
            }
            if negateNext { groups[groups.count - 1].excluded.append(w) } else { groups[groups.count - 1].words.append(w) }
            negateNext = false
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\\" {
                guard i + 1 < chars.count else { throw malformed(String(c), i) }
                word.append(.char(chars[i + 1]))
                i += 2
                continue
            }
            if inPhrase {
                if c == "\"" { flush(phrase: true); inPhrase = false } else { word.append(.char(c)) }
                i += 1
                continue
            }
            switch c {
            case "}":
                flush()
                guard groups.contains(where: { !$0.words.isEmpty }) else {
                    throw QueryError(errorCode: "MALFORMED_SEARCH", message: "No search term found. The search term must be enclosed in braces.")
                }
                try validate(SearchTerm(groups: groups.filter { !$0.words.isEmpty }))
                return (SearchTerm(groups: groups.filter { !$0.words.isEmpty }), i)
            case "\"": flush(); inPhrase = true
            case "*": word.append(.anyRun)
            case "?": word.append(.anyOne)
            case "|": flush(); groups.append(.init())
            case "&": flush()
            case "!": flush(); negateNext = true
            case "(", ")": flush()
            default:
                if c.isWhitespace { flush() } else if mustEscape.contains(c) { throw malformed(String(c), i) } else { word.append(.char(c)) }
            }
            i += 1
        }
        throw malformed("<EOF>", chars.count)
    }

    static func validate(_ term: SearchTerm) throws {
        for group in term.groups {
            for w in group.words {
                if let first = w.pieces.first, first == .anyRun || first == .anyOne {
                    throw QueryError(errorCode: "INVALID_SEARCH", message: "The wildcard can't be the first character in a search term")
                }
            }
        }
        let longest = term.groups.flatMap(\.words).map { $0.literalText.count }.max() ?? 0
        if longest < 2 {
            throw QueryError(errorCode: "INVALID_SEARCH", message: "search term must be longer than one character")
        }
    }
}
