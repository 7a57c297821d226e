import Foundation
import GRDB
import RingsideCore

/// What the event outbox holds (`doctor`, `outbox list`).
public struct EventOutboxSummary: Hashable, Sendable {
    public var queued = 0
    public var parked = 0
    /// When the oldest queued / parked event was saved (nil: none).
    public var oldestQueued: Date?
    public var oldestParked: Date?
    /// The newest error of a queued (retried) event, if any.
    public var lastError: String?

    public init(queued: Int = 0, parked: Int = 0, oldestQueued: Date? = nil, oldestParked: Date? = nil, lastError: String? = nil) {
        self.queued = queued
        self.parked = parked
        self.oldestQueued = oldestQueued
        self.oldestParked = oldestParked
        self.lastError = lastError
    }
}

extension SQLiteCallStore {
    /// Counts and oldest times of the queued and parked platform events.
    public func eventOutboxSummary() throws -> EventOutboxSummary {
        try database.read("reading the event outbox") { db in
            var summary = EventOutboxSummary()
            for row in try Row.fetchAll(db, sql: """
                SELECT state, COUNT(*) AS n, MIN(createdAt) AS oldest FROM eventOutbox WHERE state IN ('queued', 'parked') GROUP BY state
                """) {
                let state: String = row["state"]
                if state == StoredEvent.State.queued.rawValue {
                    summary.queued = row["n"]
                    summary.oldestQueued = row["oldest"]
                } else {
                    summary.parked = row["n"]
                    summary.oldestParked = row["oldest"]
                }
            }
            summary.lastError = try String.fetchOne(db, sql: """
                SELECT lastError FROM eventOutbox WHERE state = 'queued' AND lastError IS NOT NULL ORDER BY id DESC LIMIT 1
                """)
            return summary
        }
    }

    /// Puts parked events (all, or the given ids) back in the queue, due now. Returns how many.
    @discardableResult
    public func retryParkedEvents(_ ids: [Int64]?, now: Date) throws -> Int {
        try database.write("retrying parked platform events") { db in
            let filter = ids.map { ids in "AND id IN (\(ids.map { _ in "?" }.joined(separator: ",")))" } ?? ""
            try db.execute(sql: "UPDATE eventOutbox SET state = 'queued', nextAttemptAt = ?, attempts = 0 WHERE state = 'parked' \(filter)",
                           arguments: [now] + StatementArguments(ids ?? []))
            return db.changesCount
        }
    }
}
