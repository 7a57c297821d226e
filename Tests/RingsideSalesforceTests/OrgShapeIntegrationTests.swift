import Foundation
import RingsideCore
import RingsideCurl
import SalesforceEmulator
import Testing
@testable import RingsideSalesforce

/// Issue 15: real orgs differ from the demo org. Through real libcurl against emulator orgs without Person
/// Accounts, with custom phone fields, hidden objects and fields without field-level access.
@Suite("Org shapes against the emulator (libcurl)", .serialized)
struct OrgShapeIntegrationTests {
    static let plainOrg = EmulatorSeed.Org(personAccounts: false)

    /// The reproduction: the SOSL Ringside sent before describe-driven queries, in an org without Person Accounts,
    /// fails exactly like Salesforce (this is what every lookup and sync hit).
    @Test func theOldPersonAccountQueryFailsWithInvalidFieldInAnOrgWithoutThem() async throws {
        try await withEmulator(org: Self.plainOrg) { h in
            let client = try h.client(.password)
            let old = "FIND {447814256404} IN PHONE FIELDS RETURNING Account(Id, Name, Phone, IsPersonAccount, PersonContactId, PersonMobilePhone)"
            let error = await expectFailure { () async throws(SalesforceError) in
                _ = try await client.send(.get, client.dataPath("/search/"), query: [("q", old)], operation: "caller lookup")
            }
            #expect(error?.status == 400)
            #expect(error?.errorCode == "INVALID_FIELD")
            #expect(error?.description.contains("No such column 'IsPersonAccount' on entity 'Account'") == true)
            let soql = await expectFailure { () async throws(SalesforceError) in
                _ = try await client.query("SELECT Id, IsPersonAccount FROM Contact")
            }
            #expect(soql?.errorCode == "INVALID_FIELD")
        }
    }

    @Test func describeFindsNoPersonAccountsCustomPhonesHiddenObjectsAndLockedFields() async throws {
        let org = EmulatorSeed.Org(personAccounts: false, customPhoneFields: ["Contact": ["Mobile_2__c"]],
                                   hiddenObjects: ["Opportunity"], readOnlyFields: ["Task": ["TaskSubtype"]])
        try await withEmulator(org: org) { h in
            let client = try h.client(.password)
            let schema = try await client.orgSchema()
            #expect(!schema.hasPersonAccounts)
            #expect(schema.objects["Contact"]?.phoneFields == ["Phone", "MobilePhone", "HomePhone", "OtherPhone", "AssistantPhone", "Mobile_2__c"])
            #expect(schema.objects["Account"]?.phoneFields == ["Phone"], "no Person fields, no Fax")
            #expect(schema.hidden == ["Opportunity"])
            #expect(!schema.isVisible(.opportunity) && schema.isVisible(.caseRecord))
            #expect(schema.objects["Task"]?.createable.contains("TaskSubtype") == false)
            #expect(schema.objects["Task"]?.createable.contains("CallObject") == true)
            // Cached: a second call sends nothing.
            await h.emulator.clearRequestLog()
            _ = try await client.orgSchema()
            #expect(await h.dataRequests().isEmpty)
            // The demo org has them.
        }
        try await withEmulator { h in
            let demo = try await h.client(.password).orgSchema()
            #expect(demo.hasPersonAccounts)
        }
    }

    @Test func lookupSearchRelatedAndTaskDeliveryWorkWithoutPersonAccounts() async throws {
        let org = EmulatorSeed.Org(personAccounts: false, customPhoneFields: ["Contact": ["Mobile_2__c"]],
                                   readOnlyFields: ["Task": ["TaskSubtype"]])
        try await withEmulator(org: org) { h in
            let ids = try await h.emulator.addRecords([["FirstName": "Cara", "LastName": "Custom", "Mobile_2__c": "07700 900777"]], of: "Contact")
            let client = try h.client(.password)
            // Lookup: standard fields, and the custom phone field.
            let ann = try await client.lookupTyped(SF.number("07814 256404"))
            #expect(ann.candidates.map(\.id) == [annId])
            let cara = try await client.lookupTyped(SF.number("+44 7700 900777")).candidates
            #expect(cara.map(\.id) == ids)
            #expect(cara.first?.phones.map(\.field) == ["Mobile_2__c"])
            let account = try await client.lookupTyped(SF.number("020 7946 0001")).candidates
            #expect(account.contains { $0.id == acmeId && !$0.isPersonAccount })
            let sent = await h.dataRequests().filter { $0.path.hasSuffix("/search/") }
            #expect(!sent.isEmpty && sent.allSatisfy { !$0.query.contains("Person") && $0.status == 200 })
            // Quick find and related work.
            #expect(try await client.searchTyped("Ann").contains { $0.id == annId })
            let work = try await client.relatedWork(for: EntityRef(type: .contact, id: annId, name: "Ann Lee", accountId: acmeId))
            #expect(Set(work.map(\.type)) == [.caseRecord, .opportunity])
            // Task delivery: TaskSubtype has no field-level access, so it is left out and the record is created.
            let record = SF.callRecord("org-shape-1", who: EntityRef(type: .contact, id: annId, name: "Ann Lee"))
            let id = try await client.createTask(record)
            let stored = await h.emulator.records(of: "Task").first { $0["Id"]?.stringValue == id }
            #expect(stored?["CallObject"]?.stringValue == "org-shape-1")
            #expect(stored?["WhoId"]?.stringValue == annId)
            let batch = await client.createTasks([SF.callRecord("org-shape-2"), SF.callRecord("org-shape-3")])
            #expect(batch.allSatisfy { $0.id != nil })
        }
    }

    @Test func hiddenObjectsAreNeitherSearchedNorQueried() async throws {
        let org = EmulatorSeed.Org(hiddenObjects: ["Case", "Opportunity", "Lead"])
        try await withEmulator(org: org) { h in
            let client = try h.client(.password)
            #expect(try await client.lookupTyped(SF.number("07814 256404")).candidates.map(\.id) == [annId])
            #expect(try await client.lookupTyped(SF.number("0113 496 0555")).candidates.isEmpty, "the lead is not visible")
            #expect(try await client.searchTyped("Acme").contains { $0.id == acmeId })
            let all = await h.emulator.requestLog
            #expect(all.allSatisfy { $0.status < 400 || $0.path.hasSuffix("/describe/") }, "only the hidden objects' describes fail")
            await h.emulator.clearRequestLog()
            let work = try await client.relatedWork(for: EntityRef(type: .account, id: acmeId, name: "Acme"))
            #expect(work.isEmpty)
            #expect(await h.dataRequests().isEmpty, "no query on objects the user cannot see")
            let created = await expectFailure { () async throws(SalesforceError) in
                _ = try await client.createRecordTyped(.lead, number: SF.number("020 7946 0999"), name: "New Person")
            }
            #expect(created?.description.contains("default_new_entity") == true)
        }
    }

    /// Quick find normalises a number like the caller lookup: national `07700 900888` finds `+447700900888`
    /// (and the reverse), and only objects the user can see are named.
    @Test func quickFindByNumberFindsEveryStoredFormAndSkipsHiddenObjects() async throws {
        try await withEmulator(org: EmulatorSeed.Org(hiddenObjects: ["Case", "Opportunity"])) { h in
            let ids = try await h.emulator.addRecords([["FirstName": "Intl", "LastName": "Stored", "Phone": "+447700900888"],
                                                      ["FirstName": "National", "LastName": "Stored", "Phone": "07700 900999"]], of: "Contact")
            let client = try h.client(.password)
            #expect(try await client.searchTyped("07700 900888").map(\.id) == [ids[0]])
            #expect(try await client.searchTyped("+44 7700 900999").map(\.id) == [ids[1]])
            let sent = await h.dataRequests().filter { $0.path.hasSuffix("/search/") }
            #expect(sent.allSatisfy { $0.status == 200 && !$0.query.contains("Case(") && !$0.query.contains("Opportunity(") })
        }
    }

    @Test func aWrongAPIVersionIsNotMistakenForHiddenObjects() async throws {
        try await withEmulator(apiVersions: ["51.0", "62.0"]) { h in
            let client = try h.client(.password, version: "v58.0")
            let error = await expectFailure { () async throws(SalesforceError) in try await client.orgSchema() }
            #expect(error?.status == 404)
        }
    }

    @Test func savedSchemaIsReusedForADayForTheSameOrg() async throws {
        try await withEmulator(org: Self.plainOrg) { h in
            let path = NSTemporaryDirectory() + "ringside-schema-\(UUID().uuidString).json"
            defer { try? FileManager.default.removeItem(atPath: path) }
            let store = FileOrgSchemaStore(path: path)
            let first = try SalesforceClient(settings: h.settings(.password), http: EmulatorHarness.curl(), schemaStore: store)
            let schema = try await first.orgSchema()
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            await h.emulator.clearRequestLog()
            let second = try SalesforceClient(settings: h.settings(.password), http: EmulatorHarness.curl(), schemaStore: store)
            let reread = try await second.orgSchema()
            #expect(reread.objects == schema.objects && reread.hidden == schema.hidden && reread.source == schema.source)
            #expect(await h.dataRequests().isEmpty, "read from the file, no describe")
            // A day later it is read again.
            var old = schema
            old.fetchedAt = Date().addingTimeInterval(-SalesforceClient.schemaMaxAge - 60)
            store.saveSchema(old)
            let third = try SalesforceClient(settings: h.settings(.password), http: EmulatorHarness.curl(), schemaStore: store)
            _ = try await third.orgSchema()
            #expect(await h.dataRequests().contains { $0.path.hasSuffix("/describe/") })
        }
    }
}
