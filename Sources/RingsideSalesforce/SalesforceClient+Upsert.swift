import RingsideCore

/// Call records written by upsert on an External ID field holding the call id: sending a record twice updates
/// the one Task instead of creating a second, so a re-send never needs a check first.
extension SalesforceClient {
    /// The External ID field for call ids on `object`: the configured one if describe shows it as an External ID,
    /// else (`.detect`) the first External ID field whose name contains `Call_Id`; nil when there is none.
    public func callIdField(of object: String) async throws(SalesforceError) -> String? {
        switch settings.callIdField {
        case .none:
            return nil
        case .named(let name):
            try Self.checkIdentifier(name)
            let fields = try await externalIdFields(of: object)
            return fields.first { $0.caseInsensitiveCompare(name) == .orderedSame }
        case .detect:
            let fields = try await externalIdFields(of: object)
            return fields.first { $0.range(of: "call_id", options: .caseInsensitive) != nil }
        }
    }

    /// Names of `object`'s External ID fields (describe `externalId: true`), in describe order.
    public func externalIdFields(of object: String) async throws(SalesforceError) -> [String] {
        try Self.checkIdentifier(object)
        let value = try await send(.get, dataPath("/sobjects/\(object)/describe/"), operation: "describe \(object)")
        return (value["fields"]?.arrayValue ?? []).compactMap { field in
            field["externalId"]?.boolValue == true ? field["name"]?.stringValue : nil
        }
    }

    /// Upserts one call record by `field` = its `CallObject`: `PATCH /sobjects/{object}/{field}/{callObject}`
    /// (201 created, 200 updated). Returns the record's id.
    public func upsertTask(_ record: CallRecord, field: String) async -> TaskDelivery {
        await resolvingExisting([upsertOne(record, field: field)], field: field)[0]
    }

    private func upsertOne(_ record: CallRecord, field: String) async -> TaskDelivery {
        let object = settings.taskObject.objectName
        let operation = "upsert \(object) by \(field)"
        do throws(SalesforceError) {
            try Self.checkIdentifier(object)
            try Self.checkIdentifier(field)
            var body = taskBody(record)
            body[field] = nil
            let path = dataPath("/sobjects/\(object)/\(field)/\(SalesforceEscaping.urlQueryValue(record.callObject))")
            let (value, status) = try await sendWithStatus(.patch, path, body: .object(body), operation: operation)
            if let id = value["id"]?.stringValue, !id.isEmpty {
                return TaskDelivery(callObject: record.callObject, result: .success(id), httpStatus: status)
            }
            // API versions before 46.0 answer an update with 204 and no body: look the id up.
            let found = try await send(.get, path, query: [("fields", "Id")], operation: operation)
            guard let id = found["Id"]?.stringValue else {
                throw .malformedResponse(status: status, operation: operation, reason: "no id in the upsert response", processed: true)
            }
            return TaskDelivery(callObject: record.callObject, result: .success(id), httpStatus: status)
        } catch {
            return TaskDelivery(callObject: record.callObject, result: .failure(error), httpStatus: error.status)
        }
    }

    /// Upserts many call records by `field` with sObject Collections (`PATCH /composite/sobjects/{object}/{field}`,
    /// `allOrNone: false`, ≤ 200 per request, API v46.0+). One result per record, in order.
    public func upsertTasks(_ records: [CallRecord], field: String) async -> [TaskDelivery] {
        await resolvingExisting(upsertMany(records, field: field), field: field)
    }

    private func upsertMany(_ records: [CallRecord], field: String) async -> [TaskDelivery] {
        let object = settings.taskObject.objectName
        let operation = "upsert \(object) batch by \(field)"
        do throws(SalesforceError) {
            try Self.checkIdentifier(object)
            try Self.checkIdentifier(field)
        } catch {
            return records.map { TaskDelivery(callObject: $0.callObject, result: .failure(error)) }
        }
        var out: [TaskDelivery] = []
        var start = 0
        while start < records.count {
            let chunk = Array(records[start..<min(records.count, start + Self.collectionLimit)])
            start += chunk.count
            let body: JSONValue = ["allOrNone": false, "records": .array(chunk.map { record in
                var fields = taskBody(record)
                fields[field] = .string(record.callObject)
                fields["attributes"] = ["type": .string(object)]
                return .object(fields)
            })]
            do throws(SalesforceError) {
                let (value, _) = try await sendWithStatus(.patch, dataPath("/composite/sobjects/\(object)/\(field)"), body: body,
                                                          operation: operation)
                out += Self.collectionResults(value, chunk: chunk, operation: operation)
            } catch {
                out += chunk.map { TaskDelivery(callObject: $0.callObject, result: .failure(error), httpStatus: error.status) }
            }
        }
        return out
    }

    /// Task fields Salesforce lets you set on create only: an upsert that matches an existing record and carries
    /// them is refused with INVALID_FIELD_FOR_INSERT_UPDATE ("Unable to update fields: TaskSubtype").
    static let createOnlyTaskFields: Set<String> = ["TaskSubtype"]

    /// Results refused only because the record already exists (a create-only field can't be updated) are that
    /// record: it was delivered before. Their ids come from one query by the call-id field.
    private func resolvingExisting(_ deliveries: [TaskDelivery], field: String) async -> [TaskDelivery] {
        let createOnly = Set(Self.createOnlyTaskFields.compactMap { settings.taskObject.field(for: $0) })
        let existing = deliveries.indices.filter { i in
            guard case .failure(.api(_, let errors, _)) = deliveries[i].result, !errors.isEmpty else { return false }
            return errors.allSatisfy { $0.errorCode == "INVALID_FIELD_FOR_INSERT_UPDATE" && !$0.fields.isEmpty && Set($0.fields).isSubset(of: createOnly) }
        }
        guard !existing.isEmpty else { return deliveries }
        let object = settings.taskObject.objectName
        var out = deliveries
        var start = 0
        while start < existing.count {
            let chunk = Array(existing[start..<min(existing.count, start + 100)])
            start += chunk.count
            let list = chunk.map { SalesforceEscaping.soqlQuoted(deliveries[$0].callObject) }.joined(separator: ", ")
            do throws(SalesforceError) {
                let page = try await query("SELECT Id, \(field) FROM \(object) WHERE \(field) IN (\(list))")
                var ids: [String: String] = [:]
                for record in page.records {
                    if let id = record["Id"]?.stringValue, let key = record[field]?.stringValue { ids[key] = id }
                }
                for i in chunk {
                    if let id = ids[deliveries[i].callObject] { out[i].result = .success(id) }
                }
            } catch {
                // The record exists but its id is unknown for now: report the lookup's failure, so the outbox
                // retries (another upsert) instead of parking a delivered record.
                for i in chunk { out[i].result = .failure(error) }
            }
        }
        return out
    }
}
