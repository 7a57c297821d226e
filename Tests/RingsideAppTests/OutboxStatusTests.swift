import Foundation
import RingsideApp
import RingsideCore
import RingsideStore
import RingsideTestSupport
import Testing

private enum OutboxBinary {
    static var path: String {
        if let bin = ProcessInfo.processInfo.environment["RINGSIDE_BIN"], !bin.isEmpty { return bin }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.appendingPathComponent(".build/debug/ringside").path
    }
    static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }
}

/// `doctor` and `outbox list`/`retry` show the event outboxes: agent-state platform events and queue events (issue 17).
@Suite("Event outboxes in doctor and outbox list", .serialized)
struct OutboxStatusTests {
    let root = NSTemporaryDirectory() + "ringside-outbox-status-\(UUID().uuidString.prefix(8))"
    var databasePath: String { root + "/data/ringside/ringside.sqlite" }

    /// Two queued events (saved 5 min and 1 min before `now`, the newer one retried), one parked an hour ago, and
    /// two queue events waiting since 2 min before `now`.
    private func seed(now: Date) throws -> SQLiteCallStore {
        try FileManager.default.createDirectory(atPath: root + "/data/ringside", withIntermediateDirectories: true)
        let store = SQLiteCallStore(database: try RingsideDatabase(path: databasePath))
        try store.enqueueEvent(sobject: "Agent_State__e", payload: "{}", at: now.addingTimeInterval(-300))
        let retried = try store.enqueueEvent(sobject: "Agent_State__e", payload: "{}", at: now.addingTimeInterval(-60))
        try store.markEventRetry(retried, error: "HTTP 503: unavailable", next: now)
        let parked = try store.enqueueEvent(sobject: "Agent_State__e", payload: "{}", at: now.addingTimeInterval(-3600))
        try store.markEventParked(parked, error: "INVALID_FIELD: No such column 'State__c'")
        try store.enqueueQueueEvent(agentId: "ann", payload: "{}", at: now.addingTimeInterval(-120))
        try store.enqueueQueueEvent(agentId: "ann", payload: "{}", at: now.addingTimeInterval(-30))
        return store
    }

    private func environment() -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["XDG_CONFIG_HOME"] = root + "/config"
        env["XDG_DATA_HOME"] = root + "/data"
        env["XDG_STATE_HOME"] = root + "/state"
        return env
    }

    @Test func countsAndOldestAges() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let now = Date(timeIntervalSince1970: 1_780_000_000)
        let store = try seed(now: now)
        let status = try OutboxStatus.read(store)
        #expect(status.events == EventOutboxSummary(queued: 2, parked: 1, oldestQueued: now.addingTimeInterval(-300),
                                                    oldestParked: now.addingTimeInterval(-3600), lastError: "HTTP 503: unavailable"))
        #expect(status.needsAttention)
        #expect(status.eventsLine(now: now)
                == "platform events: 2 queued (oldest 5m 00s ago), 1 parked (oldest 1h 00m ago); last error: HTTP 503: unavailable")
        #expect(status.queueLine(now: now) == "queue events (MQTT): 2 waiting (oldest 2m 00s ago)")

        #expect(try store.retryParkedEvents(nil, now: now) == 1)
        let after = try OutboxStatus.read(store)
        #expect(after.events.queued == 3 && after.events.parked == 0 && !after.needsAttention)
        #expect(try store.queuedEvents(limit: 10).allSatisfy { $0.nextAttemptAt <= now })
    }

    @Test func emptyOutboxesSaySo() throws {
        let status = OutboxStatus(events: EventOutboxSummary(), queue: QueueOutboxSummary())
        #expect(status.eventsLine(now: Date()) == "platform events: none waiting")
        #expect(status.queueLine(now: Date()) == "queue events (MQTT): none waiting")
        #expect(!status.needsAttention)
    }

    @Test(.enabled(if: RequiredComponent.runs(OutboxBinary.available), "needs the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
    func theCommandsShowAndRetryTheEventOutbox() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = try seed(now: Date())
        let list = try await ProcessRunner.run(OutboxBinary.path, ["outbox", "list"], environment: environment(), timeout: 60)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("The outbox is empty: every completed call record has been delivered."))
        #expect(list.stdout.contains("platform events: 2 queued (oldest 5m 0"), "\(list.stdout)")
        #expect(list.stdout.contains("1 parked (oldest 1h 00m ago)"))
        #expect(list.stdout.contains("PARKED  event-3  Agent_State__e"))
        #expect(list.stdout.contains("INVALID_FIELD: No such column 'State__c'"))
        #expect(list.stdout.contains("queue events (MQTT): 2 waiting (oldest 2m 0"))

        let doctor = try await ProcessRunner.run(OutboxBinary.path, ["doctor"], environment: environment(), timeout: 60)
        #expect(doctor.stdout.contains("✖ platform events: 2 queued"), "\(doctor.stdout)")
        #expect(doctor.stdout.contains("→ see `ringside outbox list`"))
        #expect(doctor.stdout.contains("✔ queue events (MQTT): 2 waiting"))

        let bad = try await ProcessRunner.run(OutboxBinary.path, ["outbox", "retry", "event-x"], environment: environment(), timeout: 60)
        #expect(bad.status != 0 && bad.stderr.contains("event-N"))
        let retry = try await ProcessRunner.run(OutboxBinary.path, ["outbox", "retry", "event-3"], environment: environment(), timeout: 60)
        #expect(retry.status == 0 && retry.stdout.contains("1 platform event(s) queued again"), "\(retry.stdout)\(retry.stderr)")
        let again = try await ProcessRunner.run(OutboxBinary.path, ["doctor"], environment: environment(), timeout: 60)
        #expect(again.stdout.contains("✔ platform events: 3 queued"), "\(again.stdout)")
    }
}
