import Foundation
import RingsideApp
import RingsideCore
import RingsidePhone
import RingsideStore
import Testing

/// Issue 13 through the real runtime and real SQLite files: a call is in the journal from its first ring, a
/// runtime that dies mid-call loses nothing, quitting saves what is open, and a refused store leaves an
/// emergency copy that the next start imports.
@Suite("Call journal (runtime + SQLite)", .serialized)
struct CallJournalRuntimeTests {
    typealias Bench = OutboxStorageFaultTests.Bench

    static func runtime(_ bench: Bench, store: SQLiteCallStore? = nil, phone: SimulatedPhone = SimulatedPhone(),
                        emergency: String? = nil) async -> AgentRuntime {
        var settings = bench.agent.settings
        settings.wrapUpSeconds = 120
        let runtime = AgentRuntime(settings: settings, user: bench.agent.user, crm: bench.agent.directory, phone: phone,
                                   store: store ?? bench.agent.store, directory: bench.agent.directory,
                                   labels: .init(crm: "Local directory", phone: "Simulated phone", isDemo: false))
        await runtime.setEmergencyDirectory(emergency)
        await runtime.start()
        return runtime
    }

    static func waitFor<T>(_ runtime: AgentRuntime, _ what: String, _ check: (AgentSession) -> T?) async throws -> T {
        try await OutboxStorageFaultTests.waitFor(runtime, what, check)
    }

    /// Rings from Fred's number, pops his record and answers; returns the call id once connected.
    static func answeredPoppedCall(_ runtime: AgentRuntime) async throws -> CallObjectID {
        await runtime.ring(from: "07814 256404")
        let id = try await waitFor(runtime, "the pop decision") { session -> CallObjectID? in
            guard let call = session.focusedCall, case .finished(.pop, _) = call.match else { return nil }
            return call.id
        }
        await runtime.send(.pop)
        await runtime.send(.answer)
        _ = try await waitFor(runtime, "connected") { $0.focusedCall?.state == .connected ? true : nil }
        return id
    }

    @Test func aCallIsJournalledFromItsFirstRing() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        let runtime = await Self.runtime(bench)
        await runtime.ring(from: "07814 256404")
        let id = try await Self.waitFor(runtime, "the call") { $0.calls.first?.id }
        // A separate connection sees it at once.
        let other = SQLiteCallStore(database: try RingsideDatabase(path: bench.path))
        let journal = try other.openJournal()
        #expect(journal.entries.map(\.call.id) == [id])
        #expect(journal.entries.first?.call.state == .ringing)
        await runtime.stop()
    }

    @Test func aRuntimeThatDiesMidCallLosesNothing() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        let first = await Self.runtime(bench)
        let id = try await Self.answeredPoppedCall(first)
        // What kill -9 leaves: whatever was written. stop() writes nothing (it only closes the adapters).
        await first.stop()
        #expect(try bench.agent.store.record(id) == nil)

        let second = await Self.runtime(bench)
        let record = try #require(try await waitForRecord(bench.agent.store, id))
        #expect(record.who?.name == "Fred Bloggs")
        #expect(record.associationRule == .agentChoice)
        #expect(record.description.contains("approximate"))
        #expect(try bench.agent.store.openJournal().entries.isEmpty)
        #expect(try bench.agent.store.recentCalls(limit: 10).filter { $0.callObject == id }.count == 1)
        #expect(await second.current.calls.isEmpty)
        await second.stop()
    }

    @Test func quittingWithALiveCallSavesItOnce() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        let runtime = await Self.runtime(bench)
        let id = try await Self.answeredPoppedCall(runtime)
        let report = await runtime.shutdown()
        #expect(report.saved == 1)
        #expect(report.emergencyFile == nil)
        let record = try #require(try bench.agent.store.record(id))
        #expect(record.who?.name == "Fred Bloggs")
        #expect(record.delivery == .local)
        #expect(try bench.agent.store.openJournal().entries.isEmpty)
        // A restart finds nothing more to do: still exactly one record.
        let again = await Self.runtime(bench)
        // start() restores the journal on the runtime's actor; the phone's only event (link up) is then the last thing
        // the restart brings, and records are saved while events are handled.
        _ = try await Self.waitFor(again, "the phone link") { $0.phoneLink == .connected ? true : nil }
        #expect(try bench.agent.store.recentCalls(limit: 10).count == 1)
        await again.stop()
    }

    @Test func aRefusedStoreAtQuitLeavesAnEmergencyCopyTheNextStartImports() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        let emergency = bench.home + "/state"
        let readOnly = SQLiteCallStore(database: try RingsideDatabase(path: bench.path, readOnly: true))
        let runtime = await Self.runtime(bench, store: readOnly, emergency: emergency)
        let id = try await Self.answeredPoppedCall(runtime)
        #expect(await runtime.current.banner?.text.contains("journal NOT written") == true)
        let report = await runtime.shutdown()
        let file = try #require(report.emergencyFile)
        #expect(report.lost == 0)
        #expect(report.summary?.contains(file) == true)
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let next = await Self.runtime(bench, emergency: emergency)
        let record = try #require(try await waitForRecord(bench.agent.store, id))
        #expect(record.who?.name == "Fred Bloggs")
        #expect(!FileManager.default.fileExists(atPath: file))
        await next.stop()
    }

    @Test func aDialThePhoneRefusesCreatesNoCall() async throws {
        let bench = try Bench()
        defer { bench.remove() }
        let phone = SimulatedPhone()
        let runtime = await Self.runtime(bench, phone: phone)
        await phone.close()  // the phone is gone: every command is refused
        await runtime.send(.dial("020 7946 0018", clickToDial: nil))
        let banner = try await Self.waitFor(runtime, "the refusal") { $0.banner?.text.contains("Not dialled") == true ? $0.banner : nil }
        #expect(banner.level == .error)
        #expect(await runtime.current.calls.isEmpty)
        // The refusal is the dial's last event, and records are saved while events are handled: nothing more comes.
        #expect(try bench.agent.store.recentCalls(limit: 10).isEmpty)
        #expect(try bench.agent.store.openJournal().entries.isEmpty)
        await runtime.stop()
    }

    func waitForRecord(_ store: SQLiteCallStore, _ id: CallObjectID) async throws -> CallRecord? {
        for _ in 0..<400 {
            if let record = try store.record(id), record.delivery != .wrapUp { return record }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        return nil
    }
}
