import Foundation
import RingsideApp
import RingsideCore
import RingsidePhone
import RingsidePresence
import RingsideTestSupport
import Testing

/// A blind transfer between two running agents on a real mosquitto: ann answers a queue call and transfers it to
/// cat; cat's phone rings with a new Call-ID (as after a blind transfer) and the transfer context arrives over
/// MQTT. The supervisor counts one queue call — answered once, transferred, completed once with both legs'
/// handle time — not a second offered call.
@Suite("Queue feed over mosquitto: a blind transfer is one queue call", .serialized,
       .enabled(if: RequiredComponent.runs(MosquittoBroker.binary != nil), "needs mosquitto (scripts/setup)"))
struct QueueTransferMQTTTests {
    @Test func theTransferredLegIsNotASecondOfferedCall() async throws {
        let broker = try MosquittoBroker()
        defer { withExtendedLifetime(broker) { broker.stop() } }
        let tenant = "t\(UUID().uuidString.prefix(6).lowercased())"
        let watch = try MQTTPresence(settings: try MQTTSettings(url: broker.url, tenant: tenant), role: .observer(name: "supervisor"))
        #expect(await watch.waitUntilConnected(timeout: 10))
        let board = TeamBoard(tenant: tenant, source: broker.url, hasQueueFeed: false, queueSettings: QueueSettings(forkSettle: 0.5))
        await board.attach(watch.team())
        let ann = try await MQTTTestAgent.start("ann", broker: broker, tenant: tenant)
        let cat = try await MQTTTestAgent.start("cat", broker: broker, tenant: tenant)
        try await waitFor("both agents seen") { await board.team.agents.count == 2 }
        func figures() async -> QueueFigures { await board.snapshot().team.queueFigures(at: Date()) }

        let caller = "+44 20 7946 0018"
        let original = "9-4242@127.0.0.1"
        ann.phone.ring(from: caller, callId: original)
        try await waitFor("ann's phone rings") { await ann.runtime.current.calls.first?.state == .ringing }
        await ann.runtime.send(.answer)
        try await waitFor("answered") { await figures().answered == 1 }
        await ann.runtime.send(.transfer(to: "2003"))
        try await waitFor("ann in wrap-up after the transfer") { await ann.runtime.current.calls.first?.state == .wrapUp }

        // The blind transfer's new leg rings at cat with a new Call-ID; ann's context arrives over MQTT.
        let leg = "10-4242@127.0.0.1"
        cat.phone.ring(from: caller, callId: leg)
        try await waitFor("cat has ann's transfer context") { await cat.runtime.current.calls.first?.originalCallId == original }
        await cat.runtime.send(.answer)
        try await waitFor("cat talks") { await cat.runtime.current.calls.first?.state == .connected }
        await ann.runtime.send(.finishWrapUp(disposition: nil, notes: ""))
        try await waitFor("ann's leg completed") { await figures().completed == 1 }
        let afterAnn = await figures().averageHandleTime ?? 0
        try await Task.sleep(nanoseconds: 1_100_000_000) // cat's leg lasts a measurable second
        await cat.runtime.send(.hangUp)
        try await waitFor("cat in wrap-up") { await cat.runtime.current.calls.first?.state == .wrapUp }
        await cat.runtime.send(.finishWrapUp(disposition: nil, notes: ""))
        try await waitFor("cat's leg handled") { await cat.runtime.current.calls.isEmpty }
        try await waitFor("cat's handle time added to the queue call") { await (figures().averageHandleTime ?? 0) >= afterAnn + 1 }

        let f = await figures()
        #expect(f.answered == 1, "the new leg is not a second answered call")
        #expect(f.answered + f.abandoned + f.shortAbandoned + f.waiting == 1, "one offered call")
        #expect(f.transferred == 1)
        #expect(f.completed == 1, "one completion, both legs' handle time")
        #expect(await board.team.queue.unmatchedEvents == 0)

        await ann.runtime.stop()
        await cat.runtime.stop()
        await board.stop()
        await watch.close()
    }
}
