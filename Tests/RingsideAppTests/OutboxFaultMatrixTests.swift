import Foundation
import RingsideApp
import RingsideCore
import RingsideCurl
import RingsideSalesforce
import RingsideStore
import SalesforceEmulator
import Testing

/// The outbox worker + Salesforce client over real libcurl against the in-process emulator with injected faults.
/// Every scenario ends with each record delivered exactly once (one Task per CallObject, its id in the store)
/// or parked with the Salesforce error that stopped it.
@Suite("Outbox fault matrix (emulator + libcurl)", .serialized)
struct OutboxFaultMatrixTests {
    static let collections = "/services/data/v62.0/composite/sobjects"
    static let singleTask = "/services/data/v62.0/sobjects/Task"

    // MARK: Server errors and limits

    @Test(arguments: [500, 503])
    func serverErrorsAreRetriedThenDeliveredOnce(status: Int) async throws {
        try await OutboxFaultBench.with { bench in
            // A batch (sObject Collections) …
            try bench.queue(5)
            await bench.emulator.inject(EmulatorFault(action: .error, method: "POST", pathPrefix: Self.collections, status: status))
            let first = await bench.worker.drain()
            #expect(first.retried == 5)
            #expect(try bench.store.outbox().allSatisfy { $0.lastErrorCode == (status == 500 ? "UNKNOWN_EXCEPTION" : "SERVER_UNAVAILABLE") })
            // Backed off in the store (30 s suggested for 5xx).
            #expect(try bench.store.outbox().allSatisfy { $0.nextAttemptAt.timeIntervalSinceNow > 25 })
            try await bench.settle()
            // … and a single record (sObject create).
            try bench.queue(1, prefix: "single")
            await bench.emulator.inject(EmulatorFault(action: .error, method: "POST", pathPrefix: Self.singleTask, status: status))
            #expect(await bench.worker.drain().retried == 1)
            try await bench.settle()
            try await bench.expectExactlyOnce()
        }
    }

    @Test func unableToLockRowIsRetried() async throws {
        try await OutboxFaultBench.with { bench in
            try bench.queue(4)
            await bench.emulator.inject(EmulatorFault(action: .error, method: "POST", pathPrefix: Self.collections, count: 2,
                                                      status: 400, errorCode: "UNABLE_TO_LOCK_ROW"))
            #expect(await bench.worker.drain().retried == 4)
            #expect(try bench.store.outbox().first?.lastErrorCode == "UNABLE_TO_LOCK_ROW")
            try await bench.settle()
            try await bench.expectExactlyOnce()
            #expect(await bench.requests(Self.collections).map(\.status) == [400, 400, 200])
        }
    }

    @Test func requestLimitExceededBacksOffFifteenMinutes() async throws {
        try await OutboxFaultBench.with { bench in
            try bench.queue(3)
            await bench.emulator.inject(EmulatorFault(action: .error, method: "POST", pathPrefix: Self.collections, status: 403))
            #expect(await bench.worker.drain().retried == 3)
            let items = try bench.store.outbox()
            #expect(items.allSatisfy { $0.lastErrorCode == "REQUEST_LIMIT_EXCEEDED" })
            #expect(items.allSatisfy { $0.nextAttemptAt.timeIntervalSinceNow > 850 })
            // Nothing is due for a quarter of an hour.
            #expect(await bench.worker.drain().batches == 0)
            try await bench.settle()
            try await bench.expectExactlyOnce()
        }
    }

    @Test func nearTheDailyLimitItDeliversSlowly() async throws {
        try await OutboxFaultBench.with(batchSize: 2) { bench in
            try bench.queue(6)
            await bench.emulator.setAPIUsage(14_000) // of 15,000: over 90 %
            let first = await bench.worker.drain()
            // One batch, then it stops for now (and says so); the rest stay queued, unclaimed.
            #expect(first.nearLimit)
            #expect(first.batches == 1)
            #expect(first.delivered == 2)
            #expect(try bench.store.outbox().allSatisfy { $0.claimedUntil == nil && $0.attempts == 0 })
            await bench.emulator.setAPIUsage(0)
            try await bench.settle()
            try await bench.expectExactlyOnce()
        }
    }

    // MARK: Timeouts and dropped connections

    @Test func aTimeoutAfterSendingIsCheckedBeforeResending() async throws {
        try await OutboxFaultBench.with(timeout: .seconds(1)) { bench in
            for (path, count) in [(Self.collections, 3), (Self.singleTask, 1)] {
                try bench.queue(count, prefix: "slow-\(count)")
                await bench.emulator.inject(EmulatorFault(action: .delay, method: "POST", pathPrefix: path, delayMs: 2000))
                let first = await bench.worker.drain()
                #expect(first.retried == count)
                #expect(try bench.store.outbox().allSatisfy { $0.uncertain && $0.lastErrorCode == "UNCERTAIN" })
                // The slow server finishes the request the client gave up on.
                try await bench.waitForRequests(path, count: 1)
                bench.skipUncertainWindow()
                let second = await bench.worker.drain(allQueued: true)
                #expect(second.deduplicated == count)
                #expect(second.delivered == 0)
                // No second create.
                #expect(await bench.requests(path).count == 1)
            }
            try await bench.expectExactlyOnce()
            // One batched CallObject check per phase.
            #expect(await bench.requests("/services/data/v62.0/query").count == 2)
        }
    }

    @Test func aConnectionResetBeforeProcessingIsCheckedThenResent() async throws {
        try await OutboxFaultBench.with { bench in
            try bench.queue(3)
            await bench.emulator.inject(EmulatorFault(action: .dropBeforeProcessing, method: "POST", pathPrefix: Self.collections))
            let first = await bench.worker.drain()
            #expect(first.retried == 3)
            #expect(await bench.emulator.records(of: "Task").isEmpty)
            bench.skipUncertainWindow()
            let second = await bench.worker.drain(allQueued: true)
            #expect(second.delivered == 3)
            #expect(second.deduplicated == 0)
            try await bench.expectExactlyOnce()
        }
    }

    @Test func aConnectionResetAfterProcessingIsNotResent() async throws {
        try await OutboxFaultBench.with { bench in
            for (path, count) in [(Self.collections, 3), (Self.singleTask, 1)] {
                try bench.queue(count, prefix: "dropped-\(count)")
                await bench.emulator.inject(EmulatorFault(action: .dropAfterProcessing, method: "POST", pathPrefix: path))
                #expect(await bench.worker.drain().retried == count)
                #expect(try bench.store.outbox().allSatisfy(\.uncertain))
                bench.skipUncertainWindow()
                #expect(await bench.worker.drain(allQueued: true).deduplicated == count)
            }
            #expect(await bench.emulator.records(of: "Task").count == 4)
            try await bench.expectExactlyOnce()
        }
    }

    // MARK: Sessions and answers

    @Test func anExpiredSessionMidDrainIsRefreshedAndTheDrainGoesOn() async throws {
        try await OutboxFaultBench.with(batchSize: 2, expireTokensAfterBatch: 1) { bench in
            try bench.queue(6)
            let summary = await bench.worker.drain()
            #expect(summary.delivered == 6)
            #expect(summary.retried == 0)
            #expect(summary.batches == 3)
            try await bench.expectExactlyOnce()
            let log = await bench.emulator.requestLog
            #expect(log.contains { $0.status == 401 })
            #expect(log.filter { $0.path == "/services/oauth2/token" }.count == 2)
        }
    }

    @Test func anInjectedInvalidSessionIsRefreshedOnce() async throws {
        try await OutboxFaultBench.with { bench in
            try bench.queue(2)
            await bench.emulator.inject(EmulatorFault(action: .error, method: "POST", pathPrefix: Self.collections, status: 401))
            #expect(await bench.worker.drain().delivered == 2)
            try await bench.expectExactlyOnce()
        }
    }

    @Test func malformedJSONAfterProcessingIsCheckedNotResent() async throws {
        try await OutboxFaultBench.with { bench in
            for (path, count) in [(Self.collections, 3), (Self.singleTask, 1)] {
                try bench.queue(count, prefix: "garbled-\(count)")
                await bench.emulator.inject(EmulatorFault(action: .malformedJSON, method: "POST", pathPrefix: path))
                #expect(await bench.worker.drain().retried == count)
                #expect(try bench.store.outbox().allSatisfy(\.uncertain))
                bench.skipUncertainWindow()
                #expect(await bench.worker.drain(allQueued: true).deduplicated == count)
            }
            try await bench.expectExactlyOnce()
        }
    }

    @Test func perRecordFailuresInACollectionParkOrDropTheAssociation() async throws {
        try await OutboxFaultBench.with { bench in
            let good = try bench.queue(2)
            var picklist = OutboxFaultBench.record("bad-picklist")
            picklist.status = "Finished"
            try bench.store.complete(picklist, at: Date())
            // A Contact deleted after the call; and a WhoId that never existed.
            let deleted = try await bench.addContact(lastName: "Gone")
            try await bench.deleteRecord("Contact", deleted)
            let gone = OutboxFaultBench.record("deleted-who", who: EntityRef(type: .contact, id: deleted, name: "Gone"), what: nil)
            try bench.store.complete(gone, at: Date())
            let bogus = OutboxFaultBench.record("bogus-who", who: EntityRef(type: .contact, id: "003Dg00000000zz", name: "Nobody"),
                                                what: EntityRef(type: .account, id: OutboxFaultBench.acme, name: "Acme"))
            try bench.store.complete(bogus, at: Date())

            let summary = await bench.worker.drain()
            #expect(summary.delivered == 4)
            #expect(summary.parked == 1)
            #expect(summary.associationsDropped == 2)
            try await bench.expectExactlyOnce(parked: ["bad-picklist": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"])
            #expect(good.count == 2)
            // One collection for all five, then one for the two re-sent without their association.
            #expect(await bench.requests(Self.collections).count == 2)

            let tasks = await bench.tasksByCallObject()
            let deletedTask = try #require(tasks["deleted-who"])
            #expect(deletedTask["WhoId"] == nil || deletedTask["WhoId"]?.isNull == true)
            #expect(deletedTask["Description"]?.stringValue?.contains("Saved without its association (Contact \(deleted)): ENTITY_IS_DELETED") == true)
            let bogusTask = try #require(tasks["bogus-who"])
            #expect(bogusTask["WhatId"] == nil || bogusTask["WhatId"]?.isNull == true)
            #expect(bogusTask["Description"]?.stringValue?.contains("INVALID_CROSS_REFERENCE_KEY") == true)
            #expect(try bench.store.record("bogus-who")?.associationNote?.contains("Contact 003Dg00000000zz, Account \(OutboxFaultBench.acme)") == true)
            let parked = try #require(try bench.store.outbox().first { $0.callObject == "bad-picklist" })
            #expect(parked.lastError?.contains("bad value for restricted picklist field: Finished") == true)
            #expect(try bench.store.record("bad-picklist")?.lastError?.hasPrefix("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST") == true)
        }
    }

    @Test func everythingAtOnce() async throws {
        // A drain through a sequence of faults, one after another, on batches of 3.
        try await OutboxFaultBench.with(batchSize: 3) { bench in
            try bench.queue(15)
            let faults: [EmulatorFault] = [
                EmulatorFault(action: .error, method: "POST", pathPrefix: Self.collections, status: 503),
                EmulatorFault(action: .dropAfterProcessing, method: "POST", pathPrefix: Self.collections),
                EmulatorFault(action: .error, method: "POST", pathPrefix: Self.collections, status: 400, errorCode: "UNABLE_TO_LOCK_ROW"),
                EmulatorFault(action: .malformedJSON, method: "POST", pathPrefix: Self.collections),
                EmulatorFault(action: .dropBeforeProcessing, method: "POST", pathPrefix: Self.collections),
                EmulatorFault(action: .dropAfterProcessing, method: "GET", pathPrefix: "/services/data/v62.0/query"),
                EmulatorFault(action: .error, method: "GET", pathPrefix: "/services/data/v62.0/query", status: 500),
            ]
            for fault in faults { await bench.emulator.inject(fault) }
            try await bench.settle(rounds: 12)
            try await bench.expectExactlyOnce()
        }
    }
}

/// One emulator, one Salesforce client over libcurl, one SQLite store and its worker.
struct OutboxFaultBench: Sendable {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let clientId = "fault-matrix-client"
    static let clientSecret = "fault-matrix-SECRET-x9"
    static let username = "agent@ringside.example"
    static let password = "fault-matrix-PASSWORD-q7"
    static let securityToken = "FMTOKEN55"
    static let owner = "005Dg0000000001IAA"
    static let ann = "003Dg0000000001IAA"
    static let acme = "001Dg0000000001IAA"

    let emulator: SalesforceEmulator
    let client: SalesforceClient
    let db: OutboxTestDatabase
    let store: SQLiteCallStore
    let worker: OutboxWorker
    let policy: DeliveryPolicy
    /// The worker's clock: real time plus what `skipAhead` added (the emulator itself is never slowed down by it).
    let clock: BenchClock

    static func seed() throws -> EmulatorSeed {
        var seed = try EmulatorSeed.load(contentsOf: repoRoot.appendingPathComponent("Resources/emulator-seed.json"))
        seed.credentials = EmulatorSeed.Credentials(clientId: clientId, clientSecret: clientSecret, username: username,
                                                    password: password, securityToken: securityToken)
        return seed
    }

    static func settings(base: String, timeout: Duration) -> SalesforceSettings {
        var settings = SalesforceSettings(loginURL: base, apiVersion: "v62.0", authKind: .password, clientId: clientId,
                                          clientSecret: clientSecret, username: username, password: password,
                                          securityToken: securityToken, defaultRegion: .GB, allowInsecureLoopback: true)
        settings.requestTimeouts = .init(connect: .seconds(5), total: timeout)
        return settings
    }

    /// Runs `body` with a fresh bench, always stopping the emulator and removing the database.
    static func with(timeout: Duration = .seconds(10), grace: Double = 120, batchSize: Int = 200, expireTokensAfterBatch: Int? = nil,
                     callIdField: CallIdField = .none, seed: EmulatorSeed? = nil,
                     _ body: (OutboxFaultBench) async throws -> Void) async throws {
        let emulator = try await SalesforceEmulator.start(seed: seed ?? Self.seed(), port: 0)
        let db = OutboxTestDatabase(name: "faults")
        do {
            var settings = settings(base: emulator.baseURL.absoluteString, timeout: timeout)
            settings.callIdField = callIdField
            let client = try SalesforceClient.live(settings: settings, tokenStore: InMemoryTokenStore())
            var sink: any RecordSink = SalesforceRecordSink(client: client)
            if let expireTokensAfterBatch {
                sink = ExpiringSessionSink(inner: sink, emulator: emulator, afterBatches: expireTokensAfterBatch)
            }
            let store = try db.open()
            // Production backoff rules with the jitter pinned (tests drain with allQueued instead of waiting).
            let (seconds, attoseconds) = timeout.components
            let policy = DeliveryPolicy(requestTimeoutSeconds: Double(seconds) + Double(attoseconds) / 1e18, uncertainGraceSeconds: grace)
            let clock = BenchClock()
            let worker = OutboxWorker(store: store, sink: sink, policy: policy, batchSize: batchSize, clock: clock.function, unit: { 0.5 })
            try await body(OutboxFaultBench(emulator: emulator, client: client, db: db, store: store, worker: worker,
                                            policy: policy, clock: clock))
        } catch {
            await emulator.stop()
            db.remove()
            throw error
        }
        await emulator.stop()
        db.remove()
    }

    /// A completed call record for the emulator's seed (Ann Lee at Acme, owned by the seeded agent).
    static func record(_ id: CallObjectID, who: EntityRef? = EntityRef(type: .contact, id: ann, name: "Ann Lee", accountId: acme),
                       what: EntityRef? = EntityRef(type: .account, id: acme, name: "Acme")) -> CallRecord {
        var record = OutboxRecords.record(id, who: who, what: what, keepFixtureAssociation: false)
        record.who = who
        record.what = what
        record.ownerId = owner
        return record
    }

    @discardableResult
    func queue(_ count: Int, prefix: String = "call") throws -> [CallRecord] {
        try (1...count).map { n in
            let record = Self.record("\(prefix)-\(n)")
            try store.complete(record, at: Date())
            return record
        }
    }

    /// Moves the worker's clock past the time an uncertain request may still be running. Only for faults whose
    /// request has finished at the emulator (drops, errors, garbled answers); slow requests are waited for for real.
    func skipUncertainWindow() {
        clock.advance(policy.uncertainWindowSeconds + 1)
    }

    /// Drains everything queued (ignoring backoff) until nothing is left but parked records.
    func settle(rounds: Int = 6) async throws {
        for _ in 0..<rounds {
            if try store.outboxCounts().queued == 0 { return }
            skipUncertainWindow()
            await worker.drain(allQueued: true)
        }
        let left = try store.outbox().filter { !$0.parked }
        if !left.isEmpty {
            throw Failure("still queued after \(rounds) drains: \(left.map { "\($0.callObject) \($0.lastErrorCode ?? "-") \($0.lastError ?? "")" })")
        }
    }

    func tasksByCallObject() async -> [String: EmulatorRecord] {
        var out: [String: EmulatorRecord] = [:]
        for task in await emulator.records(of: "Task") {
            if let id = task["CallObject"]?.stringValue { out[id] = task }
        }
        return out
    }

    /// Every stored call is delivered with exactly one Task (its id in the store), or parked with the given code
    /// and no Task; nothing is left queued; the audit log holds no secret.
    func expectExactlyOnce(parked: [CallObjectID: String] = [:]) async throws {
        let tasks = await emulator.records(of: "Task")
        var counts: [String: Int] = [:]
        for task in tasks { counts[task["CallObject"]?.stringValue ?? "(none)", default: 0] += 1 }
        let calls = try store.calls(in: DeliveryState.allCases)
        let byId = await tasksByCallObject()
        #expect(Set(counts.keys) == Set(calls.map(\.callObject)).subtracting(parked.keys), "Tasks vs stored calls")
        for call in calls {
            if let code = parked[call.callObject] {
                #expect(call.delivery == .parked, "\(call.callObject) should be parked")
                #expect(counts[call.callObject] == nil, "\(call.callObject) is parked but reached Salesforce")
                let item = try store.outbox().first { $0.callObject == call.callObject }
                #expect(item?.parked == true && item?.lastErrorCode == code, "\(call.callObject): \(String(describing: item))")
            } else {
                #expect(call.delivery == .delivered, "\(call.callObject) is \(call.delivery) (\(call.lastError ?? ""))")
                #expect(counts[call.callObject] == 1, "\(call.callObject) reached Salesforce \(counts[call.callObject] ?? 0) times")
                #expect(byId[call.callObject]?["Id"]?.stringValue == call.crmId)
                #expect(byId[call.callObject]?["Subject"]?.stringValue == call.subject)
                #expect(byId[call.callObject]?["Description"]?.stringValue == call.description)
            }
        }
        #expect(try store.outboxCounts().queued == 0)
        let secrets = [Self.password, Self.clientSecret, Self.securityToken, "Bearer",
                       (try? await client.auth.currentSession().accessToken) ?? Self.password]
        for entry in try store.audit(since: nil, limit: 100_000) {
            let text = [entry.action, entry.endpoint ?? "", entry.errorCode ?? "", entry.detail ?? ""].joined(separator: " ")
            for secret in secrets { #expect(!text.contains(secret), "audit entry leaks a secret: \(text)") }
        }
    }

    func requests(_ pathPrefix: String) async -> [EmulatorLogEntry] {
        // Describe requests (`…/sobjects/Task/describe/`, issue 15) are not deliveries.
        await emulator.requestLog.filter { $0.path.hasPrefix(pathPrefix) && !$0.path.hasSuffix("/describe/") }
    }

    /// Waits until the emulator has logged (finished) `count` requests under `pathPrefix`.
    func waitForRequests(_ pathPrefix: String, count: Int, timeout: Double = 10) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while await requests(pathPrefix).count < count {
            if Date() > deadline { throw Failure("the emulator did not finish \(count) request(s) to \(pathPrefix)") }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    func addContact(lastName: String) async throws -> String {
        try await emulator.addRecords([["LastName": .string(lastName), "AccountId": .string(Self.acme)]], of: "Contact")[0]
    }

    /// Deletes through the REST API (as a person in Salesforce would), with a token of its own.
    func deleteRecord(_ type: String, _ id: String) async throws {
        let token = await emulator.issueAccessToken()
        let http = try CurlHTTPClient(configuration: CurlConfiguration(allowInsecureLoopback: true))
        let response = try await http.send(HTTPRequest(method: .delete, url: "\(emulator.baseURL.absoluteString)/services/data/v62.0/sobjects/\(type)/\(id)",
                                                       headers: ["Authorization": "Bearer \(token)"]))
        guard response.status == 204 else { throw Failure("DELETE \(type)/\(id): HTTP \(response.status)") }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// Expires every access token after the first `afterBatches` deliveries: the session dies mid-drain.
final class ExpiringSessionSink: RecordSink, @unchecked Sendable {
    let inner: any RecordSink
    let emulator: SalesforceEmulator
    let afterBatches: Int
    private let lock = NSLock()
    private var batches = 0

    init(inner: any RecordSink, emulator: SalesforceEmulator, afterBatches: Int) {
        self.inner = inner
        self.emulator = emulator
        self.afterBatches = afterBatches
    }

    var endpoint: String { inner.endpoint }

    func deliver(_ records: [CallRecord]) async -> [(CallObjectID, Result<String, DeliveryFailure>)] {
        let result = await inner.deliver(records)
        let count = lock.withLock { batches += 1; return batches }
        if count == afterBatches { await emulator.expireTokens() }
        return result
    }

    func existing(callObjects: [CallObjectID]) async -> Result<[CallObjectID: String], DeliveryFailure> {
        await inner.existing(callObjects: callObjects)
    }

    func nearDailyLimit() async -> Bool { await inner.nearDailyLimit() }
}

/// Real time plus an offset the test moves forward.
final class BenchClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0
    var now: Date { lock.withLock { Date().addingTimeInterval(offset) } }
    func advance(_ seconds: TimeInterval) { lock.withLock { offset += seconds } }
    var function: @Sendable () -> Date { { [self] in now } }
}
