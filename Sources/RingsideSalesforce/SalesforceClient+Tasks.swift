import Foundation
import RingsideCore

/// The result of delivering one call record in a batch.
public struct TaskDelivery: Equatable, Sendable {
    public var callObject: CallObjectID
    /// The new record's id, or why it failed (check `isUncertain` before re-sending).
    public var result: Result<String, SalesforceError>
    /// The HTTP status of the response that carried this result (nil when none arrived).
    public var httpStatus: Int?

    public init(callObject: CallObjectID, result: Result<String, SalesforceError>, httpStatus: Int? = nil) {
        self.callObject = callObject
        self.result = result
        self.httpStatus = httpStatus
    }

    public var id: String? { try? result.get() }
    public var error: SalesforceError? {
        if case .failure(let e) = result { return e }
        return nil
    }
}

/// Call records: Tasks (or the configured custom object), single and in batches, and the
/// `CallObject` lookup used to de-duplicate after an uncertain failure.
extension SalesforceClient {
    /// Largest sObject Collections request.
    public static let collectionLimit = 200

    /// Creates the call record; returns its id.
    public func createTask(_ record: CallRecord) async throws(SalesforceError) -> String {
        let object = settings.taskObject.objectName
        try Self.checkIdentifier(object)
        let createable = try await createableTaskFields()
        let value = try await send(.post, dataPath("/sobjects/\(object)/"), body: .object(taskBody(record, createable: createable)),
                                   operation: "create \(object)")
        guard let id = value["id"]?.stringValue, !id.isEmpty else {
            throw .malformedResponse(status: 201, operation: "create \(object)", reason: "no id in the create response",
                                     processed: true)
        }
        return id
    }

    /// Creates many call records with sObject Collections (`allOrNone: false`), ≤ 200 per
    /// request. Returns one result per record, in order; a failed request fails its chunk only.
    public func createTasks(_ records: [CallRecord]) async -> [TaskDelivery] {
        let object = settings.taskObject.objectName
        do throws(SalesforceError) {
            try Self.checkIdentifier(object)
        } catch {
            return records.map { TaskDelivery(callObject: $0.callObject, result: .failure(error)) }
        }
        let createable: Set<String>?
        do throws(SalesforceError) {
            createable = try await createableTaskFields()
        } catch {
            return records.map { TaskDelivery(callObject: $0.callObject, result: .failure(error)) }
        }
        var out: [TaskDelivery] = []
        out.reserveCapacity(records.count)
        var start = 0
        while start < records.count {
            let chunk = Array(records[start..<min(records.count, start + Self.collectionLimit)])
            start += chunk.count
            out += await createChunk(chunk, object: object, createable: createable)
        }
        return out
    }

    private func createChunk(_ chunk: [CallRecord], object: String, createable: Set<String>?) async -> [TaskDelivery] {
        let operation = "create \(object) batch"
        let body: JSONValue = ["allOrNone": false, "records": .array(chunk.map { record in
            var fields = taskBody(record, createable: createable)
            fields["attributes"] = ["type": .string(object)]
            return .object(fields)
        })]
        let value: JSONValue
        do {
            value = try await send(.post, dataPath("/composite/sobjects"), body: body, operation: operation)
        } catch {
            return chunk.map { TaskDelivery(callObject: $0.callObject, result: .failure(error), httpStatus: error.status) }
        }
        return Self.collectionResults(value, chunk: chunk, operation: operation)
    }

    /// One result per record of an sObject Collections response (create or upsert), in request order.
    static func collectionResults(_ value: JSONValue, chunk: [CallRecord], operation: String) -> [TaskDelivery] {
        guard let results = value.arrayValue, results.count == chunk.count else {
            let error = SalesforceError.malformedResponse(status: 200, operation: operation,
                                                          reason: "expected \(chunk.count) results in request order", processed: true)
            return chunk.map { TaskDelivery(callObject: $0.callObject, result: .failure(error), httpStatus: 200) }
        }
        return zip(chunk, results).map { record, item in
            if item["success"]?.boolValue == true, let id = item["id"]?.stringValue {
                return TaskDelivery(callObject: record.callObject, result: .success(id), httpStatus: 200)
            }
            let errors = item["errors"].flatMap(ResponseDecoding.apiErrors) ?? []
            let failure: SalesforceError = errors.isEmpty
                ? .malformedResponse(status: 200, operation: operation, reason: "a record failed without errors", processed: false)
                : .api(status: 400, errors: errors, operation: operation)
            return TaskDelivery(callObject: record.callObject, result: .failure(failure), httpStatus: 200)
        }
    }

    /// The id of the call record whose `CallObject` (or mapped field) is `callObject`, if any.
    public func findTask(callObject: String) async throws(SalesforceError) -> String? {
        let object = settings.taskObject.objectName
        guard let field = settings.taskObject.field(for: "CallObject") else {
            throw .invalidSettings(["the custom task object field map has no entry for CallObject, so records cannot be de-duplicated"])
        }
        try Self.checkIdentifier(object)
        try Self.checkIdentifier(field)
        let soql = "SELECT Id FROM \(object) WHERE \(field) = \(SalesforceEscaping.soqlQuoted(callObject)) LIMIT 1"
        let page = try await send(.get, dataPath("/query/"), query: [("q", soql)], operation: "find \(object) by \(field)")
        return page["records"]?.arrayValue?.first?["Id"]?.stringValue
    }

    /// Fields of the call-record object the user may create (describe, field-level security); nil when the
    /// object could not be described (everything is sent and Salesforce decides).
    func createableTaskFields() async throws(SalesforceError) -> Set<String>? {
        try await orgSchema().objects[settings.taskObject.objectName]?.createable
    }

    /// The JSON body for a call record: `record.taskFields`, renamed through the field map in
    /// custom-object mode (unmapped fields are left out), without fields the user cannot create
    /// (`createable`, from describe: a field without field-level access would fail the whole record).
    func taskBody(_ record: CallRecord, createable: Set<String>? = nil) -> [String: JSONValue] {
        var body: [String: JSONValue] = [:]
        for (name, value) in record.taskFields {
            guard let target = settings.taskObject.field(for: name) else { continue }
            if let createable, !createable.contains(target) { continue }
            switch value {
            case .string(let s): body[target] = .string(s)
            case .int(let i): body[target] = .int(i)
            }
        }
        return body
    }

    /// Object and field names from configuration go into URLs and SOQL: letters, digits, `_` only.
    static func checkIdentifier(_ name: String) throws(SalesforceError) {
        guard let first = name.first, first.isASCII, first.isLetter,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw .invalidSettings(["\"\(name)\" is not a Salesforce API name (letters, digits and _ only)"])
        }
    }
}
