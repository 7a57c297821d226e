import Foundation
import RingsideCore
import Testing
@testable import RingsideStore

/// Issue 14: a database written by a version before `v5-issue14-outbox-sent-at`, with a claim still live when it
/// stopped, opens with the claim's request dated a lease before the claim's end (so its record is checked, not
/// blindly re-sent, and not checked while that request may still run). Real SQLite files.
@Suite struct OutboxSentAtMigrationTests {
    static let migration = "v5-issue14-outbox-sent-at"

    @Test func aLiveClaimFromAnOlderVersionGetsASentTimeALeaseBeforeItsEnd() throws {
        let dir = TempDir()
        let claimEnd = Date(timeIntervalSince1970: 1_780_000_120)
        do {
            let database = try RingsideDatabase(path: dir.db)
            let store = SQLiteCallStore(database: database)
            try store.queue([sampleRecord("claimed"), sampleRecord("idle")], at: Date(timeIntervalSince1970: 1_780_000_000))
            // Back to the older schema: no sentAt columns, the migration not applied, one item claimed.
            try database.write("test setup") { db in
                try db.execute(sql: "ALTER TABLE outbox DROP COLUMN sentAt")
                try db.execute(sql: "ALTER TABLE outbox DROP COLUMN sentIdempotent")
                try db.execute(sql: "UPDATE outbox SET claimedUntil = ? WHERE callObject = 'claimed'", arguments: [claimEnd])
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [Self.migration])
            }
        }
        let reopened = SQLiteCallStore(database: try RingsideDatabase(path: dir.db))
        let items = Dictionary(uniqueKeysWithValues: try reopened.outboxListing().map { ($0.0.callObject, $0.0) })
        let claimed = try #require(items["claimed"])
        let sentAt = try #require(claimed.sentAt, "a live claim's request may have been sent")
        #expect(abs(sentAt.timeIntervalSince(claimEnd) + 120) < 1, "sent \(sentAt), claim ended \(claimEnd)")
        #expect(!claimed.sentIdempotent)
        #expect(try #require(items["idle"]).sentAt == nil, "an unclaimed item was never sent")
        // The policy then waits for that request before any check: not before sentAt + timeout + grace.
        let policy = DeliveryPolicy(requestTimeoutSeconds: 20, uncertainGraceSeconds: 120)
        #expect(policy.earliestCheck(sentAt: sentAt) == sentAt.addingTimeInterval(140))
    }
}
