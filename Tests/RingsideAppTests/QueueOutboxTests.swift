import Foundation
import RingsideApp
import RingsideCore
import RingsidePhone
import RingsidePresence
import RingsideStore
import RingsideTestSupport
import Testing

private func at(_ s: TimeInterval) -> Date { Fixtures.t0.addingTimeInterval(s) }

/// A publisher that fails while `down` is set and records what it published.
private final class FlakyFeed: @unchecked Sendable {
    private let lock = NSLock()
    private var isDown = true
    private var sent: [QueueEvent] = []

    var down: Bool {
        get { lock.withLock { isDown } }
        set { lock.withLock { isDown = newValue } }
    }
    var published: [QueueEvent] { lock.withLock { sent } }

    func publish(_ event: QueueEvent) throws {
        try lock.withLock {
            if isDown { throw PresenceError.rejected("not connected") }
            sent.append(event)
        }
    }
}

@Suite("Queue outbox: queue observations are saved first and published in order")
struct QueueOutboxWorkerTests {
    func store() throws -> (SQLiteCallStore, String) {
        let path = NSTemporaryDirectory() + "ringside-queue-outbox-\(UUID().uuidString).sqlite"
        return (SQLiteCallStore(database: try RingsideDatabase(path: path)), path)
    }

    @Test func eventsSavedDuringAnOutageSurviveARestartAndGoOutInOrderWithTheirTimes() async throws {
        let (first, path) = try store()
        let feed = FlakyFeed()
        let events: [QueueEvent] = [
            .offered(callId: "c1", agentId: "a1", at: at(0)),
            .agentAnswered(callId: "c1", agentId: "a1", at: at(4), ringSeconds: 4),
            .handled(callId: "c1", agentId: "a1", at: at(60), talkSeconds: 50, holdSeconds: 0, wrapUpSeconds: 6),
        ]
        let before = QueueOutboxWorker(store: first, agentId: "a1", publish: { try feed.publish($0) })
        for (i, e) in events.enumerated() { try before.submit(e, at: at(Double(i))) }
        #expect(await before.drain() == true, "the link is down: everything waits")
        #expect(try first.queueOutboxSummary().pending == 3)
        #expect(try first.queueOutboxSummary().lastError?.contains("not connected") == true)
        #expect(try first.queueOutboxSummary().oldest == at(0))

        // Ringside restarts during the outage; the link comes back.
        let second = SQLiteCallStore(database: try RingsideDatabase(path: path))
        feed.down = false
        let after = QueueOutboxWorker(store: second, agentId: "a1", publish: { try feed.publish($0) })
        #expect(await after.drain() == false)
        #expect(feed.published == events, "in order, each with its original time")
        #expect(try second.queueOutboxSummary().pending == 0)
    }

    @Test func eachAgentPublishesOnlyItsOwnEvents() async throws {
        let (store, _) = try store()
        let feed = FlakyFeed()
        feed.down = false
        try store.enqueueQueueEvent(agentId: "a2", payload: String(decoding: QueueEvent.offered(callId: "x", agentId: "a2", at: at(0)).jsonData(), as: UTF8.self), at: at(0))
        let worker = QueueOutboxWorker(store: store, agentId: "a1", publish: { try feed.publish($0) })
        try worker.submit(.offered(callId: "y", agentId: "a1", at: at(1)), at: at(1))
        #expect(await worker.drain() == false)
        #expect(feed.published == [.offered(callId: "y", agentId: "a1", at: at(1))])
        #expect(try store.queueOutboxSummary().pending == 1, "a2's event waits for a2")
    }
}

/// An agent's MQTT link drops mid-call (a relay between it and a real mosquitto is cut; the supervisor stays
/// connected): the agent answers and finishes the call during the outage, then quits (libmosquitto's in-memory
/// queue goes with the process). When Ringside starts again after the link returned, the supervisor sees one
/// offered call, answered within the service level, completed — not an abandon.
@Suite("Queue outbox over mosquitto: a link outage mid-call", .serialized,
       .enabled(if: RequiredComponent.runs(MosquittoBroker.binary != nil), "needs mosquitto (scripts/setup)"))
struct QueueOutboxMQTTTests {
    @Test func answeredDuringTheOutageIsAnAnsweredCallOnceTheLinkReturns() async throws {
        let broker = try MosquittoBroker()
        defer { withExtendedLifetime(broker) { broker.stop() } }
        let relay = try TCPRelay(to: broker.port)
        defer { relay.stop() }
        let tenant = "o\(UUID().uuidString.prefix(6).lowercased())"
        let watch = try MQTTPresence(settings: try MQTTSettings(url: broker.url, tenant: tenant), role: .observer(name: "supervisor"))
        #expect(await watch.waitUntilConnected(timeout: 10))
        // A 3 s service level: the answer comes well within it, but a replay stamped with its arrival time
        // (after an outage of more than 3.5 s) would miss it.
        let board = TeamBoard(tenant: tenant, source: broker.url, hasQueueFeed: false,
                              queueSettings: QueueSettings(serviceLevelThreshold: 3, forkSettle: 0.5))
        await board.attach(watch.team())

        let dir = NSTemporaryDirectory() + "ringside-queue-outage-\(UUID().uuidString)"
        let local = try LocalAgent(config: try RingsideConfig.load(path: nil, environment: ["HOME": dir, "XDG_DATA_HOME": dir]))
        let phone = SimulatedPhone()
        let runtime = await local.runtime(phone: phone, isDemo: false)
        var settings = try MQTTSettings(url: "mqtt://127.0.0.1:\(relay.port)", tenant: tenant)
        settings.reconnectDelay = 1
        settings.reconnectDelayMax = 1
        let presence = try MQTTPresence(settings: settings, role: .agent(id: "ann", name: "Ann"))
        #expect(await presence.waitUntilConnected(timeout: 10))
        await runtime.setPresence(presence, agentId: "ann")
        await runtime.start()

        let call = "7-4242@127.0.0.1"
        phone.ring(from: "+44 20 7946 0018", callId: call)
        try await waitFor("the supervisor sees the call waiting") { await board.snapshot().team.queueFigures(at: Date()).waiting == 1 }

        relay.cut()
        try await waitFor("the agent's link is down") {
            if case .disconnected = presence.linkState { return true }
            return false
        }
        await runtime.send(.answer)
        try await waitFor("answered") { await runtime.current.calls.first?.state == .connected }
        await runtime.send(.hangUp)
        try await waitFor("wrap-up") { await runtime.current.calls.first?.state == .wrapUp }
        await runtime.send(.finishWrapUp(disposition: nil, notes: ""))
        try await waitFor("the call left the session") { await runtime.current.calls.isEmpty }
        try await Task.sleep(nanoseconds: 3_500_000_000) // the outage outlasts the 3 s service level
        try await waitFor("the broker told the supervisor ann's link died (her will)") { await board.team.agents["ann"]?.state == .offline }
        let during = await board.snapshot().team.queueFigures(at: Date())
        #expect(during.answered == 0, "nothing reached the supervisor during the outage")
        #expect(try local.store.queueOutboxSummary().pending >= 2, "the answer and the handle time wait in the outbox")

        // Ringside quits during the outage and starts again once the link is back.
        await runtime.stop()
        relay.restore()
        let restarted = try LocalAgent(config: try RingsideConfig.load(path: nil, environment: ["HOME": dir, "XDG_DATA_HOME": dir]))
        let runtime2 = await restarted.runtime(phone: SimulatedPhone(), isDemo: false)
        let presence2 = try MQTTPresence(settings: settings, role: .agent(id: "ann", name: "Ann"))
        #expect(await presence2.waitUntilConnected(timeout: 10))
        await runtime2.setPresence(presence2, agentId: "ann")
        await runtime2.start()
        try await waitFor("the saved events reach the supervisor") { await board.snapshot().team.queueFigures(at: Date()).completed == 1 }
        try await waitFor("ann's current state is back") { await board.team.agents["ann"].map { $0.state != .offline } == true }
        let f = await board.snapshot().team.queueFigures(at: Date())
        #expect(f.answered == 1)
        #expect(f.answered + f.abandoned + f.shortAbandoned + f.waiting == 1, "one offered call")
        #expect(f.abandoned + f.shortAbandoned == 0, "not an abandon")
        #expect(f.answeredWithinThreshold == 1, "the answer kept its original time")
        #expect(f.waiting == 0)
        #expect(await board.team.queue.unmatchedEvents == 0)
        // The broker forwards an event before its acknowledgement reaches the agent: the row leaves just after.
        try await waitFor("the acknowledged events left the outbox") { (try? restarted.store.queueOutboxSummary().pending) == 0 }

        await runtime2.stop()
        await board.stop()
        await watch.close()
    }
}
