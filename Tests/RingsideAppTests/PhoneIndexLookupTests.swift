import Foundation
import RingsideCore
import RingsideSalesforce
import RingsideStore
import SalesforceEmulator
import Testing
@testable import RingsideApp

@Suite(.serialized) struct PhoneIndexLookupTests {
    static func number(_ raw: String) throws -> PhoneNumber { try PhoneNumber.parse(raw, defaultRegion: .GB) }

    @Test func hitNeedsNoRequestMissNeedsOneThenHits() async throws {
        try await withPhoneIndexHarness { h in
            try await h.emulator.addRecords(IndexFixtures.contacts(20), of: "Contact")
            let client = try h.client()
            let store = try h.store()
            try await h.sync(store, client: client).run()
            let crm = IndexedCRM(base: client, store: store)
            let figures = try crm.reload()
            #expect(figures.numbers == 20 + 7)
            #expect(figures.syncedAt != nil)

            var before = await h.dataRequests().count
            let hit = try await crm.lookup(Self.number(IndexFixtures.e164(3)))
            #expect(await h.dataRequests().count == before)
            #expect(hit.candidates.map(\.name) == ["Test Contact 3"])
            guard case .index(let syncedAt) = hit.source else { Issue.record("not from the index: \(hit.source)"); return }
            #expect(syncedAt == figures.syncedAt)

            // Created in Salesforce after the sync: one live SOSL request, then remembered.
            try await h.emulator.addRecords([["LastName": "Newcomer", "Company": "New Co", "MobilePhone": "07700 855555"]], of: "Lead")
            before = await h.dataRequests().count
            let miss = try await crm.lookup(Self.number("+44 7700 855555"))
            let sent = await h.dataRequests().dropFirst(before)
            #expect(sent.count == 1)
            #expect(sent.first?.path.hasSuffix("/search/") == true)
            #expect(miss.source == .live)
            #expect(miss.candidates.map(\.name) == ["Newcomer"])
            before = await h.dataRequests().count
            let again = try await crm.lookup(Self.number("07700 855555"))
            #expect(await h.dataRequests().count == before)
            #expect(again.candidates.map(\.name) == ["Newcomer"])
            // … and written to SQLite, so a restart knows it too.
            #expect(try IndexedCRM(base: client, store: store).reload().numbers == figures.numbers + 1)

            // Nobody has this number: one request, nothing remembered, and internal numbers ask nothing.
            before = await h.dataRequests().count
            #expect(try await crm.lookup(Self.number("07700 866666")).candidates.isEmpty)
            #expect(await h.dataRequests().count == before + 1)
            #expect(try await crm.lookup(PhoneNumber.parse("2001", defaultRegion: .GB)).source == .skipped)
            #expect(await h.dataRequests().count == before + 1)
        }
    }

    @Test func formattingVariantsHitTheSameRecord() async throws {
        try await withPhoneIndexHarness { h in
            try await h.emulator.addRecords([["FirstName": "Fred", "LastName": "Bloggs", "Phone": "07814 256404"]], of: "Contact")
            let client = try h.client()
            let store = try h.store()
            try await h.sync(store, client: client).run()
            let crm = IndexedCRM(base: client, store: store)
            try crm.reload()
            let before = await h.dataRequests().count
            for raw in ["07814 256404", "07814256404", "+44 7814 256404", "+447814256404", "0044 7814 256404", "+44 (0)7814 256404",
                        "(07814) 256-404", "+44-7814-256-404", "tel:+44-7814-256404"] {
                let result = try await crm.lookup(Self.number(raw))
                #expect(result.candidates.map(\.name) == ["Fred Bloggs"], "\(raw)")
            }
            #expect(await h.dataRequests().count == before)
        }
    }

    @Test func deletedRecordsLeaveTheIndexOnTheNextIncrementalSync() async throws {
        try await withPhoneIndexHarness { h in
            let ids = try await h.emulator.addRecords(IndexFixtures.contacts(5), of: "Contact")
            let client = try h.client()
            let store = try h.store()
            let sync = try h.sync(store, client: client)
            try await sync.run()
            let crm = IndexedCRM(base: client, store: store)
            try crm.reload()
            try await h.delete("Contact", ids[1])
            // Until the next sync the index still pops it (no request); delivery then drops the association
            // once (ENTITY_IS_DELETED, see SalesforceRecordSink) and the call record is still saved.
            #expect(try await crm.lookup(Self.number(IndexFixtures.e164(1))).candidates.map(\.id) == [ids[1]])
            let (_, changes) = try await sync.run(collectChanges: true)
            #expect(changes.removed.contains(ids[1]))
            crm.apply(upserted: changes.upserted, removed: changes.removed)
            #expect(crm.indexed(try Self.number(IndexFixtures.e164(1))).isEmpty)
            #expect(crm.indexed(try Self.number(IndexFixtures.e164(0))).map(\.id) == [ids[0]])
            // A reload from SQLite agrees.
            try crm.reload()
            #expect(crm.indexed(try Self.number(IndexFixtures.e164(1))).isEmpty)
            #expect(crm.indexed(try Self.number(IndexFixtures.e164(3))).map(\.id) == [ids[3]])
        }
    }

    @Test func schedulerRunsPatchTheInMemoryIndex() async throws {
        try await withPhoneIndexHarness { h in
            try await h.emulator.addRecords(IndexFixtures.contacts(3), of: "Contact")
            let client = try h.client()
            let store = try h.store()
            let crm = IndexedCRM(base: client, store: store)
            try crm.reload()
            let scheduler = PhoneIndexScheduler(sync: try h.sync(store, client: client), index: crm,
                                                plan: .init(dailyAt: "", everyMinutes: 15, timeZone: "UTC"))
            let first = await scheduler.runOnce(full: false)
            #expect(first?.mode == .full)  // never synced: the first run is full
            #expect(crm.indexed(try Self.number(IndexFixtures.e164(2))).count == 1)
            try await h.emulator.addRecords(IndexFixtures.contacts(1, from: 77), of: "Contact")
            let second = await scheduler.runOnce(full: false)
            #expect(second?.mode == .incremental)
            #expect(crm.indexed(try Self.number(IndexFixtures.e164(77))).count == 1)
            #expect(crm.figures.syncedAt == second?.finishedAt)
        }
    }
}

@Suite struct PhoneIndexMemoryTests {
    static let user = AgentUser(id: "", name: "Agent", timeZone: "UTC")

    /// The in-memory index built from the local directory answers exactly like the directory's SQL lookup.
    @Test func loadsTheLocalDirectoryAndAgreesWithSQLite() throws {
        let folder = NSTemporaryDirectory() + "ringside-phoneindex-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try RingsideDatabase(path: folder + "/demo.sqlite")
        let directory = LocalDirectory(database: database, region: .GB, user: Self.user)
        let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Resources/demo-directory.json").path
        #expect(try directory.seedIfEmpty(fromFile: demo) > 100)
        let index = try PhoneIndex.load(from: PhoneIndexStore(database: database))
        #expect(index.numberCount > 100)
        #expect(index.memoryBytes > 0)
        let (single, multiple) = try directory.numbersByMatchCount()
        var checked = 0
        for raw in single + multiple {
            guard let number = try? PhoneNumber.parse(raw, defaultRegion: .GB), number.kind == .external else { continue }
            let fromSQL = try directory.records(withNumber: number.e164).sorted { $0.id < $1.id }
            let fromMemory = index.records(withNumber: number.e164).sorted { $0.id < $1.id }
            #expect(fromMemory.map(\.id) == fromSQL.map(\.id), "\(raw)")
            #expect(fromMemory.map(\.name) == fromSQL.map(\.name))
            #expect(fromMemory.map { Set($0.phones) } == fromSQL.map { Set($0.phones) })
            checked += 1
        }
        #expect(checked > 100)
        #expect(!multiple.isEmpty)
    }

    /// The demo's path: the local directory behind the same in-memory index; New stays a local record.
    @Test func localDirectoryBehindTheIndex() async throws {
        let folder = NSTemporaryDirectory() + "ringside-phoneindex-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try RingsideDatabase(path: folder + "/local.sqlite")
        let directory = LocalDirectory(database: database, region: .GB, user: Self.user)
        let store = PhoneIndexStore(database: database)
        let crm = IndexedCRM(base: directory, store: store, writesBack: false)
        try crm.reload()
        let number = try PhoneNumber.parse("07700 900123", defaultRegion: .GB)
        #expect(try await crm.lookup(number).candidates.isEmpty)
        let created = try await crm.createRecord(.lead, number: number, name: "Walk-in")
        let hit = try await crm.lookup(try PhoneNumber.parse("+44 7700 900123", defaultRegion: .GB))
        #expect(hit.candidates.map(\.id) == [created.id])
        #expect(hit.source == .index(syncedAt: nil))
        #expect(try store.counts().syncedRecords == 0)  // still a local ("created") record
        #expect(try PhoneIndex.load(from: store).records(withNumber: "+447700900123").map(\.id) == [created.id])
    }

    /// Issue 16 (paint first): the first load runs in the background; a record remembered while it runs (a live
    /// answer, a New, an incremental sync) is still found after the load replaces the snapshot.
    @Test func whatIsRememberedDuringTheFirstLoadSurvivesIt() async throws {
        let folder = NSTemporaryDirectory() + "ringside-phoneindex-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try RingsideDatabase(path: folder + "/local.sqlite")
        let directory = LocalDirectory(database: database, region: .GB, user: Self.user)
        let crm = IndexedCRM(base: directory, store: PhoneIndexStore(database: database), writesBack: false)
        let number = try PhoneNumber.parse("07700 900456", defaultRegion: .GB)
        let record = CRMRecord(type: .contact, id: "003REMEMBERED", name: "Remembered Meanwhile",
                               phones: [PhoneField(field: "Phone", raw: "07700 900456", e164: number.e164)], lastModified: Date())
        #expect(!crm.isLoaded)
        crm.apply(upserted: [record], removed: [])
        crm.loadInBackground()
        await crm.waitUntilLoaded()
        #expect(crm.isLoaded)
        #expect(crm.indexed(number).map(\.id) == [record.id])
        #expect(try await crm.lookup(number).candidates.map(\.id) == [record.id])
    }

    @Test func compactRecordsRoundTrip() throws {
        let stamp = Date(timeIntervalSince1970: 1_780_000_000.5)
        var builder = PhoneIndex.Builder()
        let fred = CRMRecord(type: .contact, id: "003Dg0000000001IAA", name: "Fred Blöggs", accountId: "001Dg0000000001IAA", accountName: "Bloggs Ltd",
                             phones: [PhoneField(field: "Phone", raw: "07814 256404", e164: "+447814256404"),
                                      PhoneField(field: "Fax", raw: "n/a", e164: nil)],
                             owner: "Alex", lastModified: stamp, url: "https://x.my.salesforce.com/lightning/r/Contact/003Dg0000000001IAA/view")
        let person = CRMRecord(type: .account, id: "001Dg0000000002IAA", name: "Priya", phones: [PhoneField(field: "PersonMobilePhone", raw: "+447814256404", e164: "+447814256404")],
                               lastModified: stamp, isPersonAccount: true, url: "https://elsewhere.example/record")
        let internalOnly = CRMRecord(type: .lead, id: "00QDg0000000001MAA", name: "Ext", phones: [PhoneField(field: "Phone", raw: "2001", e164: "2001")],
                                     lastModified: stamp)
        builder.add(fred)
        builder.add(internalOnly)
        builder.add(person)
        let index = builder.build()
        #expect(index.recordCount == 2)  // the record with only an internal number is left out
        #expect(index.records(withNumber: "+447814256404").sorted { $0.id > $1.id } == [fred, person])
        #expect(index.records(withNumber: "+447814256405").isEmpty)
        #expect(index.records(withNumber: "2001").isEmpty)
        #expect(PhoneIndex.key("+447814256404") == 447_814_256_404)
        #expect(PhoneIndex.key("447814256404") == nil)
        #expect(PhoneIndex.key("+44 7814") == nil)
    }
}
