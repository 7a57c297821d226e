import Foundation
@testable import RingsidePresence
import RingsideCore
import RingsideUI
import RingsideTestSupport
import Testing

/// A small seeded generator so each fuzz run is reproducible (the seed is in the failure message).
private typealias FuzzRNG = SeededRNG

/// Hostile payloads, every one of which a supervisor must count as malformed.
private enum Hostile {
    static let stamp = PresenceDate.format(Date())

    static func number(_ rng: inout FuzzRNG) -> String {
        ["1e300", "-1e300", "1e400", "-0.5", "86401", "123456789012345678901234567890", "\"NaN\"", "\"Infinity\"", "\"-inf\"",
         "null", "true", "[]", "{}", "\"12\""].randomElement(using: &rng)!
    }

    static func string(_ rng: inout FuzzRNG) -> String {
        let alphabet = Array("abc\u{1B}[]0;\u{07}\u{0}\"\\é中😀")
        return String((0..<Int.random(in: 1...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
    }

    static func nested(_ depth: Int) -> String { String(repeating: #"{"a":["#, count: depth) + "1" + String(repeating: "]}", count: depth) }

    /// A queue payload that must be refused.
    static func queue(_ rng: inout FuzzRNG, _ i: Int) -> Data {
        let id = "c\(i)"
        let json: String
        switch Int.random(in: 0..<9, using: &rng) {
        case 0: json = #"{"completed":{"callId":"\#(id)","at":"\#(stamp)","handleSeconds":\#(number(&rng))}}"#
        case 1: json = #"{"arrived":{"callId":\#(["1e300", "12", "null", "true", "[]", "{}", "-1"].randomElement(using: &rng)!),"at":"\#(stamp)"}}"#
        case 2: json = #"{"answered":{"callId":"\#(id)","at":\#(number(&rng))}}"#
        case 3: json = #"{"abandoned":{"callId":"\#(String(repeating: "x", count: Int.random(in: 1100...20_000, using: &rng)))","at":"\#(stamp)"}}"#
        case 4: json = nested(Int.random(in: 9...2000, using: &rng))
        case 5: json = #"{"\#(["exploded", "", "completed "].randomElement(using: &rng)!)":{"callId":"\#(id)","at":"\#(stamp)"}}"#
        case 6: json = #"{"arrived":{"callId":"\#(id)","at":"\#(String(repeating: "9", count: 30))"}}"#
        case 7: return Data((0..<Int.random(in: 1...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) } + [0xFF])
        default: json = #"{"completed":{"callId":"\#(id)","at":"\#(stamp)","handleSeconds":290,"x":\#(nested(12))}}"#
        }
        return Data(json.utf8)
    }

    /// An agent payload that must be refused (for the agent id of its topic).
    static func agent(_ rng: inout FuzzRNG, id: String) -> Data {
        let base = #""schema":1,"agentId":"\#(id)","name":"N","state":"ready","since":"\#(stamp)""#
        let json: String
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: json = #"{"schema":\#(number(&rng)),"agentId":"\#(id)","name":"N","state":"ready","since":"\#(stamp)"}"#
        case 1: json = #"{\#(base),"extra":\#(["1e300", "-1e300", "1e999"].randomElement(using: &rng)!)}"#
        case 2: json = #"{"schema":1,"agentId":"\#(id)","name":"\#(String(repeating: "A\u{1B}[2J", count: 400))","state":"ready","since":"\#(stamp)"}"#
        case 3: json = #"{"schema":1,"agentId":"\#(id)","name":"N","state":"\#(["dancing", "", "READY"].randomElement(using: &rng)!)","since":"\#(stamp)"}"#
        case 4: json = #"{"schema":1,"agentId":"someone-else","name":"N","state":"ready","since":"\#(stamp)"}"#
        case 5: json = #"{\#(base),"call":\#(nested(Int.random(in: 9...3000, using: &rng)))}"#
        case 6: json = #"{"schema":1,"agentId":"\#(id)","name":"N","state":"ready","since":\#(number(&rng))}"#
        default: return Data(string(&rng).utf8) + Data([0xC3])
        }
        return Data(json.utf8)
    }
}

/// Issue 17: hostile payloads through a real mosquitto never stop a supervisor; each is counted as
/// malformed, and a wallboard started later (reading the retained ones) starts and shows the count.
@Suite("Presence fuzz with mosquitto", .serialized)
struct PresenceFuzzTests {
    private func observer(_ broker: MosquittoBroker, _ name: String) throws -> MQTTPresence {
        var settings = try MQTTSettings(url: broker.url, tenant: "t1")
        settings.reconnectDelayMax = 1
        return try MQTTPresence(settings: settings, role: .observer(name: name))
    }

    @Test(arguments: [UInt64(17), 2026])
    func hostilePayloadsAreCountedAndTheSupervisorKeepsRunning(seed: UInt64) async throws {
        let broker = try MosquittoBroker()
        defer { withExtendedLifetime(broker) { broker.stop() } }
        let watch = try observer(broker, "supervisor")
        let board = TeamBoard(tenant: "t1", source: broker.url, hasQueueFeed: true)
        await board.attach(watch.team())
        #expect(await watch.waitUntilConnected(timeout: 10))
        let rogue = try observer(broker, "rogue")
        #expect(await rogue.waitUntilConnected(timeout: 10))

        var rng = FuzzRNG(state: seed)
        var published = 0
        var retainedAgents = 0
        for i in 0..<300 {
            if Bool.random(using: &rng) {
                try rogue.publishRaw(topic: PresenceTopic.queueEvents(tenant: "t1"), payload: Hostile.queue(&rng, i), retain: false)
            } else {
                let id = "x\(i)"
                try rogue.publishRaw(topic: PresenceTopic.agent(tenant: "t1", agentId: id), payload: Hostile.agent(&rng, id: id), retain: true)
                retainedAgents += 1
            }
            published += 1
        }
        // The issue's reproduction, retained on the queue topic: every later start reads it first.
        let crash = #"{"completed":{"callId":"c-crash","at":"\#(Hostile.stamp)","handleSeconds":1e300}}"#
        try rogue.publishRaw(topic: PresenceTopic.queueEvents(tenant: "t1"), payload: Data(crash.utf8), retain: true)
        published += 1
        // Valid but odd: escape sequences in a name, a `since` ten years ahead (clamped), a real queue call.
        let future = Date().addingTimeInterval(10 * 365 * 86400)
        let odd = AgentPresence(agentId: "eve", name: "Eve\u{1B}]0;pwned\u{07}\u{1B}[2J", state: .ready, since: future, sentAt: future)
        try rogue.publishRaw(topic: PresenceTopic.agent(tenant: "t1", agentId: "eve"), payload: odd.jsonData(), retain: true)
        try rogue.publishRaw(topic: PresenceTopic.queueEvents(tenant: "t1"), payload: QueueEvent.arrived(callId: "ok", at: Date()).jsonData(), retain: false)
        let sentinel = AgentPresence(agentId: "good", name: "Good", state: .onCall, since: Date(), sentAt: Date())
        try rogue.publishRaw(topic: PresenceTopic.agent(tenant: "t1", agentId: "good"), payload: sentinel.jsonData(), retain: true)

        let total = published
        #expect(await eventually(board) { $0.agents["good"] != nil && $0.malformed == total }, "seed \(seed)")
        let team = await board.team
        #expect(team.malformed == total, "seed \(seed): \(team.malformed) of \(total) counted; last: \(team.lastMalformed ?? "-")")
        #expect(watch.statistics.malformed == total)
        #expect(team.total == 2 && team.agents["eve"] != nil)
        #expect(team.agents["eve"].map { $0.since <= Date() } == true)
        #expect(team.queue.waiting.count == 1)
        #expect(team.link == .connected)

        // The wallboard paints what got through and shows the count.
        let renderer = WallboardRenderer(timeZone: TimeZone(identifier: "UTC")!)
        let screen = renderer.render(await board.snapshot(), WallboardState(), size: TermSize(width: 100, height: 24), now: Date())
        #expect(screen.text.contains("malformed \(total)"))
        #expect(!screen.text.contains("\u{1B}"))

        // A wallboard starting now reads the retained hostile payloads first and starts all the same.
        let late = try observer(broker, "late")
        let lateBoard = TeamBoard(tenant: "t1", source: broker.url, hasQueueFeed: true)
        await lateBoard.attach(late.team())
        let expectedLate = retainedAgents + 1
        #expect(await eventually(lateBoard) { $0.agents["good"] != nil && $0.malformed == expectedLate }, "seed \(seed)")
        let lateScreen = renderer.render(await lateBoard.snapshot(), WallboardState(), size: TermSize(width: 100, height: 24), now: Date())
        #expect(lateScreen.text.contains("malformed \(expectedLate)"))
        await rogue.close(); await watch.close(); await late.close()
    }
}
