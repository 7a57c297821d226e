import Foundation
import RingsideCore
import RingsideCurl
import SalesforceEmulator
import Testing
@testable import RingsideSalesforce

/// Call records, New records, queries and limits through real libcurl against the emulator.
@Suite("Records against the emulator (libcurl)", .serialized)
struct RecordsIntegrationTests {
    static let ann = EntityRef(type: .contact, id: annId, name: "Ann Lee", accountId: acmeId)
    static let acme = EntityRef(type: .account, id: acmeId, name: "Acme Logistics Ltd")
    static let dan = EntityRef(type: .lead, id: danLeadId, name: "Dan Dewar")

    @Test func createTaskWritesEveryCallFieldAndFindTaskFindsIt() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            let user = try await client.currentUserTyped()
            let record = SF.callRecord("ringside-call-0001", who: Self.ann, what: Self.acme, ownerId: user.id)
            let id = try await client.createTask(record)
            #expect(id.hasPrefix("00T"))
            let task = try #require(await h.emulator.records(of: "Task").first { $0["Id"]?.stringValue == id })
            #expect(task["Subject"]?.stringValue == record.subject)
            #expect(task["Description"]?.stringValue == record.description)
            #expect(task["ActivityDate"]?.stringValue == "2024-06-20")
            #expect(task["Status"]?.stringValue == "Completed")
            #expect(task["Priority"]?.stringValue == "Normal")
            #expect(task["TaskSubtype"]?.stringValue == "Call")
            #expect(task["CallType"]?.stringValue == "Inbound")
            #expect(task["CallDurationInSeconds"]?.numberValue == 120)
            #expect(task["CallObject"]?.stringValue == "ringside-call-0001")
            #expect(task["CallDisposition"]?.stringValue == "Resolved")
            #expect(task["WhoId"]?.stringValue == annId)
            #expect(task["WhatId"]?.stringValue == acmeId)
            #expect(task["OwnerId"]?.stringValue == user.id)

            #expect(try await client.findTask(callObject: "ringside-call-0001") == id)
            #expect(try await client.findTask(callObject: "ringside-call-9999") == nil)
            // An id with quotes and backslashes is escaped, not injected.
            let tricky = #"call-'x' OR CallObject != 'y\"#
            let trickyId = try await client.createTask(SF.callRecord(tricky))
            #expect(try await client.findTask(callObject: tricky) == trickyId)

            try await client.update(type: "Task", id: id, fields: ["CallDisposition": "Callback booked"])
            let updated = await h.emulator.records(of: "Task").first { $0["Id"]?.stringValue == id }
            #expect(updated?["CallDisposition"]?.stringValue == "Callback booked")
        }
    }

    @Test func batchOf450UsesThreeCollectionRequestsWithPerRecordResults() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            _ = try await client.auth.login()
            _ = try await client.orgSchema()
            await h.emulator.clearRequestLog()
            var records = (0..<450).map { SF.callRecord(String(format: "batch-%04d", $0), who: Self.ann) }
            records[10].status = "Finished"  // not in the restricted Status picklist
            records[250] = SF.callRecord("batch-0250", who: Self.dan, what: Self.acme)  // Lead + WhatId
            records[449].who = EntityRef(type: .contact, id: "003Dg0000000999IAA", name: "Gone")
            let results = await client.createTasks(records)

            let log = await h.dataRequests()
            #expect(log.count == 3)
            #expect(log.allSatisfy { $0.method == "POST" && $0.path.hasSuffix("/composite/sobjects") && $0.status == 200 })
            #expect(results.count == 450)
            #expect(results.map(\.callObject) == records.map(\.callObject))
            #expect(results.filter { $0.id != nil }.count == 447)
            #expect(results[10].error?.errorCode == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
            #expect(results[250].error?.errorCode == "FIELD_INTEGRITY_EXCEPTION")
            #expect(results[449].error?.errorCode != nil)
            for i in [10, 250, 449] { #expect(results[i].error?.isPermanent == true, "record \(i)") }
            #expect(await h.emulator.records(of: "Task").count == 447)
        }
    }

    @Test func leadWithWhatIdIsAPermanentFieldIntegrityError() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            let error = await expectFailure { () async throws(SalesforceError) in
                try await client.createTask(SF.callRecord("lead-what", who: Self.dan, what: Self.acme))
            }
            #expect(error?.errorCode == "FIELD_INTEGRITY_EXCEPTION")
            #expect(error?.isPermanent == true)
            #expect(error?.isRetryable == false)
            #expect(error?.fix.contains("Lead") == true)
            // Lead alone is fine.
            #expect(try await client.createTask(SF.callRecord("lead-only", who: Self.dan)).hasPrefix("00T"))
        }
    }

    @Test func customObjectModeWritesThroughTheFieldMap() async throws {
        try await withEmulator { h in
            let map = ["CallObject": "call_id__c", "Subject": "Subject__c", "Description": "Summary__c",
                       "ActivityDate": "Call_Date__c", "CallDurationInSeconds": "Duration_Seconds__c",
                       "CallDisposition": "Primary_Intent__c", "WhoId": "Contact__c"]
            let client = try h.client(.password, taskObject: .custom(object: "Call_Recording__c", fieldMap: map))
            let record = SF.callRecord("custom-0001", who: Self.ann)
            let id = try await client.createTask(record)
            let stored = try #require(await h.emulator.records(of: "Call_Recording__c").first)
            #expect(stored["Id"]?.stringValue == id)
            #expect(stored["call_id__c"]?.stringValue == "custom-0001")
            #expect(stored["Subject__c"]?.stringValue == record.subject)
            #expect(stored["Duration_Seconds__c"]?.numberValue == 120)
            #expect(stored["Contact__c"]?.stringValue == annId)
            #expect(stored["TaskSubtype"] == nil && stored["Status"] == nil, "unmapped Task fields are not sent")
            #expect(try await client.findTask(callObject: "custom-0001") == id)

            let batch = await client.createTasks([SF.callRecord("custom-0002"), SF.callRecord("custom-0003")])
            #expect(batch.allSatisfy { $0.id != nil })
            #expect(await h.emulator.records(of: "Call_Recording__c").count == 3)
            let log = await h.dataRequests()
            #expect(log.contains { $0.path.hasSuffix("/sobjects/Call_Recording__c/") })
            #expect(log.contains { $0.query.contains("FROM Call_Recording__c WHERE call_id__c = 'custom-0001'") })
        }
    }

    @Test func newEntityCreation() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            let number = SF.number("+44 7700 900999")
            let lead = try await client.createNewRecord(number: number, name: nil)
            #expect(lead.type == .lead)
            #expect(lead.name == "Unknown caller")
            let storedLead = try #require(await h.emulator.records(of: "Lead").first { $0["Id"]?.stringValue == lead.id })
            #expect(storedLead["LastName"]?.stringValue == "Unknown caller")
            #expect(storedLead["Company"]?.stringValue == "07700 900999")
            #expect(storedLead["Phone"]?.stringValue == "07700 900999")
            #expect(lead.url == "\(h.base)/lightning/r/Lead/\(lead.id)/view")
            // The new record is what the next lookup of that number finds.
            #expect(try await client.lookupTyped(number).candidates.map(\.id) == [lead.id])

            let contact = try await client.createRecordTyped(.contact, number: SF.number("07700 900998"), name: "Fred Bloggs")
            #expect(contact.name == "Fred Bloggs")
            let storedContact = await h.emulator.records(of: "Contact").first { $0["Id"]?.stringValue == contact.id }
            #expect(storedContact?["FirstName"]?.stringValue == "Fred")
            let account = try await client.createRecordTyped(.account, number: SF.number("07700 900997"), name: nil)
            #expect(account.name == "07700 900997")
            #expect(account.id.hasPrefix("001"))

            let contactDefault = try h.client(.password, newEntity: .contact)
            #expect(try await contactDefault.createNewRecord(number: SF.number("07700 900996"), name: "Ada").type == .contact)
        }
    }

    @Test
    func newCaseCarriesSuppliedPhone() async throws {
        try await withEmulator { h in
            let client = try h.client(.password, newEntity: .caseRecord)
            let c = try await client.createNewRecord(number: SF.number("07700 900995"), name: nil)
            #expect(c.type == .caseRecord)
            let stored = await h.emulator.records(of: "Case").first { $0["Id"]?.stringValue == c.id }
            #expect(stored?["SuppliedPhone"]?.stringValue == "07700 900995")
        }
    }

    @Test func queryFollowsNextRecordsUrlAndQueryAllSeesDeletions() async throws {
        try await withEmulator { h in
            let rows: [EmulatorRecord] = (0..<2300).map { ["Subject": .string("Seed \($0)"), "Status": "Completed", "CallObject": .string("seed-\($0)")] }
            try await h.emulator.addRecords(rows, of: "Task")
            let client = try h.client(.password)
            let result = try await client.query("SELECT Id, CallObject FROM Task WHERE Subject LIKE 'Seed%'")
            #expect(result.totalSize == 2300)
            #expect(result.records.count == 2300)
            #expect(result.pages == 2)
            #expect(Set(result.records.compactMap { $0["CallObject"]?.stringValue }).count == 2300)

            // Delete one through the REST API, then see it in queryAll and deleted().
            let victim = try #require(result.records.first?["Id"]?.stringValue)
            let session = try await client.auth.currentSession()
            let http = try EmulatorHarness.curl()
            let del = try await http.send(HTTPRequest(method: .delete, url: "\(h.base)/services/data/v62.0/sobjects/Task/\(victim)",
                                                      headers: ["Authorization": "Bearer \(session.accessToken)"]))
            #expect(del.status == 204)
            let soql = "SELECT Id FROM Task WHERE Id = '\(victim)'"
            #expect(try await client.query(soql).records.isEmpty)
            #expect(try await client.queryAll(soql).records.count == 1)
            let window = try await client.deleted(type: "Task", start: Date().addingTimeInterval(-3600), end: Date().addingTimeInterval(60))
            #expect(window.records.map(\.id) == [victim])
            #expect(window.records.first?.deletedDate != nil)
            #expect(window.latestDateCovered != nil)
        }
    }

    @Test func typedRowsFollowNextRecordsUrlAndMatchTheTreeQuery() async throws {
        try await withEmulator { h in
            let rows: [EmulatorRecord] = (0..<2300).map {
                ["Subject": .string("Rows \($0) \u{1b}[2J Zoë"), "Status": "Completed", "CallObject": .string("rows-\($0)")]
            }
            try await h.emulator.addRecords(rows, of: "Task")
            let client = try h.client(.password)
            let soql = "SELECT Id, Subject, CallObject, Owner.Name FROM Task WHERE Subject LIKE 'Rows%'"
            let tree = try await client.query(soql)
            let typed = try await client.queryRows(soql, columns: QueryColumns(["Id", "Subject", "CallObject", "Owner.Name"]))
            #expect(typed.totalSize == 2300)
            #expect(typed.count == 2300)
            #expect(typed.pages == 2)
            for (row, record) in tree.records.enumerated() {
                #expect(typed[row, 0] == record["Id"]?.stringValue)
                #expect(typed[row, 1] == record["Subject"]?.stringValue)
                #expect(typed[row, 2] == record["CallObject"]?.stringValue)
                #expect(typed[row, 3] == record["Owner"]?["Name"]?.stringValue)
            }
            #expect(Set((0..<typed.count).compactMap { typed[$0, 2] }).count == 2300)
        }
    }

    @Test func limitsAndSforceLimitInfo() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            #expect(client.apiUsage == nil)
            let schema = try await client.orgSchema()
            let described = schema.objects.count + schema.hidden.count
            #expect(client.apiUsage == APIUsage(used: described, max: 15000), "one describe per object")
            _ = try await client.lookupTyped(SF.number("07814256404"))
            #expect(client.apiUsage == APIUsage(used: described + 1, max: 15000))
            let limits = try await client.limits()
            #expect(limits["DailyApiRequests"] == APILimit(max: 15000, remaining: 15000 - described - 2))
            #expect(client.apiUsage == APIUsage(used: described + 2, max: 15000))
            await h.emulator.setAPIUsage(13_999)
            _ = try await client.lookupTyped(SF.number("07814256404"))
            #expect(client.apiUsage == APIUsage(used: 14_000, max: 15000))
            #expect(client.apiUsage?.isNearLimit == true)
            await h.emulator.setAPIUsage(15_000)
            let error = await expectFailure { () async throws(SalesforceError) in try await client.lookupTyped(SF.number("07814256404")) }
            #expect(error?.errorCode == "REQUEST_LIMIT_EXCEEDED")
            #expect(error?.status == 403)
            #expect(error?.isRetryable == true)
            #expect((error?.suggestedBackoff ?? .zero) >= .seconds(600))
        }
    }
}
