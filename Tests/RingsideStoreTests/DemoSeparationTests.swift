import Foundation
import RingsideCore
import Testing
@testable import RingsideStore

/// Issue 15: demo records never stay in a Salesforce-mode database (migration v5-issue15-…, on real SQLite files).
@Suite struct DemoSeparationTests {
    static let demoFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Resources/demo-directory.json").path
    static let migration = "v5-issue15-no-demo-in-salesforce"

    /// A database as issue 15 found it: demo rows seeded, then (optionally) Salesforce rows; the v5 migration
    /// not yet applied (its row is removed from GRDB's table so it runs on the next open, as on an old file).
    func oldDatabase(_ dir: TempDir, salesforce: Bool) throws -> Int {
        let database = try RingsideDatabase(path: dir.db)
        let directory = LocalDirectory(database: database, region: .GB, user: AgentUser(id: "", name: "", timeZone: "UTC"))
        let seeded = try directory.seedIfEmpty(fromFile: Self.demoFile)
        try database.write("test setup") { db in
            if salesforce {
                try db.execute(sql: """
                    INSERT INTO directory (id, type, name, lastModified, source, syncGeneration) VALUES ('003Dg0000000001IAA', 'Contact', 'Ann Lee', '2026-01-01 10:00:00', 'salesforce', 1);
                    INSERT INTO directoryPhone (recordId, field, raw, e164) VALUES ('003Dg0000000001IAA', 'Phone', '+44 7814 256404', '+447814256404');
                    """)
            }
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [Self.migration])
        }
        return seeded
    }

    @Test func theMigrationRemovesDemoRowsFromASalesforceDatabase() throws {
        let dir = TempDir()
        let seeded = try oldDatabase(dir, salesforce: true)
        #expect(seeded > 200)
        let reopened = try RingsideDatabase(path: dir.db)
        let directory = LocalDirectory(database: reopened, region: .GB, user: AgentUser(id: "", name: "", timeZone: "UTC"))
        #expect(try directory.count() == 1, "only the Salesforce record is left")
        #expect(try directory.records(withNumber: "+447814256404").map(\.name) == ["Ann Lee"], "no demo Fred Bloggs on this number")
        let orphans = try reopened.read("test") { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM directoryPhone WHERE recordId NOT IN (SELECT id FROM directory)") }
        #expect(orphans == 0)
    }

    @Test func theMigrationLeavesALocalDemoDatabaseAlone() throws {
        let dir = TempDir()
        let seeded = try oldDatabase(dir, salesforce: false)
        let reopened = try RingsideDatabase(path: dir.db)
        let directory = LocalDirectory(database: reopened, region: .GB, user: AgentUser(id: "", name: "", timeZone: "UTC"))
        #expect(try directory.count() == seeded)
    }

    @Test func removeDemoRecordsKeepsEverythingElse() throws {
        let dir = TempDir()
        let seeded = try oldDatabase(dir, salesforce: true)
        let database = try RingsideDatabase(path: dir.db)
        #expect(try database.removeDemoRecords() == 0, "the migration already removed them")
        let directory = LocalDirectory(database: database, region: .GB, user: AgentUser(id: "", name: "", timeZone: "UTC"))
        #expect(try directory.seedIfEmpty(fromFile: Self.demoFile) == 0, "not empty: the Salesforce record is there")
        try database.write("test") { db in
            try db.execute(sql: "UPDATE directory SET source = 'demo'")
        }
        #expect(try database.removeDemoRecords() == 1)
        #expect(try directory.count() == 0)
        _ = seeded
    }
}
