import Foundation
import Testing
@testable import SalesforceEmulator

@Suite struct FaultTests {
    let taskPath = "/services/data/v59.0/sobjects/Task"

    @Test func errorFaultsApplyToTheNextNMatchingRequests() async throws {
        try await withEmulator { emu, client in
            await emu.inject(EmulatorFault(action: .error, method: "POST", pathPrefix: taskPath, count: 2, status: 503))
            #expect(try await client.get("/services/data/v59.0/limits").status == 200)  // not matching
            let first = try await client.create("Task", ["Subject": "a"])
            #expect(first.status == 503)
            #expect(first.errorCode == "SERVER_UNAVAILABLE")
            #expect(try await client.create("Task", ["Subject": "b"]).status == 503)
            #expect(try await client.create("Task", ["Subject": "c"]).status == 201)
            #expect(await emu.records(of: "Task").count == 1)
        }
    }

    @Test func faultsViaHTTPControl() async throws {
        try await withEmulator { emu, client in
            let add = try await client.send("POST", "/__emulator/faults", json: [
                "action": "error", "status": 400, "errorCode": "UNABLE_TO_LOCK_ROW", "pathPrefix": .string(taskPath)])
            #expect(add.status == 200)
            let locked = try await client.create("Task", ["Subject": "a"])
            #expect(locked.status == 400)
            #expect(locked.errorCode == "UNABLE_TO_LOCK_ROW")
            _ = try await client.send("POST", "/__emulator/faults", json: ["status": 401])
            let expired = try await client.get("/services/data/v59.0/limits")
            #expect(expired.status == 401)
            #expect(expired.errorCode == "INVALID_SESSION_ID")
            _ = try await client.send("POST", "/__emulator/faults", json: ["status": 500])
            #expect(try await client.get("/services/data/v59.0/limits").status == 500)
            #expect(try await client.get("/services/data/v59.0/limits").status == 200)
            #expect(await emu.records(of: "Task").isEmpty)
        }
    }

    @Test func delayFault() async throws {
        try await withEmulator { emu, client in
            await emu.inject(EmulatorFault(action: .delay, delayMs: 300))
            let start = Date()
            let r = try await client.get("/services/data/v59.0/limits")
            #expect(r.status == 200)
            #expect(Date().timeIntervalSince(start) >= 0.3)
        }
    }

    @Test func dropBeforeProcessingDoesNotCreate() async throws {
        try await withEmulator { emu, client in
            await emu.inject(EmulatorFault(action: .dropBeforeProcessing, method: "POST"))
            await #expect(throws: HTTPFailure.self) { try await client.create("Task", ["Subject": "lost"]) }
            #expect(await emu.records(of: "Task").isEmpty)
            #expect(await emu.requestLog.last?.status == 0)
            #expect(await emu.requestLog.last?.fault == "drop-before-processing")
        }
    }

    @Test func dropAfterProcessingCreatesButNeverAnswers() async throws {
        try await withEmulator { emu, client in
            await emu.inject(EmulatorFault(action: .dropAfterProcessing, method: "POST", pathPrefix: taskPath))
            await #expect(throws: HTTPFailure.self) { try await client.create("Task", ["Subject": "uncertain"]) }
            #expect(await emu.records(of: "Task").count == 1)  // the outcome the client can't see
        }
    }

    @Test func malformedJSONFault() async throws {
        try await withEmulator { emu, client in
            await emu.inject(EmulatorFault(action: .malformedJSON))
            let r = try await client.create("Task", ["Subject": "x"])
            #expect(r.status == 201)
            #expect(r.json == nil)
            #expect(await emu.records(of: "Task").count == 1)
        }
    }
}

@Suite struct ControlTests {
    @Test func requestLogNeverContainsAuthorizationAndCanBeCleared() async throws {
        try await withEmulator { emu, client in
            _ = try await client.query("SELECT Id FROM Contact")
            let log = try await client.get("/__emulator/requests")
            let text = String(decoding: log.body, as: UTF8.self)
            #expect(!text.contains(client.token!))
            #expect(!text.lowercased().contains("authorization"))
            let entry = try #require(log.json?.arrayValue?.last)
            #expect(entry["method"]?.stringValue == "GET")
            #expect(entry["path"]?.stringValue == "/services/data/v59.0/query/")
            #expect(entry["query"]?.stringValue?.contains("SELECT") == true)
            #expect(entry["status"]?.numberValue == 200)
            #expect(entry["time"]?.stringValue != nil)
            #expect(try await client.send("DELETE", "/__emulator/requests").status == 204)
            #expect(await emu.requestLog.isEmpty)
        }
    }

    @Test func recordsControlAndReset() async throws {
        try await withEmulator { emu, client in
            let add = try await client.send("POST", "/__emulator/records/Contact", json: [["LastName": "Direct", "Phone": "123"]])
            #expect(add.json?["ids"]?.arrayValue?.count == 1)
            let list = try await client.get("/__emulator/records/Contact")
            #expect(list.json?.arrayValue?.count == 5)
            _ = try await client.create("Task", ["Subject": "x"])
            #expect(try await client.send("POST", "/__emulator/reset").status == 204)
            #expect(await emu.records(of: "Contact").count == 4)
            #expect(await emu.records(of: "Task").isEmpty)
            #expect(try await client.get("/services/data/v59.0/limits").status == 401)  // tokens reset too
        }
    }

    @Test func bulkSeeding100kContactsStaysFast() async throws {
        try await withEmulator { emu, client in
            let records: [EmulatorRecord] = (0..<100_000).map {
                ["FirstName": "Bulk", "LastName": .string("N\($0)"), "Phone": .string("+44 20 \(10_000_000 + $0)")]
            }
            let start = Date()
            let ids = try await emu.addRecords(records, of: "Contact")
            let seeded = Date().timeIntervalSince(start)
            #expect(ids.count == 100_000)
            let byId = try await client.query("SELECT Id, Name FROM Contact WHERE Id = '\(ids[54_321])'")
            #expect(byId.json?["records"]?.arrayValue?.first?["Name"]?.stringValue == "Bulk N54321")
            let page = try await client.query("SELECT Id FROM Contact WHERE FirstName = 'Bulk'")
            #expect(page.json?["totalSize"]?.numberValue == 100_000)
            #expect(page.json?["records"]?.arrayValue?.count == 2000)
            let total = Date().timeIntervalSince(start)
            #expect(total < 60, "seeding took \(seeded)s, total \(total)s")
        }
    }
}
