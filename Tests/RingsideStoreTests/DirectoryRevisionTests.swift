import Foundation
import GRDB
import RingsideCore
import Testing
@testable import RingsideStore

/// Issue 16: the directory revision (which keeps a saved phone-index snapshot from being trusted once stale) is bumped
/// once per sync batch instead of once per row, and still by every other write. Real SQLite files.
@Suite struct DirectoryRevisionTests {
    static func records(_ count: Int, from first: Int = 0, name: String = "Synced") -> [CRMRecord] {
        (first..<first + count).map { i in
            CRMRecord(type: .contact, id: String(format: "003%015d", i), name: "\(name) \(i)",
                      phones: [PhoneField(field: "Phone", raw: "07700 9\(String(format: "%05d", i))", e164: "+4477009\(String(format: "%05d", i))"),
                               PhoneField(field: "MobilePhone", raw: "07800 9\(String(format: "%05d", i))", e164: "+4478009\(String(format: "%05d", i))")],
                      lastModified: Date(timeIntervalSince1970: 1_780_000_000 + Double(i)))
        }
    }

    /// Whether the connection's triggers are on (a bulk write turns them off while it writes).
    static func triggersOn(_ database: RingsideDatabase) throws -> Bool {
        try database.read("test") { db in RingsideDatabase.triggersAreOn(db) }
    }

    @Test func aSyncBatchBumpsTheRevisionOnceNotPerRow() throws {
        let dir = TempDir()
        let store = PhoneIndexStore(database: try RingsideDatabase(path: dir.db))
        let before = try store.revision()
        try store.apply(.init(upserts: Self.records(50), generation: 1, settings: ["phoneIndex.test": "1"]))
        #expect(try store.revision() == before + 1)
        #expect(try store.counts().syncedNumbers == 100)
        // The same records again (an update of every row, phones replaced) and a deletion: one bump.
        try store.apply(.init(upserts: Self.records(50, name: "Renamed"), deletions: [Self.records(1)[0].id], generation: 1))
        #expect(try store.revision() == before + 2)
        #expect(try Self.triggersOn(store.database))
    }

    @Test func countsKeepSyncedAndOtherNumbersApart() throws {
        let dir = TempDir()
        let store = PhoneIndexStore(database: try RingsideDatabase(path: dir.db))
        try store.apply(.init(upserts: Self.records(7), generation: 1))
        // Local records (one with a number that did not parse) and synced ones side by side.
        try store.database.execute("""
            INSERT INTO directory (id, type, name, lastModified, source) VALUES ('local1', 'Contact', 'Local', '2026-01-01 00:00:00.000', 'local'),
                ('local2', 'Account', 'Local Co', '2026-01-01 00:00:00.000', 'import');
            INSERT INTO directoryPhone (recordId, field, raw, e164) VALUES ('local1', 'Phone', '020 7946 0001', '+442079460001'),
                ('local1', 'MobilePhone', 'call reception', NULL), ('local2', 'Phone', '020 7946 0002', '+442079460002');
            UPDATE directoryPhone SET e164 = NULL WHERE recordId = '\(Self.records(1)[0].id)' AND field = 'MobilePhone';
            """)
        let counts = try store.counts()
        #expect(counts == PhoneIndexStore.Counts(records: 9, numbers: 15, syncedRecords: 7, syncedNumbers: 13, syncedByType: ["Contact": 7]))
    }

    @Test func anUpdatedRecordsPhonesAreReplacedAndANewOnesAreItsOwn() throws {
        let dir = TempDir()
        let store = PhoneIndexStore(database: try RingsideDatabase(path: dir.db))
        func phones(_ id: String) throws -> [String] {
            try store.database.read("test") { db in
                try String.fetchAll(db, sql: "SELECT field || '=' || raw FROM directoryPhone WHERE recordId = ? ORDER BY field", arguments: [id])
            }
        }
        var records = Self.records(3)
        try store.apply(.init(upserts: records, generation: 1))
        // Updated records: one loses its mobile, one changes it, one is deleted and written again in the same batch.
        records[0].phones = [records[0].phones[0]]
        records[1].phones[1] = PhoneField(field: "HomePhone", raw: "020 7946 0999", e164: "+442079460999")
        try store.apply(.init(upserts: records, deletions: [records[2].id], generation: 1))
        #expect(try phones(records[0].id) == ["Phone=07700 900000"])
        #expect(try phones(records[1].id) == ["HomePhone=020 7946 0999", "Phone=07700 900001"])
        #expect(try phones(records[2].id) == ["MobilePhone=07800 900002", "Phone=07700 900002"])
        // New records after updates (the last inserted rowid is not theirs): exactly their own phones.
        try store.apply(.init(upserts: records + Self.records(2, from: 3), generation: 1))
        #expect(try phones(Self.records(1, from: 4)[0].id) == ["MobilePhone=07800 900004", "Phone=07700 900004"])
        #expect(try store.counts().syncedNumbers == 9)
        // Text is bound with its length: an empty string stays an empty string (not NULL), other text whole.
        var empty = Self.records(1, from: 9)[0]
        empty.accountName = ""
        empty.owner = "Zoë 山田 \u{1b}[2J"
        try store.apply(.init(upserts: [empty], generation: 1))
        let row = try store.database.read("test") { db in
            try Row.fetchOne(db, sql: "SELECT accountName, owner, accountId FROM directory WHERE id = ?", arguments: [empty.id])
        }
        #expect(row?["accountName"] as String? == "")
        #expect(row?["owner"] as String? == "Zoë 山田 \u{1b}[2J")
        #expect(row?["accountId"] as String? == nil)
    }

    @Test func aStatementPreparedWhileTriggersWereOffFiresThemLater() throws {
        let dir = TempDir()
        let store = PhoneIndexStore(database: try RingsideDatabase(path: dir.db))
        try store.apply(.init(upserts: Self.records(3), generation: 1))
        // The batch's deletions go through a cached statement, prepared here while the triggers are off.
        try store.apply(.init(deletions: [Self.records(1)[0].id], generation: 1))
        let before = try store.revision()
        // The same cached statement outside a batch: SQLite re-prepares it with the triggers (one bump per phone row).
        try store.database.write("test") { db in
            try db.cachedStatement(sql: "DELETE FROM directoryPhone WHERE recordId = ?").execute(arguments: [Self.records(1, from: 1)[0].id])
        }
        #expect(try store.revision() == before + 2)
    }

    @Test func aBatchThatChangesNoRowKeepsTheRevision() throws {
        let dir = TempDir()
        let store = PhoneIndexStore(database: try RingsideDatabase(path: dir.db))
        try store.apply(.init(upserts: Self.records(10), generation: 1))
        let before = try store.revision()
        // A checkpoint only, and deletions of ids the index does not hold: the snapshot stays valid.
        try store.apply(.init(deletions: ["003999999999999999"], generation: 1, settings: ["phoneIndex.cursor": "x"]))
        #expect(try store.sweep(generationsBefore: 1) == 0)
        #expect(try store.revision() == before)
        // A sweep that removes rows is a change.
        #expect(try store.sweep(generationsBefore: 2) == 10)
        #expect(try store.revision() == before + 1)
    }

    @Test func everyOtherWriteStillBumpsPerRowOnAnyConnection() throws {
        let dir = TempDir()
        let database = try RingsideDatabase(path: dir.db)
        let store = PhoneIndexStore(database: database)
        try store.apply(.init(upserts: Self.records(3), generation: 1))
        // A second connection to the same file (another process, say): the triggers are live there too.
        let other = try RingsideDatabase(path: dir.db)
        let id = Self.records(1)[0].id
        var revision = try store.revision()
        let writes: [(RingsideDatabase, String)] = [
            (database, "UPDATE directory SET name = 'Edited' WHERE id = '\(id)'"),
            (other, "UPDATE directory SET name = 'Edited again' WHERE id = '\(id)'"),
            (other, "UPDATE directory SET favourite = 1 WHERE id = '\(id)'"),
            (other, "INSERT INTO directoryPhone (recordId, field, raw, e164) VALUES ('\(id)', 'HomePhone', '020 7946 0000', '+442079460000')"),
            (database, "DELETE FROM directoryPhone WHERE recordId = '\(id)' AND field = 'HomePhone'"),
            (database, "INSERT INTO directory (id, type, name, lastModified, source) VALUES ('local1', 'Contact', 'New', '2026-01-01 00:00:00.000', 'local')"),
            (other, "DELETE FROM directory WHERE id = 'local1'"),
        ]
        for (connection, sql) in writes {
            try connection.execute(sql)
            let now = try store.revision()
            #expect(now == revision + 1, "\(sql)")
            revision = now
        }
    }

    @Test func aFailedBatchLeavesTheTriggersOnAndNoUncountedRows() throws {
        let dir = TempDir()
        let database = try RingsideDatabase(path: dir.db)
        let store = PhoneIndexStore(database: database)
        try store.apply(.init(upserts: Self.records(3), generation: 1))
        let before = try store.revision()
        // A failure inside the batch rolls the whole transaction back: nothing changed, triggers on again.
        struct Stop: Error {}
        #expect(throws: StoreError.self) {
            try database.write("test") { db in
                try RingsideDatabase.writingDirectoryInBulk(db) {
                    try PhoneIndexStore.upsert(Self.records(1, from: 10)[0], generation: 1, db: db)
                    throw Stop()
                }
            }
        }
        #expect(try store.revision() == before)
        #expect(try Self.triggersOn(database))
        // A caller that swallows the failure and commits: the rows written before it count as a change.
        try database.write("test") { db in
            _ = try? RingsideDatabase.writingDirectoryInBulk(db) {
                try PhoneIndexStore.upsert(Self.records(1, from: 11)[0], generation: 1, db: db)
                throw Stop()
            }
        }
        #expect(try store.revision() > before)
        #expect(try Self.triggersOn(database))
        let after = try store.revision()
        try database.execute("UPDATE directory SET name = 'After' WHERE id = '\(Self.records(1)[0].id)'")
        #expect(try store.revision() == after + 1)
    }

    @Test func aDatabaseFromBeforeTheMigrationsGetsPlainTriggersAndBatchBumps() throws {
        let dir = TempDir()
        do {
            let database = try RingsideDatabase(path: dir.db)
            // Back to the v6 schema: per-row triggers (v8 made them v6's again) with no bulk flag, v7 and v8 not applied.
            try database.write("test setup") { db in
                try db.execute(sql: "ALTER TABLE directoryRevision DROP COLUMN bulk")  // v8 keeps v7's column
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier IN ('v7-issue16-revision-per-batch', 'v8-issue16-triggers-off-in-bulk')")
            }
            // Rows written as the older version wrote them: one statement per row, each firing its trigger.
            try database.write("test setup") { db in
                for record in Self.records(5) { try PhoneIndexStore.upsert(record, generation: 1, db: db) }
            }
        }
        let store = PhoneIndexStore(database: try RingsideDatabase(path: dir.db))
        let before = try store.revision()
        #expect(before == 15)  // per row under the old triggers: 5 records and 10 phones, a revision kept by the migration
        try store.apply(.init(upserts: Self.records(5, from: 5), generation: 1))
        #expect(try store.revision() == before + 1)
        try store.database.execute("DELETE FROM directoryPhone WHERE recordId = '\(Self.records(1)[0].id)'")
        #expect(try store.revision() == before + 3)
        // Through v7 (a `bulk` flag read by every trigger) to v8: plain triggers that read no flag.
        let triggers = try store.database.read("test") { db in
            try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%Revision%'")
        }
        #expect(triggers.count == 6)
        #expect(!triggers.contains { $0.contains("WHEN") || $0.contains("bulk") })
    }

    @Test func sqliteMemoryStatisticsAreOffOrSQLiteWasAlreadyStarted() throws {
        _ = try RingsideDatabase(path: TempDir().db)
        #expect([ResultCode.SQLITE_OK.rawValue, ResultCode.SQLITE_MISUSE.rawValue].contains(RingsideDatabase.processSettings))
    }

    @Test func aCSVImportBumpsTheRevisionOnceAndAFailedOneNotAtAll() throws {
        let dir = TempDir()
        let database = try RingsideDatabase(path: dir.db)
        let store = PhoneIndexStore(database: database)
        let directory = LocalDirectory(database: database, region: .GB, user: AgentUser(id: "", name: "", timeZone: "UTC"))
        let before = try store.revision()
        let good = dir.path + "/good.csv"
        let rows = (0..<200).map { "Person \($0),07700 9\(String(format: "%05d", $0))" }
        try ("name,phone\n" + rows.joined(separator: "\n") + "\n").write(toFile: good, atomically: true, encoding: .utf8)
        #expect(try directory.importCSV(path: good) == DirectoryImportSummary(added: 200))
        #expect(try store.revision() == before + 1, "one bump for 200 records and 200 numbers")
        // A bad line rolls the whole file back: no row, no bump, triggers on again.
        let bad = dir.path + "/bad.csv"
        try "name,phone\nNew Person,07700 900999\nBroken,not a number\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try directory.importCSV(path: bad) }
        #expect(try store.revision() == before + 1)
        #expect(try Self.triggersOn(database))
        // Importing the same file again changes nothing: the snapshot stays valid.
        #expect(try directory.importCSV(path: good) == DirectoryImportSummary(unchanged: 200))
        #expect(try store.revision() == before + 1)
    }
}
