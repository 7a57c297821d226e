import Foundation
import GRDB
import RingsideCore

/// The synced phone index in SQLite. It is the local directory's own tables — `directory` and
/// `directoryPhone` (rows with `source = 'salesforce'`) — so the same index serves the local directory,
/// plus sync checkpoints in the `settings` table.
///
/// Every change a sync page makes (records written, records removed, the checkpoint reached) is one
/// transaction: an interrupted sync leaves the index at the last completed page and resumes from there.
public final class PhoneIndexStore: Sendable {
    /// `directory.source` of synced rows.
    public static let source = "salesforce"

    public let database: RingsideDatabase

    public init(database: RingsideDatabase) {
        self.database = database
    }

    /// One page of sync work, applied atomically.
    public struct Batch: Sendable {
        /// Records to insert or replace (phones included); each is stamped with `generation`.
        public var upserts: [CRMRecord]
        /// Record ids to remove (deleted, converted, or left without phones).
        public var deletions: [String]
        /// The full-sync generation the rows belong to.
        public var generation: Int
        /// Settings to write (nil value: remove the key) in the same transaction.
        public var settings: [String: String?]

        public init(upserts: [CRMRecord] = [], deletions: [String] = [], generation: Int, settings: [String: String?] = [:]) {
            self.upserts = upserts
            self.deletions = deletions
            self.generation = generation
            self.settings = settings
        }
    }

    /// What a batch changed.
    public struct Applied: Hashable, Sendable {
        public var upserted: Int
        /// Rows actually removed (ids not in the index are not counted).
        public var deleted: Int
    }

    /// Writes a batch in one transaction.
    @discardableResult
    public func apply(_ batch: Batch) throws(StoreError) -> Applied {
        try database.write("updating the phone index") { db in
            let deleted = try RingsideDatabase.writingDirectoryInBulk(db) {
                var deleted = 0
                for id in batch.deletions {
                    try db.cachedStatement(sql: "DELETE FROM directoryPhone WHERE recordId = ?").execute(arguments: [id])
                    try db.cachedStatement(sql: "DELETE FROM directory WHERE id = ?").execute(arguments: [id])
                    deleted += db.changesCount
                }
                if !batch.upserts.isEmpty {
                    let writer = try RowWriter(db)
                    for record in batch.upserts { try writer.write(record, generation: batch.generation) }
                }
                return deleted
            }
            try Self.write(batch.settings, db: db)
            return Applied(upserted: batch.upserts.count, deleted: deleted)
        }
    }

    /// Removes synced rows of generations before `generation` (what a completed full sync did not see),
    /// writing `settings` in the same transaction. Returns the number of records removed.
    @discardableResult
    public func sweep(generationsBefore generation: Int, settings: [String: String?] = [:]) throws(StoreError) -> Int {
        try database.write("removing records no longer in the CRM") { db in
            let stale = "SELECT id FROM directory WHERE source = ? AND (syncGeneration IS NULL OR syncGeneration < ?)"
            let removed = try RingsideDatabase.writingDirectoryInBulk(db) {
                try db.execute(sql: "DELETE FROM directoryPhone WHERE recordId IN (\(stale))", arguments: [Self.source, generation])
                try db.execute(sql: "DELETE FROM directory WHERE id IN (\(stale))", arguments: [Self.source, generation])
                return db.changesCount
            }
            try Self.write(settings, db: db)
            return removed
        }
    }

    /// Removes every synced row and the given settings (e.g. `sync --reset`).
    public func removeAllSynced(settings: [String: String?] = [:]) throws(StoreError) {
        try database.write("clearing the phone index") { db in
            try RingsideDatabase.writingDirectoryInBulk(db) {
                try db.execute(sql: "DELETE FROM directoryPhone WHERE recordId IN (SELECT id FROM directory WHERE source = ?)", arguments: [Self.source])
                try db.execute(sql: "DELETE FROM directory WHERE source = ?", arguments: [Self.source])
            }
            try Self.write(settings, db: db)
        }
    }

    // MARK: Settings

    /// Settings whose key starts with `prefix`.
    public func settings(prefix: String) throws(StoreError) -> [String: String] {
        try database.read("reading sync settings") { db in
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM settings WHERE key LIKE ? ESCAPE '\\'",
                                        arguments: [LocalDirectory.likeEscaped(prefix) + "%"]) {
                out[row["key"]] = row["value"]
            }
            return out
        }
    }

    /// Writes settings (nil value: remove).
    public func setSettings(_ settings: [String: String?]) throws(StoreError) {
        try database.write("writing sync settings") { db in try Self.write(settings, db: db) }
    }

    static func write(_ settings: [String: String?], db: Database) throws {
        for (key, value) in settings {
            if let value {
                try db.cachedStatement(sql: "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
                    .execute(arguments: [key, value])
            } else {
                try db.cachedStatement(sql: "DELETE FROM settings WHERE key = ?").execute(arguments: [key])
            }
        }
    }

    // MARK: Rows

    /// Inserts or replaces a synced record and its phones (favourite flag kept). Inside `writingDirectoryInBulk` only;
    /// a batch uses one `RowWriter` for all its records.
    static func upsert(_ record: CRMRecord, generation: Int, db: Database) throws {
        try RowWriter(db).write(record, generation: generation)
    }

    /// Record and number counts, overall and for synced rows.
    public struct Counts: Hashable, Sendable {
        public var records: Int
        public var numbers: Int
        public var syncedRecords: Int
        public var syncedNumbers: Int
        /// Synced records per entity type name.
        public var syncedByType: [String: Int]
    }

    public func counts() throws(StoreError) -> Counts {
        try database.read("counting the phone index") { db in
            let records = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM directory") ?? 0
            let numbers = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM directoryPhone WHERE e164 IS NOT NULL") ?? 0
            // Numbers less those of other sources (usually few): a scan of the phones, not a join per number (half the time).
            let syncedNumbers = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM directoryPhone
                WHERE e164 IS NOT NULL AND recordId NOT IN (SELECT id FROM directory WHERE source <> ?)
                """, arguments: [Self.source]) ?? 0
            var byType: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT type, COUNT(*) AS n FROM directory WHERE source = ? GROUP BY type", arguments: [Self.source]) {
                byType[row["type"]] = row["n"]
            }
            return Counts(records: records, numbers: numbers, syncedRecords: byType.values.reduce(0, +), syncedNumbers: syncedNumbers,
                          syncedByType: byType)
        }
    }

    /// One record of the directory with one of its phones, as streamed to the in-memory index builder.
    /// Rows of the same record arrive together.
    public struct PhoneRow {
        public var id: String
        public var type: String
        public var name: String
        public var accountId: String?
        public var accountName: String?
        public var owner: String?
        public var lastModified: Date
        public var isPersonAccount: Bool
        public var url: String?
        public var field: String
        public var raw: String
        public var e164: String?
    }

    /// The directory's revision: changes whenever any directory or phone row does (issue 16, snapshots).
    public func revision() throws(StoreError) -> Int64 {
        try database.read("reading the directory revision") { db in try Self.revision(db) }
    }

    static func revision(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT revision FROM directoryRevision WHERE id = 1") ?? 0
    }

    /// Streams every directory record with its phones (all sources), grouped by record; returns the directory's
    /// revision read in the same transaction (the rows are exactly that revision's).
    @discardableResult
    public func forEachPhoneRow(_ body: (PhoneRow) throws -> Void) throws(StoreError) -> Int64 {
        try database.read("loading the phone index") { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT d.id, d.type, d.name, d.accountId, d.accountName, d.owner,
                       (julianday(d.lastModified) - 2440587.5) * 86400.0, d.isPersonAccount, d.url,
                       p.field, p.raw, p.e164
                FROM directory d JOIN directoryPhone p ON p.recordId = d.id ORDER BY d.rowid
                """)
            while let row = try rows.next() {
                // lastModified as seconds computed by SQLite: decoding GRDB's date text per row is the slow part.
                let seconds: Double = row[6] ?? 0
                try body(PhoneRow(id: row[0], type: row[1], name: row[2], accountId: row[3], accountName: row[4], owner: row[5],
                                  lastModified: Date(timeIntervalSince1970: (seconds * 1000).rounded() / 1000), isPersonAccount: row[7],
                                  url: row[8], field: row[9], raw: row[10], e164: row[11]))
            }
            return try Self.revision(db)
        }
    }

    /// Records with a phone whose stored `e164` is `e164` (one indexed query; used until the in-memory index is loaded).
    public func records(withNumber e164: String) throws(StoreError) -> [CRMRecord] {
        try database.read("looking up \(e164)") { db in
            let ids = try String.fetchAll(db, sql: "SELECT DISTINCT recordId FROM directoryPhone WHERE e164 = ?", arguments: [e164])
            return try LocalDirectory.hydrate(ids, db: db)
        }
    }

    /// Records with a phone whose stored `e164` matches `pattern` with SQL `LIKE` (a full scan; the
    /// benchmark's naive baseline), hydrated like an indexed lookup.
    public func records(e164Like pattern: String) throws(StoreError) -> [CRMRecord] {
        try database.read("scanning the directory") { db in
            let ids = try String.fetchAll(db, sql: "SELECT DISTINCT recordId FROM directoryPhone WHERE e164 LIKE ?", arguments: [pattern])
            return try LocalDirectory.hydrate(ids, db: db)
        }
    }
}
