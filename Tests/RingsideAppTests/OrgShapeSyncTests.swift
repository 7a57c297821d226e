import Foundation
import RingsideCore
import RingsideCurl
import RingsideSalesforce
import RingsideStore
import SalesforceEmulator
import Testing
@testable import RingsideApp

/// Issue 15: the phone index syncs from orgs without Person Accounts, with custom phone fields and hidden
/// objects (real libcurl, emulator, real SQLite).
@Suite(.serialized) struct OrgShapeSyncTests {
    @Test func syncAndIndexedLookupWorkWithoutPersonAccountsAndReadCustomPhoneFields() async throws {
        let org = EmulatorSeed.Org(personAccounts: false, customPhoneFields: ["Contact": ["Mobile_2__c"]], hiddenObjects: ["Lead"])
        try await withPhoneIndexHarness(org: org) { h in
            try await h.emulator.addRecords([["FirstName": "Ann", "LastName": "Lee", "Phone": "+44 7814 256404"],
                                             ["FirstName": "Cara", "LastName": "Custom", "Mobile_2__c": "07700 900777"]], of: "Contact")
            try await h.emulator.addRecords([["Name": "Acme Ltd", "Phone": "(020) 7946 9018"]], of: "Account")
            let store = try h.store()
            let client = try h.client()
            let (report, _) = try await h.sync(store, client: client).run()
            #expect(report.error == nil)
            #expect(report.byType == ["Contact": 2, "Account": 1])
            let sent = await h.dataRequests().filter { $0.path.contains("/query") }
            #expect(!sent.isEmpty)
            #expect(sent.allSatisfy { $0.status == 200 && !$0.query.contains("IsPersonAccount") && !$0.query.contains("FROM Lead") })
            #expect(sent.contains { $0.query.contains("Mobile_2__c") })
            // Indexed lookup: a hit with no request, through the custom field too.
            let indexed = IndexedCRM(base: client, store: store)
            try indexed.reload()
            await h.emulator.clearRequestLog()
            let cara = try await indexed.lookup(try PhoneNumber.parse("+44 7700 900777", defaultRegion: .GB))
            #expect(cara.candidates.map(\.name) == ["Cara Custom"])
            #expect(await h.dataRequests().isEmpty)
            // A miss goes to Salesforce, whose SOSL names no Person field either.
            let miss = try await indexed.lookup(try PhoneNumber.parse("020 7946 0999", defaultRegion: .GB))
            #expect(miss.candidates.isEmpty)
            #expect(await h.dataRequests().allSatisfy { $0.status == 200 })
        }
    }

    @Test func turningPersonAccountsOffInTheSettingsSyncsWithoutThem() async throws {
        try await withPhoneIndexHarness { h in
            var settings = h.settings
            settings.personAccounts = false
            let client = try SalesforceClient(settings: settings, http: try CurlHTTPClient(configuration: CurlConfiguration(allowInsecureLoopback: true)))
            let (report, _) = try await h.sync(try h.store(), client: client).run()
            #expect(report.error == nil)
            #expect(await h.dataRequests().filter { $0.path.contains("/query") }.allSatisfy { !$0.query.contains("Person") })
        }
    }
}
