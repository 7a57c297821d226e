import Foundation
import RingsideCore
import RingsideCurl
import RingsideSalesforce

/// Adapts the Salesforce client to the outbox's `RecordSink` port.
///
/// With an External ID field for the call id (`salesforce.call_id_field`, or found by describe) every delivery is
/// an upsert — `PATCH /sobjects/Task/{field}/{callObject}` for one record, `PATCH /composite/sobjects/Task/{field}`
/// for a batch — so a re-send can never duplicate. Without one, records are created (`POST /sobjects/Task`,
/// `POST /composite/sobjects`) and the outbox checks by `CallObject` before re-sending an uncertain one.
public struct SalesforceRecordSink: RecordSink {
    let client: SalesforceClient
    private let field = CallIdFieldCache()

    public init(client: SalesforceClient) {
        self.client = client
    }

    var object: String { client.settings.taskObject.objectName }

    public var endpoint: String { "POST /composite/sobjects (\(object))" }

    /// The audit log's name for the request that carries `count` records.
    func endpoint(count: Int, upsertField: String?) -> String {
        switch (count, upsertField) {
        case (1, nil): "POST /sobjects/\(object)"
        case (_, nil): "POST /composite/sobjects (\(object))"
        case (1, let field?): "PATCH /sobjects/\(object)/\(field)/{CallObject} (upsert)"
        case (_, let field?): "PATCH /composite/sobjects/\(object)/\(field) (upsert)"
        }
    }

    /// The call-id External ID field (nil: none), asked once per process; a failed describe is asked again next time.
    func callIdField() async -> Result<String?, DeliveryFailure> {
        if let known = field.value { return .success(known.name) }
        do {
            let name = try await client.callIdField(of: object)
            field.value = .init(name: name)
            return .success(name)
        } catch {
            // Not knowing whether re-sending is safe is never a reason to park: try again later.
            let failure = Self.failure(error)
            switch failure {
            case .permanent(let code, let message, _):
                return .failure(.retryable(code: code, message: "describe \(object) failed: \(message)", backoffSeconds: 60))
            case .retryable, .uncertain, .authentication:
                return .failure(failure)
            }
        }
    }

    public func resendIsSafe() async -> Result<Bool, DeliveryFailure> {
        await callIdField().map { $0 != nil }
    }

    public func deliver(_ records: [CallRecord]) async -> [(CallObjectID, Result<String, DeliveryFailure>)] {
        await send(records).map { ($0.callObject, $0.result) }
    }

    public func send(_ records: [CallRecord]) async -> [DeliveryAttempt] {
        guard !records.isEmpty else { return [] }
        let upsertField: String?
        switch await callIdField() {
        case .success(let name): upsertField = name
        case .failure(let failure):
            return records.map { DeliveryAttempt(callObject: $0.callObject, result: .failure(failure), endpoint: "GET /sobjects/\(object)/describe") }
        }
        let endpoint = endpoint(count: records.count, upsertField: upsertField)
        let deliveries: [TaskDelivery]
        switch (records.count, upsertField) {
        case (1, nil):
            let record = records[0]
            do {
                deliveries = [TaskDelivery(callObject: record.callObject, result: .success(try await client.createTask(record)), httpStatus: 201)]
            } catch {
                deliveries = [TaskDelivery(callObject: record.callObject, result: .failure(error), httpStatus: error.status)]
            }
        case (_, nil):
            deliveries = await client.createTasks(records)
        case (1, let field?):
            deliveries = [await client.upsertTask(records[0], field: field)]
        case (_, let field?):
            deliveries = await client.upsertTasks(records, field: field)
        }
        return deliveries.map { delivery in
            DeliveryAttempt(callObject: delivery.callObject,
                            result: delivery.result.mapError { Self.failure($0, upsert: upsertField != nil) },
                            endpoint: endpoint, httpStatus: delivery.httpStatus)
        }
    }

    /// One SOQL query per 100 ids (`CallObject IN (…)`), so checking after a crash costs few requests.
    public func existing(callObjects: [CallObjectID]) async -> Result<[CallObjectID: String], DeliveryFailure> {
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

    /// `upsert`: the request was an upsert by the call id, where DUPLICATE_VALUE means another upsert of the same
    /// call created the record meanwhile (sending again updates it).
    static func failure(_ error: SalesforceError, upsert: Bool = false) -> DeliveryFailure {
        if error.isUncertain { return .uncertain(message: error.description) }
        if case .transport(let transport, _) = error {
            switch transport {
            case .cancelled, .other:
                // Not attributable to a moment (shut down mid-transfer, a libcurl multi failure): maybe processed.
                return .uncertain(message: error.description)
            case .invalidURL, .invalidHeader, .insecureTransportNotAllowed, .invalidMailAddress, .dns, .couldNotConnect,
                 .timedOut, .connectionReset, .tls, .loginDenied, .mailRejected, .failedAfterSending:
                break
            }
        }
        if upsert, error.errorCode == "DUPLICATE_VALUE" { return .uncertain(message: error.description) }
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

/// The call-id field once describe has answered (a name, or none), shared by copies of the sink.
final class CallIdFieldCache: @unchecked Sendable {
    struct Known { var name: String? }
    private let lock = NSLock()
    private var stored: Known?

    var value: Known? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
