import Foundation
import RingsideApp
import RingsideCore
import RingsideCurl
import RingsideSalesforce
import RingsideStore
import SalesforceEmulator
import Testing

/// Issue 14: the reproductions of duplicate Tasks, against the emulator over real libcurl, each with and without
/// the External ID field (`Ringside_Call_Id__c`). Every one ends with a count of Tasks by CallObject: exactly one
/// per call, none missing. Client timeout 1 s and server grace 8 s stand in for the production 20 s + 120 s (the
/// grace leaves room for a loaded machine: the emulator's 2–3 s delays must end inside timeout + grace).
@Suite("Exactly once under any timing (issue 14)", .serialized)
struct ExactlyOnceReproTests {
    static let collections = OutboxFaultMatrixTests.collections
    static let singleTask = OutboxFaultMatrixTests.singleTask

    /// A bench whose org has (or lacks) the call-id field, found by describe as in production.
    static func with(callIdField: Bool, _ body: (OutboxFaultBench) async throws -> Void) async throws {
        var seed = try OutboxFaultBench.seed()
        seed.org.callIdField = callIdField
        try await OutboxFaultBench.with(timeout: .seconds(1), grace: 8, callIdField: callIdField ? .detect : .none, seed: seed, body)
    }

    /// The method and path prefix a delivery of `count` records uses.
    static func target(count: Int, callIdField: Bool) -> (method: String, path: String) {
        switch (count, callIdField) {
        case (1, false): ("POST", singleTask)
        case (_, false): ("POST", collections)
        case (1, true): ("PATCH", singleTask + "/Ringside_Call_Id__c/")
        case (_, true): ("PATCH", collections + "/Task/Ringside_Call_Id__c")
        }
    }

    /// Drains (all queued) until the outbox is empty, in real time: slow requests finish at their own pace.
    static func drainUntilEmpty(_ bench: OutboxFaultBench, limit: Double = 30) async throws {
        let deadline = Date().addingTimeInterval(limit)
        while try bench.store.outboxCounts().queued > 0 {
            if Date() > deadline { throw OutboxFaultBench.Failure("still queued after \(limit) s: \(try bench.store.outbox())") }
            await bench.worker.drain(allQueued: true)
            try await Task.sleep(nanoseconds: 250_000_000)
        }
    }

    /// Counts Tasks by CallObject against the stored calls, prints the figures, and checks exactly-once.
    static func count(_ bench: OutboxFaultBench, _ name: String) async throws {
        // Every request the emulator received has finished (a slow one may still create a Task).
        let deadline = Date().addingTimeInterval(30)
        while await bench.emulator.inFlight > 0 {
            if Date() > deadline { throw OutboxFaultBench.Failure("the emulator is still processing requests") }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        let tasks = await bench.emulator.records(of: "Task")
        var byCall: [String: Int] = [:]
        for task in tasks { byCall[task["CallObject"]?.stringValue ?? "(none)", default: 0] += 1 }
        let calls = try bench.store.calls(in: DeliveryState.allCases).map(\.callObject)
        let duplicates = byCall.values.reduce(0) { $0 + max(0, $1 - 1) }
        let missing = calls.filter { byCall[$0] == nil }.count
        print("\(name): \(calls.count) calls, \(tasks.count) Tasks, \(duplicates) duplicates, \(missing) missing")
        #expect(duplicates == 0 && missing == 0, "\(name): Tasks by CallObject \(byCall)")
        try await bench.expectExactlyOnce()
    }

    // MARK: 1. A killed sender's request is still running when its claim is taken over

    @Test(arguments: [false, true])
    func aKilledSendersClaimIsNotCheckedWhileItsRequestRuns(callIdField: Bool) async throws {
        try await Self.with(callIdField: callIdField) { bench in
            let records = try bench.queue(1, prefix: "taken")
            let target = Self.target(count: 1, callIdField: callIdField)
            // The server takes 2 s before it creates the Task (the client gives up after 1 s).
            await bench.emulator.inject(EmulatorFault(action: .delay, method: target.method, pathPrefix: target.path, delayMs: 2000))
            // The dead sender: claimed, noted as sent, request on the wire — then the process is gone.
            let claimed = try bench.store.claimDue(due: Date(), now: bench.clock.now, limit: 10)
            #expect(claimed.count == 1)
            let before = await bench.emulator.received.count
            // Its request goes out on a client of its own with a long timeout, so it surely reaches the server
            // however busy the machine is (the dead sender never learns the answer either way).
            var orphanSettings = OutboxFaultBench.settings(base: bench.emulator.baseURL.absoluteString, timeout: .seconds(60))
            orphanSettings.callIdField = callIdField ? .detect : .none
            let orphanClient = try SalesforceClient.live(settings: orphanSettings, tokenStore: InMemoryTokenStore())
            let orphan = Task { await SalesforceRecordSink(client: orphanClient).send(records) }
            // Wait until the server has the request (a counter, so a busy machine can't miss it).
            let deadline = Date().addingTimeInterval(30)
            while await !bench.emulator.received.dropFirst(before).contains(where: { $0.hasPrefix(target.path) }) {
                if Date() > deadline { throw OutboxFaultBench.Failure("the orphan's request never reached the emulator") }
                try await Task.sleep(nanoseconds: 10_000_000)
            }
            // Noted as sent when its request went out (marked here, once it is surely on the wire: a loaded machine
            // may take seconds to get it there, which must not eat into the window the successor respects).
            try bench.store.markSent(records.map(\.callObject), at: bench.clock.now, idempotent: callIdField)
            // Its successor holds the delivery lock and takes the claim over at once.
            let first = await bench.worker.drain(allQueued: true)
            if callIdField {
                #expect(first.delivered == 1, "an upsert is simply sent again")
            } else {
                #expect(first.waiting == 1 && first.delivered == 0 && first.deduplicated == 0, "\(first)")
            }
            try await Self.drainUntilEmpty(bench)
            _ = await orphan.value
            try await Self.count(bench, "repro 1 (takeover of a killed sender's claim, field \(callIdField ? "on" : "off"))")
        }
    }

    // MARK: 2. A server slower than the client's total timeout

    @Test(arguments: [false, true])
    func aServerSlowerThanTheClientTimeoutIsWaitedFor(callIdField: Bool) async throws {
        try await Self.with(callIdField: callIdField) { bench in
            try bench.queue(2, prefix: "slow")
            let target = Self.target(count: 2, callIdField: callIdField)
            await bench.emulator.inject(EmulatorFault(action: .delay, method: target.method, pathPrefix: target.path, delayMs: 3000))
            let first = await bench.worker.drain()
            #expect(first.retried == 2)
            #expect(try bench.store.outbox().allSatisfy { $0.uncertain && $0.lastErrorCode == "UNCERTAIN" })
            // `drain --all` right away: the requests are still running at the server.
            let early = await bench.worker.drain(allQueued: true)
            if callIdField {
                #expect(early.delivered == 2)
            } else {
                #expect(early.waiting == 2 && early.delivered == 0)
                #expect(await bench.requests("/services/data/v62.0/query").isEmpty, "no check while the request may run")
            }
            try await Self.drainUntilEmpty(bench)
            try await bench.waitForRequests(target.path, count: callIdField ? 2 : 1)
            try await Self.count(bench, "repro 2 (server slower than the client timeout, field \(callIdField ? "on" : "off"))")
        }
    }

    // MARK: 3. A proxy's body-less 502/504 after Salesforce created the Task

    @Test(arguments: [false, true])
    func aProxyErrorAfterCreatingIsUncertainNotRetryable(callIdField: Bool) async throws {
        try await Self.with(callIdField: callIdField) { bench in
            for (count, status, body) in [(1, 502, nil), (3, 504, ""), (1, 503, "<html>Service Unavailable</html>")] as [(Int, Int, String?)] {
                try bench.queue(count, prefix: "proxy-\(status)")
                let target = Self.target(count: count, callIdField: callIdField)
                await bench.emulator.inject(EmulatorFault(action: .proxyErrorAfterProcessing, method: target.method, pathPrefix: target.path,
                                                          status: status, body: body))
                let first = await bench.worker.drain()
                #expect(first.retried == count && first.parked == 0)
                let items = try bench.store.outbox()
                #expect(items.allSatisfy { $0.uncertain && $0.lastError?.contains("HTTP \(status)") == true }, "\(items)")
                // The failed attempt is audited with its real endpoint and status.
                let audit = try bench.store.audit(since: nil, limit: 100).filter { $0.callObject?.hasPrefix("proxy-\(status)") == true }
                #expect(audit.contains { $0.httpStatus == status && $0.errorCode == "UNCERTAIN" })
                let endpoint = try #require(audit.first?.endpoint)
                #expect(endpoint.hasPrefix(target.method), "\(endpoint)")
                #expect(endpoint.contains(callIdField ? "Ringside_Call_Id__c" : (count == 1 ? "/sobjects/Task" : "/composite/sobjects")), "\(endpoint)")
                bench.skipUncertainWindow()
                let second = await bench.worker.drain(allQueued: true)
                #expect(second.deduplicated + second.delivered == count)
                if !callIdField { #expect(second.deduplicated == count) }
            }
            try await Self.count(bench, "repro 3 (proxy 502/503/504 after creating, field \(callIdField ? "on" : "off"))")
        }
    }

    // MARK: 4. libcurl errors after the request was sent: broken gzip (61), an HTTP/0.9 reply

    @Test(arguments: [false, true])
    func unreadableRepliesAfterCreatingAreUncertainNotParked(callIdField: Bool) async throws {
        try await Self.with(callIdField: callIdField) { bench in
            for (count, action) in [(1, EmulatorFault.Action.brokenGzipAfterProcessing), (2, .brokenGzipAfterProcessing),
                                    (1, .http09AfterProcessing), (2, .http09AfterProcessing)] {
                let prefix = "\(action.rawValue)-\(count)"
                try bench.queue(count, prefix: prefix)
                let target = Self.target(count: count, callIdField: callIdField)
                await bench.emulator.inject(EmulatorFault(action: action, method: target.method, pathPrefix: target.path))
                let first = await bench.worker.drain()
                let left = try bench.store.outbox()
                #expect(first.parked == 0 && first.retried == count, "\(action): \(first) \(left)")
                #expect(try bench.store.outbox().allSatisfy(\.uncertain))
                bench.skipUncertainWindow()
                let second = await bench.worker.drain(allQueued: true)
                #expect(second.deduplicated + second.delivered == count)
                if !callIdField { #expect(second.deduplicated == count) }
            }
            try await Self.count(bench, "repro 4 (broken gzip, HTTP/0.9 reply, field \(callIdField ? "on" : "off"))")
        }
    }

    /// A record parked while it may have been delivered stays "check first" when an admin retries it.
    @Test func aParkedUncertainRecordIsCheckedWhenRetried() async throws {
        try await Self.with(callIdField: false) { bench in
            try bench.queue(1, prefix: "parked")
            let target = Self.target(count: 1, callIdField: false)
            await bench.emulator.inject(EmulatorFault(action: .brokenGzipAfterProcessing, method: target.method, pathPrefix: target.path))
            await bench.worker.drain()
            // The check is refused for good, so the record parks — still uncertain.
            await bench.emulator.inject(EmulatorFault(action: .error, method: "GET", pathPrefix: "/services/data/v62.0/query", status: 400,
                                                      errorCode: "INVALID_FIELD"))
            bench.skipUncertainWindow()
            #expect(await bench.worker.drain(allQueued: true).parked == 1)
            #expect(try bench.store.outbox().first.map { $0.parked && $0.uncertain } == true)
            // `outbox retry`: asks first, finds the Task, never sends a second.
            try bench.store.retryParked(nil, now: bench.clock.now)
            #expect(await bench.worker.drain(allQueued: true).deduplicated == 1)
            try await Self.count(bench, "parked uncertain record retried")
        }
    }
}
