import Foundation
import Testing
@testable import SalesforceEmulator

/// Issue 14: the org option that gives Task an External ID field for the call id, upsert by it (single and
/// sObject Collections), and the fault controls the exactly-once repros need.
@Suite struct CallIdFieldTests {
    let single = "/services/data/v59.0/sobjects/Task/Ringside_Call_Id__c/"
    let collection = "/services/data/v59.0/composite/sobjects/Task/Ringside_Call_Id__c"

    static func seed(callIdField: Bool) throws -> EmulatorSeed {
        var seed = try testSeed()
        seed.org.callIdField = callIdField
        return seed
    }

    @Test func describeShowsTheFieldAsAUniqueExternalIdOnlyWhenTheOrgHasIt() async throws {
        for enabled in [false, true] {
            try await withEmulator(seed: Self.seed(callIdField: enabled)) { _, client in
                let fields = try #require(try await client.get("/services/data/v59.0/sobjects/Task/describe").json?["fields"]?.arrayValue)
                let field = fields.first { $0["name"]?.stringValue == "Ringside_Call_Id__c" }
                #expect((field != nil) == enabled)
                if let field {
                    #expect(field["externalId"]?.boolValue == true)
                    #expect(field["unique"]?.boolValue == true)
                    #expect(field["length"]?.numberValue == 64)
                    #expect(field["label"]?.stringValue == "Ringside Call Id")
                }
                #expect(fields.first { $0["name"]?.stringValue == "CallObject" }?["externalId"]?.boolValue == false)
            }
        }
    }

    @Test func withoutTheFieldUpsertIsNotFound() async throws {
        try await withEmulator(seed: Self.seed(callIdField: false)) { emu, client in
            let r = try await client.send("PATCH", single + "call-1", json: ["Subject": "Call"])
            #expect(r.status == 404)
            #expect(r.errorCode == "NOT_FOUND")
            let c = try await client.send("PATCH", collection, json: ["allOrNone": false, "records": [["attributes": ["type": "Task"], "Ringside_Call_Id__c": "c"]]])
            #expect(c.status == 404)
            #expect(await emu.records(of: "Task").isEmpty)
            // The org option can be switched on by the control endpoint.
            #expect(try await client.send("POST", "/__emulator/org", json: ["callIdField": true]).status == 204)
            #expect(try await client.send("PATCH", single + "call-1", json: ["Subject": "Call"]).status == 201)
        }
    }

    @Test func singleUpsertCreatesThenUpdatesTheSameRecord() async throws {
        try await withEmulator(seed: Self.seed(callIdField: true)) { emu, client in
            let first = try await client.send("PATCH", single + "call-1", json: ["Subject": "Call", "Status": "Completed"])
            #expect(first.status == 201)
            #expect(first.json?["created"]?.boolValue == true)
            let second = try await client.send("PATCH", single + "call-1", json: ["Subject": "Call again"])
            #expect(second.status == 200)
            #expect(second.json?["created"]?.boolValue == false)
            #expect(second.json?["id"]?.stringValue == first.json?["id"]?.stringValue)
            let tasks = await emu.records(of: "Task")
            #expect(tasks.count == 1)
            #expect(tasks.first?["Ringside_Call_Id__c"]?.stringValue == "call-1")
            #expect(tasks.first?["Subject"]?.stringValue == "Call again")
            // The field is Unique: a plain create with a taken value is refused.
            let dup = try await client.create("Task", ["Subject": "dup", "Ringside_Call_Id__c": "call-1"])
            #expect(dup.status == 400)
            #expect(dup.errorCode == "DUPLICATE_VALUE")
            #expect(await emu.records(of: "Task").count == 1)
        }
    }

    @Test func collectionUpsertGivesPerRecordResultsInOrder() async throws {
        try await withEmulator(seed: Self.seed(callIdField: true)) { emu, client in
            _ = try await client.send("PATCH", single + "old", json: ["Subject": "existing"])
            let r = try await client.send("PATCH", collection, json: ["allOrNone": false, "records": [
                ["attributes": ["type": "Task"], "Ringside_Call_Id__c": "new", "Subject": "fresh"],
                ["attributes": ["type": "Task"], "Ringside_Call_Id__c": "old", "Subject": "updated"],
                ["attributes": ["type": "Task"], "Ringside_Call_Id__c": "bad", "Subject": "x", "CallType": "Sideways"],
                ["attributes": ["type": "Task"], "Subject": "no id"],
            ]])
            #expect(r.status == 200)
            let results = try #require(r.json?.arrayValue)
            #expect(results.count == 4)
            #expect(results[0]["success"]?.boolValue == true && results[0]["created"]?.boolValue == true)
            #expect(results[1]["success"]?.boolValue == true && results[1]["created"]?.boolValue == false)
            #expect(results[2]["success"]?.boolValue == false)
            #expect(results[2]["errors"]?.arrayValue?.first?["statusCode"]?.stringValue == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
            #expect(results[3]["errors"]?.arrayValue?.first?["statusCode"]?.stringValue == "REQUIRED_FIELD_MISSING")
            let tasks = await emu.records(of: "Task")
            #expect(tasks.count == 2)
            #expect(tasks.first { $0["Ringside_Call_Id__c"]?.stringValue == "old" }?["Subject"]?.stringValue == "updated")
            // Sent again as a whole: nothing new is created.
            let again = try await client.send("PATCH", collection, json: ["allOrNone": false, "records": [
                ["attributes": ["type": "Task"], "Ringside_Call_Id__c": "new", "Subject": "fresh"],
                ["attributes": ["type": "Task"], "Ringside_Call_Id__c": "old", "Subject": "updated"],
            ]])
            #expect(again.json?.arrayValue?.allSatisfy { $0["created"]?.boolValue == false } == true)
            #expect(await emu.records(of: "Task").count == 2)
            // All or none: one bad record rolls the others back.
            let rolled = try await client.send("PATCH", collection, json: ["allOrNone": true, "records": [
                ["attributes": ["type": "Task"], "Ringside_Call_Id__c": "n2", "Subject": "ok"],
                ["attributes": ["type": "Task"], "Ringside_Call_Id__c": "n3", "CallType": "Sideways"],
            ]])
            #expect(rolled.json?.arrayValue?.first?["errors"]?.arrayValue?.first?["statusCode"]?.stringValue == "ALL_OR_NONE_OPERATION_ROLLED_BACK")
            #expect(await emu.records(of: "Task").count == 2)
        }
    }
}

@Suite struct AfterProcessingFaultTests {
    let taskPath = "/services/data/v59.0/sobjects/Task"

    @Test(arguments: [502, 504])
    func proxyErrorsAfterProcessingCreateTheRecordButAnswerWithoutASalesforceBody(status: Int) async throws {
        try await withEmulator { emu, client in
            await emu.inject(EmulatorFault(action: .proxyErrorAfterProcessing, method: "POST", pathPrefix: taskPath, status: status))
            let r = try await client.create("Task", ["Subject": "behind a proxy"])
            #expect(r.status == status)
            #expect(r.json == nil)
            #expect(String(decoding: r.body, as: UTF8.self).contains("<html>"))
            #expect(await emu.records(of: "Task").count == 1)
            // An empty body when asked, and the before-processing variant creates nothing.
            await emu.inject(EmulatorFault(action: .proxyError, method: "POST", pathPrefix: taskPath, status: status, body: ""))
            let empty = try await client.create("Task", ["Subject": "never"])
            #expect(empty.status == status && empty.body.isEmpty)
            #expect(await emu.records(of: "Task").count == 1)
        }
    }

    @Test func delayAfterProcessingHoldsTheAnswerWhileTheRecordExists() async throws {
        try await withEmulator { emu, client in
            // Held long enough for the checks below to run inside the hold on a busy machine.
            await emu.inject(EmulatorFault(action: .delayAfterProcessing, method: "POST", pathPrefix: taskPath, delayMs: 6000))
            let request = Task { try await client.create("Task", ["Subject": "late answer"]) }
            let deadline = Date().addingTimeInterval(30)
            while true {
                let inFlight = await emu.inFlight
                let created = await emu.records(of: "Task").count
                if inFlight == 1 && created == 1 { break }
                if Date() > deadline {
                    Issue.record("the Task was never seen created while its answer was held (in flight \(inFlight), created \(created))")
                    return
                }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            // Created while the answer is still held back.
            #expect(await emu.inFlight == 1)
            #expect(try await client.get("/__emulator/in-flight").json?["inFlight"]?.numberValue == 1)
            #expect(try await request.value.status == 201)
            #expect(await emu.inFlight == 0)
            #expect(await emu.requestLog.last?.fault == "delay-after-processing")
        }
    }

    @Test func everyFaultSaysWhetherItProcesses() {
        let processing: [EmulatorFault.Action] = [.delay, .dropAfterProcessing, .malformedJSON, .delayAfterProcessing,
                                                  .proxyErrorAfterProcessing, .brokenGzipAfterProcessing, .http09AfterProcessing]
        for action in processing { #expect(action.processes, "\(action)") }
        for action in [EmulatorFault.Action.error, .dropBeforeProcessing, .proxyError] { #expect(!action.processes) }
    }
}
