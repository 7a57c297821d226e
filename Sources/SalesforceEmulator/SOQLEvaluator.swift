import Foundation

/// A field reference checked against the schema: zero or more relationship hops, then a leaf.
struct ResolvedField: Sendable {
    struct Hop: Sendable {
        var referenceField: String  // e.g. AccountId
        var relationshipName: String  // e.g. Account
    }
    var hops: [Hop]
    var leaf: String  // canonical when there are no hops, as written otherwise
    var leafType: FieldType?
}

/// Evaluates parsed SOQL against a `RecordStore`.
struct SOQLEvaluator {
    let store: RecordStore
    let query: String

    func invalidField(_ path: FieldPath, object: String) -> QueryError {
        let name = path.dotted
        let detail: String
        if path.parts.count > 1 {
            detail = "Didn't understand relationship '\(path.parts[0])' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names."
        } else {
            detail = "No such column '\(name)' on entity '\(object)'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
        }
        var e = QueryError.malformed(query, column: path.column, detail)
        e.errorCode = "INVALID_FIELD"
        return e
    }

    func resolve(_ path: FieldPath, on table: Table) throws -> ResolvedField {
        var current = [table]
        var hops: [ResolvedField.Hop] = []
        for part in path.parts.dropLast() {
            let lower = part.lowercased()
            var refField: FieldDef?
            for t in current {
                refField = t.def.fields.first {
                    $0.type == .reference && ($0.relationshipName?.lowercased() == lower
                        || (lower.hasSuffix("__r") && $0.name.lowercased() == lower.dropLast(3) + "__c"))
                }
                if refField != nil { break }
            }
            guard let ref = refField else { throw invalidField(path, object: table.name) }
            hops.append(.init(referenceField: ref.name, relationshipName: ref.relationshipName ?? part))
            current = ref.referenceTo.compactMap { store.table($0) }
            if current.isEmpty { throw invalidField(path, object: table.name) }
        }
        let leaf = path.parts.last!
        guard let def = current.lazy.compactMap({ $0.field(leaf) }).first else {
            throw invalidField(path, object: table.name)
        }
        return ResolvedField(hops: hops, leaf: hops.isEmpty ? def.name : leaf, leafType: def.type)
    }

    /// Follows the hops; nil when a reference along the way is empty or dangling.
    func target(of field: ResolvedField, from record: EmulatorRecord) -> (type: String, record: EmulatorRecord)? {
        var current: (type: String, record: EmulatorRecord)? = nil
        var rec = record
        for hop in field.hops {
            guard let id = rec[hop.referenceField]?.stringValue, let next = store.record(id: id) else { return nil }
            current = next
            rec = next.record
        }
        return current
    }

    func value(of field: ResolvedField, in record: EmulatorRecord) -> EmulatorJSON {
        if field.hops.isEmpty { return record[field.leaf] ?? .null }
        guard let t = target(of: field, from: record) else { return .null }
        let name = store.table(t.type)?.field(field.leaf)?.name ?? field.leaf
        return t.record[name] ?? .null
    }

    // MARK: Conditions

    typealias Predicate = (EmulatorRecord) -> Bool

    func compile(_ condition: SOQLCondition, on table: Table) throws -> Predicate {
        switch condition {
        case .and(let a, let b):
            let pa = try compile(a, on: table), pb = try compile(b, on: table)
            return { pa($0) && pb($0) }
        case .or(let a, let b):
            let pa = try compile(a, on: table), pb = try compile(b, on: table)
            return { pa($0) || pb($0) }
        case .not(let a):
            let pa = try compile(a, on: table)
            return { !pa($0) }
        case .compare(let path, let op, let literal):
            let f = try resolve(path, on: table)
            let lit = Self.normalizeId(literal, type: f.leafType)
            return { Self.compare(value(of: f, in: $0), op, lit) }
        case .inList(let path, let literals, let negated):
            let f = try resolve(path, on: table)
            let lits = literals.map { Self.normalizeId($0, type: f.leafType) }
            return { record in
                let v = value(of: f, in: record)
                let hit = lits.contains { Self.compare(v, .eq, $0) }
                return negated ? !hit : hit
            }
        case .like(let path, let pattern, let negated):
            let f = try resolve(path, on: table)
            let matcher = LikePattern(pattern)
            return { record in
                guard let s = value(of: f, in: record).stringValue else { return false }
                return matcher.matches(s) != negated
            }
        }
    }

    /// Ids named by `Id = '…'` / `Id IN (…)` at the top level (or under AND), to use the index.
    static func candidateIds(_ condition: SOQLCondition?) -> [String]? {
        guard let condition else { return nil }
        switch condition {
        case .compare(let path, .eq, .string(let s, _)) where path.parts.count == 1 && path.parts[0].lowercased() == "id":
            return [SalesforceId.normalize(s) ?? s]
        case .inList(let path, let lits, negated: false) where path.parts.count == 1 && path.parts[0].lowercased() == "id":
            return lits.compactMap { if case .string(let s, _) = $0 { return SalesforceId.normalize(s) ?? s }; return nil }
        case .and(let a, let b):
            return candidateIds(a) ?? candidateIds(b)
        case .compare, .inList, .like, .or, .not:
            return nil
        }
    }

    static func normalizeId(_ literal: SOQLLiteral, type: FieldType?) -> SOQLLiteral {
        guard type == .id || type == .reference, case .string(let s, _) = literal,
              let n = SalesforceId.normalize(s) else { return literal }
        return .string(n, likePattern: n)
    }

    static func compare(_ value: EmulatorJSON, _ op: CompareOp, _ literal: SOQLLiteral) -> Bool {
        if case .null = literal {
            switch op {
            case .eq: return value.isNull
            case .ne: return !value.isNull
            case .lt, .le, .gt, .ge: return false
            }
        }
        if value.isNull { return op == .ne }
        let ordering: ComparisonResult?
        switch literal {
        case .null: ordering = nil
        case .string(let s, _):
            switch value {
            case .string(let v): ordering = v.caseInsensitiveCompare(s)
            case .number(let n): ordering = Double(s).map { order(n, $0) }
            case .bool(let b): ordering = b == (s.lowercased() == "true") ? .orderedSame : .orderedAscending
            case .null, .array, .object: ordering = nil
            }
        case .number(let n):
            switch value {
            case .number(let v): ordering = order(v, n)
            case .string(let v): ordering = Double(v).map { order($0, n) }
            case .bool, .null, .array, .object: ordering = nil
            }
        case .bool(let b):
            guard let v = value.boolValue else { return op == .ne }
            ordering = v == b ? .orderedSame : .orderedAscending
            if op != .eq && op != .ne { return false }
        case .dateTime(let t):
            ordering = value.stringValue.flatMap(SalesforceDate.parse).map { order($0, t) }
        case .date(let d):
            ordering = value.stringValue.map { v in
                let day = String(v.prefix(10))
                return day == d ? .orderedSame : (day < d ? .orderedAscending : .orderedDescending)
            }
        }
        guard let ordering else { return op == .ne }
        switch op {
        case .eq: return ordering == .orderedSame
        case .ne: return ordering != .orderedSame
        case .lt: return ordering == .orderedAscending
        case .le: return ordering != .orderedDescending
        case .gt: return ordering == .orderedDescending
        case .ge: return ordering != .orderedAscending
        }
    }

    static func order(_ a: Double, _ b: Double) -> ComparisonResult {
        a == b ? .orderedSame : (a < b ? .orderedAscending : .orderedDescending)
    }

    /// Sort order for ORDER BY: nil first/last handled by the caller.
    static func sortOrder(_ a: EmulatorJSON, _ b: EmulatorJSON) -> ComparisonResult {
        switch (a, b) {
        case (.number(let x), .number(let y)): return order(x, y)
        case (.string(let x), .string(let y)): return x.caseInsensitiveCompare(y)
        case (.bool(let x), .bool(let y)): return x == y ? .orderedSame : (!x ? .orderedAscending : .orderedDescending)
        case (.null, .null): return .orderedSame
        default: return a.jsonString < b.jsonString ? .orderedAscending : (a == b ? .orderedSame : .orderedDescending)
        }
    }

    // MARK: Selection

    /// Record indexes in `table` matching the query, sorted, with offset/limit applied.
    func select(_ q: SOQLQuery, table: Table, includeDeleted: Bool) throws -> [Int] {
        let predicate = try q.condition.map { try compile($0, on: table) }
        var indexes: [Int] = []
        func consider(_ i: Int) {
            let r = table.records[i]
            if !includeDeleted, r["IsDeleted"]?.boolValue == true { return }
            if let predicate, !predicate(r) { return }
            indexes.append(i)
        }
        if let ids = Self.candidateIds(q.condition) {
            for i in Set(ids.compactMap { table.byId[$0] }).sorted() { consider(i) }
        } else {
            for i in table.records.indices { consider(i) }
        }
        if !q.orderBy.isEmpty {
            let keys = try q.orderBy.map { ($0, try resolve($0.field, on: table)) }
            let values = Dictionary(uniqueKeysWithValues: indexes.map { i in
                (i, keys.map { value(of: $0.1, in: table.records[i]) })
            })
            let less = { (lhs: Int, rhs: Int) -> Bool in
                let lv = values[lhs]!, rv = values[rhs]!
                for (k, (item, _)) in keys.enumerated() {
                    let a = lv[k], b = rv[k]
                    if a.isNull || b.isNull {
                        if a.isNull && b.isNull { continue }
                        return a.isNull == item.nullsFirst
                    }
                    let o = Self.sortOrder(a, b)
                    if o == .orderedSame { continue }
                    return (o == .orderedAscending) == item.ascending
                }
                return lhs < rhs
            }
            if let limit = q.limit, q.offset == nil, limit * 4 < indexes.count {
                // ORDER BY … LIMIT n over many rows (keyset paging): keep only the first n instead of sorting all.
                indexes = Self.smallest(limit, of: indexes, by: less)
            } else {
                indexes.sort(by: less)
            }
        }
        if let offset = q.offset { indexes = Array(indexes.dropFirst(offset)) }
        if let limit = q.limit, indexes.count > limit { indexes = Array(indexes.prefix(limit)) }
        return indexes
    }

    /// The `n` smallest elements in order (same result as sorting and taking a prefix; `less` is a strict total order).
    static func smallest(_ n: Int, of items: [Int], by less: (Int, Int) -> Bool) -> [Int] {
        var best: [Int] = []
        best.reserveCapacity(n + 1)
        for item in items {
            if best.count == n, let last = best.last, !less(item, last) { continue }
            var low = 0, high = best.count
            while low < high {
                let mid = (low + high) / 2
                if less(best[mid], item) { low = mid + 1 } else { high = mid }
            }
            best.insert(item, at: low)
            if best.count > n { best.removeLast() }
        }
        return best
    }

    /// Builds the output object for one record: attributes, plain fields, nested relationship objects.
    func project(_ record: EmulatorRecord, type: String, fields: [ResolvedField], version: String) -> EmulatorJSON {
        var out: EmulatorRecord = ["attributes": Self.attributes(type: type, id: record["Id"]?.stringValue, version: version)]
        for f in fields {
            if f.hops.isEmpty {
                out[f.leaf] = record[f.leaf] ?? .null
            } else {
                insertNested(&out, hops: f.hops[...], leaf: f.leaf, record: record, version: version)
            }
        }
        return .object(out)
    }

    private func insertNested(_ out: inout EmulatorRecord, hops: ArraySlice<ResolvedField.Hop>, leaf: String,
                              record: EmulatorRecord, version: String) {
        guard let hop = hops.first else { return }
        let name = hop.relationshipName
        guard let id = record[hop.referenceField]?.stringValue, let target = store.record(id: id) else {
            if out[name] == nil { out[name] = .null }
            return
        }
        var nested = out[name]?.objectValue ?? ["attributes": Self.attributes(type: target.type, id: id, version: version)]
        if hops.count == 1 {
            let canonical = store.table(target.type)?.field(leaf)?.name ?? leaf
            nested[canonical] = target.record[canonical] ?? .null
        } else {
            insertNested(&nested, hops: hops.dropFirst(), leaf: leaf, record: target.record, version: version)
        }
        out[name] = .object(nested)
    }

    static func attributes(type: String, id: String?, version: String) -> EmulatorJSON {
        var a: EmulatorRecord = ["type": .string(type)]
        if let id { a["url"] = .string("/services/data/v\(version)/sobjects/\(type)/\(id)") }
        return .object(a)
    }
}

/// SOQL LIKE: `%` any run, `_` one character, `\%` `\_` literal; case-insensitive.
struct LikePattern {
    enum Piece { case literal(Character), one, any }
    let pieces: [Piece]

    init(_ pattern: String) {
        var pieces: [Piece] = []
        var escaped = false
        for c in pattern.lowercased() {
            if escaped { pieces.append(.literal(c)); escaped = false; continue }
            switch c {
            case "\\": escaped = true
            case "%": pieces.append(.any)
            case "_": pieces.append(.one)
            default: pieces.append(.literal(c))
            }
        }
        self.pieces = pieces
    }

    func matches(_ text: String) -> Bool {
        let t = Array(text.lowercased())
        var memo = [Int: Bool]()
        func m(_ p: Int, _ i: Int) -> Bool {
            if p == pieces.count { return i == t.count }
            let key = p * (t.count + 1) + i
            if let v = memo[key] { return v }
            let r: Bool
            switch pieces[p] {
            case .any: r = m(p + 1, i) || (i < t.count && m(p, i + 1))
            case .one: r = i < t.count && m(p + 1, i + 1)
            case .literal(let c): r = i < t.count && t[i] == c && m(p + 1, i + 1)
            }
            memo[key] = r
            return r
        }
        return m(0, 0)
    }
}
