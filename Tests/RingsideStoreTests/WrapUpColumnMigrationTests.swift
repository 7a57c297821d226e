import Foundation
import RingsideCore
import Testing
@testable import RingsideStore

/// Issue 17: `v7-issue17-wrap-up-seconds` adds the call's wrap-up time; rows written before it read as nil.
/// Real SQLite files.
@Suite struct WrapUpColumnMigrationTests {
    static let migration = "v7-issue17-wrap-up-seconds"

    @Test func rowsFromBeforeTheMigrationHaveNoWrapUpAndNewRowsKeepIt() throws {
        let dir = TempDir()
        do {
            let database = try RingsideDatabase(path: dir.db)
            try SQLiteCallStore(database: database).save(sampleRecord("old"))
            // Back to the older schema: no wrapUpSeconds column, the migration not applied.
            try database.write("test setup") { db in
                try db.execute(sql: "ALTER TABLE calls DROP COLUMN wrapUpSeconds")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [Self.migration])
            }
        }
        let reopened = SQLiteCallStore(database: try RingsideDatabase(path: dir.db))
        #expect(try #require(try reopened.record("old")).wrapUpSeconds == nil)
        var new = sampleRecord("new")
        new.wrapUpSeconds = 42
        try reopened.save(new)
        #expect(try #require(try reopened.record("new")).wrapUpSeconds == 42)
    }

    @Test func theQueueOutboxKeepsOrderPerAgentAndForgetsAcknowledgedEvents() throws {
        let dir = TempDir()
        let store = SQLiteCallStore(database: try RingsideDatabase(path: dir.db))
        let t = Date(timeIntervalSince1970: 1_780_000_000)
        let first = try store.enqueueQueueEvent(agentId: "a1", payload: "{\"n\":1}", at: t)
        try store.enqueueQueueEvent(agentId: "a2", payload: "{\"n\":2}", at: t.addingTimeInterval(1))
        try store.enqueueQueueEvent(agentId: "a1", payload: "{\"n\":3}", at: t.addingTimeInterval(2))
        #expect(try store.pendingQueueEvents(agentId: "a1", limit: 10).map(\.payload) == ["{\"n\":1}", "{\"n\":3}"])
        try store.markQueueEventFailed(first, error: "not connected")
        #expect(try store.queueOutboxSummary() == QueueOutboxSummary(pending: 3, oldest: t, lastError: "not connected"))
        try store.markQueueEventSent(first)
        #expect(try store.pendingQueueEvents().map(\.payload) == ["{\"n\":2}", "{\"n\":3}"])
        #expect(try store.queueOutboxSummary().oldest == t.addingTimeInterval(1))
    }
}
