import Foundation

/// One row of the append-only audit log: what was sent where and what came back. Never holds secrets.
public struct AuditEntry: Hashable, Sendable, Codable {
    public var at: Date
    public var callObject: CallObjectID?
    public var action: String
    public var endpoint: String?
    public var httpStatus: Int?
    public var errorCode: String?
    public var attempt: Int?
    public var detail: String?

    public init(at: Date, callObject: CallObjectID?, action: String, endpoint: String? = nil, httpStatus: Int? = nil,
                errorCode: String? = nil, attempt: Int? = nil, detail: String? = nil) {
        self.at = at
        self.callObject = callObject
        self.action = action
        self.endpoint = endpoint
        self.httpStatus = httpStatus
        self.errorCode = errorCode
        self.attempt = attempt
        self.detail = detail
    }
}

/// A pending delivery in the outbox.
public struct OutboxItem: Hashable, Sendable, Codable {
    public var callObject: CallObjectID
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var lastErrorCode: String?
    /// The last attempt's outcome is unknown (timeout after sending): check before re-sending.
    public var uncertain: Bool
    public var parked: Bool
    /// Set while a delivery attempt is in flight; an expired claim means the sender died mid-attempt.
    public var claimedUntil: Date?
    /// When the latest request that may have been processed was sent (written before it goes out). The CRM is
    /// not asked about the record until that request can no longer be running (`DeliveryPolicy.earliestCheck`).
    public var sentAt: Date?
    /// That request was an upsert by an external id: sending it again can't make a duplicate.
    public var sentIdempotent: Bool

    public init(callObject: CallObjectID, attempts: Int = 0, nextAttemptAt: Date, lastError: String? = nil,
                lastErrorCode: String? = nil, uncertain: Bool = false, parked: Bool = false, claimedUntil: Date? = nil,
                sentAt: Date? = nil, sentIdempotent: Bool = false) {
        self.callObject = callObject
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.lastErrorCode = lastErrorCode
        self.uncertain = uncertain
        self.parked = parked
        self.claimedUntil = claimedUntil
        self.sentAt = sentAt
        self.sentIdempotent = sentIdempotent
    }
}

/// Outbox figures for the status bar.
public struct OutboxCounts: Hashable, Sendable {
    public var queued: Int
    public var parked: Int

    public init(queued: Int, parked: Int) {
        self.queued = queued
        self.parked = parked
    }
}

/// Port: durable storage of call records, their outbox and the audit log.
/// A record is committed before any attempt to deliver it.
public protocol CallStore: Sendable {
    /// Inserts or replaces the record (wrap-up state): the call is safe from here on.
    func save(_ record: CallRecord) throws
    /// Stores the final record and, when its state is `.queued`, queues it for delivery — atomically.
    func complete(_ record: CallRecord, at now: Date) throws
    func record(_ id: CallObjectID) throws -> CallRecord?
    /// Newest first.
    func recentCalls(limit: Int) throws -> [CallRecord]
    func outboxCounts() throws -> OutboxCounts
    func appendAudit(_ entry: AuditEntry) throws
}
