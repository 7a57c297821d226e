import Foundation
import RingsideApp
import RingsideCore
@testable import RingsidePhone
import RingsideStore
import RingsideTestSupport

/// One Ringside agent for runtime tests: a `LocalAgent` (demo directory + SQLite in its own temp XDG folders) and an
/// `AgentRuntime` whose phone is a `BaresipLink` to a harness instance. Every session change is recorded with the
/// time it was seen, so tests wait for states (with timeouts) and measure command → state latency.
final class BaresipAgent: @unchecked Sendable {
    // @unchecked: the stored properties are immutable after init; `SessionRecorder` locks its own state.
    let home: URL
    let agent: LocalAgent
    let link: BaresipLink
    let runtime: AgentRuntime
    let recorder: SessionRecorder

    var store: SQLiteCallStore { agent.store }

    /// Builds and starts the runtime; returns once the link is connected (and its first call-list read has run).
    /// `home` reuses an earlier agent's folders: the same installation started again. `clock` replaces the runtime's
    /// wall clock (a test advances it instead of waiting).
    static func start(attachedTo instance: BaresipHarness.Instance, name: String = "agent", home reused: URL? = nil,
                      configure: (inout BaresipLink.Configuration) -> Void = { _ in },
                      clock: @escaping @Sendable () -> Date = { Date() }) async throws -> BaresipAgent {
        let home = reused ?? FileManager.default.temporaryDirectory.appendingPathComponent("ringside-rt-\(name)-\(UUID().uuidString.prefix(8))")
        let environment = [
            "HOME": home.path,
            "XDG_DATA_HOME": home.appendingPathComponent("data").path,
            "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
        ]
        let config = try RingsideConfig.load(path: nil, environment: environment)
        let agent = try LocalAgent(config: config)
        var configuration = BaresipLink.Configuration(endpoint: try BaresipEndpoint(parsing: instance.linkURL))
        configure(&configuration)
        let link = BaresipLink(configuration: configuration, log: { print("[\(name) link] \($0)") })
        let runtime = AgentRuntime(settings: agent.settings, user: agent.user, crm: agent.directory, phone: link, store: agent.store,
                                   directory: agent.directory, scenarios: agent.scenarios,
                                   labels: .init(crm: "Local directory", phone: instance.linkURL, isDemo: false), clock: clock)
        let recorder = await SessionRecorder.attach(to: runtime)
        let fixture = BaresipAgent(home: home, agent: agent, link: link, runtime: runtime, recorder: recorder)
        await runtime.start()
        try await fixture.waitFor("phone link connected") { $0.phoneLink == .connected }
        return fixture
    }

    private init(home: URL, agent: LocalAgent, link: BaresipLink, runtime: AgentRuntime, recorder: SessionRecorder) {
        self.home = home
        self.agent = agent
        self.link = link
        self.runtime = runtime
        self.recorder = recorder
    }

    func stop() async {
        await crash()
        try? FileManager.default.removeItem(at: home)
    }

    /// Stops without an orderly shutdown and keeps the folders, as `kill -9` leaves them.
    func crash() async {
        await runtime.stop()
        recorder.stop()
    }

    func send(_ command: AgentCommand) async {
        await runtime.send(command)
    }

    /// Waits until the session satisfies `predicate` (checked on every recorded change and on the current session).
    @discardableResult
    func waitFor(_ what: String, timeout: Duration = .seconds(5),
                 _ predicate: (AgentSession) -> Bool) async throws -> AgentSession {
        let deadline = ContinuousClock.now + timeout
        while true {
            let session = await runtime.current
            if predicate(session) { return session }
            guard ContinuousClock.now < deadline else {
                throw BaresipHarnessError.timedOut("\(what); session: \(Self.describe(session))")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Waits for exactly one call in the session (the only one) to satisfy `predicate`; returns it.
    @discardableResult
    func waitForCall(_ what: String, timeout: Duration = .seconds(5), _ predicate: (CallMachine) -> Bool) async throws -> CallMachine {
        let session = try await waitFor(what, timeout: timeout) { $0.calls.contains(where: predicate) }
        guard let call = session.calls.first(where: predicate) else { throw BaresipHarnessError.timedOut(what) }
        return call
    }

    /// The call with this id, once it satisfies `predicate`.
    @discardableResult
    func waitForCall(_ id: CallObjectID, _ what: String, timeout: Duration = .seconds(5),
                     _ predicate: (CallMachine) -> Bool) async throws -> CallMachine {
        try await waitForCall("\(what) (call \(id))", timeout: timeout) { $0.id == id && predicate($0) }
    }

    /// Waits until the store holds the record of `id` in a state satisfying `predicate`.
    @discardableResult
    func waitForRecord(_ id: CallObjectID, _ what: String, timeout: Duration = .seconds(5),
                       _ predicate: (CallRecord) -> Bool) async throws -> CallRecord {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let record = try store.record(id), predicate(record) { return record }
            guard ContinuousClock.now < deadline else {
                throw BaresipHarnessError.timedOut("\(what); stored: \(String(describing: try store.record(id)))")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// One line per call, for failure messages.
    static func describe(_ session: AgentSession) -> String {
        let calls = session.calls.map { call in
            "\(call.id.prefix(8)) \(call.direction.rawValue) \(call.state.label) line=\(call.line ?? "-") remote=\(call.remote) match=\(call.match)"
        }
        return "link=\(session.phoneLink) banner=\(session.banner?.text ?? "-") calls=[\(calls.joined(separator: "; "))]"
    }
}

/// Records every session the runtime publishes (via `changes()`), with the instant it was seen.
final class SessionRecorder: Sendable {
    private let recorded = BaresipLocked<[(at: ContinuousClock.Instant, session: AgentSession)]>([])
    private let task = BaresipLocked<Task<Void, Never>?>(nil)

    /// Subscribes and returns once the subscription is live (the watcher registers asynchronously).
    static func attach(to runtime: AgentRuntime) async -> SessionRecorder {
        let recorder = SessionRecorder()
        let stream = runtime.changes()
        let recorded = recorder.recorded
        let reader = Task {
            for await _ in stream {
                let session = await runtime.current
                recorded.withLock { $0.append((ContinuousClock.now, session)) }
            }
        }
        recorder.task.withLock { $0 = reader }
        // Poke the runtime with a no-op outbox refresh until a change is seen: from then on none is missed.
        while recorder.count == 0 {
            await runtime.refreshOutbox()
            try? await Task.sleep(for: .milliseconds(1))
        }
        return recorder
    }

    var count: Int { recorded.withLock { $0.count } }

    /// The first recorded session at index >= `from` satisfying `predicate`, and when it was seen.
    func first(from: Int, _ predicate: (AgentSession) -> Bool) -> (at: ContinuousClock.Instant, index: Int)? {
        recorded.withLock { all in
            guard from < all.count, let index = all[from...].firstIndex(where: { predicate($0.session) }) else { return nil }
            return (all[index].at, index)
        }
    }

    /// Waits for a recorded session satisfying `predicate` at index >= `from`.
    func waitFor(_ what: String, from: Int, timeout: Duration = .seconds(5),
                 _ predicate: (AgentSession) -> Bool) async throws -> (at: ContinuousClock.Instant, index: Int) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let found = first(from: from, predicate) { return found }
            try await Task.sleep(for: .microseconds(200))
        }
        throw BaresipHarnessError.timedOut(what)
    }

    func stop() { task.withLock { $0?.cancel() } }
}
