import Foundation
import RingsideApp
import RingsideCore
import RingsidePhone
import RingsidePresence
import RingsideTestSupport
import Testing

/// Three running agents on a real mosquitto publish what they observe of a ring-all queue (the same Call-ID
/// offered to all three); a supervisor's `TeamBoard` merges the forks into queue calls.
@Suite("Queue feed from agents over mosquitto", .serialized,
       .enabled(if: RequiredComponent.runs(MosquittoBroker.binary != nil), "needs mosquitto (scripts/setup)"))
struct QueueFeedMQTTTests {
    @Test func ringAllForksMergeIntoOneAnsweredAndOneAbandonedCall() async throws {
        let broker = try MosquittoBroker()
        defer { withExtendedLifetime(broker) { broker.stop() } }
        let tenant = "q\(UUID().uuidString.prefix(6).lowercased())"
        let watch = try MQTTPresence(settings: try MQTTSettings(url: broker.url, tenant: tenant), role: .observer(name: "supervisor"))
        #expect(await watch.waitUntilConnected(timeout: 10))
        let board = TeamBoard(tenant: tenant, source: broker.url, hasQueueFeed: false, queueSettings: QueueSettings(forkSettle: 0.5))
        await board.attach(watch.team())
        var started: [MQTTTestAgent] = []
        for id in ["ann", "bob", "cat"] { started.append(try await MQTTTestAgent.start(id, broker: broker, tenant: tenant)) }
        let agents = started
        do {
            try await ringAll(agents, board: board)
        } catch {
            Issue.record("\(error)")
        }
        for a in agents { await a.runtime.stop() }
        await board.stop()
        await watch.close()
    }

    func ringAll(_ agents: [MQTTTestAgent], board: TeamBoard) async throws {
        try await waitFor("all three agents seen") { await board.team.agents.count == 3 }
        let caller = "+44 20 7946 0018"

        // Call 1: offered to all three; bob answers; the proxy cancels ann's and cat's forks.
        let call1 = "1-4242@127.0.0.1"
        for a in agents { a.phone.ring(from: caller, callId: call1) }
        try await waitFor("one waiting call, not three") { await board.snapshot().team.queueFigures(at: Date()).waiting == 1 }
        try await waitFor("bob's phone rings") { await agents[1].runtime.current.calls.first?.state == .ringing }
        await agents[1].runtime.send(.answer)
        agents[0].phone.remoteHangUp(call1)
        agents[2].phone.remoteHangUp(call1)
        try await waitFor("answered") { await board.snapshot().team.queueFigures(at: Date()).answered == 1 }
        await agents[1].runtime.send(.hangUp)
        try await waitFor("bob in wrap-up") { await agents[1].runtime.current.calls.first?.state == .wrapUp }
        await agents[1].runtime.send(.finishWrapUp(disposition: nil, notes: ""))
        try await waitFor("completed with its handle time") { await board.snapshot().team.queueFigures(at: Date()).completed == 1 }

        // Call 2: offered to all three; the caller hangs up before anyone answers.
        let call2 = "2-4242@127.0.0.1"
        for a in agents { a.phone.ring(from: caller, callId: call2) }
        try await waitFor("second call waiting") { await board.snapshot().team.queueFigures(at: Date()).waiting == 1 }
        for a in agents { a.phone.remoteHangUp(call2) }
        try await waitFor("one abandon after the settle time") {
            let f = await board.snapshot().team.queueFigures(at: Date())
            return f.abandoned + f.shortAbandoned == 1
        }
        let f = await board.snapshot().team.queueFigures(at: Date())
        #expect(f.answered == 1, "the cancelled forks of call 1 are not abandons")
        #expect(f.abandoned + f.shortAbandoned == 1)
        #expect(f.waiting == 0)
        #expect(f.completed == 1)
        #expect(await board.team.queue.unmatchedEvents == 0)
    }
}
