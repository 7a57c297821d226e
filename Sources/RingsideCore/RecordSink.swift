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

/// Port: where completed call records go (Salesforce Tasks or a custom object).
public protocol RecordSink: Sendable {
    /// Short name of the endpoint for the audit log, e.g. `POST /composite/sobjects`.
    var endpoint: String { get }
    /// Creates the records (in batches as the CRM allows); one result per record, in order.
    func deliver(_ records: [CallRecord]) async -> [(CallObjectID, Result<String, DeliveryFailure>)]
    /// CRM ids of already delivered records among these `CallObject`s (absent: not delivered).
    func existing(callObjects: [CallObjectID]) async -> Result<[CallObjectID: String], DeliveryFailure>
    /// True when the daily API allowance is nearly used up: deliver slowly.
    func nearDailyLimit() async -> Bool
}
