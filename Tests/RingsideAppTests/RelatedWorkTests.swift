import Foundation
import RingsideApp
import RingsideCore
import RingsidePhone
import RingsideStore
import Testing

@Suite struct RelatedWorkTests {
    let dir = NSTemporaryDirectory() + "ringside-related-\(UUID().uuidString)"

    func agent(_ env: [String: String] = [:]) throws -> LocalAgent {
        var environment = ["HOME": dir, "XDG_DATA_HOME": dir + "/data"]
        environment.merge(env) { $1 }
        return try LocalAgent(config: try RingsideConfig.load(path: nil, environment: environment))
    }

    /// An account of the demo directory that has open work, and one of its contacts.
    func accountWithWork(_ agent: LocalAgent) throws -> (account: CRMRecord, contact: CRMRecord?) {
        let file = try DirectoryFile.load(path: ResourceLocator.path("demo-directory.json")!)
        let workAccounts = Set(file.records.filter { $0.type == "Case" || $0.type == "Opportunity" }.compactMap(\.accountId))
        let accountItem = try #require(file.records.first { $0.type == "Account" && workAccounts.contains($0.id) })
        let contactItem = file.records.first { $0.type == "Contact" && $0.accountId == accountItem.id }
        let account = CRMRecord(type: .account, id: accountItem.id, name: accountItem.name, lastModified: Date())
        let contact = contactItem.map { CRMRecord(type: .contact, id: $0.id, name: $0.name, accountId: nil, lastModified: Date()) }
        return (account, contact)
    }

    @Test func openWorkOfAnAccountAndOfItsContactsNewestFirst() async throws {
        let agent = try agent()
        let (account, contact) = try accountWithWork(agent)
        let work = try await agent.directory.relatedWork(for: account.ref)
        #expect(!work.isEmpty)
        #expect(work.allSatisfy { ($0.type == .caseRecord || $0.type == .opportunity) && $0.accountId == account.id })
        #expect(work.map(\.lastModified) == work.map(\.lastModified).sorted(by: >))
        if let contact {
            // The contact's account is found even when the reference doesn't carry it.
            #expect(try await agent.directory.relatedWork(for: contact.ref).map(\.id) == work.map(\.id))
        }
        let lead = EntityRef(type: .lead, id: "00Q000000000001AAA", name: "Lead")
        #expect(try await agent.directory.relatedWork(for: lead).isEmpty)
    }

    @Test func postCallUpdateValidatesLikeSalesforce() async throws {
        let agent = try agent()
        let (account, _) = try accountWithWork(agent)
        let opportunity = try #require(try await agent.directory.relatedWork(for: account.ref).first { $0.type == .opportunity })
        try await agent.directory.updateRecord(opportunity.ref, fields: ["NextStep": "Send the quote", "StageName": "Negotiation/Review"])
        #expect(try agent.directory.updates(of: opportunity.id) == ["NextStep": "Send the quote", "StageName": "Negotiation/Review"])
        await #expect { try await agent.directory.updateRecord(opportunity.ref, fields: ["StageName": "Won-ish"]) } throws: {
            ($0 as? RecordUpdateError)?.code == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
        }
        await #expect { try await agent.directory.updateRecord(opportunity.ref, fields: ["Colour__c": "red"]) } throws: {
            ($0 as? RecordUpdateError)?.code == "INVALID_FIELD"
        }
        let gone = EntityRef(type: .opportunity, id: "006000000000999AAA", name: "Gone")
        await #expect { try await agent.directory.updateRecord(gone, fields: ["NextStep": "x"]) } throws: {
            ($0 as? RecordUpdateError)?.code == "ENTITY_IS_DELETED"
        }
    }

    @Test func relatedOpportunityGetsThePostCallUpdateAndTheRecordItsWhatId() async throws {
        let agent = try agent(["RINGSIDE_POSTCALL_OPPORTUNITY_FIELDS": "NextStep={notes}; Last_Call_Date__c={date}"])
        let (account, _) = try accountWithWork(agent)
        let opportunity = try #require(try await agent.directory.relatedWork(for: account.ref).first { $0.type == .opportunity })
        let phone = SimulatedPhone(outcome: { _ in .answer(afterSeconds: 0) })
        let runtime = await agent.runtime(phone: phone, isDemo: false)
        await runtime.start()
        defer { Task { await runtime.stop() } }
        let single = try #require(agent.scenarios["singleMatch"])
        let line = try #require(await runtime.ring(from: single))
        // Related-to needs the caller's record (the single match) first: wait for the lookup.
        try await waitFor { await runtime.current.focusedCall.map { $0.line == line && $0.resolvedAssociation.primary != nil } == true }
        await runtime.send(.answer)
        await runtime.send(.relate(opportunity.ref))
        await runtime.send(.hangUp)
        try await waitFor { await runtime.current.calls.first?.state == .wrapUp }
        let id = try #require(await runtime.current.calls.first?.id)
        await runtime.send(.finishWrapUp(disposition: "Resolved", notes: "Call back Tuesday"))
        try await waitFor { (try? agent.directory.updates(of: opportunity.id))?["NextStep"] == "Call back Tuesday" }
        let record = try #require(try agent.store.record(id))
        #expect(record.what?.id == opportunity.id)
        #expect(try agent.directory.updates(of: opportunity.id)["Last_Call_Date__c"] == record.activityDate)
        let audit = try agent.store.audit(since: nil, limit: 10)
        #expect(audit.contains { $0.action == "post-call update" && $0.errorCode == nil })
    }

    @Test func refusedPostCallUpdateIsShownAndNeverBlocksTheRecord() async throws {
        let agent = try agent(["RINGSIDE_POSTCALL_OPPORTUNITY_FIELDS": "StageName=Not a stage"])
        let (account, _) = try accountWithWork(agent)
        let opportunity = try #require(try await agent.directory.relatedWork(for: account.ref).first { $0.type == .opportunity })
        let runtime = await agent.runtime(phone: SimulatedPhone(), isDemo: false)
        await runtime.start()
        defer { Task { await runtime.stop() } }
        let number = try #require(agent.scenarios["singleMatch"])
        let line = try #require(await runtime.ring(from: number))
        try await waitFor { await runtime.current.focusedCall.map { $0.line == line && $0.resolvedAssociation.primary != nil } == true }
        await runtime.send(.relate(opportunity.ref))
        await runtime.send(.hangUp)
        try await waitFor { await runtime.current.calls.first?.state == .wrapUp }
        let id = try #require(await runtime.current.calls.first?.id)
        await runtime.send(.finishWrapUp(disposition: nil, notes: ""))
        try await waitFor { await runtime.current.banner?.text.contains("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST") == true }
        #expect(try agent.store.record(id)?.delivery == .local)
        #expect(try agent.directory.updates(of: opportunity.id).isEmpty)
    }

    func waitFor(_ condition: () async -> Bool) async throws {
        for _ in 0..<500 {
            if await condition() { return }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        Issue.record("condition not met within 5 s")
        throw CancellationError()
    }
}
