import Foundation
import GRDB
import RingsideCore

/// A platform event waiting in (or gone through) the event outbox.
public struct StoredEvent: Hashable, Sendable {
    /// Where an event is: waiting to be sent, sent, or refused for good (with `lastError`).
    public enum State: String, Hashable, Sendable, CaseIterable {
        case queued, delivered, parked
    }

    public var id: Int64
    public var sobject: String
    /// The event's fields as a JSON object.
    public var payload: String
    public var createdAt: Date
    public var attempts: Int
    public var nextAttemptAt: Date
    public var state: State
    public var lastError: String?
}

/// The event outbox: each operation is one transaction.
extension SQLiteCallStore {
    /// Saves an event to send (before any attempt); returns its id.
    @discardableResult
    public func enqueueEvent(sobject: String, payload: String, at now: Date) throws -> Int64 {
        try database.write("saving a platform event") { db in
            try db.execute(sql: "INSERT INTO eventOutbox (sobject, payload, createdAt, nextAttemptAt) VALUES (?, ?, ?, ?)",
                           arguments: [sobject, payload, now, now])
            return db.lastInsertedRowID
        }
    }

    /// Queued events, oldest first (at most `limit`).
    public func queuedEvents(limit: Int) throws -> [StoredEvent] {
        try database.read("reading the event outbox") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM eventOutbox WHERE state = 'queued' ORDER BY id LIMIT ?", arguments: [limit])
                .map(Self.event)
        }
    }

    /// Every event in a state, oldest first (tests, `doctor`).
    public func events(in state: StoredEvent.State) throws -> [StoredEvent] {
        try database.read("reading the event outbox") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM eventOutbox WHERE state = ? ORDER BY id", arguments: [state.rawValue]).map(Self.event)
        }
    }

    public func markEventDelivered(_ id: Int64, at now: Date) throws {
        try database.write("marking a platform event delivered") { db in
            try db.execute(sql: "UPDATE eventOutbox SET state = 'delivered', deliveredAt = ?, attempts = attempts + 1, lastError = NULL WHERE id = ?",
                           arguments: [now, id])
        }
    }

    /// A failed attempt: try again at `next`.
    public func markEventRetry(_ id: Int64, error: String, next: Date) throws {
        try database.write("rescheduling a platform event") { db in
            try db.execute(sql: "UPDATE eventOutbox SET attempts = attempts + 1, lastError = ?, nextAttemptAt = ? WHERE id = ?",
                           arguments: [error, next, id])
        }
    }

    /// A permanent refusal: the event is kept with the error and not sent again.
    public func markEventParked(_ id: Int64, error: String) throws {
        try database.write("parking a platform event") { db in
            try db.execute(sql: "UPDATE eventOutbox SET state = 'parked', attempts = attempts + 1, lastError = ? WHERE id = ?",
                           arguments: [error, id])
        }
    }

    private static func event(_ row: Row) -> StoredEvent {
        StoredEvent(id: row["id"], sobject: row["sobject"], payload: row["payload"], createdAt: row["createdAt"], attempts: row["attempts"],
                    nextAttemptAt: row["nextAttemptAt"], state: StoredEvent.State(rawValue: row["state"]) ?? .queued,
                    lastError: row["lastError"])
    }
}
