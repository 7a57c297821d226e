import Foundation
import RingsideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exactly-once delivery under `kill -9`: simulated calls in Salesforce mode against a real emulator process,
/// killed at random moments; after restarts and a final drain the emulator's Tasks must equal the store's calls.
///
/// Issue 14: with latency, drop, proxy-error and unreadable-reply faults injected on the write endpoints, and with
/// and without the org's call-id External ID field (`Ringside_Call_Id__c`, deliveries are then upserts).
///
/// Replay a run with `OUTBOX_CRASH_SEED=<printed base seed>`; `OUTBOX_CRASH_ITERATIONS` changes the count (30 per variant by default).
@Suite("Outbox crash test (kill -9)", .serialized, .enabled(if: RequiredComponent.runs(OutboxProcesses.available), "needs the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
struct OutboxCrashTests {
    /// The Task fields compared between the emulator and the store.
    static let fields = ["Subject", "CallType", "CallDurationInSeconds", "CallDisposition", "WhoId", "WhatId", "ActivityDate", "Description"]

    @Test(arguments: [false, true])
    func killedAgentsNeitherLoseNorDuplicateCallRecords(callIdField: Bool) async throws {
        let env = ProcessInfo.processInfo.environment
        let baseSeed = env["OUTBOX_CRASH_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...999_999)
        let iterations = env["OUTBOX_CRASH_ITERATIONS"].flatMap(Int.init) ?? 30
        let variant = callIdField ? "with the call-id field (upserts)" : "without the call-id field (create + check)"
        print("outbox crash test \(variant): base seed \(baseSeed) (replay with OUTBOX_CRASH_SEED=\(baseSeed)), \(iterations) iterations")

        let directory = NSTemporaryDirectory() + "ringside-crash-\(baseSeed)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let emulatorLog = directory + "/emulator.log"
        let emulator = try OutboxProcesses.start(["emulator", "--port", "0"] + (callIdField ? ["--call-id-field"] : []),
                                                 environment: OutboxProcesses.environment(directory: directory + "/emu"), log: emulatorLog)
        defer {
            if emulator.isRunning { kill(emulator.processIdentifier, SIGKILL) }
            emulator.waitUntilExit()
        }
        let url = try OutboxProcesses.waitForLine(in: emulatorLog, prefix: "sf-emulator listening on", process: emulator)
        // Short timeout and grace (2 s + 2 s) so the final drains need not wait the production 20 s + 120 s.
        let agentEnv = OutboxProcesses.environment(directory: directory + "/agent", extra: OutboxProcesses.salesforce(url).merging([
            "RINGSIDE_SALESFORCE_TIMEOUT_SECONDS": "2", "RINGSIDE_DELIVERY_UNCERTAIN_WAIT_SECONDS": "2"]) { $1 })

        // A first, uninterrupted run creates the database and seeds the local directory, and tells how long a
        // run takes on this machine right now: kills are placed at random fractions of that (re-estimated as
        // runs finish), so they land at start-up, mid-call, mid-delivery and in the final drain however busy
        // the machine is.
        let warmUpStart = Date()
        let warmUp = try OutboxProcesses.run(["simulate", "--calls", "3", "--seed", String(baseSeed)], environment: agentEnv)
        // Seconds per call (start-up included), so longer runs get proportionally later kills.
        var perCall = max(0.1, Date().timeIntervalSince(warmUpStart) / 3)
        #expect(warmUp.status == 0, "warm-up run failed:\n\(warmUp.output)")
        print("warm-up run: \(String(format: "%.2f", perCall * 3)) s for 3 calls")

        var rng = CrashRNG(state: baseSeed)
        // Faults on the write endpoints, taken one per request in this random order: latency (150 ms before or
        // after creating, some beyond the 2 s client timeout), connections dropped before or after creating,
        // garbled JSON, a proxy's body-less 502/504 after creating, broken gzip, an HTTP/0.9 reply.
        let faults = try await Self.injectFaults(url: url, count: 400, rng: &rng)
        print("injected \(faults) faults on the write endpoints")
        var finished = 0
        var killed = 0
        let started = Date()
        for iteration in 1...iterations {
            let seed = rng.next() % 1_000_000_000
            let calls = Int.random(in: 3...8, using: &rng)
            let fraction = Double.random(in: 0...1.2, using: &rng)
            let estimate = perCall * Double(calls)
            let delay = fraction * estimate
            let log = directory + "/simulate-\(iteration).log"
            let runStart = Date()
            let process = try OutboxProcesses.start(["simulate", "--calls", String(calls), "--seed", String(seed)],
                                                    environment: agentEnv, log: log)
            defer {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
            let deadline = runStart.addingTimeInterval(delay)
            while process.isRunning && Date() < deadline { usleep(2_000) }
            let wasRunning = process.isRunning
            if wasRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            if wasRunning {
                killed += 1
            } else {
                finished += 1
                perCall = 0.6 * perCall + 0.4 * Date().timeIntervalSince(runStart) / Double(calls)
                // A run that finished must have succeeded (no association mismatch, no crash of its own).
                let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                #expect(process.terminationStatus == 0, "iteration \(iteration) seed \(seed) exited \(process.terminationStatus):\n\(output)")
            }
            print("iteration \(iteration): seed \(seed), \(calls) calls, kill -9 at \(String(format: "%.2f", fraction)) of \(String(format: "%.2f", estimate)) s (\(Int(delay * 1000)) ms): \(wasRunning ? "killed" : "finished first (status \(process.terminationStatus))")")
        }
        print("\(killed) runs killed, \(finished) finished before the kill, in \(Int(Date().timeIntervalSince(started))) s")

        // Restart and drain: stranded wrap-ups are completed, expired or dead claims are checked before re-sending —
        // once their request can no longer be running (the drains repeat until the outbox is empty).
        _ = try? await OutboxProcesses.send("DELETE", url + "/__emulator/faults")
        // One uninterrupted run: a runtime finishes the calls the killed ones left in the call journal.
        let last = try OutboxProcesses.run(["simulate", "--calls", "1", "--seed", String(baseSeed)], environment: agentEnv)
        // Its own exit status is not the point (under load it can fail on its own); what it left is counted below.
        if last.status != 0 { print("final run exited \(last.status):\n\(last.output.suffix(2000))") }
        for pass in 1...30 {
            let drain = try OutboxProcesses.run(["outbox", "drain", "--all"], environment: agentEnv)
            print("drain \(pass): \(drain.output.trimmingCharacters(in: .whitespacesAndNewlines))")
            #expect(drain.status == 0, "drain \(pass) failed: \(drain.output)")
            if drain.output.contains("; 0 queued, 0 parked") { break }
            usleep(1_000_000)
        }
        let outbox = try OutboxProcesses.run(["outbox", "list"], environment: agentEnv)
        #expect(outbox.output.contains("The outbox is empty"), "records left in the outbox:\n\(outbox.output)")

        // The store's calls …
        let history = try OutboxProcesses.run(["history", "--json", "-l", "100000"], environment: agentEnv)
        #expect(history.status == 0, "\(history.output)")
        let stored: [[String: Any]] = try history.output.split(separator: "\n").filter { $0.hasPrefix("{") }.map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        }
        // … and the emulator's Tasks.
        let tasks = try await OutboxProcesses.getJSON(url + "/__emulator/records/Task") as? [[String: Any]] ?? []
        let requests = try await OutboxProcesses.getJSON(url + "/__emulator/requests") as? [[String: Any]] ?? []

        #expect(!stored.isEmpty, "no call was saved in \(iterations) iterations: make the kill delays longer")
        var storeByCallObject: [String: [String: Any]] = [:]
        for record in stored {
            guard let id = record["callObject"] as? String else { Issue.record("a stored call without callObject: \(record)"); continue }
            #expect(storeByCallObject[id] == nil, "call \(id) twice in the store")
            storeByCallObject[id] = record
        }
        var tasksByCallObject: [String: [[String: Any]]] = [:]
        for task in tasks {
            let id = task["CallObject"] as? String ?? "(none)"
            tasksByCallObject[id, default: []].append(task)
        }
        let duplicated = tasksByCallObject.filter { $0.value.count > 1 }
        let missing = Set(storeByCallObject.keys).subtracting(tasksByCallObject.keys)
        let extra = Set(tasksByCallObject.keys).subtracting(storeByCallObject.keys)
        #expect(duplicated.isEmpty, "duplicated in Salesforce: \(duplicated.mapValues(\.count))")
        #expect(missing.isEmpty, "saved but never delivered: \(missing.sorted())")
        #expect(extra.isEmpty, "in Salesforce but not in the store: \(extra.sorted())")

        var mismatches: [String] = []
        for (id, record) in storeByCallObject {
            #expect(record["delivery"] as? String == "delivered", "call \(id) is \(record["delivery"] ?? "?")")
            guard let task = tasksByCallObject[id]?.first else { continue }
            #expect(record["crmId"] as? String == task["Id"] as? String, "call \(id): store crmId \(record["crmId"] ?? "nil") vs Task \(task["Id"] ?? "nil")")
            let expected = Self.taskFields(of: record)
            for field in Self.fields where Self.text(task[field]) != expected[field] {
                mismatches.append("\(id) \(field): store \(expected[field] ?? "nil") vs Salesforce \(Self.text(task[field]))")
            }
        }
        #expect(mismatches.isEmpty, "fields differ:\n\(mismatches.joined(separator: "\n"))")

        let posts = requests.filter { request in
            let path = request["path"] as? String ?? ""
            return ["POST", "PATCH"].contains(request["method"] as? String ?? "")
                && (path.contains("/sobjects/Task/") || path.hasSuffix("/sobjects/Task") || path.contains("/composite/sobjects"))
        }
        let checks = requests.filter { ($0["path"] as? String ?? "").hasSuffix("/query/") && ($0["query"] as? String ?? "").contains("CallObject IN") }
        print("crash test result \(variant): \(stored.count) calls saved, \(tasks.count) Tasks in Salesforce, \(duplicated.count) duplicated, \(missing.count) missing, \(mismatches.count) field mismatches; \(posts.count) create/upsert requests, \(checks.count) CallObject checks")

        // The audit log never holds secrets.
        let audit = try OutboxProcesses.run(["audit", "-l", "100000"], environment: agentEnv)
        for secret in [OutboxProcesses.secret, OutboxProcesses.password, OutboxProcesses.securityToken, "Bearer"] {
            #expect(!audit.output.contains(secret), "the audit log contains \(secret)")
        }
        if duplicated.isEmpty && missing.isEmpty && extra.isEmpty && mismatches.isEmpty && !stored.isEmpty {
            try? FileManager.default.removeItem(atPath: directory)
        } else {
            print("logs and databases kept in \(directory)")
        }
    }

    /// Posts `count` single-use faults in a random order to the emulator; returns how many.
    static func injectFaults(url: String, count: Int, rng: inout CrashRNG) async throws -> Int {
        let kinds: [[String: Any]] = [
            ["action": "delay", "delayMs": 150], ["action": "delay-after-processing", "delayMs": 150],
            ["action": "delay", "delayMs": 150], ["action": "delay-after-processing", "delayMs": 2500],
            ["action": "drop-before-processing"], ["action": "drop-after-processing"], ["action": "malformed-json"],
            ["action": "proxy-error-after-processing", "status": 502], ["action": "proxy-error-after-processing", "status": 504, "body": ""],
            ["action": "broken-gzip-after-processing"], ["action": "http09-after-processing"],
        ]
        var list: [[String: Any]] = []
        for _ in 0..<count {
            var fault = kinds[Int.random(in: 0..<kinds.count, using: &rng)]
            // Writes only: single create/upsert and collections (create and upsert).
            fault["pathPrefix"] = Bool.random(using: &rng) ? "/services/data/v62.0/composite/sobjects" : "/services/data/v62.0/sobjects/Task/"
            fault["method"] = fault["pathPrefix"] as? String == "/services/data/v62.0/sobjects/Task/" ? "POST" : nil
            list.append(fault)
        }
        // Upserts of single records go to PATCH …/sobjects/Task/Field/value: give them their share too.
        for index in stride(from: 0, to: list.count, by: 3) where list[index]["method"] != nil {
            list[index]["method"] = "PATCH"
        }
        let body = try JSONSerialization.data(withJSONObject: list)
        _ = try await OutboxProcesses.send("POST", url + "/__emulator/faults", body: body)
        return list.count
    }

    /// The Task fields a stored call record should have produced (`ringside history --json` encoding).
    static func taskFields(of record: [String: Any]) -> [String: String] {
        let who = record["who"] as? [String: Any]
        let what = record["what"] as? [String: Any]
        return ["Subject": text(record["subject"]), "CallType": text(record["callType"]),
                "CallDurationInSeconds": text(record["durationSeconds"]), "CallDisposition": text(record["disposition"]),
                "WhoId": text(who?["id"]), "WhatId": text(what?["id"]), "ActivityDate": text(record["activityDate"]),
                "Description": text(record["description"])]
    }

    /// A JSON value as text for comparison: numbers without a fraction, null and absent as "".
    static func text(_ value: Any?) -> String {
        switch value {
        case nil, is NSNull: return ""
        case let string as String: return string
        case let number as NSNumber:
            let double = number.doubleValue
            return double == double.rounded() ? String(Int(double)) : String(double)
        default: return "\(value!)"
        }
    }
}
