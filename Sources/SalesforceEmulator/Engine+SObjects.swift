import Foundation

/// `/sobjects`, `/sobjects/{T}`, `/describe`, `/deleted`, `/updated`, `/{id}`, `/{extField}/{value}`.
extension EmulatorEngine {
    func sobjects(_ req: EmuRequest, version: String, rest: [String], userId: String) throws -> EmuResponse {
        guard let typeArg = rest.first else {
            try requireGet(req)
            return describeGlobal(version: version)
        }
        guard let type = store.typeName(typeArg, create: req.method == "POST" && rest.count == 1),
              let table = store.table(type) else { throw SFError.notFound }
        switch rest.count {
        case 1:
            switch req.method {
            case "POST": return try create(req, table: table, userId: userId)
            case "GET", "HEAD":
                let recent = table.liveRecords.suffix(5).map {
                    SOQLEvaluator(store: store, query: "").project($0, type: type, fields: [.init(hops: [], leaf: "Id")], version: version)
                }
                return .json(200, ["objectDescribe": .object(describeBasics(table.def, version: version)),
                                   "recentItems": .array(recent)])
            default: throw SFError.methodNotAllowed(req.method, allowed: ["GET", "HEAD", "POST"])
            }
        case 2:
            switch rest[1] {
            case "describe":
                try requireGet(req)
                return describe(table.def, version: version)
            case "deleted":
                try requireGet(req)
                return try deleted(req, table: table)
            case "updated":
                try requireGet(req)
                return try updated(req, table: table)
            default:
                return try recordRoute(req, table: table, id: rest[1], version: version, userId: userId)
            }
        case 3:
            return try externalIdRoute(req, table: table, field: rest[1], value: rest[2], version: version, userId: userId)
        default:
            throw SFError.notFound
        }
    }

    // MARK: Create / read / update / delete

    /// Validates and inserts; returns the new id.
    func insert(_ body: EmulatorRecord, table: Table, userId: String) throws -> String {
        let fields = try RecordValidator(store: store).validate(body, table: table, op: .create)
        return store.insert(fields, type: table.name, now: now(), userId: userId)
    }

    private func create(_ req: EmuRequest, table: Table, userId: String) throws -> EmuResponse {
        guard let body = try parseBody(req).objectValue else {
            throw SFError.badRequest("JSON_PARSER_ERROR", "Cannot deserialize instance of \(table.name) from non-object value")
        }
        let id = try insert(body, table: table, userId: userId)
        return .json(201, ["id": .string(id), "success": true, "errors": []])
    }

    private func recordRoute(_ req: EmuRequest, table: Table, id rawId: String, version: String, userId: String) throws -> EmuResponse {
        guard let id = SalesforceId.normalize(rawId), let index = table.byId[id] else {
            if SalesforceId.normalize(rawId) == nil, req.method == "GET" {
                throw SFError(status: 404, errorCode: "NOT_FOUND", message: "Provided external ID field does not exist or is not accessible: \(rawId)")
            }
            throw SFError.notFound
        }
        let record = table.records[index]
        let deleted = record["IsDeleted"]?.boolValue == true
        switch req.method {
        case "GET", "HEAD":
            guard !deleted else { throw SFError.notFound }
            return .json(200, recordJSON(record, table: table, fields: req.query["fields"], version: version))
        case "PATCH":
            guard !deleted else { throw SFError(status: 404, errorCode: "ENTITY_IS_DELETED", message: "entity is deleted") }
            guard let body = try parseBody(req).objectValue else {
                throw SFError.badRequest("JSON_PARSER_ERROR", "Cannot deserialize instance of \(table.name) from non-object value")
            }
            try update(id: id, body: body, table: table, userId: userId)
            return .noContent()
        case "DELETE":
            guard !deleted else { throw SFError(status: 404, errorCode: "ENTITY_IS_DELETED", message: "entity is deleted") }
            store.delete(id: id, type: table.name, now: now())
            return .noContent()
        default:
            throw SFError.methodNotAllowed(req.method, allowed: ["GET", "HEAD", "PATCH", "DELETE"])
        }
    }

    func update(id: String, body: EmulatorRecord, table: Table, userId: String) throws {
        if let bodyId = body["Id"]?.stringValue, SalesforceId.normalize(bodyId) != id {
            throw SFError.badRequest("INVALID_ID_FIELD", "The Id field should not be specified in the sobject data.")
        }
        var changes = body
        changes["Id"] = nil
        let existing = table.record(id: id) ?? [:]
        let fields = try RecordValidator(store: store).validate(changes, table: table, op: .update, existing: existing)
        store.update(id: id, type: table.name, changes: fields, now: now(), userId: userId)
    }

    func recordJSON(_ record: EmulatorRecord, table: Table, fields: String?, version: String) -> EmulatorJSON {
        var out: EmulatorRecord = [:]
        if let fields {
            for name in fields.split(separator: ",") {
                let n = name.trimmingCharacters(in: .whitespaces)
                let canonical = table.field(n)?.name ?? n
                out[canonical] = record[canonical] ?? .null
            }
        } else {
            for f in table.def.fields { out[f.name] = record[f.name] ?? .null }
            for (k, v) in record { out[k] = v }
        }
        out["attributes"] = SOQLEvaluator.attributes(type: table.name, id: record["Id"]?.stringValue, version: version)
        return .object(out)
    }

    /// Upsert / get by external id: `PATCH|GET /sobjects/{T}/{Field}/{value}`.
    private func externalIdRoute(_ req: EmuRequest, table: Table, field: String, value: String, version: String,
                                 userId: String) throws -> EmuResponse {
        // Only External ID fields (and Id) can address records, as in Salesforce.
        guard let f = table.field(field), f.externalId || f.name == "Id" else {
            throw SFError(status: 404, errorCode: "NOT_FOUND", message: "Provided external ID field does not exist or is not accessible: \(field)")
        }
        let matches = table.records.indices.filter {
            table.records[$0]["IsDeleted"]?.boolValue != true && table.records[$0][f.name]?.stringValue == value
        }
        switch req.method {
        case "GET", "HEAD":
            guard let i = matches.first else { throw SFError.notFound }
            if matches.count > 1 { return multipleMatches(matches, table: table, version: version) }
            return .json(200, recordJSON(table.records[i], table: table, fields: req.query["fields"], version: version))
        case "PATCH":
            guard var body = try parseBody(req).objectValue else {
                throw SFError.badRequest("JSON_PARSER_ERROR", "Cannot deserialize instance of \(table.name) from non-object value")
            }
            if matches.count > 1 { return multipleMatches(matches, table: table, version: version) }
            if let i = matches.first, let id = table.records[i]["Id"]?.stringValue {
                body[f.name] = nil
                try update(id: id, body: body, table: table, userId: userId)
                return .json(200, ["id": .string(id), "success": true, "errors": [], "created": false])
            }
            body[f.name] = .string(value)
            let id = try insert(body, table: table, userId: userId)
            return .json(201, ["id": .string(id), "success": true, "errors": [], "created": true])
        default:
            throw SFError.methodNotAllowed(req.method, allowed: ["GET", "HEAD", "PATCH"])
        }
    }

    private func multipleMatches(_ indexes: [Int], table: Table, version: String) -> EmuResponse {
        .json(300, .array(indexes.compactMap { table.records[$0]["Id"]?.stringValue }.map {
            .string("/services/data/v\(version)/sobjects/\(table.name)/\($0)")
        }))
    }

    // MARK: deleted / updated

    private func window(_ req: EmuRequest) throws -> (start: Date, end: Date) {
        guard let s = req.query["start"], let e = req.query["end"], let start = SalesforceDate.parse(s),
              let end = SalesforceDate.parse(e) else {
            throw SFError.badRequest("INVALID_REPLICATION_DATE", "start and end must be ISO-8601 date-times with a time zone")
        }
        guard start < end else {
            throw SFError.badRequest("INVALID_REPLICATION_DATE", "start date must be before end date")
        }
        return (Date(timeIntervalSince1970: start), Date(timeIntervalSince1970: end))
    }

    private func deleted(_ req: EmuRequest, table: Table) throws -> EmuResponse {
        let (start, end) = try window(req)
        let records = table.deletions.filter { $0.date >= start && $0.date <= end }.map { d -> EmulatorJSON in
            ["id": .string(d.id), "deletedDate": .string(SalesforceDate.format(d.date))]
        }
        let covered = min(end, now())
        return .json(200, ["deletedRecords": .array(records),
                           "earliestDateAvailable": .string(SalesforceDate.format(now().addingTimeInterval(-15 * 86400))),
                           "latestDateCovered": .string(SalesforceDate.format(covered))])
    }

    private func updated(_ req: EmuRequest, table: Table) throws -> EmuResponse {
        let (start, end) = try window(req)
        let lo = start.timeIntervalSince1970, hi = end.timeIntervalSince1970
        let ids = table.records.compactMap { r -> EmulatorJSON? in
            guard r["IsDeleted"]?.boolValue != true, let t = r["SystemModstamp"]?.stringValue.flatMap(SalesforceDate.parse),
                  t >= lo, t <= hi else { return nil }
            return r["Id"]
        }
        return .json(200, ["ids": .array(ids), "latestDateCovered": .string(SalesforceDate.format(min(end, now())))])
    }
}
