/// The SOQL subset: `SELECT f, Rel.f | COUNT() FROM Obj [WHERE cond] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], …]
/// [LIMIT n] [OFFSET n]`.

struct FieldPath: Sendable, Equatable {
    var parts: [String]
    var column: Int
    var dotted: String { parts.joined(separator: ".") }
}

enum SOQLLiteral: Sendable, Equatable {
    case string(String, likePattern: String)
    case number(Double)
    case bool(Bool)
    case null
    case dateTime(Double)
    case date(String)
}

enum CompareOp: String, Sendable {
    case eq = "=", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
}

indirect enum SOQLCondition: Sendable, Equatable {
    case and(SOQLCondition, SOQLCondition)
    case or(SOQLCondition, SOQLCondition)
    case not(SOQLCondition)
    case compare(FieldPath, CompareOp, SOQLLiteral)
    case inList(FieldPath, [SOQLLiteral], negated: Bool)
    case like(FieldPath, String, negated: Bool)
}

struct OrderItem: Sendable, Equatable {
    var field: FieldPath
    var ascending: Bool
    var nullsFirst: Bool
}

enum Selection: Sendable, Equatable {
    case count
    case fields([FieldPath])
}

struct SOQLQuery: Sendable, Equatable {
    var selection: Selection
    var object: String
    var objectColumn: Int
    var condition: SOQLCondition?
    var orderBy: [OrderItem] = []
    var limit: Int?
    var offset: Int?
}

/// Recursive-descent parser over `SOQLToken`s. Reused by the SOSL parser for RETURNING clauses.
struct SOQLParser {
    let query: String
    var tokens: [SOQLToken]
    var pos = 0
    var errorCode = "MALFORMED_QUERY"

    init(query: String, tokens: [SOQLToken]) {
        self.query = query
        self.tokens = tokens
    }

    static func parse(_ q: String) throws -> SOQLQuery {
        var p = SOQLParser(query: q, tokens: try SOQLLexer.tokenize(q))
        return try p.parseQuery()
    }

    var current: SOQLToken { tokens[pos] }

    mutating func advance() { if pos < tokens.count - 1 { pos += 1 } }

    func fail(_ token: SOQLToken? = nil, _ detail: String? = nil) -> QueryError {
        let t = token ?? current
        return QueryError.malformed(query, column: t.column, detail ?? "unexpected token: \(t.text)", code: errorCode)
    }

    mutating func expectKeyword(_ k: String) throws {
        guard current.isKeyword(k) else { throw fail() }
        advance()
    }

    mutating func acceptKeyword(_ k: String) -> Bool {
        guard current.isKeyword(k) else { return false }
        advance()
        return true
    }

    mutating func acceptPunct(_ p: String) -> Bool {
        guard current.kind == .punct(p) else { return false }
        advance()
        return true
    }

    mutating func expectPunct(_ p: String) throws {
        guard acceptPunct(p) else { throw fail() }
    }

    static let reserved: Set<String> = ["select", "from", "where", "order", "by", "limit", "offset", "and", "or",
                                        "not", "in", "like", "asc", "desc", "nulls", "first", "last", "true",
                                        "false", "null", "group", "having", "with", "returning", "find"]

    mutating func parseQuery() throws -> SOQLQuery {
        try expectKeyword("SELECT")
        let selection = try parseSelection()
        try expectKeyword("FROM")
        guard case .word(let object) = current.kind, !Self.reserved.contains(object.lowercased()) else { throw fail() }
        let objectColumn = current.column
        advance()
        var q = SOQLQuery(selection: selection, object: object, objectColumn: objectColumn)
        try parseTail(into: &q)
        guard current.kind == .eof else { throw fail() }
        return q
    }

    /// WHERE / ORDER BY / LIMIT / OFFSET, each optional, in that order.
    mutating func parseTail(into q: inout SOQLQuery) throws {
        if acceptKeyword("WHERE") { q.condition = try parseCondition() }
        if acceptKeyword("ORDER") {
            try expectKeyword("BY")
            q.orderBy = try parseOrderBy()
        }
        if acceptKeyword("LIMIT") { q.limit = try parseCount() }
        if acceptKeyword("OFFSET") { q.offset = try parseCount() }
    }

    mutating func parseCount() throws -> Int {
        guard case .number(let n) = current.kind, n >= 0, n == n.rounded() else { throw fail() }
        advance()
        return Int(n)
    }

    mutating func parseSelection() throws -> Selection {
        if current.isKeyword("COUNT"), tokens[pos + 1].kind == .punct("("), tokens[pos + 2].kind == .punct(")") {
            advance(); advance(); advance()
            return .count
        }
        return .fields(try parseFieldList())
    }

    mutating func parseFieldList() throws -> [FieldPath] {
        var fields: [FieldPath] = [try parseField()]
        while acceptPunct(",") { fields.append(try parseField()) }
        return fields
    }

    mutating func parseField() throws -> FieldPath {
        guard case .word(let w) = current.kind, !Self.reserved.contains(w.lowercased()) else {
            if current.kind == .punct("(") { throw fail(nil, "unexpected token: '(' (subqueries are not supported by the emulator)") }
            throw fail()
        }
        let path = FieldPath(parts: w.split(separator: ".", omittingEmptySubsequences: false).map(String.init),
                             column: current.column)
        guard !path.parts.contains(where: \.isEmpty) else { throw fail() }
        advance()
        return path
    }

    mutating func parseOrderBy() throws -> [OrderItem] {
        var items: [OrderItem] = []
        repeat {
            let field = try parseField()
            var ascending = true
            if acceptKeyword("DESC") { ascending = false } else { _ = acceptKeyword("ASC") }
            var nullsFirst = ascending
            if acceptKeyword("NULLS") {
                if acceptKeyword("FIRST") { nullsFirst = true } else { try expectKeyword("LAST"); nullsFirst = false }
            }
            items.append(OrderItem(field: field, ascending: ascending, nullsFirst: nullsFirst))
        } while acceptPunct(",")
        return items
    }

    // MARK: Conditions

    mutating func parseCondition() throws -> SOQLCondition {
        var lhs = try parseAnd()
        while acceptKeyword("OR") { lhs = .or(lhs, try parseAnd()) }
        return lhs
    }

    mutating func parseAnd() throws -> SOQLCondition {
        var lhs = try parseUnary()
        while acceptKeyword("AND") { lhs = .and(lhs, try parseUnary()) }
        return lhs
    }

    mutating func parseUnary() throws -> SOQLCondition {
        if acceptKeyword("NOT") { return .not(try parseUnary()) }
        if acceptPunct("(") {
            let inner = try parseCondition()
            try expectPunct(")")
            return inner
        }
        let field = try parseField()
        if acceptKeyword("NOT") {
            if acceptKeyword("IN") { return .inList(field, try parseList(), negated: true) }
            try expectKeyword("LIKE")
            return .like(field, try parseLikePattern(), negated: true)
        }
        if acceptKeyword("IN") { return .inList(field, try parseList(), negated: false) }
        if acceptKeyword("LIKE") { return .like(field, try parseLikePattern(), negated: false) }
        guard case .punct(let p) = current.kind, let op = CompareOp(rawValue: p) else { throw fail() }
        advance()
        return .compare(field, op, try parseLiteral())
    }

    mutating func parseLikePattern() throws -> String {
        guard case .string(_, let like) = current.kind else { throw fail() }
        advance()
        return like
    }

    mutating func parseList() throws -> [SOQLLiteral] {
        try expectPunct("(")
        if current.isKeyword("SELECT") { throw fail(nil, "unexpected token: SELECT (semi-joins are not supported by the emulator)") }
        var values = [try parseLiteral()]
        while acceptPunct(",") { values.append(try parseLiteral()) }
        try expectPunct(")")
        return values
    }

    mutating func parseLiteral() throws -> SOQLLiteral {
        let t = current
        switch t.kind {
        case .string(let s, let like): advance(); return .string(s, likePattern: like)
        case .number(let n): advance(); return .number(n)
        case .dateTime(let d, _): advance(); return .dateTime(d)
        case .date(let d): advance(); return .date(d)
        case .word(let w):
            switch w.lowercased() {
            case "true": advance(); return .bool(true)
            case "false": advance(); return .bool(false)
            case "null": advance(); return .null
            default: throw fail()
            }
        case .punct, .eof:
            throw fail()
        }
    }
}
