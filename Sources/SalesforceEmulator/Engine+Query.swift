import Foundation

/// `/query`, `/queryAll`, query locators, `/search`, `/parameterizedSearch`.
extension EmulatorEngine {
    func query(_ req: EmuRequest, version: String, includeDeleted: Bool) throws -> EmuResponse {
        guard let q = req.query["q"], !q.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SFError.badRequest("MALFORMED_QUERY", "A query string has to be specified")
        }
        let parsed = try SOQLParser.parse(q)
        guard let type = store.typeName(parsed.object, create: false) ?? store.table(parsed.object)?.name,
              let table = store.table(type) else {
            throw QueryError.malformed(q, column: parsed.objectColumn,
                                       "sObject type '\(parsed.object)' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
                                       code: "INVALID_TYPE")
        }
        let evaluator = SOQLEvaluator(store: store, query: q)
        switch parsed.selection {
        case .count:
            let n = try evaluator.select(parsed, table: table, includeDeleted: includeDeleted).count
            return .json(200, ["totalSize": .number(Double(n)), "done": true, "records": []])
        case .fields(let paths):
            let fields = try paths.map { try evaluator.resolve($0, on: table) }
            let indexes = try evaluator.select(parsed, table: table, includeDeleted: includeDeleted)
            let cursor = Cursor(type: type, indexes: indexes, fields: fields, includeDeleted: includeDeleted,
                                batchSize: batchSize(req))
            return page(cursor, offset: 0, locator: nil, version: version)
        }
    }

    func batchSize(_ req: EmuRequest) -> Int {
        guard let options = req.header("Sforce-Query-Options") else { return 2000 }
        for part in options.split(separator: ",") {
            let kv = part.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == "batchsize", let n = Int(kv[1]) { return min(2000, max(200, n)) }
        }
        return 2000
    }

    private func page(_ cursor: Cursor, offset: Int, locator: String?, version: String) -> EmuResponse {
        guard let table = store.table(cursor.type) else { return SFError.notFound.response }
        let evaluator = SOQLEvaluator(store: store, query: "")
        let end = min(cursor.indexes.count, offset + cursor.batchSize)
        let records = cursor.indexes[offset..<end].map {
            evaluator.project(table.records[$0], type: cursor.type, fields: cursor.fields, version: version)
        }
        var out: EmulatorRecord = ["totalSize": .number(Double(cursor.indexes.count)), "done": .bool(end >= cursor.indexes.count),
                                   "records": .array(records)]
        if end < cursor.indexes.count {
            let id: String
            if let locator { id = locator } else {
                cursorCounter += 1
                id = SalesforceId.make(prefix: "01g", counter: cursorCounter)
                cursors[id] = cursor
            }
            out["nextRecordsUrl"] = .string("/services/data/v\(version)/query/\(id)-\(end)")
        } else if let locator {
            cursors[locator] = nil
        }
        return .json(200, .object(out))
    }

    func queryMore(locator: String, version: String) throws -> EmuResponse {
        let parts = locator.split(separator: "-", maxSplits: 1).map(String.init)
        guard parts.count == 2, let offset = Int(parts[1]), let cursor = cursors[parts[0]], offset >= 0,
              offset < cursor.indexes.count else {
            throw SFError.badRequest("INVALID_QUERY_LOCATOR", "invalid query locator")
        }
        return page(cursor, offset: offset, locator: parts[0], version: version)
    }

    // MARK: SOSL

    func search(_ req: EmuRequest, version: String) throws -> EmuResponse {
        guard let q = req.query["q"], !q.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SFError.badRequest("MALFORMED_SEARCH", "No search term found. The search term must be enclosed in braces.")
        }
        let parsed = try SOSLParser.parse(q)
        var specs = parsed.returning
        if specs.isEmpty {
            specs = store.tables.values.filter(\.def.searchable).sorted { $0.name < $1.name }.map {
                ReturningSpec(object: $0.name, objectColumn: 0, fields: [],
                              query: SOQLQuery(selection: .fields([]), object: $0.name, objectColumn: 0))
            }
        }
        return .json(200, ["searchRecords": .array(try runSearch(parsed.term, scope: parsed.scope, specs: specs,
                                                                 overallLimit: parsed.limit ?? 2000, query: q,
                                                                 version: version))])
    }

    private func runSearch(_ term: SearchTerm, scope: SearchScope, specs: [ReturningSpec], overallLimit: Int,
                           query q: String, version: String) throws -> [EmulatorJSON] {
        let evaluator = SOQLEvaluator(store: store, query: q)
        var results: [EmulatorJSON] = []
        for spec in specs {
            guard let table = store.table(spec.object) else {
                throw QueryError.malformed(q, column: spec.objectColumn, "sObject type '\(spec.object)' is not supported.",
                                           code: "INVALID_TYPE")
            }
            let paths = spec.fields.isEmpty ? [FieldPath(parts: ["Id"], column: spec.objectColumn)] : spec.fields
            let fields = try paths.map { try evaluator.resolve($0, on: table) }
            let searchFields = SOSLMatcher.searchFields(table, scope: scope)
            let term = scope == .phone ? SOSLMatcher.phoneTerm(term) : term
            let predicate = try spec.query.condition.map { try evaluator.compile($0, on: table) }
            var matched = SOQLQuery(selection: .fields([]), object: table.name, objectColumn: 0)
            matched.orderBy = spec.query.orderBy
            var indexes: [Int] = []
            for (i, r) in table.records.enumerated() where r["IsDeleted"]?.boolValue != true {
                guard SOSLMatcher.matches(r, term: term, fields: searchFields) else { continue }
                if let predicate, !predicate(r) { continue }
                indexes.append(i)
            }
            if !spec.query.orderBy.isEmpty {
                // Reuse SOQL ordering on the matched subset.
                let ids = indexes.compactMap { table.records[$0]["Id"]?.stringValue }
                matched.condition = .inList(FieldPath(parts: ["Id"], column: 0), ids.map { .string($0, likePattern: $0) },
                                            negated: false)
                indexes = try evaluator.select(matched, table: table, includeDeleted: false)
            }
            if let limit = spec.query.limit { indexes = Array(indexes.prefix(limit)) }
            for i in indexes {
                guard results.count < overallLimit else { return results }
                results.append(evaluator.project(table.records[i], type: table.name, fields: fields, version: version))
            }
        }
        return results
    }

    /// `GET /parameterizedSearch/?q=…&sobject=Contact&Contact.fields=Id,Name&in=PHONE` (subset).
    func parameterizedSearch(_ req: EmuRequest, version: String) throws -> EmuResponse {
        guard let q = req.query["q"], !q.isEmpty else {
            throw SFError.badRequest("MISSING_ARGUMENT", "Missing argument: q")
        }
        let escaped = q.map { SOSLParser.mustEscape.contains($0) || "\\{}".contains($0) ? "\\\($0)" : String($0) }.joined()
        let term = try SOSLParser.parseTerm(Array(escaped + "}"), from: 0, query: q).0
        let scope = SearchScope(rawValue: (req.query["in"] ?? "ALL").uppercased()) ?? .all
        var objects = req.rawQuery.split(separator: "&").compactMap { pair -> String? in
            let kv = pair.split(separator: "=", maxSplits: 1)
            return kv.count == 2 && kv[0] == "sobject" ? FormDecoding.unescape(String(kv[1])) : nil
        }
        if objects.isEmpty { objects = store.tables.values.filter(\.def.searchable).map(\.name).sorted() }
        let specs = objects.map { o -> ReturningSpec in
            let fields = (req.query["\(o).fields"] ?? req.query["fields"] ?? "Id").split(separator: ",").map {
                FieldPath(parts: $0.trimmingCharacters(in: .whitespaces).split(separator: ".").map(String.init), column: 0)
            }
            var shell = SOQLQuery(selection: .fields(fields), object: o, objectColumn: 0)
            shell.limit = req.query["\(o).limit"].flatMap(Int.init) ?? req.query["defaultLimit"].flatMap(Int.init)
            return ReturningSpec(object: o, objectColumn: 0, fields: fields, query: shell)
        }
        let limit = req.query["overallLimit"].flatMap(Int.init) ?? 2000
        return .json(200, ["searchRecords": .array(try runSearch(term, scope: scope, specs: specs, overallLimit: limit,
                                                                 query: q, version: version))])
    }
}
