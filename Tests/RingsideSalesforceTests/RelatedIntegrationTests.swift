import Foundation
import RingsideCore
import RingsideSalesforce
import SalesforceEmulator
import Testing

/// "Related to" and post-call updates against the emulator through real libcurl.
@Suite struct RelatedIntegrationTests {
    static let acme = "001Dg0000000001IAA"

    @Test func openCasesAndOpportunitiesOfAContactsAccountInTwoQueries() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            _ = try await client.auth.login()
            _ = try await client.orgSchema()
            await h.emulator.clearRequestLog()
            let contact = EntityRef(type: .contact, id: "003Dg0000000001IAA", name: "Ann Lee", accountId: Self.acme)
            let work = try await client.relatedWork(for: contact)
            #expect(Set(work.map(\.id)) == ["500Dg0000000001IAA", "006Dg0000000001IAA"])
            #expect(work.allSatisfy { $0.accountId == Self.acme })
            #expect(await h.dataRequests().count == 2)
            // Without the account on the reference, one more query finds it.
            await h.emulator.clearRequestLog()
            let bare = EntityRef(type: .contact, id: "003Dg0000000001IAA", name: "Ann Lee")
            #expect(Set(try await client.relatedWork(for: bare).map(\.id)) == Set(work.map(\.id)))
            #expect(await h.dataRequests().count == 3)
            // Leads have no related work and cost nothing.
            await h.emulator.clearRequestLog()
            #expect(try await client.relatedWork(for: EntityRef(type: .lead, id: "00QDg0000000001MAA", name: "Dan")).isEmpty)
            #expect(await h.dataRequests().isEmpty)
        }
    }

    @Test func closedWorkIsLeftOut() async throws {
        try await withEmulator { h in
            _ = try await h.emulator.addRecords([["Subject": "Old", "Status": "Closed", "AccountId": .string(Self.acme)]], of: "Case")
            _ = try await h.emulator.addRecords([["Name": "Done deal", "StageName": "Closed Won", "CloseDate": "2026-01-01",
                                                  "AccountId": .string(Self.acme)]], of: "Opportunity")
            let client = try h.client(.password)
            let work = try await client.relatedWork(for: EntityRef(type: .account, id: Self.acme, name: "Acme"))
            #expect(!work.contains { $0.name.contains("Old") || $0.name.contains("Done deal") })
            #expect(work.count == 2)
        }
    }

    @Test func postCallUpdateWritesTheFieldsAndReportsValidationErrors() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            let opportunity = EntityRef(type: .opportunity, id: "006Dg0000000001IAA", name: "Acme renewal")
            try await client.updateRecord(opportunity, fields: ["NextStep": "Send the quote"])
            let stored = await h.emulator.records(of: "Opportunity").first { $0["Id"]?.stringValue == opportunity.id }
            #expect(stored?["NextStep"]?.stringValue == "Send the quote")
            await #expect { try await client.updateRecord(opportunity, fields: ["No_Such_Field": "x"]) } throws: { error in
                guard let error = error as? RecordUpdateError else { return false }
                return error.code == "INVALID_FIELD" && !error.message.isEmpty
            }
            await #expect { try await client.updateRecord(EntityRef(type: .opportunity, id: "not-an-id", name: ""), fields: ["NextStep": "x"]) } throws: {
                ($0 as? RecordUpdateError) != nil
            }
        }
    }
}
