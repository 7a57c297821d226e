import Foundation
import RingsideApp
import RingsideCore
@testable import RingsideStore
import Testing

/// Issue 16: the binary phone-index snapshot on real files — used only while it matches the directory; corrupt,
/// truncated, stale and other-version snapshots are rebuilt from SQLite, never trusted.
@Suite struct PhoneIndexSnapshotTests {
    static let user = AgentUser(id: "", name: "Agent", timeZone: "UTC")
    static let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Resources/demo-directory.json").path

    /// A demo database in a temporary folder.
    final class Bench {
        let folder = NSTemporaryDirectory() + "ringside-snapshot-\(UUID().uuidString)"
        let database: RingsideDatabase
        let directory: LocalDirectory
        let store: PhoneIndexStore
        var snapshot: String { database.path + ".index" }

        init() throws {
            database = try RingsideDatabase(path: folder + "/ringside.sqlite")
            directory = LocalDirectory(database: database, region: .GB, user: PhoneIndexSnapshotTests.user)
            store = PhoneIndexStore(database: database)
            _ = try directory.seedIfEmpty(fromFile: PhoneIndexSnapshotTests.demo)
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }

        /// Every number's records, from the index and from SQLite, must agree.
        func expectAgreesWithSQLite(_ index: PhoneIndex, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let (single, multiple) = try directory.numbersByMatchCount()
            var checked = 0
            for raw in single + multiple {
                guard let number = try? PhoneNumber.parse(raw, defaultRegion: .GB), number.kind == .external else { continue }
                let fromSQL = try directory.records(withNumber: number.e164).sorted { $0.id < $1.id }
                let fromIndex = index.records(withNumber: number.e164).sorted { $0.id < $1.id }
                #expect(fromIndex.map(Self.shape) == fromSQL.map(Self.shape), "\(raw)", sourceLocation: sourceLocation)
                checked += 1
            }
            #expect(checked > 100, sourceLocation: sourceLocation)
        }

        /// What a pop shows of a record (dates compared to the millisecond by the index's own tests).
        static func shape(_ r: CRMRecord) -> String {
            "\(r.type) \(r.id) \(r.name) \(r.accountId ?? "-") \(r.accountName ?? "-") \(r.owner ?? "-") \(r.url ?? "-") \(r.isPersonAccount) "
                + r.phones.map { "\($0.field)=\($0.raw)/\($0.e164 ?? "-")" }.joined(separator: ",")
        }

        func bytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: snapshot)) }
        func write(_ data: Data) throws { try data.write(to: URL(fileURLWithPath: snapshot)) }
    }

    @Test func aSnapshotIsSavedOwnerOnlyAndUsedAtTheNextStart() throws {
        let bench = try Bench()
        let first = try PhoneIndexSnapshot.load(store: bench.store, path: bench.snapshot)
        #expect(first.source == .database(rejected: .missing))
        let mode = try FileManager.default.attributesOfItem(atPath: bench.snapshot)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let second = try PhoneIndexSnapshot.load(store: bench.store, path: bench.snapshot)
        #expect(second.source == .snapshot)
        #expect(second.index.numberCount == first.index.numberCount && second.index.recordCount == first.index.recordCount)
        try bench.expectAgreesWithSQLite(second.index)
    }

    @Test func aChangedDirectoryMakesTheSnapshotStale() async throws {
        let bench = try Bench()
        _ = try PhoneIndexSnapshot.load(store: bench.store, path: bench.snapshot)
        let number = try PhoneNumber.parse("07700 900777", defaultRegion: .GB)
        let created = try await bench.directory.createRecord(.lead, number: number, name: "Newly Added")
        let reloaded = try PhoneIndexSnapshot.load(store: bench.store, path: bench.snapshot)
        guard case .database(rejected: .stale) = reloaded.source else {
            Issue.record("a change must make the snapshot stale, got \(reloaded.source)")
            return
        }
        #expect(reloaded.index.records(withNumber: number.e164).map(\.id) == [created.id])
        // A record's name changing (no new row) is a change too.
        try bench.database.write("rename") { db in
            try db.execute(sql: "UPDATE directory SET name = 'Renamed' WHERE id = ?", arguments: [created.id])
        }
        let renamed = try PhoneIndexSnapshot.load(store: bench.store, path: bench.snapshot)
        #expect(renamed.index.records(withNumber: number.e164).map(\.name) == ["Renamed"])
        #expect(try PhoneIndexSnapshot.load(store: bench.store, path: bench.snapshot).source == .snapshot)
    }

    /// Issue 16: a sync batch bumps the revision once (not per row); the snapshot must still go stale after a batch,
    /// stay valid after a batch that changed nothing, and go stale after a single-row edit that follows.
    @Test func aSyncBatchAndALaterSingleEditEachMakeTheSnapshotStale() throws {
        let bench = try Bench()
        _ = try PhoneIndexSnapshot.load(store: bench.store, path: bench.snapshot)
        let number = try PhoneNumber.parse("07700 900888", defaultRegion: .GB)
        let synced = CRMRecord(type: .contact, id: "003000000000888AAA", name: "Synced Person",
                               phones: [PhoneField(field: "Phone", raw: "07700 900888", e164: number.e164)],
                               lastModified: Date(timeIntervalSince1970: 1_780_000_000.123))
        try bench.store.apply(.init(upserts: [synced], generation: 1))
        let afterBatch = try PhoneIndexSnapshot.load(store: bench.store, path: bench.snapshot)
        guard case .database(rejected: .stale) = afterBatch.source else {
            Issue.record("a sync batch must make the snapshot stale, got \(afterBatch.source)")
            return
        }
        #expect(afterBatch.index.records(withNumber: number.e164).map(\.name) == ["Synced Person"])
        try bench.store.apply(.init(deletions: ["003000000000999AAA"], generation: 1, settings: ["phoneIndex.test": "1"]))
        #expect(try PhoneIndexSnapshot.load(store: bench.store, path: bench.snapshot).source == .snapshot)
        try bench.database.write("edit") { db in
            try db.execute(sql: "UPDATE directoryPhone SET raw = '07700900888' WHERE recordId = ?", arguments: [synced.id])
        }
        let afterEdit = try PhoneIndexSnapshot.load(store: bench.store, path: bench.snapshot)
        guard case .database(rejected: .stale) = afterEdit.source else {
            Issue.record("a single-row edit after a batch must make the snapshot stale, got \(afterEdit.source)")
            return
        }
        #expect(afterEdit.index.records(withNumber: number.e164).first?.phones.map(\.raw) == ["07700900888"])
        try bench.expectAgreesWithSQLite(afterEdit.index)
    }

    @Test(arguments: ["flipped byte", "truncated", "empty", "other version", "not a snapshot", "lying length"])
    func aDamagedSnapshotIsRebuiltNeverTrusted(damage: String) throws {
        let bench = try Bench()
        _ = try PhoneIndexSnapshot.load(store: bench.store, path: bench.snapshot)
        var data = try bench.bytes()
        let expected: PhoneIndexSnapshot.Rejection
        switch damage {
        case "flipped byte":
            data[data.count / 2] ^= 0x10
            expected = .checksumMismatch
        case "truncated":
            data = data.prefix(data.count - 100)
            expected = .truncated
        case "empty":
            data = Data()
            expected = .truncated
        case "other version":
            data[8] = 99
            expected = .otherVersion(99)
        case "not a snapshot":
            data = Data(repeating: 0x41, count: 4096)
            expected = .notASnapshot
        default:
            data[24] ^= 0x08  // the payload length no longer matches the file
            expected = .truncated
        }
        try bench.write(data)
        let loaded = try PhoneIndexSnapshot.load(store: bench.store, path: bench.snapshot)
        #expect(loaded.source == .database(rejected: expected))
        try bench.expectAgreesWithSQLite(loaded.index)
        // Rewritten: the next start uses it again.
        #expect(try PhoneIndexSnapshot.load(store: bench.store, path: bench.snapshot).source == .snapshot)
    }

    /// The agent's index goes through the snapshot: a second `IndexedCRM` on the same database starts from it.
    @Test func theIndexedCRMStartsFromTheSnapshot() async throws {
        let bench = try Bench()
        let first = IndexedCRM(base: bench.directory, store: bench.store, writesBack: false, snapshotPath: bench.snapshot)
        try first.reload()
        #expect(first.loadSource == .database(rejected: .missing))
        let second = IndexedCRM(base: bench.directory, store: bench.store, writesBack: false, snapshotPath: bench.snapshot)
        second.loadInBackground()
        await second.waitUntilLoaded()
        #expect(second.loadSource == .snapshot)
        let fred = try PhoneNumber.parse("07814 256404", defaultRegion: .GB)
        #expect(try await second.lookup(fred).candidates.map(\.name) == (try await first.lookup(fred).candidates.map(\.name)))
        #expect(!(try await second.lookup(fred).candidates.isEmpty))
    }
}
