import Foundation
import GRDB
import RingsideCore

/// Outbox operations used by the delivery worker. Each is one transaction.
extension SQLiteCallStore {
    /// Claims up to `limit` items due by `due` (not parked, not claimed by a live sender, not in `excluding`),
    /// oldest first, for `lease` seconds, and returns them with their records. An item whose earlier claim
    /// expired after its request was sent (`sentAt`) comes back `uncertain`: its sender died mid-attempt, so the
    /// CRM must be asked before sending again (once that request can no longer be running).
    ///
    /// `takeOverClaims`: the caller knows no other sender is alive (it holds the delivery lock), so every
    /// existing claim is a dead sender's and is taken over at once (as uncertain) instead of waiting for the lease.
    public func claimDue(due: Date, now: Date, limit: Int, lease: TimeInterval = 120, excluding: Set<CallObjectID> = [],
                         takeOverClaims: Bool = false) throws -> [(OutboxItem, CallRecord)] {
        try database.write("claiming due deliveries") { db in
            var request = OutboxItem.filter(Column("parked") == false && Column("nextAttemptAt") <= due)
            if !takeOverClaims {
                request = request.filter(Column("claimedUntil") == nil || Column("claimedUntil") < now)
            }
            // Items already tried in this drain are skipped here, not after the LIMIT, so they can't hide the rest.
            var items: [OutboxItem] = []
            do {
                let cursor = try request.order(Column("nextAttemptAt"), Column("callObject")).fetchCursor(db)
                while items.count < limit, let item = try cursor.next() {
                    if !excluding.contains(item.callObject) { items.append(item) }
                }
            }
            for index in items.indices {
                if items[index].claimedUntil != nil, items[index].sentAt != nil { items[index].uncertain = true }
                items[index].claimedUntil = now.addingTimeInterval(lease)
                try db.execute(sql: "UPDATE outbox SET claimedUntil = ?, uncertain = ? WHERE callObject = ?",
                               arguments: [items[index].claimedUntil, items[index].uncertain, items[index].callObject])
            }
            return try items.compactMap { item in try CallRecord.fetchOne(db, key: item.callObject).map { (item, $0) } }
        }
    }

    /// The earliest time an unparked item becomes due.
    public func nextDue() throws -> Date? {
        try database.read("reading the outbox") { db in
            try Date.fetchOne(db, sql: """
                SELECT MIN(CASE WHEN claimedUntil IS NOT NULL AND claimedUntil > nextAttemptAt THEN claimedUntil ELSE nextAttemptAt END)
                FROM outbox WHERE parked = 0
                """)
        }
    }

    /// Records that the items' requests are about to go out (`idempotent`: as upserts by an external id).
    /// Committed before anything is sent, so whoever takes over a dead sender's claim knows when to check.
    public func markSent(_ ids: [CallObjectID], at: Date, idempotent: Bool) throws {
        try database.write("marking \(ids.count) records sent") { db in
            for id in ids {
                try db.execute(sql: "UPDATE outbox SET sentAt = ?, sentIdempotent = ? WHERE callObject = ?",
                               arguments: [at, idempotent, id])
            }
        }
    }

    /// Gives a claimed uncertain item back until `until` (its request may still be running), keeping what is
    /// known about it; not counted as an attempt.
    public func deferCheck(_ id: CallObjectID, until: Date) throws {
        try database.write("deferring the check of \(id)") { db in
            try db.execute(sql: "UPDATE outbox SET claimedUntil = NULL, nextAttemptAt = ? WHERE callObject = ?",
                           arguments: [until, id])
        }
    }

    /// Gives a claimed item back untouched (not attempted).
    public func release(_ id: CallObjectID) throws {
        try database.write("releasing \(id)") { db in
            try db.execute(sql: "UPDATE outbox SET claimedUntil = NULL WHERE callObject = ?", arguments: [id])
        }
    }

    public func markDelivered(_ id: CallObjectID, crmId: String) throws {
        try database.write("marking \(id) delivered") { db in
            try db.execute(sql: "UPDATE calls SET delivery = ?, crmId = ?, lastError = NULL WHERE callObject = ?",
                           arguments: [DeliveryState.delivered.rawValue, crmId, id])
            try db.execute(sql: "DELETE FROM outbox WHERE callObject = ?", arguments: [id])
        }
    }

    /// Marks many items delivered and appends their audit entries, in one transaction (one commit per batch).
    public func markDelivered(_ deliveries: [(CallObjectID, crmId: String)], audit: [AuditEntry]) throws {
        try database.write("marking \(deliveries.count) records delivered") { db in
            for (id, crmId) in deliveries {
                try db.execute(sql: "UPDATE calls SET delivery = ?, crmId = ?, lastError = NULL WHERE callObject = ?",
                               arguments: [DeliveryState.delivered.rawValue, crmId, id])
                try db.execute(sql: "DELETE FROM outbox WHERE callObject = ?", arguments: [id])
            }
            for entry in audit { try entry.insert(db) }
        }
    }

    public func reschedule(_ id: CallObjectID, at: Date, attempts: Int, error: DeliveryFailure, uncertain: Bool) throws {
        try database.write("rescheduling \(id)") { db in
            try db.execute(sql: """
                UPDATE outbox SET nextAttemptAt = ?, attempts = ?, lastError = ?, lastErrorCode = ?, uncertain = ?, claimedUntil = NULL,
                sentAt = CASE WHEN ? THEN sentAt ELSE NULL END
                WHERE callObject = ?
                """, arguments: [at, attempts, error.message, error.code, uncertain, uncertain, id])
            try db.execute(sql: "UPDATE calls SET lastError = ? WHERE callObject = ?", arguments: [error.description, id])
        }
    }

    /// Parks an item after a permanent error. `uncertain`: it may still have been delivered (the check before
    /// re-sending failed), so a retry asks the CRM first.
    public func park(_ id: CallObjectID, error: DeliveryFailure, attempts: Int, uncertain: Bool = false) throws {
        try database.write("parking \(id)") { db in
            try db.execute(sql: """
                UPDATE outbox SET parked = 1, attempts = ?, lastError = ?, lastErrorCode = ?, uncertain = ?, claimedUntil = NULL,
                sentAt = CASE WHEN ? THEN sentAt ELSE NULL END WHERE callObject = ?
                """, arguments: [attempts, error.message, error.code, uncertain, uncertain, id])
            try db.execute(sql: "UPDATE calls SET delivery = ?, lastError = ? WHERE callObject = ?",
                           arguments: [DeliveryState.parked.rawValue, error.description, id])
        }
    }

    /// Drops WhoId/WhatId from a record (its entity was deleted or invalid) and notes why; due at once.
    public func dropAssociation(_ id: CallObjectID, note: String, now: Date) throws {
        try database.write("dropping the association of \(id)") { db in
            try db.execute(sql: "UPDATE calls SET who = NULL, what = NULL, associationNote = ?, description = description || ? WHERE callObject = ?",
                           arguments: [note, "\n\n" + note, id])
            try db.execute(sql: "UPDATE outbox SET nextAttemptAt = ?, claimedUntil = NULL, uncertain = 0, sentAt = NULL WHERE callObject = ?",
                           arguments: [now, id])
        }
    }

    /// Puts parked items (all, or the given ids) back in the queue, due now. Returns how many. An item parked while
    /// it may have been delivered stays `uncertain` (with its `sentAt`): it is checked, not blindly re-sent.
    @discardableResult
    public func retryParked(_ ids: [CallObjectID]?, now: Date) throws -> Int {
        try database.write("retrying parked records") { db in
            let filter = ids.map { ids in "AND callObject IN (\(ids.map { _ in "?" }.joined(separator: ",")))" } ?? ""
            let arguments = StatementArguments(ids ?? [])
            try db.execute(sql: "UPDATE calls SET delivery = 'queued' WHERE callObject IN (SELECT callObject FROM outbox WHERE parked = 1 \(filter))",
                           arguments: arguments)
            try db.execute(sql: "UPDATE outbox SET parked = 0, nextAttemptAt = ?, attempts = 0 WHERE parked = 1 \(filter)",
                           arguments: [now] + arguments)
            return db.changesCount
        }
    }

    /// Outbox items with their records, pending first then parked.
    public func outboxListing() throws -> [(OutboxItem, CallRecord)] {
        try database.read("listing the outbox") { db in
            let items = try OutboxItem.order(Column("parked"), Column("nextAttemptAt")).fetchAll(db)
            return try items.compactMap { item in try CallRecord.fetchOne(db, key: item.callObject).map { (item, $0) } }
        }
    }

    /// Stores many completed records and queues them, due at `now`, in one transaction (imports, benchmarks).
    public func queue(_ records: [CallRecord], at now: Date) throws {
        try database.write("queueing \(records.count) records") { db in
            for var record in records {
                record.delivery = .queued
                try record.save(db)
                try db.execute(sql: "INSERT OR IGNORE INTO outbox (callObject, nextAttemptAt) VALUES (?, ?)", arguments: [record.callObject, now])
            }
        }
    }

    /// Queues every locally kept record (delivery was off) so a later drain sends them.
    @discardableResult
    public func queueLocalRecords(now: Date) throws -> Int {
        try database.write("queueing local records") { db in
            let ids = try String.fetchAll(db, sql: "SELECT callObject FROM calls WHERE delivery = 'local'")
            for id in ids {
                try db.execute(sql: "UPDATE calls SET delivery = 'queued' WHERE callObject = ?", arguments: [id])
                try db.execute(sql: "INSERT OR IGNORE INTO outbox (callObject, nextAttemptAt) VALUES (?, ?)", arguments: [id, now])
            }
            return ids.count
        }
    }

    /// When the oldest still-failing item first failed (for "failing for longer than" notifications).
    public func oldestFailingSince() throws -> Date? {
        try database.read("reading the outbox") { db in
            try Date.fetchOne(db, sql: """
                SELECT MIN(c.endedAt) FROM outbox o JOIN calls c ON c.callObject = o.callObject
                WHERE o.parked = 0 AND o.attempts > 0
                """)
        }
    }
}
