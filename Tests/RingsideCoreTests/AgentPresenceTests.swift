import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

private let t0 = Fixtures.t0

private func presence(_ id: String = "a1", state: PresenceState = .ready, reason: String? = nil, since: Date = t0,
                      call: PresenceCall? = nil, sentAt: Date? = nil) -> AgentPresence {
    AgentPresence(agentId: id, name: "Ada Agent", state: state, reason: reason, since: since, call: call, sentAt: sentAt)
}

@Suite("AgentPresence")
struct AgentPresenceTests {
    // MARK: JSON

    @Test func encodesStableCompactJSONWithMilliseconds() {
        let call = PresenceCall(direction: .inbound, number: "07814 256404", matchedName: "Fred Bloggs",
                                startedAt: t0.addingTimeInterval(-30.25), answeredAt: t0.addingTimeInterval(-20))
        let p = presence(state: .onCall, since: t0.addingTimeInterval(-20), call: call, sentAt: t0)
        let json = String(decoding: p.jsonData(), as: UTF8.self)
        #expect(json == #"{"agentId":"a1","call":{"answeredAt":"2024-06-20T15:11:16.000Z","direction":"Inbound","matchedName":"Fred Bloggs","number":"07814 256404","startedAt":"2024-06-20T15:11:05.750Z"},"name":"Ada Agent","schema":1,"sentAt":"2024-06-20T15:11:36.000Z","since":"2024-06-20T15:11:16.000Z","state":"onCall"}"#)
    }

    @Test(arguments: PresenceState.allCases)
    func roundTripsEveryState(state: PresenceState) throws {
        let p = presence(state: state, reason: state == .notReady ? "Lunch" : nil, since: t0.addingTimeInterval(0.123), sentAt: t0)
        let back = try AgentPresence.decode(p.jsonData(), topicAgentId: "a1")
        #expect(back == p)
    }

    @Test func lastWillRoundTripsWithFlag() throws {
        let will = AgentPresence.lastWill(agentId: "a7", name: "Agent Seven", since: t0)
        #expect(will.state == .offline)
        #expect(will.lastWill == true)
        #expect(try AgentPresence.decode(will.jsonData()) == will)
        #expect(String(decoding: will.jsonData(), as: UTF8.self).contains(#""lastWill":true"#))
    }

    @Test func readsDatesWithoutFractionalSecondsAndUnknownFields() throws {
        let json = #"{"schema":1,"agentId":"x","name":"X","state":"wrapUp","since":"2024-06-20T15:11:36Z","extra":{"a":[1,2]}}"#
        let p = try AgentPresence.decode(Data(json.utf8))
        #expect(p.state == .wrapUp)
        #expect(p.since == t0)
        #expect(p.call == nil && p.sentAt == nil && p.lastWill == nil)
    }

    @Test(arguments: [
        ("", "not a presence JSON object"),
        ("null", "not a presence JSON object"),
        ("[1,2]", "not a presence JSON object"),
        ("{\"schema\":1}", "missing agentId"),
        (#"{"schema":1,"agentId":"a1","name":"A","state":"busy","since":"2024-06-20T15:11:36Z"}"#, "corrupted"),
        (#"{"schema":1,"agentId":"a1","name":"A","state":"ready","since":"yesterday"}"#, "not an ISO 8601 date"),
        (#"{"schema":1,"agentId":"a1","name":7,"state":"ready","since":"2024-06-20T15:11:36Z"}"#, "wrong type at name"),
        (#"{"schema":2,"agentId":"a1","name":"A","state":"ready","since":"2024-06-20T15:11:36Z"}"#, "schema 2 is not supported"),
        (#"{"schema":0,"agentId":"a1","name":"A","state":"ready","since":"2024-06-20T15:11:36Z"}"#, "schema 0 is not supported"),
        (#"{"schema":1,"agentId":"","name":"A","state":"ready","since":"2024-06-20T15:11:36Z"}"#, "invalid agentId"),
        (#"{"schema":1,"agentId":"a/b","name":"A","state":"ready","since":"2024-06-20T15:11:36Z"}"#, "invalid agentId"),
        (#"{"schema":1,"agentId":"a+","name":"A","state":"ready","since":"2024-06-20T15:11:36Z"}"#, "invalid agentId"),
        (#"{"schema":1,"agentId":"a2","name":"A","state":"ready","since":"2024-06-20T15:11:36Z"}"#, "does not match topic agent"),
    ])
    func rejectsMalformedPayloads(json: String, reason: String) {
        #expect {
            _ = try AgentPresence.decode(Data(json.utf8), topicAgentId: "a1")
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test func rejectsOversizedPayloadUnread() {
        let big = Data(repeating: 0x20, count: AgentPresence.maximumPayloadBytes + 1)
        #expect(throws: PresenceDecodingError.tooLarge(AgentPresence.maximumPayloadBytes + 1)) {
            _ = try AgentPresence.decode(big)
        }
    }

    @Test func rejectsBinaryGarbage() {
        #expect(throws: PresenceDecodingError.self) {
            _ = try AgentPresence.decode(Data([0xFF, 0xFE, 0x00, 0x7B]))
        }
    }

    // MARK: Topics

    @Test func topicsAndAgentIdParsing() {
        #expect(PresenceTopic.agent(tenant: "acme", agentId: "005A") == "ringside/acme/agents/005A")
        #expect(PresenceTopic.allAgents(tenant: "acme") == "ringside/acme/agents/+")
        #expect(PresenceTopic.queueEvents(tenant: "acme") == "ringside/acme/queue/events")
        #expect(PresenceTopic.agentId(in: "ringside/acme/agents/005A", tenant: "acme") == "005A")
        #expect(PresenceTopic.agentId(in: "ringside/other/agents/005A", tenant: "acme") == nil)
        #expect(PresenceTopic.agentId(in: "ringside/acme/agents/", tenant: "acme") == nil)
        #expect(PresenceTopic.agentId(in: "ringside/acme/agents/a/b", tenant: "acme") == nil)
        #expect(PresenceTopic.isValidLevel("agent 7 ü"))
        #expect(!PresenceTopic.isValidLevel("a#"))
        #expect(!PresenceTopic.isValidLevel("a\u{0}b"))
        #expect(!PresenceTopic.isValidLevel(String(repeating: "x", count: 129)))
    }

    // MARK: From the agent session

    @Test func activityNameUsesReasonForNotReady() {
        #expect(presence(state: .notReady, reason: "Lunch").activityName == "Lunch")
        #expect(presence(state: .notReady, reason: "").activityName == "Not ready")
        #expect(presence(state: .notReady).activityName == "Not ready")
        #expect(presence(state: .onCall).activityName == "On call")
        #expect(PresenceState(.notReady(reason: "x")) == .notReady)
        #expect(PresenceState(.wrapUp) == .wrapUp)
    }

    @Test func sessionReadyThenInboundCallWithPoppedName() {
        var d = SessionDriver()
        let idle = AgentPresence(session: d.session, since: t0)
        #expect(idle.state == .ready && idle.call == nil && idle.agentId == Fixtures.agent.id && idle.name == "Ada Agent")

        d.phone(.incoming("L1", remote: Fixtures.fredRaw), after: 1)
        let fred = Fixtures.contact(name: "Fred\u{1B}[31m Bloggs")
        d.send(.lookupFinished("call-1", Fixtures.lookup(fred)))
        d.agent(.answer)
        d.phone(.established("L1"), after: 2)
        let onCall = AgentPresence(session: d.session, since: d.now)
        #expect(onCall.state == .onCall)
        #expect(onCall.call?.direction == .inbound)
        #expect(onCall.call?.number == "07814 256404")
        #expect(onCall.call?.matchedName == "Fred[31m Bloggs") // control characters stripped
        #expect(onCall.call?.startedAt == t0.addingTimeInterval(1))
        #expect(onCall.call?.answeredAt == t0.addingTimeInterval(3))
    }

    @Test func sessionNotReadyCarriesReason() {
        var d = SessionDriver()
        d.agent(.setAvailability(.notReady(reason: "Lunch")))
        let p = AgentPresence(session: d.session, since: t0)
        #expect(p.state == .notReady && p.reason == "Lunch")
    }

    @Test func trackerKeepsSinceAndPublishesOnlyVisibleChanges() {
        var d = SessionDriver()
        var tracker = PresenceTracker()
        let first = tracker.update(session: d.session, at: d.now)
        #expect(first?.state == .ready && first?.since == t0)
        #expect(tracker.update(session: d.session, at: d.now.addingTimeInterval(5)) == nil)

        d.phone(.incoming("L1", remote: Fixtures.fredRaw), after: 10)
        let ringing = tracker.update(session: d.session, at: d.now)
        #expect(ringing?.state == .onCall && ringing?.since == d.now && ringing?.call?.matchedName == nil)

        // The lookup resolves the name: same state and since, new call details.
        d.send(.lookupFinished("call-1", Fixtures.lookup(Fixtures.contact())), after: 1)
        let named = tracker.update(session: d.session, at: d.now)
        #expect(named?.since == ringing?.since)
        #expect(named?.call?.matchedName == "Fred Bloggs")

        d.agent(.setAvailability(.notReady(reason: "Break")))
        d.phone(.closed("L1", reason: .remoteHangUp), after: 1)
        let after = tracker.update(session: d.session, at: d.now)
        #expect(after != nil && after?.state != .onCall)
        #expect(tracker.current == after)
    }
}
