import Foundation
@testable import RingsidePresence
import RingsideCore
import RingsideTestSupport
import Testing

/// Transfer contexts over a real mosquitto between real libmosquitto clients (issue 18).
@Suite("MQTT transfer contexts", .serialized, .enabled(if: RequiredComponent.runs(MosquittoBroker.binary != nil), "needs mosquitto"))
struct MQTTHandoffTests {
    private func agent(_ broker: MosquittoBroker, _ id: String) throws -> MQTTPresence {
        var settings = try MQTTSettings(url: broker.url, tenant: "t1")
        settings.reconnectDelayMax = 1
        return try MQTTPresence(settings: settings, role: .agent(id: id, name: "Agent \(id)"))
    }

    /// Everything a stream delivers, collected by a background task (a bounded wait polls it).
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [TransferContext] = []
        init(_ stream: AsyncStream<TransferContext>) {
            Task { for await item in stream { self.lock.withLock { self.items.append(item) } } }
        }
        var all: [TransferContext] { lock.withLock { items } }
    }

    /// Publishes `context` every 100 ms until `collected` holds it (at most 5 s).
    private func publish(_ context: TransferContext, from sam: MQTTPresence, until collected: Collected) async throws {
        for _ in 0..<50 {
            try await sam.publishHandoff(context)
            try await Task.sleep(nanoseconds: 100_000_000)
            if collected.all.contains(context) { return }
        }
    }

    @Test func aContextReachesTheOtherAgentAndHostilePayloadsAreRefused() async throws {
        let broker = try MosquittoBroker()
        defer { withExtendedLifetime(broker) { broker.stop() } }
        let sam = try agent(broker, "sam"), bob = try agent(broker, "bob")
        defer { Task { await sam.close(); await bob.close() } }
        let team = bob.team()
        #expect(await sam.waitUntilConnected(timeout: 10))
        #expect(await bob.waitUntilConnected(timeout: 10))
        let context = TransferContext(callId: "59dcb4020620e0f2", number: "+447814256404",
                                      entity: EntityRef(type: .contact, id: "003000000000001AAA", name: "Fred Bloggs"),
                                      disposition: "Follow-up needed", notes: "Wants a refund", fromAgentId: "sam",
                                      fromAgentName: "Sam Agent", target: "sip:2002@127.0.0.1", sentAt: Date(timeIntervalSince1970: 1_700_000_000))
        let collected = Collected(bob.handoffs())
        // The subscription is acknowledged asynchronously: publish until the first context arrives (bounded).
        try await publish(context, from: sam, until: collected)
        #expect(collected.all.first == context)
        // A hostile payload (over the size limit) and one that is not a context: dropped and counted, then a good one.
        try sam.publishRaw(topic: PresenceTopic.handoffs(tenant: "t1"), payload: Data(repeating: 0x41, count: 70_000), retain: false)
        try sam.publishRaw(topic: PresenceTopic.handoffs(tenant: "t1"), payload: Data("{\"nope\":1}".utf8), retain: false)
        var second = context
        second.callId = "second"
        try await publish(second, from: sam, until: collected)
        #expect(collected.all.contains(second))
        #expect(bob.refusedHandoffs == 2)
        // The team stream (wallboards) never sees the handoff topic as a malformed agent state.
        _ = team
        #expect(bob.statistics.malformed == 0)
    }
}
