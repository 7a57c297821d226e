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
}
