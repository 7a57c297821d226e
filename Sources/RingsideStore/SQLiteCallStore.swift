import Foundation
import GRDB
import RingsideCore

/// The live `CallStore` on SQLite: calls, outbox and audit log in one database.
public final class SQLiteCallStore: CallStore {
    public let database: RingsideDatabase

    public init(database: RingsideDatabase) {
        self.database = database
    }

    public func save(_ record: CallRecord) throws {
        try database.write("saving call \(record.callObject)") { db in
            // Never downgrade a record that has already been completed or delivered.
            if let existing = try CallRecord.fetchOne(db, key: record.callObject), existing.delivery != .wrapUp { return }
            try record.save(db)
        }
    }

    public func complete(_ record: CallRecord, at now: Date) throws {
        try database.write("completing call \(record.callObject)") { db in
            if let existing = try CallRecord.fetchOne(db, key: record.callObject),
               existing.delivery == .delivered || existing.delivery == .parked {
                return
            }
            try record.save(db)
            if record.delivery == .queued, try OutboxItem.fetchOne(db, key: record.callObject) == nil {
                try OutboxItem(callObject: record.callObject, nextAttemptAt: now).insert(db)
            }
            // The record is final: the call leaves the journal in the same transaction.
            try db.execute(sql: "DELETE FROM journal WHERE callObject = ?", arguments: [record.callObject])
        }
    }

    public func record(_ id: CallObjectID) throws -> CallRecord? {
        try database.read("reading call \(id)") { db in try CallRecord.fetchOne(db, key: id) }
    }

    public func recentCalls(limit: Int) throws -> [CallRecord] {
        try database.read("reading call history") { db in
            try CallRecord.order(Column("startedAt").desc).limit(limit).fetchAll(db)
        }
    }

    public func calls(in states: [DeliveryState]) throws -> [CallRecord] {
        try database.read("reading calls") { db in
            try CallRecord.filter(states.map(\.rawValue).contains(Column("delivery"))).order(Column("startedAt")).fetchAll(db)
        }
    }

    public func outboxCounts() throws -> OutboxCounts {
        try database.read("counting the outbox") { db in
            let queued = try OutboxItem.filter(Column("parked") == false).fetchCount(db)
            let parked = try OutboxItem.filter(Column("parked") == true).fetchCount(db)
            return OutboxCounts(queued: queued, parked: parked)
        }
    }

    public func outbox() throws -> [OutboxItem] {
        try database.read("reading the outbox") { db in try OutboxItem.order(Column("nextAttemptAt")).fetchAll(db) }
    }

    public func appendAudit(_ entry: AuditEntry) throws {
        try database.write("writing the audit log") { db in try entry.insert(db) }
    }

    public func audit(since: Date?, limit: Int) throws -> [AuditEntry] {
        try database.read("reading the audit log") { db in
            var request = AuditEntry.order(Column("at").desc, Column("id").desc)
            if let since { request = request.filter(Column("at") >= since) }
            return try request.limit(limit).fetchAll(db)
        }
    }

    /// Calls that were saved but never completed (the app stopped during wrap-up): complete them now
    /// with whatever they have, so no call record is stranded.
    @discardableResult
    public func completeStrandedWrapUps(completedState: DeliveryState, at now: Date) throws -> Int {
        try database.write("completing interrupted wrap-ups") { db in
            // Calls still in the journal are the runtime's to finish (with the notes typed so far).
            let stranded = try CallRecord.fetchAll(db, sql: """
                SELECT * FROM calls WHERE delivery = ? AND callObject NOT IN (SELECT callObject FROM journal)
                """, arguments: [DeliveryState.wrapUp.rawValue])
            for var record in stranded {
                record.delivery = completedState
                try record.update(db)
                if completedState == .queued, try OutboxItem.fetchOne(db, key: record.callObject) == nil {
                    try OutboxItem(callObject: record.callObject, nextAttemptAt: now).insert(db)
                }
            }
            return stranded.count
        }
    }
}
