import Foundation
import RingsideCore
import RingsideStore
import Testing

/// A fresh temporary folder per test, removed afterwards.
final class TempDir {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "ringside-store-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    var db: String { path + "/ringside.sqlite" }
    func file(_ name: String, _ text: String) -> String {
        let p = path + "/" + name
        FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }
}

func sampleRecord(_ id: String, delivery: DeliveryState = .wrapUp, started: Double = 1_764_000_000) -> CallRecord {
    CallRecord(callObject: id, callType: .inbound, direction: .inbound, remote: "07814 256404", e164: "+447814256404",
               remoteName: "Fred Bloggs", startedAt: Date(timeIntervalSince1970: started), answeredAt: Date(timeIntervalSince1970: started + 5),
               endedAt: Date(timeIntervalSince1970: started + 65), durationSeconds: 60, holdSeconds: 0, endReason: "hung up by agent",
               subject: "Inbound Call at 16:11:36 Europe/London from 07814256404 (Fred Bloggs)", description: "d",
               activityDate: "2025-11-24", ownerId: "005000000000001AAA", disposition: "Resolved", notes: "n",
               who: EntityRef(type: .contact, id: "003000000000001AAA", name: "Fred Bloggs", accountId: "001000000000001AAA"),
               what: EntityRef(type: .account, id: "001000000000001AAA", name: ""), associationRule: .singleMatch,
               associationNote: nil, timeZone: "Europe/London", delivery: delivery)
}

@Suite struct StoreTests {
    @Test func migratesAnEmptyFileAndReopens() throws {
        let dir = TempDir()
        do {
            let store = SQLiteCallStore(database: try RingsideDatabase(path: dir.db))
            try store.save(sampleRecord("a"))
        }
        let reopened = SQLiteCallStore(database: try RingsideDatabase(path: dir.db))
        let record = try #require(try reopened.record("a"))
        #expect(record == sampleRecord("a"))
        let mode = try String(contentsOfFile: dir.db, encoding: .isoLatin1).prefix(16)
        #expect(mode.hasPrefix("SQLite format 3"))
    }

    @Test func completeQueuesExactlyOnceAndNeverDowngrades() throws {
        let dir = TempDir()
        let store = SQLiteCallStore(database: try RingsideDatabase(path: dir.db))
        try store.save(sampleRecord("a"))
        #expect(try store.outboxCounts() == OutboxCounts(queued: 0, parked: 0))
        try store.complete(sampleRecord("a", delivery: .queued), at: Date())
        try store.complete(sampleRecord("a", delivery: .queued), at: Date())
        #expect(try store.outboxCounts() == OutboxCounts(queued: 1, parked: 0))
        // A late wrap-up save must not turn a completed record back into wrap-up.
        try store.save(sampleRecord("a"))
        #expect(try store.record("a")?.delivery == .queued)
    }

    @Test func localDeliveryDoesNotQueue() throws {
        let dir = TempDir()
        let store = SQLiteCallStore(database: try RingsideDatabase(path: dir.db))
        try store.complete(sampleRecord("a", delivery: .local), at: Date())
        #expect(try store.outboxCounts().queued == 0)
        #expect(try store.record("a")?.delivery == .local)
    }

    @Test func strandedWrapUpsAreCompletedOnRestart() throws {
        let dir = TempDir()
        let store = SQLiteCallStore(database: try RingsideDatabase(path: dir.db))
        try store.save(sampleRecord("a"))
        try store.save(sampleRecord("b"))
        try store.complete(sampleRecord("c", delivery: .queued), at: Date())
        #expect(try store.completeStrandedWrapUps(completedState: .queued, at: Date()) == 2)
        #expect(try store.outboxCounts().queued == 3)
        #expect(try store.calls(in: [.wrapUp]).isEmpty)
    }

    @Test func historyIsNewestFirst() throws {
        let dir = TempDir()
        let store = SQLiteCallStore(database: try RingsideDatabase(path: dir.db))
        for i in 0..<5 { try store.save(sampleRecord("c\(i)", started: 1_764_000_000 + Double(i) * 100)) }
        #expect(try store.recentCalls(limit: 3).map(\.callObject) == ["c4", "c3", "c2"])
    }

    @Test func auditIsAppendOnly() throws {
        let dir = TempDir()
        let database = try RingsideDatabase(path: dir.db)
        let store = SQLiteCallStore(database: database)
        try store.appendAudit(AuditEntry(at: Date(), callObject: "a", action: "create", endpoint: "/services/data/v62.0/sobjects/Task", httpStatus: 201))
        #expect(try store.audit(since: nil, limit: 10).count == 1)
        // Editing or deleting audit rows is refused by the database itself.
        let raw = try RingsideDatabase(path: dir.db)
        #expect(throws: StoreError.self) { try raw.execute("DELETE FROM audit") }
        #expect(throws: StoreError.self) { try raw.execute("UPDATE audit SET action = 'x'") }
        #expect(try store.audit(since: nil, limit: 10).count == 1)
    }

    @Test func fullDatabaseGivesAClearErrorAndKeepsWhatWasSaved() throws {
        let dir = TempDir()
        do {
            let store = SQLiteCallStore(database: try RingsideDatabase(path: dir.db))
            try store.save(sampleRecord("kept"))
        }
        let pages = try RingsideDatabase(path: dir.db).pageCount()
        let store = SQLiteCallStore(database: try RingsideDatabase(path: dir.db, maxPageCount: pages))
        var failure: StoreError?
        for i in 0..<500 {
            var record = sampleRecord("big\(i)")
            record.notes = String(repeating: "x", count: 4000)
            do { try store.save(record) } catch let error as StoreError { failure = error; break }
        }
        let error = try #require(failure)
        #expect("\(error)".contains("full"))
        #expect(try store.record("kept") == sampleRecord("kept"))
    }

    @Test func readOnlyDatabaseGivesAClearError() throws {
        guard getuid() != 0 else {
            // root ignores file permissions; use SQLite's own read-only open instead.
            let dir = TempDir()
            _ = try RingsideDatabase(path: dir.db)
            let store = SQLiteCallStore(database: try RingsideDatabase(path: dir.db, readOnly: true))
            #expect { try store.save(sampleRecord("x")) } throws: { "\($0)".contains("read-only") }
            return
        }
        let dir = TempDir()
        _ = try RingsideDatabase(path: dir.db)
        chmod(dir.db, 0o444)
        let store = SQLiteCallStore(database: try RingsideDatabase(path: dir.db))
        #expect { try store.save(sampleRecord("x")) } throws: { "\($0)".contains("read-only") }
    }
}
