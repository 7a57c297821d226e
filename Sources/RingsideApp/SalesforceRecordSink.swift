import Foundation
import RingsideCore
import RingsideSalesforce

/// Adapts the Salesforce client to the outbox's `RecordSink` port.
public struct SalesforceRecordSink: RecordSink {
    let client: SalesforceClient

    public init(client: SalesforceClient) {
        self.client = client
    }

    public var endpoint: String { "POST /composite/sobjects (\(client.settings.taskObject.objectName))" }

    public func deliver(_ records: [CallRecord]) async -> [(CallObjectID, Result<String, DeliveryFailure>)] {
        if records.count == 1, let record = records.first {
            do {
                return [(record.callObject, .success(try await client.createTask(record)))]
            } catch {
                return [(record.callObject, .failure(Self.failure(error)))]
            }
        }
        return await client.createTasks(records).map { delivery in
            (delivery.callObject, delivery.result.mapError(Self.failure))
        }
    }

    /// One SOQL query per 100 ids (`CallObject IN (…)`), so checking after a crash costs few requests.
    public func existing(callObjects: [CallObjectID]) async -> Result<[CallObjectID: String], DeliveryFailure> {
        let object = client.settings.taskObject.objectName
        guard let field = client.settings.taskObject.field(for: "CallObject") else {
            return .failure(.permanent(code: "NO_CALLOBJECT_FIELD", message: "the custom object's field map has no CallObject entry, so records can't be de-duplicated", association: false))
        }
        var found: [CallObjectID: String] = [:]
        var start = 0
        while start < callObjects.count {
            let chunk = callObjects[start..<min(callObjects.count, start + 100)]
            start += chunk.count
            let list = chunk.map(SalesforceEscaping.soqlQuoted).joined(separator: ", ")
            do {
                let result = try await client.query("SELECT Id, \(field) FROM \(object) WHERE \(field) IN (\(list))")
                for record in result.records {
                    if let id = record["Id"]?.stringValue, let key = record[field]?.stringValue { found[key] = id }
                }
            } catch {
                return .failure(Self.failure(error))
            }
        }
        return .success(found)
    }

    public func nearDailyLimit() async -> Bool { client.apiUsage?.isNearLimit ?? false }

    /// Error codes that mean the WhoId/WhatId is the problem, so the record can go without it.
    static let associationCodes: Set<String> = ["ENTITY_IS_DELETED", "INVALID_CROSS_REFERENCE_KEY", "MALFORMED_ID", "FIELD_INTEGRITY_EXCEPTION"]

    static func failure(_ error: SalesforceError) -> DeliveryFailure {
        if error.isUncertain { return .uncertain(message: error.description) }
        if error.isAuthenticationFailure { return .authentication(message: error.description) }
        if error.isRetryable {
            return .retryable(code: error.errorCode, message: error.description,
                              backoffSeconds: error.suggestedBackoff.map { Double($0.components.seconds) })
        }
        let fields: [String]
        if case .api(_, let errors, _) = error { fields = errors.flatMap(\.fields) } else { fields = [] }
        let association = associationCodes.contains(error.errorCode ?? "")
            && (fields.isEmpty || fields.contains { $0 == "WhoId" || $0 == "WhatId" })
        return .permanent(code: error.errorCode, message: error.description, association: association)
    }
}
