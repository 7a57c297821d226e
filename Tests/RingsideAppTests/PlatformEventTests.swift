import Foundation
import RingsideCore
import RingsidePhone
import RingsideSalesforce
import RingsideStore
import RingsideTestSupport
import SalesforceEmulator
import Testing
@testable import RingsideApp

/// Agent-state platform events (`[presence] salesforce_event`) through the event outbox to the emulator over libcurl,
/// with injected faults.
@Suite("Platform events", .serialized)
struct PlatformEventTests {
    private func event(_ state: PresenceState, reason: String? = nil, call: CallDirection? = nil, at: Date = Fixtures.t0) -> AgentStateEvent {
        let presenceCall = call.map { PresenceCall(direction: $0, number: "07814 256404", matchedName: nil, startedAt: at, answeredAt: nil) }
        return AgentStateEvent(presence: AgentPresence(agentId: "005000000000001AAA", name: "Ada Agent", state: state, reason: reason,
                                                       since: at, call: presenceCall),
                               userId: "005000000000001AAA")
    }

    @Test func fieldsCarryStateReasonCategoryAndCallDirection() {
        let lunch = event(.notReady, reason: "Lunch").fields
        #expect(lunch["State__c"] == "notReady")
        #expect(lunch["Reason__c"] == "Lunch")
        #expect(lunch["Activity_Category__c"] == "Not ready")
        #expect(lunch["User_Id__c"] == "005000000000001AAA")
        #expect(lunch["Call_Direction__c"] == .some(nil))
        let ready = event(.ready).fields
        #expect(ready["Activity_Category__c"] == "Idle; Ready")
        #expect(event(.onCall, call: .inbound).fields["Call_Direction__c"] == "Inbound")
        #expect(ready["Since__c"] == ISO8601.string(Fixtures.t0))
    }

    @Test func savedFirstThenDeliveredInOrderAfterTransientFaults() async throws {
        let harness = try await PhoneIndexHarness.start()
        let store = SQLiteCallStore(database: try RingsideDatabase(path: harness.folder + "/events.sqlite"))
        let client = try harness.client()
        let clock = OutboxTestClock()
        let worker = PlatformEventWorker(store: store, sobject: "Agent_State__e", client: client, clock: clock.function, backoff: [1])
        // The first two publishes fail: 503 and a connection dropped before Salesforce processed it.
        await harness.emulator.inject(EmulatorFault(action: .error, method: "POST", pathPrefix: "/services/data/v62.0/sobjects/Agent_State__e",
                                                    count: 1, status: 503))
        await harness.emulator.inject(EmulatorFault(action: .dropBeforeProcessing, method: "POST", pathPrefix: "/services/data/v62.0/sobjects/Agent_State__e"))
        try worker.submit(event(.ready), at: Fixtures.t0)
        try worker.submit(event(.onCall, call: .outbound), at: Fixtures.t0.addingTimeInterval(5))
        #expect(try store.queuedEvents(limit: 10).count == 2, "saved before any attempt")

        var delivered = 0, retried = 0
        for _ in 0..<5 where delivered < 2 {
            let summary = await worker.drain()
            delivered += summary.delivered
            retried += summary.retried
            #expect(await worker.drain() == PlatformEventWorker.Summary(), "nothing is sent again before its backoff")
            clock.advance(600)
        }
        #expect(delivered == 2)
        #expect(retried == 2)
        #expect(try store.queuedEvents(limit: 10).isEmpty)
        let sent = try store.events(in: .delivered)
        #expect(sent.map(\.attempts) == [3, 1], "the head was retried twice; the second waited behind it")
        let published = await harness.emulator.records(of: "Agent_State__e")
        #expect(published.map { $0["State__c"]?.stringValue } == ["ready", "onCall"])
        #expect(published.last?["Call_Direction__c"]?.stringValue == "Outbound")
        #expect(published.allSatisfy { ($0["Id"]?.stringValue ?? "").hasPrefix("e00") })
        await harness.stop()
    }

    @Test func permanentRefusalIsParkedWithTheErrorAndTheNextEventGoesOn() async throws {
        let harness = try await PhoneIndexHarness.start()
        let store = SQLiteCallStore(database: try RingsideDatabase(path: harness.folder + "/events.sqlite"))
        let worker = PlatformEventWorker(store: store, sobject: "Agent_State__e", client: try harness.client(), backoff: [0.05])
        await harness.emulator.inject(EmulatorFault(action: .error, method: "POST", pathPrefix: "/services/data/v62.0/sobjects/Agent_State__e",
                                                    count: 1, status: 400, errorCode: "INVALID_FIELD", message: "No such column 'State__c'"))
        try worker.submit(event(.ready), at: Fixtures.t0)
        try worker.submit(event(.wrapUp), at: Fixtures.t0)
        let summary = await worker.drain()
        #expect(summary.parked == 1 && summary.delivered == 1)
        let parked = try store.events(in: .parked)
        #expect(parked.count == 1)
        #expect(parked.first?.lastError?.contains("INVALID_FIELD") == true)
        #expect(await harness.emulator.records(of: "Agent_State__e").map { $0["State__c"]?.stringValue } == ["wrapUp"])
        await harness.stop()
    }

    @Test func theRunningAgentSavesEachStateChangeWithoutWaitingForSalesforce() async throws {
        let dir = NSTemporaryDirectory() + "ringside-events-\(UUID().uuidString)"
        let agent = try LocalAgent(config: try RingsideConfig.load(path: nil, environment: ["HOME": dir, "XDG_DATA_HOME": dir]))
        // A publisher that never answers: the console must go on, and every state is in the outbox.
        let worker = PlatformEventWorker(store: agent.store, sobject: "Agent_State__e", publish: { _, _ in
            try await Task.sleep(nanoseconds: 3_600_000_000_000)
        })
        let sender = Task { await worker.run() }
        let runtime = await agent.runtime(phone: SimulatedPhone(), isDemo: false)
        await runtime.setStateEvents(worker)
        await runtime.start()
        let number = try #require(agent.scenarios["singleMatch"])
        _ = await runtime.ring(from: number)
        for _ in 0..<300 where await runtime.current.calls.first?.state != .ringing { try await Task.sleep(nanoseconds: 10_000_000) }
        await runtime.send(.answer)
        for _ in 0..<300 where await runtime.current.calls.first?.state != .connected { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(await runtime.current.calls.first?.state == .connected, "answering did not wait for Salesforce")
        let states = try agent.store.queuedEvents(limit: 50).compactMap { PlatformEventWorker.fields($0.payload)["State__c"] ?? nil }
        #expect(states == ["ready", "onCall"], "each visible change saved once, in order, while the publisher hangs")
        sender.cancel()
        await runtime.stop()
    }
}
