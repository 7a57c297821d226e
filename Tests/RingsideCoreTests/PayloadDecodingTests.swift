import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

private let t0 = Fixtures.t0
private let stamp = PresenceDate.format(Fixtures.t0)

private func queue(_ json: String) -> Result<QueueEvent, PresenceDecodingError> {
    Result { () throws(PresenceDecodingError) in try QueueEvent.decodeBounded(Data(json.utf8)) }
}

private func presence(_ json: String) -> Result<AgentPresence, PresenceDecodingError> {
    Result { () throws(PresenceDecodingError) in try AgentPresence.decode(Data(json.utf8)) }
}

private func agentJSON(name: String = "Ann", since: String = stamp, extra: String = "") -> String {
    #"{"schema":1,"agentId":"a1","name":"\#(name)","state":"ready","since":"\#(since)"\#(extra)}"#
}

/// Issue 17: one retained `"handleSeconds": 1e300` crashed every wallboard at start. Every payload must decode
/// to a bounded value or a counted error.
@Suite("Presence and queue payload decoding")
struct PayloadDecodingTests {
    @Test func theIssueReproductionIsRefusedNotTrapped() {
        let result = queue(#"{"completed":{"callId":"c1","at":"\#(stamp)","handleSeconds":1e300}}"#)
        guard case .failure(.invalidJSON(let why)) = result else {
            Issue.record("expected a refusal, got \(result)")
            return
        }
        #expect(why.contains("handleSeconds"))
    }

    @Test func queueEventsWithinBoundsDecode() throws {
        let ok = try QueueEvent.decodeBounded(Data(#"{"completed":{"callId":"c1","at":"\#(stamp)","handleSeconds":86400}}"#.utf8))
        #expect(ok == .completed(callId: "c1", at: t0, handleSeconds: 86400))
        let arrived = QueueEvent.arrived(callId: "c2", at: t0)
        #expect(try QueueEvent.decodeBounded(arrived.jsonData()) == arrived)
    }

    @Test(arguments: [
        "86400.5", "-1", "-0.001", "1e9", "1e300", "-1e300", "1e400", "\"NaN\"", "\"Infinity\"", "null", "true", "[1]", "{\"a\":1}",
        "123456789012345678901234567890",
    ])
    func handleSecondsOutOfRangeOrMistypedAreRefused(_ value: String) {
        let result = queue(#"{"completed":{"callId":"c1","at":"\#(stamp)","handleSeconds":\#(value)}}"#)
        if case .success(let e) = result { Issue.record("accepted handleSeconds \(value) as \(e)") }
    }

    @Test func emptyOrHugeCallIdsAndBadDatesAreRefused() {
        for json in [
            #"{"arrived":{"callId":"","at":"\#(stamp)"}}"#,
            #"{"arrived":{"callId":"\#(String(repeating: "x", count: 300))","at":"\#(stamp)"}}"#,
            #"{"arrived":{"callId":"c","at":"yesterday"}}"#,
            #"{"arrived":{"callId":"c","at":1e300}}"#,
            #"{"arrived":{"callId":"c"}}"#,
            #"{"teleported":{"callId":"c","at":"\#(stamp)"}}"#,
            #"[]"#, #"1e300"#, #""just a string""#, "", "{", "\u{0}",
        ] {
            if case .success(let e) = queue(json) { Issue.record("accepted \(json.prefix(60)) as \(e)") }
        }
    }

    @Test func deepNestingIsRefusedWithoutRecursingIntoIt() {
        // 8,000 levels fit in the 16 KiB limit; the byte scan refuses them before any parser recurses.
        let deep = String(repeating: "[", count: 8000) + String(repeating: "]", count: 8000)
        #expect(PayloadGuard.nestingDepth(Data(deep.utf8)) == 8000)
        if case .success = queue(deep) { Issue.record("accepted deep nesting") }
        if case .success = presence(deep) { Issue.record("accepted deep nesting") }
        let objects = String(repeating: #"{"a":"#, count: 3000) + "1" + String(repeating: "}", count: 3000)
        if case .success = presence(objects) { Issue.record("accepted deep objects") }
        // Brackets inside strings are not nesting.
        #expect(PayloadGuard.nestingDepth(Data(#"{"name":"[[[[[[[[[[[[\"{{{{"}"#.utf8)) == 1)
    }

    @Test func presenceNumbersStringsAndMembersAreBounded() {
        #expect(throws: PresenceDecodingError.self) { try AgentPresence.decode(Data(agentJSON(extra: #","schema2":1e300"#).utf8)) }
        #expect(throws: PresenceDecodingError.self) {
            try AgentPresence.decode(Data(#"{"schema":1e300,"agentId":"a1","name":"Ann","state":"ready","since":"\#(stamp)"}"#.utf8))
        }
        #expect(throws: PresenceDecodingError.self) { try AgentPresence.decode(Data(agentJSON(name: String(repeating: "n", count: 2000)).utf8)) }
        let many = (0..<100).map { #","k\#($0)":\#($0)"# }.joined()
        #expect(throws: PresenceDecodingError.self) { try AgentPresence.decode(Data(agentJSON(extra: many).utf8)) }
        #expect(throws: PresenceDecodingError.self) { try AgentPresence.decode(Data(agentJSON(since: "+275760-09-13T00:00:00Z").utf8)) }
        // Escape sequences in names decode (the renderer sanitises them); unknown extra fields are tolerated.
        let hostile = try? AgentPresence.decode(Data(agentJSON(name: #"Eve\u001b]0;pwned\u0007\u001b[2J"#, extra: #","future":"field""#).utf8))
        #expect(hostile?.name == "Eve\u{1B}]0;pwned\u{07}\u{1B}[2J")
    }

    @Test func theModelClampsFutureDatesAndRefusesFutureQueueEvents() {
        var m = TeamModel(trackingStart: t0)
        let future = t0.addingTimeInterval(10 * 365 * 86400)
        let call = PresenceCall(direction: .inbound, number: "1", startedAt: future, answeredAt: future)
        m.apply(.presence(AgentPresence(agentId: "a", name: "Ann", state: .onCall, since: future, call: call, sentAt: future)), at: t0)
        #expect(m.agents["a"]?.since == t0 && m.agents["a"]?.sentAt == t0 && m.agents["a"]?.call?.startedAt == t0)
        // A later honest payload is not "stale" against the hostile future sentAt.
        m.apply(.presence(AgentPresence(agentId: "a", name: "Ann", state: .ready, since: t0.addingTimeInterval(5), sentAt: t0.addingTimeInterval(5))), at: t0.addingTimeInterval(5))
        #expect(m.agents["a"]?.state == .ready && m.staleIgnored == 0)
        // A queue event from the future would prune the whole window: refused and counted.
        m.apply(.queue(.arrived(callId: "q", at: t0)), at: t0)
        m.apply(.queue(.answered(callId: "q", at: t0.addingTimeInterval(1))), at: t0.addingTimeInterval(1))
        m.apply(.queue(.abandoned(callId: "x", at: future)), at: t0.addingTimeInterval(2))
        #expect(m.malformed == 1)
        #expect(m.queueFigures(at: t0.addingTimeInterval(2)).answered == 1)
        // Handle times beyond a day, however they arrive (the in-memory bus skips JSON), are refused too.
        m.apply(.queue(.completed(callId: "q", at: t0.addingTimeInterval(3), handleSeconds: 1e300)), at: t0.addingTimeInterval(3))
        #expect(m.malformed == 2)
        #expect(m.queueFigures(at: t0.addingTimeInterval(3)).averageHandleTime == nil)
    }

    @Test func randomBytesAndMutatedPayloadsNeverTrap() {
        var rng = PhoneFuzzRNG(state: 17)
        let valid = [
            QueueEvent.completed(callId: "c1", at: t0, handleSeconds: 290).jsonData(),
            AgentPresence(agentId: "a1", name: "Ann", state: .notReady, reason: "Lunch", since: t0, sentAt: t0).jsonData(),
        ]
        var accepted = 0
        for i in 0..<3000 {
            var bytes = [UInt8](valid[i % 2])
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.insert(contentsOf: Array("9e99".utf8), at: at)
                case 2: bytes.remove(at: at)
                default: bytes.insert(contentsOf: Array("[{".utf8), at: at)
                }
            }
            let data = Data(bytes)
            if (try? QueueEvent.decodeBounded(data)) != nil { accepted += 1 }
            if (try? AgentPresence.decode(data)) != nil { accepted += 1 }
        }
        // Reaching here is the test (a trap would kill the runner); some mutations stay valid.
        #expect(accepted < 6000)
    }
}
