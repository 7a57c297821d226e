import Foundation
import Testing
@testable import SalesforceEmulator

@Suite struct SObjectHTTPTests {
    @Test func createGetPatchDeleteLifecycle() async throws {
        try await withEmulator { emu, client in
            let created = try await client.create("Task", ["WhoId": .string(ann), "WhatId": .string(acme), "CallType": "Inbound",
                                                           "Status": "Completed", "CallDurationInSeconds": 42, "TaskSubtype": "Call"])
            #expect(created.status == 201)
            let id = try #require(created.json?["id"]?.stringValue)
            #expect(created.json?["success"]?.boolValue == true)
            #expect(created.json?["errors"]?.arrayValue?.isEmpty == true)
            #expect(id.hasPrefix("00T") && SalesforceId.normalize(id) == id)
            let got = try await client.get("/services/data/v59.0/sobjects/Task/\(id)")
            #expect(got.json?["CallDurationInSeconds"]?.numberValue == 42)
            #expect(got.json?["AccountId"]?.stringValue == acme)
            #expect(got.json?["OwnerId"]?.stringValue == "005Dg0000000001IAA")
            #expect(got.json?["Priority"]?.stringValue == "Normal")
            #expect(got.json?["Subject"] == .null)
            #expect(got.json?["CreatedDate"]?.stringValue?.hasSuffix("+0000") == true)
            #expect(got.json?["attributes"]?["type"]?.stringValue == "Task")
            let fields = try await client.get("/services/data/v59.0/sobjects/Task/\(id)?fields=Id,CallType")
            #expect(fields.json?.objectValue?.keys.sorted() == ["CallType", "Id", "attributes"])
            let patch = try await client.send("PATCH", "/services/data/v59.0/sobjects/Task/\(id)", json: ["CallDisposition": "Resolved"])
            #expect(patch.status == 204)
            #expect(await emu.records(of: "Task").first?["CallDisposition"] == "Resolved")
            // 15-char id in the URL works too
            #expect(try await client.get("/services/data/v59.0/sobjects/Task/\(id.prefix(15))").status == 200)
            #expect(try await client.send("DELETE", "/services/data/v59.0/sobjects/Task/\(id)").status == 204)
            let gone = try await client.get("/services/data/v59.0/sobjects/Task/\(id)")
            #expect(gone.status == 404)
            #expect(gone.errorCode == "NOT_FOUND")
            let patchDeleted = try await client.send("PATCH", "/services/data/v59.0/sobjects/Task/\(id)", json: ["Subject": "x"])
            #expect(patchDeleted.errorCode == "ENTITY_IS_DELETED")
            #expect(await emu.records(of: "Task").isEmpty)
        }
    }

    @Test func createsIdsWithRightPrefixes() async throws {
        try await withEmulator { _, client in
            let cases: [(String, EmulatorJSON, String)] = [
                ("Account", ["Name": "A"], "001"), ("Contact", ["LastName": "C"], "003"),
                ("Lead", ["LastName": "L", "Company": "Co"], "00Q"), ("Case", ["Subject": "S"], "500"),
                ("Opportunity", ["Name": "O", "StageName": "Prospecting", "CloseDate": "2026-12-01"], "006"),
                ("Call_Log__c", ["Name": "X", "Duration__c": 3], "a0X"),
            ]
            for (type, body, prefix) in cases {
                let r = try await client.create(type, body)
                #expect(r.status == 201, "\(type): \(String(decoding: r.body, as: UTF8.self))")
                #expect(r.json?["id"]?.stringValue?.hasPrefix(prefix) == true)
            }
            let contact = try await client.query("SELECT Name FROM Contact WHERE LastName = 'C'")
            #expect(contact.json?["records"]?.arrayValue?.first?["Name"]?.stringValue == "C")
        }
    }

    @Test(arguments: [
        (["WhoId": .string(openLead), "WhatId": .string(acme)], "FIELD_INTEGRITY_EXCEPTION", "WhatId"),
        (["WhoId": "not-an-id"], "MALFORMED_ID", "WhoId"),
        (["WhatId": "001Dg0000000001AAA"], "MALFORMED_ID", "WhatId"),  // bad checksum
        (["WhoId": .string(acme)], "MALFORMED_ID", "WhoId"),  // an Account is not a Who
        (["WhoId": "003Dg0000000077IAA"], "INVALID_CROSS_REFERENCE_KEY", "WhoId"),
        (["CallType": "Sideways"], "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "CallType"),
        (["Status": "Done-ish"], "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "Status"),
        (["Mood": "happy"], "INVALID_FIELD", "Mood"),
        (["CallDisposition": .string(String(repeating: "x", count: 256))], "STRING_TOO_LONG", "CallDisposition"),
        (["IsClosed": true], "INVALID_FIELD_FOR_INSERT_UPDATE", "IsClosed"),
        (["CallDurationInSeconds": "long"], "JSON_PARSER_ERROR", "CallDurationInSeconds"),
    ] as [(EmulatorJSON, String, String)])
    func taskValidation(body: EmulatorJSON, code: String, field: String) async throws {
        try await withEmulator { emu, client in
            let r = try await client.create("Task", body)
            #expect(r.status == 400)
            #expect(r.errorCode == code)
            #expect(r.json?.arrayValue?.first?["fields"]?.arrayValue == [.string(field)])
            #expect(r.json?.arrayValue?.first?["message"]?.stringValue?.isEmpty == false)
            #expect(await emu.records(of: "Task").isEmpty)
        }
    }

    @Test func taskAcceptsCustomFieldsNoSubjectAnd255CharDisposition() async throws {
        try await withEmulator { _, client in
            let r = try await client.create("Task", ["Ringside_Call_Id__c": "abc", "WhoId": .string(openLead),
                                                     "CallDisposition": .string(String(repeating: "y", count: 255))])
            #expect(r.status == 201)
        }
    }

    @Test func deletedWhoIdIsEntityIsDeleted() async throws {
        try await withEmulator { _, client in
            #expect(try await client.send("DELETE", "/services/data/v59.0/sobjects/Contact/\(ann)").status == 204)
            let r = try await client.create("Task", ["WhoId": .string(ann)])
            #expect(r.errorCode == "ENTITY_IS_DELETED")
            #expect(try await client.send("DELETE", "/services/data/v59.0/sobjects/Contact/\(ann)").errorCode == "ENTITY_IS_DELETED")
        }
    }

    @Test func unknownObjectAndMalformedBody() async throws {
        try await withEmulator { _, client in
            #expect(try await client.get("/services/data/v59.0/sobjects/Widget/describe").status == 404)
            let bad = try await client.send("POST", "/services/data/v59.0/sobjects/Task", headers: ["Content-Type": "application/json"])
            #expect(bad.errorCode == "JSON_PARSER_ERROR")
            #expect(try await client.create("Contact", ["FirstName": "No last name"]).errorCode == "REQUIRED_FIELD_MISSING")
        }
    }

    @Test func describeTaskPicklists() async throws {
        try await withEmulator { _, client in
            let r = try await client.get("/services/data/v59.0/sobjects/Task/describe/")
            #expect(r.status == 200)
            let fields = try #require(r.json?["fields"]?.arrayValue)
            func picklist(_ name: String) -> [String] {
                fields.first { $0["name"]?.stringValue == name }?["picklistValues"]?.arrayValue?.compactMap { $0["value"]?.stringValue } ?? []
            }
            #expect(picklist("CallType") == ["Inbound", "Outbound", "Internal"])
            #expect(picklist("Status").contains("Completed"))
            #expect(picklist("Priority") == ["High", "Normal", "Low"])
            #expect(picklist("TaskSubtype").contains("Call"))
            let subject = fields.first { $0["name"]?.stringValue == "Subject" }
            #expect(subject?["createable"]?.boolValue == true)
            #expect(subject?["type"]?.stringValue == "combobox")
            #expect(r.json?["keyPrefix"]?.stringValue == "00T")
        }
    }

    @Test func deletedAndUpdatedWindows() async throws {
        try await withEmulator { _, client in
            #expect(try await client.send("DELETE", "/services/data/v59.0/sobjects/Contact/003Dg0000000002IAA").status == 204)
            _ = try await client.send("PATCH", "/services/data/v59.0/sobjects/Contact/\(ann)", json: ["Title": "Boss"])
            let start = SalesforceDate.format(Date().addingTimeInterval(-60)).replacingOccurrences(of: "+", with: "%2B")
            let end = SalesforceDate.format(Date().addingTimeInterval(60)).replacingOccurrences(of: "+", with: "%2B")
            let deleted = try await client.get("/services/data/v59.0/sobjects/Contact/deleted/?start=\(start)&end=\(end)")
            #expect(deleted.json?["deletedRecords"]?.arrayValue?.first?["id"]?.stringValue == "003Dg0000000002IAA")
            #expect(deleted.json?["deletedRecords"]?.arrayValue?.first?["deletedDate"]?.stringValue != nil)
            #expect(deleted.json?["earliestDateAvailable"]?.stringValue != nil)
            #expect(deleted.json?["latestDateCovered"]?.stringValue != nil)
            let updated = try await client.get("/services/data/v59.0/sobjects/Contact/updated/?start=\(start)&end=\(end)")
            #expect(updated.json?["ids"]?.arrayValue?.contains(.string(ann)) == true)
            let bad = try await client.get("/services/data/v59.0/sobjects/Contact/deleted/?start=yesterday&end=\(end)")
            #expect(bad.status == 400)
        }
    }

    @Test func upsertByExternalId() async throws {
        var seed = try testSeed()
        seed.org.callIdField = true
        try await withEmulator(seed: seed) { emu, client in
            let path = "/services/data/v59.0/sobjects/Task/Ringside_Call_Id__c/call-1"
            let first = try await client.send("PATCH", path, json: ["Subject": "Call", "Status": "Completed"])
            #expect(first.status == 201)
            #expect(first.json?["created"]?.boolValue == true)
            let second = try await client.send("PATCH", path, json: ["Subject": "Call again"])
            #expect(second.status == 200)
            #expect(second.json?["created"]?.boolValue == false)
            #expect(await emu.records(of: "Task").count == 1)
        }
    }
}

@Suite struct CompositeHTTPTests {
    let path = "/services/data/v59.0/composite/sobjects"

    @Test func partialSuccessKeepsOrder() async throws {
        try await withEmulator { emu, client in
            let r = try await client.send("POST", path, json: ["allOrNone": false, "records": [
                ["attributes": ["type": "Task"], "Subject": "ok", "WhoId": .string(ann)],
                ["attributes": ["type": "Task"], "Subject": "bad", "WhoId": .string(openLead), "WhatId": .string(acme)],
                ["Subject": "no type"],
            ]])
            #expect(r.status == 200)
            let results = try #require(r.json?.arrayValue)
            #expect(results.count == 3)
            #expect(results[0]["success"]?.boolValue == true)
            #expect(results[0]["id"]?.stringValue?.hasPrefix("00T") == true)
            #expect(results[1]["success"]?.boolValue == false)
            #expect(results[1]["errors"]?.arrayValue?.first?["statusCode"]?.stringValue == "FIELD_INTEGRITY_EXCEPTION")
            #expect(results[1]["errors"]?.arrayValue?.first?["fields"]?.arrayValue == ["WhatId"])
            #expect(results[2]["errors"]?.arrayValue?.first?["statusCode"]?.stringValue == "INVALID_TYPE")
            #expect(await emu.records(of: "Task").count == 1)
        }
    }

    @Test func allOrNoneRollsBack() async throws {
        try await withEmulator { emu, client in
            let r = try await client.send("POST", path, json: ["allOrNone": true, "records": [
                ["attributes": ["type": "Task"], "Subject": "fine"],
                ["attributes": ["type": "Task"], "CallType": "Nope"],
            ]])
            let results = try #require(r.json?.arrayValue)
            #expect(results[0]["errors"]?.arrayValue?.first?["statusCode"]?.stringValue == "ALL_OR_NONE_OPERATION_ROLLED_BACK")
            #expect(results[1]["errors"]?.arrayValue?.first?["statusCode"]?.stringValue == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
            #expect(await emu.records(of: "Task").isEmpty)
        }
    }

    @Test func moreThan200RecordsIsRejected() async throws {
        try await withEmulator { emu, client in
            let records = EmulatorJSON.array((0..<201).map { _ in ["attributes": ["type": "Task"], "Subject": "x"] })
            let r = try await client.send("POST", path, json: ["allOrNone": false, "records": records])
            #expect(r.status == 400)
            #expect(r.errorCode == "EXCEEDED_ID_LIMIT")
            #expect(await emu.records(of: "Task").isEmpty)
        }
    }

    @Test func patchUpdatesRecords() async throws {
        try await withEmulator { emu, client in
            let r = try await client.send("PATCH", path, json: ["records": [
                ["attributes": ["type": "Contact"], "id": .string(ann), "Title": "Lead agent"],
            ]])
            #expect(r.json?.arrayValue?.first?["success"]?.boolValue == true)
            #expect(await emu.records(of: "Contact").first { $0["Id"] == .string(ann) }?["Title"] == "Lead agent")
        }
    }
}
