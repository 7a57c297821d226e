import Foundation
import GRDB
import RingsideCore

/// A queue observation waiting in the queue outbox (saved before it is published on the MQTT queue feed).
public struct StoredQueueEvent: Hashable, Sendable {
    public var id: Int64
    public var agentId: String
    /// The event's JSON as published (`QueueEvent.jsonData()`), with its original time.
    public var payload: String
    public var createdAt: Date
    public var attempts: Int
    public var lastError: String?
}

/// What the queue outbox holds (`doctor`, `outbox list`).
public struct QueueOutboxSummary: Hashable, Sendable {
    public var pending = 0
    /// When the oldest waiting event was saved (nil: none waits).
    public var oldest: Date?
    /// The newest failed attempt's error, if any event failed.
    public var lastError: String?

    public init(pending: Int = 0, oldest: Date? = nil, lastError: String? = nil) {
        self.pending = pending
        self.oldest = oldest
        self.lastError = lastError
    }
}

/// The queue outbox: each operation is one transaction. Rows leave when the broker acknowledged them.
extension SQLiteCallStore {
    /// Saves a queue observation of `agentId` to publish; returns its id (ids give the publishing order).
    @discardableResult
    public func enqueueQueueEvent(agentId: String, payload: String, at now: Date) throws -> Int64 {
        try database.write("saving a queue event") { db in
            try db.execute(sql: "INSERT INTO queueOutbox (agentId, payload, createdAt) VALUES (?, ?, ?)",
                           arguments: [agentId, payload, now])
            return db.lastInsertedRowID
        }
    }

    /// `agentId`'s waiting queue events, oldest first (at most `limit`).
    public func pendingQueueEvents(agentId: String, limit: Int) throws -> [StoredQueueEvent] {
        try database.read("reading the queue outbox") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM queueOutbox WHERE agentId = ? ORDER BY id LIMIT ?", arguments: [agentId, limit])
                .map(Self.queueEvent)
        }
    }

    /// Every waiting queue event of every agent, oldest first (`outbox list`, tests).
    public func pendingQueueEvents() throws -> [StoredQueueEvent] {
        try database.read("reading the queue outbox") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM queueOutbox ORDER BY id").map(Self.queueEvent)
        }
    }

    /// The broker acknowledged the event: it leaves the outbox.
    public func markQueueEventSent(_ id: Int64) throws {
        try database.write("removing a sent queue event") { db in
            try db.execute(sql: "DELETE FROM queueOutbox WHERE id = ?", arguments: [id])
        }
    }

    /// A failed attempt (not connected, no acknowledgement): kept, with the error, for the next attempt.
    public func markQueueEventFailed(_ id: Int64, error: String) throws {
        try database.write("recording a queue event attempt") { db in
            try db.execute(sql: "UPDATE queueOutbox SET attempts = attempts + 1, lastError = ? WHERE id = ?", arguments: [error, id])
        }
    }

    /// Counts, oldest and last error of the waiting queue events.
    public func queueOutboxSummary() throws -> QueueOutboxSummary {
        try database.read("reading the queue outbox") { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, MIN(createdAt) AS oldest FROM queueOutbox")
            let lastError = try String.fetchOne(db, sql: "SELECT lastError FROM queueOutbox WHERE lastError IS NOT NULL ORDER BY id DESC LIMIT 1")
            return QueueOutboxSummary(pending: row?["n"] ?? 0, oldest: row?["oldest"], lastError: lastError)
        }
    }

    private static func queueEvent(_ row: Row) -> StoredQueueEvent {
        StoredQueueEvent(id: row["id"], agentId: row["agentId"], payload: row["payload"], createdAt: row["createdAt"],
                         attempts: row["attempts"], lastError: row["lastError"])
    }
}
