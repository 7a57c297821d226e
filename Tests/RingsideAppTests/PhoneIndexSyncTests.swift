import Foundation
import RingsideCore
import RingsideSalesforce
import RingsideStore
import SalesforceEmulator
import Testing
@testable import RingsideApp

@Suite(.serialized) struct PhoneIndexSyncTests {
    @Test func fullSyncPagesThroughEveryEntityAndNormalisesNumbers() async throws {
        try await withPhoneIndexHarness { h in
            try await h.emulator.addRecords(IndexFixtures.contacts(2_300), of: "Contact")
            try await h.emulator.addRecords([["FirstName": "No", "LastName": "Phone"]], of: "Contact")
            try await h.emulator.addRecords([["Name": "Acme Ltd", "Phone": "(020) 7946 9018"],
                                             ["Name": "Bad Number Ltd", "Phone": "call reception"]], of: "Account")
            try await h.emulator.addRecords([["LastName": "Open", "Company": "Open Co", "MobilePhone": "07700 800001"],
                                             ["LastName": "Done", "Company": "Done Co", "MobilePhone": "07700 800002", "IsConverted": true]],
                                            of: "Lead")
            let store = try h.store()
            let (report, _) = try await h.sync(store).run()
            #expect(report.mode == .full)
            #expect(!report.resumed)
            #expect(report.error == nil)
            // 2,300 contacts with phones → two Contact pages; Account and Lead one each.
            let queries = await h.dataRequests().filter { $0.path.contains("/query") && !$0.query.contains("COUNT()") }
            #expect(queries.filter { $0.query.contains("FROM Contact") }.count == 2)
            #expect(queries.allSatisfy { $0.query.contains("ORDER BY SystemModstamp, Id") })
            #expect(queries.filter { $0.query.contains("FROM Lead") }.allSatisfy { $0.query.contains("IsConverted = false") })
            #expect(report.byType == ["Contact": 2_300, "Account": 1, "Lead": 1])
            #expect(report.records == 2_302)
            #expect(report.numbers == 2_300 + 767 + 1 + 1)
            let directory = LocalDirectory(database: store.database, region: .GB, user: AgentUser(id: "", name: "", timeZone: "UTC"))
            for i in [0, 1, 1_999, 2_000, 2_299] {
                let found = try directory.records(withNumber: IndexFixtures.e164(i))
                #expect(found.map(\.name) == ["Test Contact \(i)"])
                #expect(found.first?.url?.hasSuffix("/lightning/r/Contact/\(found.first?.id ?? "")/view") == true)
            }
            #expect(try directory.records(withNumber: "+442079469018").map(\.name) == ["Acme Ltd"])
            #expect(try directory.records(withNumber: "+447700800001").map(\.name) == ["Open"])
            #expect(try directory.records(withNumber: "+447700800002").isEmpty)
            let status = try PhoneIndexStatus.load(from: store)
            #expect(status.lastRun?.mode == .full)
            #expect(status.nextRun.hasPrefix("incremental"))
        }
    }

    @Test func anInterruptedSyncContinuesFromItsCheckpointAndEndsWithTheSameIndex() async throws {
        try await withPhoneIndexHarness { h in
            try await h.emulator.addRecords(IndexFixtures.contacts(2_500), of: "Contact")
            try await h.emulator.addRecords([["Name": "Acme Ltd", "Phone": "(020) 7946 9018"]], of: "Account")
            // Reference: an uninterrupted sync into another database.
            let reference = try h.store("reference")
            try await h.sync(reference, pageSize: 500).run()

            let store = try h.store()
            let emulator = h.emulator
            let pages = PhoneIndexCounter()
            let sync = try h.sync(store, pageSize: 500)
            let interrupted: PhoneIndexSyncError? = await {
                do {
                    try await sync.run { event in
                        // After the second page, the network fails (the next request gets a 503).
                        if case .page = event, pages.increment() == 2 {
                            await emulator.inject(EmulatorFault(action: .error, pathPrefix: "/services/data/v62.0/query", status: 503))
                        }
                    }
                    return nil
                } catch {
                    return error as? PhoneIndexSyncError
                }
            }()
            let failure = try #require(interrupted)
            #expect("\(failure)".contains("Run `ringside sync` again to continue from Contact"))
            let half = try PhoneIndexSyncState.load(from: store)
            #expect(half.running == .full)
            #expect(half.counters.fetched == 1_000)
            #expect(try PhoneIndexSyncReport.last(from: store)?.error != nil)
            #expect(try store.counts().syncedRecords == 1_000)

            await h.emulator.clearRequestLog()
            let (report, _) = try await h.sync(store, pageSize: 500).run()
            #expect(report.resumed)
            #expect(report.mode == .full)
            // Nothing read twice: the resumed run starts after the last record of page 2.
            #expect(report.fetched == 2_501)
            let firstQuery = await h.dataRequests().first { $0.path.contains("/query") && $0.query.contains("FROM Contact") && !$0.query.contains("COUNT()") }
            #expect(firstQuery?.query.contains("SystemModstamp = ") == true)
            #expect(try PhoneIndexHarness.rows(store) == PhoneIndexHarness.rows(reference))
            #expect(try PhoneIndexSyncState.load(from: store).running == nil)
        }
    }

    @Test func incrementalSyncReadsOnlyChangesAndRemovesDeletedConvertedAndPhonelessRecords() async throws {
        try await withPhoneIndexHarness { h in
            let ids = try await h.emulator.addRecords(IndexFixtures.contacts(300), of: "Contact")
            let leadIds = try await h.emulator.addRecords([["LastName": "Lead", "Company": "Co", "Phone": "07700 800003"]], of: "Lead")
            let client = try h.client()
            let store = try h.store()
            try await h.sync(store, client: client).run()
            #expect(try store.counts().syncedRecords == 301)

            // Then: one new contact, a changed number, a deletion, a converted lead, a cleared phone.
            try await h.emulator.addRecords(IndexFixtures.contacts(1, from: 5_000), of: "Contact")
            try await client.update(type: "Contact", id: ids[1], fields: ["MobilePhone": "+44 7700 811111"])
            try await h.delete("Contact", ids[2])
            try await h.emulator.addRecords([["Id": .string(leadIds[0]), "LastName": "Lead", "Company": "Co", "Phone": "07700 800003",
                                              "IsConverted": true]], of: "Lead")
            try await client.update(type: "Contact", id: ids[4], fields: ["MobilePhone": .null])

            // No overlap, so exactly the changed records are read again.
            let (report, changes) = try await h.sync(store, client: client, overlap: 0).run(collectChanges: true)
            #expect(report.mode == .incremental)
            #expect(report.fetched == 4)  // the new and the two updated contacts, the converted lead
            #expect(report.removed == 3)  // deleted, converted, phoneless
            let directory = LocalDirectory(database: store.database, region: .GB, user: AgentUser(id: "", name: "", timeZone: "UTC"))
            #expect(try directory.records(withNumber: IndexFixtures.e164(5_000)).count == 1)
            #expect(try directory.records(withNumber: IndexFixtures.e164(1)).isEmpty)
            #expect(try directory.records(withNumber: "+447700811111").map(\.id) == [ids[1]])
            #expect(try directory.records(withNumber: IndexFixtures.e164(2)).isEmpty)
            #expect(try directory.records(withNumber: "+447700800003").isEmpty)
            #expect(try directory.records(withNumber: IndexFixtures.e164(4)).isEmpty)
            #expect(Set(changes.removed).isSuperset(of: [ids[2], leadIds[0], ids[4]]))
            #expect(Set(changes.upserted.map(\.id)).contains(ids[1]))
            // Deletions came from the deleted resource.
            #expect(await h.dataRequests().contains { $0.path.hasSuffix("/sobjects/Contact/deleted/") })
        }
    }

    @Test func incrementalFallsBackToFullWhenDeletionsAreOlderThanSalesforceKeeps() async throws {
        try await withPhoneIndexHarness { h in
            let ids = try await h.emulator.addRecords(IndexFixtures.contacts(50), of: "Contact")
            let store = try h.store()
            try await h.sync(store).run()
            await h.emulator.advanceClock(by: 16 * 86_400)
            try await h.delete("Contact", ids[0])
            let (report, changes) = try await h.sync(store).run(collectChanges: true)
            #expect(report.mode == .full)
            #expect(report.fullReason?.contains("no longer available") == true)
            #expect(changes.rebuild)
            #expect(report.records == 49)
            #expect(try PhoneIndexSyncState.load(from: store).generation == 2)
            let directory = LocalDirectory(database: store.database, region: .GB, user: AgentUser(id: "", name: "", timeZone: "UTC"))
            #expect(try directory.records(withNumber: IndexFixtures.e164(0)).isEmpty)
        }
    }

    @Test func syncErrorsSayWhatToDo() async throws {
        try await withPhoneIndexHarness { h in
            await h.emulator.inject(EmulatorFault(action: .error, pathPrefix: "/services/data/v62.0/query", count: 5, status: 403,
                                                  errorCode: "REQUEST_LIMIT_EXCEEDED"))
            let store = try h.store()
            await #expect(throws: PhoneIndexSyncError.self) { try await h.sync(store).run() }
            let report = try #require(try PhoneIndexSyncReport.last(from: store))
            #expect(report.error?.contains("REQUEST_LIMIT_EXCEEDED") == true)
            #expect(report.error?.contains("Run `ringside sync` again") == true)
            #expect(PhoneIndexSyncError.notSalesforce(crm: "local").description.contains("crm.kind = \"salesforce\""))
        }
    }

    @Test func schedulePlansIncrementalRunsAndADailyFullSync() throws {
        let plan = PhoneIndexScheduler.Plan(dailyAt: "23:00", everyMinutes: 15, timeZone: "Europe/London")
        let now = try #require(ISO8601DateFormatter().date(from: "2026-06-01T21:50:00Z"))  // 22:50 in London
        let first = try #require(plan.next(after: now, lastIncremental: nil))
        #expect(first.at == now && !first.full)
        let second = try #require(plan.next(after: now, lastIncremental: now))
        #expect(second.full)  // 23:00 London comes before 23:05
        #expect(second.at == ISO8601DateFormatter().date(from: "2026-06-01T22:00:00Z"))
        #expect(!PhoneIndexScheduler.Plan(dailyAt: "", everyMinutes: 0, timeZone: "UTC").isActive)
    }
}

/// A counter shared with a `@Sendable` progress closure.
final class PhoneIndexCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func increment() -> Int { lock.withLock { value += 1; return value } }
}
