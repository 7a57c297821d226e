import Foundation

/// sObject Collections: `POST|PATCH /composite/sobjects` (create / update, ≤200 records) and
/// `PATCH /composite/sobjects/{Type}/{ExternalIdField}` (upsert, API v46.0+).
extension EmulatorEngine {
    static let collectionLimit = 200

    func compositeSObjects(_ req: EmuRequest, version: String, rest: [String], userId: String) throws -> EmuResponse {
        if rest.count == 2 { return try upsertCollection(req, version: version, type: rest[0], field: rest[1], userId: userId) }
        guard rest.isEmpty else { throw SFError.notFound }
        guard req.method == "POST" || req.method == "PATCH" else {
            throw SFError.methodNotAllowed(req.method, allowed: ["POST", "PATCH"])
        }
        guard let body = try parseBody(req).objectValue, let records = body["records"]?.arrayValue else {
            throw SFError.badRequest("JSON_PARSER_ERROR", "Expected a JSON object with a 'records' array")
        }
        guard records.count <= Self.collectionLimit else {
            throw SFError.badRequest("EXCEEDED_ID_LIMIT", "Record limit exceeded. Maximum records allowed is \(Self.collectionLimit).")
        }
        let allOrNone = body["allOrNone"]?.boolValue ?? false
        let isCreate = req.method == "POST"

        // Validate everything first, then commit (all-or-none needs this; it is also atomic in the actor).
        var prepared: [Result<(table: Table, id: String?, fields: EmulatorRecord), SFError>] = []
        for item in records {
            prepared.append(Result { try prepare(item, isCreate: isCreate) }.mapError { $0 as? SFError ?? .badRequest("UNKNOWN_EXCEPTION", "\($0)") })
        }
        let anyFailed = prepared.contains { if case .failure = $0 { return true }; return false }
        var results: [EmulatorJSON] = []
        for p in prepared {
            switch p {
            case .failure(let e):
                results.append(["success": false, "errors": [e.collectionJSON]])
            case .success(let item):
                if allOrNone && anyFailed {
                    let e = SFError.badRequest("ALL_OR_NONE_OPERATION_ROLLED_BACK",
                                               "Record rolled back because not all records were valid and the request was using AllOrNone header")
                    results.append(["success": false, "errors": [e.collectionJSON]])
                    continue
                }
                if isCreate {
                    let id = store.insert(item.fields, type: item.table.name, now: now(), userId: userId)
                    results.append(["id": .string(id), "success": true, "errors": []])
                } else if let id = item.id {
                    store.update(id: id, type: item.table.name, changes: item.fields, now: now(), userId: userId)
                    results.append(["id": .string(id), "success": true, "errors": []])
                }
            }
        }
        return .json(200, .array(results))
    }

    /// Upsert by an External ID field: each record is created (`created: true`) or updates the one record holding
    /// its value (`created: false`); per-record results in request order; `allOrNone` as for create/update.
    private func upsertCollection(_ req: EmuRequest, version: String, type typeArg: String, field: String, userId: String) throws -> EmuResponse {
        guard req.method == "PATCH" else { throw SFError.methodNotAllowed(req.method, allowed: ["PATCH"]) }
        guard Double(version) ?? 0 >= 46 else { throw SFError.notFound }
        guard let type = store.typeName(typeArg, create: false), let table = store.table(type) else {
            throw SFError(status: 404, errorCode: "NOT_FOUND", message: "The requested resource does not exist")
        }
        guard let f = table.field(field), f.externalId else {
            throw SFError(status: 404, errorCode: "NOT_FOUND", message: "Provided external ID field does not exist or is not accessible: \(field)")
        }
        guard let body = try parseBody(req).objectValue, let records = body["records"]?.arrayValue else {
            throw SFError.badRequest("JSON_PARSER_ERROR", "Expected a JSON object with a 'records' array")
        }
        guard records.count <= Self.collectionLimit else {
            throw SFError.badRequest("EXCEEDED_ID_LIMIT", "Record limit exceeded. Maximum records allowed is \(Self.collectionLimit).")
        }
        let allOrNone = body["allOrNone"]?.boolValue ?? false
        // Validate all first (each against the table as it is before this request), then commit.
        var prepared: [Result<(id: String?, fields: EmulatorRecord), SFError>] = []
        var seen: Set<String> = []
        for item in records {
            prepared.append(Result { () throws -> (id: String?, fields: EmulatorRecord) in
                guard var fields = item.objectValue else { throw SFError.badRequest("JSON_PARSER_ERROR", "Each record must be a JSON object") }
                guard let given = fields["attributes"]?["type"]?.stringValue, given.lowercased() == type.lowercased() else {
                    throw SFError.badRequest("INVALID_TYPE", "Must send a concrete entity type.")
                }
                fields["attributes"] = nil
                guard let value = fields[f.name]?.stringValue, !value.isEmpty else {
                    throw SFError.badRequest("REQUIRED_FIELD_MISSING", "Required fields are missing: [\(f.name)]", fields: [f.name])
                }
                guard seen.insert(value).inserted else {
                    throw SFError.badRequest("DUPLICATE_EXTERNAL_ID", "Duplicate external id specified: \(value)", fields: [f.name])
                }
                let matches = table.liveRecords.filter { $0[f.name]?.stringValue == value }
                if matches.count > 1 {
                    throw SFError(status: 300, errorCode: "DUPLICATE_EXTERNAL_ID", message: "\(f.name): more than one record found for external id field: \(value)")
                }
                let validator = RecordValidator(store: store)
                if let existing = matches.first, let id = existing["Id"]?.stringValue {
                    fields[f.name] = nil
                    return (id, try validator.validate(fields, table: table, op: .update, existing: existing))
                }
                return (nil, try validator.validate(fields, table: table, op: .create))
            }.mapError { $0 as? SFError ?? .badRequest("UNKNOWN_EXCEPTION", "\($0)") })
        }
        let anyFailed = prepared.contains { if case .failure = $0 { return true }; return false }
        var results: [EmulatorJSON] = []
        for p in prepared {
            switch p {
            case .failure(let e):
                results.append(["success": false, "errors": [e.collectionJSON]])
            case .success where allOrNone && anyFailed:
                let e = SFError.badRequest("ALL_OR_NONE_OPERATION_ROLLED_BACK",
                                           "Record rolled back because not all records were valid and the request was using AllOrNone header")
                results.append(["success": false, "errors": [e.collectionJSON]])
            case .success(let item):
                if let id = item.id {
                    store.update(id: id, type: table.name, changes: item.fields, now: now(), userId: userId)
                    results.append(["id": .string(id), "success": true, "errors": [], "created": false])
                } else {
                    let id = store.insert(item.fields, type: table.name, now: now(), userId: userId)
                    results.append(["id": .string(id), "success": true, "errors": [], "created": true])
                }
            }
        }
        return .json(200, .array(results))
    }

    private func prepare(_ item: EmulatorJSON, isCreate: Bool) throws -> (table: Table, id: String?, fields: EmulatorRecord) {
        guard var fields = item.objectValue else {
            throw SFError.badRequest("JSON_PARSER_ERROR", "Each record must be a JSON object")
        }
        guard let typeName = fields["attributes"]?["type"]?.stringValue,
              let type = store.typeName(typeName, create: isCreate), let table = store.table(type) else {
            throw SFError.badRequest("INVALID_TYPE", "Must send a concrete entity type.")
        }
        fields["attributes"] = nil
        let validator = RecordValidator(store: store)
        if isCreate {
            if fields["Id"] != nil || fields["id"] != nil {
                throw SFError.badRequest("INVALID_FIELD", "Record ID: cannot specify Id in an insert call", fields: ["Id"])
            }
            return (table, nil, try validator.validate(fields, table: table, op: .create))
        }
        guard let raw = (fields["Id"] ?? fields["id"])?.stringValue else {
            throw SFError.badRequest("MISSING_ARGUMENT", "Id not specified in an update call", fields: ["Id"])
        }
        guard let id = SalesforceId.normalize(raw), let existing = table.record(id: id) else {
            throw SFError.badRequest("MALFORMED_ID", "Record ID: id value of incorrect type: \(raw)", fields: ["Id"])
        }
        if existing["IsDeleted"]?.boolValue == true {
            throw SFError.badRequest("ENTITY_IS_DELETED", "entity is deleted", fields: [])
        }
        fields["Id"] = nil
        fields["id"] = nil
        return (table, id, try validator.validate(fields, table: table, op: .update, existing: existing))
    }
}
