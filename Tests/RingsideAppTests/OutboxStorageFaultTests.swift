import Foundation
import RingsideApp
import RingsideCore
import RingsidePhone
import RingsideStore
import Testing

/// The store refuses writes (database full, read-only file): the agent sees a clear banner, the console keeps
/// working, the record waits in memory and is saved once the store accepts writes; nothing saved before is lost.
/// (A read-only connection can't become writable again, and GRDB manages `PRAGMA query_only` itself, so recovery
/// is shown with the full database.)
@Suite("Outbox storage faults", .serialized)
struct OutboxStorageFaultTests {
    /// A local agent (demo directory) in its own folder, and a runtime over `store` (a connection with the fault).
    struct Bench {
        let home: String
        let agent: LocalAgent
        let phone = SimulatedPhone(outcome: { _ in .answer(afterSeconds: 0) })

        init() throws {
            home = NSTemporaryDirectory() + "ringside-storage-\(UUID().uuidString.prefix(8))"
            let config = try RingsideConfig.load(path: nil, environment: ["HOME": home, "XDG_DATA_HOME": home + "/data",
                                                                          "XDG_CONFIG_HOME": home + "/config"])
            agent = try LocalAgent(config: config)
        }

        var path: String { agent.config.databasePath }

        func runtime(store: SQLiteCallStore) async -> AgentRuntime {
            var settings = agent.settings
            settings.completedState = .queued
            let runtime = AgentRuntime(settings: settings, user: agent.user, crm: agent.directory, phone: phone, store: store,
                                       directory: agent.directory, labels: .init(crm: "Local directory", phone: "Simulated phone", isDemo: false))
            await runtime.start()
            return runtime
        }

        func remove() { try? FileManager.default.removeItem(atPath: home) }
    }

    /// Rings, answers, hangs up and finishes wrap-up; returns the call id.
    static func call(_ runtime: AgentRuntime, from number: String, notes: String) async throws -> CallObjectID {
        _ = await runtime.ring(from: number)
        let id = try await waitFor(runtime, "the lookup") { session -> CallObjectID? in
            guard let call = session.focusedCall, call.line != nil else { return nil }
            switch call.match {
            case .finished, .skippedInternal, .failed: return call.id
            case .notStarted, .searching: return nil
            }
        }
        await runtime.send(.answer)
        _ = try await waitFor(runtime, "connected") { $0.focusedCall?.state == .connected ? true : nil }
        await runtime.send(.hangUp)
        _ = try await waitFor(runtime, "wrap-up") { $0.calls.first { $0.id == id }?.state == .wrapUp ? true : nil }
        await runtime.send(.finishWrapUp(disposition: "Resolved", notes: notes))
        _ = try await waitFor(runtime, "the call to finish") { session in session.calls.contains { $0.id == id } ? nil : true }
        return id
    }

    static func waitFor<T>(_ runtime: AgentRuntime, _ what: String, timeout: Double = 30, _ check: (AgentSession) -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let value = check(await runtime.current) { return value }
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        throw Failure(description: "timed out waiting for \(what)")
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Reopens the file with a fresh connection: integrity check and every call as stored.
    static func reopen(_ path: String) throws -> (integrity: String, calls: [CallObjectID: CallRecord]) {
        let database = try RingsideDatabase(path: path)
        let store = SQLiteCallStore(database: database)
        let calls = try store.calls(in: DeliveryState.allCases)
        // `PRAGMA integrity_check` through the store's SQL runner, which returns no rows: the statement fails
        // (integer overflow) unless the check says "ok".
        var integrity = "ok"
        do {
            try database.execute("""
                SELECT CASE WHEN (SELECT group_concat(integrity_check) FROM pragma_integrity_check) = 'ok' THEN 0
                ELSE abs(-9223372036854775808) END
                """)
        } catch {
            integrity = "\(error)"
        }
        return (integrity, Dictionary(uniqueKeysWithValues: calls.map { ($0.callObject, $0) }))
    }

    @Test func aFullDatabaseKeepsTheRecordInMemoryAndSavesItLater() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        // Some calls are already saved.
        let before = try OutboxRecords.queue(3, prefix: "before", in: bench.agent.store, now: Date())
        // Now the database may not grow: fill it up to its limit with real records.
        let full = try SQLiteCallStore(database: RingsideDatabase(path: bench.path, maxPageCount: try bench.agent.database.pageCount()))
        var filled: [CallRecord] = []
        do {
            for n in 1...10_000 {
                let record = OutboxRecords.record(String(format: "fill-%05d", n))
                try full.complete(record, at: Date())
                filled.append(record)
            }
            Issue.record("the database never filled up")
        } catch StoreError.full {
            // Expected: the limit is reached.
        }

        let runtime = await bench.runtime(store: full)
        let first = try await Self.call(runtime, from: "+44 1632 960001", notes: "while full")
        let banner = try #require(await runtime.current.banner)
        #expect(banner.level == .error)
        #expect(banner.text.contains("NOT saved"))
        #expect(banner.text.contains("is full"))
        #expect(await runtime.unsavedCount == 1)
        #expect(try full.record(first) == nil)
        // The console keeps working: another call goes through.
        let second = try await Self.call(runtime, from: "+44 1632 960002", notes: "still full")
        #expect(await runtime.unsavedCount == 2)

        // Space again: both are saved within the retry interval, and the banner says so.
        try full.database.execute("PRAGMA max_page_count = 1073741823")
        for _ in 0..<300 where await runtime.unsavedCount > 0 { try await Task.sleep(nanoseconds: 50_000_000) }
        #expect(await runtime.unsavedCount == 0)
        #expect(try full.record(first)?.notes == "while full")
        #expect(try full.record(second)?.delivery == .queued)
        #expect(await runtime.current.banner?.level != .error)
        await runtime.stop()

        // Reopened: sound, and everything saved before, during and after is there as it was.
        let (integrity, calls) = try Self.reopen(bench.path)
        #expect(integrity == "ok")
        for record in before + filled { #expect(calls[record.callObject] == record, "\(record.callObject) changed") }
        #expect(calls[first]?.notes == "while full")
        #expect(calls[second]?.notes == "still full")
        #expect(calls.count == before.count + filled.count + 2)
    }

    @Test func aReadOnlyDatabaseWarnsAndLosesNothing() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        let before = try OutboxRecords.queue(3, prefix: "before", in: bench.agent.store, now: Date())
        let readOnly = try SQLiteCallStore(database: RingsideDatabase(path: bench.path, readOnly: true))
        let runtime = await bench.runtime(store: readOnly)
        let id = try await Self.call(runtime, from: "+44 1632 960003", notes: "read-only")
        let banner = try #require(await runtime.current.banner)
        #expect(banner.level == .error)
        #expect(banner.text.contains("NOT saved"))
        #expect(banner.text.contains("read-only"))
        #expect(await runtime.unsavedCount == 1)
        // History still reads.
        #expect(await runtime.snapshot().history.count == 3)
        await runtime.stop()
        let (integrity, calls) = try Self.reopen(bench.path)
        #expect(integrity == "ok")
        #expect(calls.count == 3)
        for record in before { #expect(calls[record.callObject] == record) }
        #expect(calls[id] == nil)
    }
}
