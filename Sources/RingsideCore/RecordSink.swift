/// Why one call record could not be delivered, in the terms the outbox acts on.
public enum DeliveryFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// Try again later (5xx, lock contention, rate limit, network error before sending).
    case retryable(code: String?, message: String, backoffSeconds: Double?)
    /// The request may have been processed (timeout or reset after sending): check before re-sending.
    case uncertain(message: String)
    /// The CRM refused the record; re-sending the same data won't help. `association` is true when the
    /// problem is the WhoId/WhatId (deleted or invalid entity), so the record can go without it.
    case permanent(code: String?, message: String, association: Bool)
    /// The session can't be renewed (password or token changed): retry after the agent logs in again.
    case authentication(message: String)

    public var code: String? {
        switch self {
        case .retryable(let code, _, _), .permanent(let code, _, _): code
        case .uncertain: "UNCERTAIN"
        case .authentication: "AUTHENTICATION"
        }
    }

    public var message: String {
        switch self {
        case .retryable(_, let m, _), .uncertain(let m), .permanent(_, let m, _), .authentication(let m): m
        }
    }

    public var description: String { code.map { "\($0): \(message)" } ?? message }
}

/// One record's delivery attempt as it really went: the endpoint used and the HTTP status, for the audit log.
public struct DeliveryAttempt: Hashable, Sendable {
    public var callObject: CallObjectID
    public var result: Result<String, DeliveryFailure>
    /// e.g. `POST /sobjects/Task`, `POST /composite/sobjects`, `PATCH /sobjects/Task/Ringside_Call_Id__c/{id}`.
    public var endpoint: String
    /// The response's status, when a response arrived.
    public var httpStatus: Int?

    public init(callObject: CallObjectID, result: Result<String, DeliveryFailure>, endpoint: String, httpStatus: Int? = nil) {
        self.callObject = callObject
        self.result = result
        self.endpoint = endpoint
        self.httpStatus = httpStatus
    }
}

/// Port: where completed call records go (Salesforce Tasks or a custom object).
public protocol RecordSink: Sendable {
    /// Short name of the endpoint for the audit log, e.g. `POST /composite/sobjects`.
    var endpoint: String { get }
    /// Creates the records (in batches as the CRM allows); one result per record, in order.
    func deliver(_ records: [CallRecord]) async -> [(CallObjectID, Result<String, DeliveryFailure>)]
    /// Like `deliver`, with the endpoint and HTTP status of each record's attempt (default: `deliver` + `endpoint`).
    func send(_ records: [CallRecord]) async -> [DeliveryAttempt]
    /// True when sending a record again can never duplicate it (upsert by an external id), so uncertain
    /// records are re-sent without a check. A failure when that cannot be known now: send nothing, retry later.
    func resendIsSafe() async -> Result<Bool, DeliveryFailure>
    /// CRM ids of already delivered records among these `CallObject`s (absent: not delivered).
    func existing(callObjects: [CallObjectID]) async -> Result<[CallObjectID: String], DeliveryFailure>
    /// True when the daily API allowance is nearly used up: deliver slowly.
    func nearDailyLimit() async -> Bool
}

extension RecordSink {
    public func send(_ records: [CallRecord]) async -> [DeliveryAttempt] {
        await deliver(records).map { DeliveryAttempt(callObject: $0.0, result: $0.1, endpoint: endpoint) }
    }

    public func resendIsSafe() async -> Result<Bool, DeliveryFailure> { .success(false) }
}
