import Foundation
@testable import RingsidePresence
import RingsideCore
import RingsideTestSupport
import Testing

private func presence(_ id: String, _ state: PresenceState, reason: String? = nil) -> AgentPresence {
    AgentPresence(agentId: id, name: "Agent \(id)", state: state, reason: reason, since: Date(), sentAt: Date())
}

private func agent(_ broker: MosquittoBroker, _ id: String, tenant: String = "t1") throws -> MQTTPresence {
    var settings = try MQTTSettings(url: broker.url, tenant: tenant)
    settings.reconnectDelayMax = 1
    return try MQTTPresence(settings: settings, role: .agent(id: id, name: "Agent \(id)"))
}

private func supervisor(_ broker: MosquittoBroker, tenant: String = "t1") async throws -> (MQTTPresence, TeamBoard) {
    var settings = try MQTTSettings(url: broker.url, tenant: tenant)
    settings.reconnectDelayMax = 1
    let client = try MQTTPresence(settings: settings, role: .observer(name: "supervisor"))
    let board = TeamBoard(tenant: tenant, source: broker.url, hasQueueFeed: false)
    await board.attach(client.team())
    return (client, board)
}

/// Real mosquitto, real libmosquitto clients (and a real second process for the last will).
@Suite("MQTTPresence with mosquitto", .serialized)
struct MQTTPresenceTests {
    @Test func agentsPublishAndTheSupervisorSeesThem() async throws {
        let broker = try MosquittoBroker()
        defer { withExtendedLifetime(broker) { broker.stop() } }
        let ann = try agent(broker, "ann"), bob = try agent(broker, "bob")
        let (watch, board) = try await supervisor(broker)
        #expect(await ann.waitUntilConnected(timeout: 10))
        #expect(await bob.waitUntilConnected(timeout: 10))
        try await ann.publish(presence("ann", .ready))
        try await bob.publish(presence("bob", .notReady, reason: "Lunch"))
        #expect(await eventually(board) { $0.agents["ann"]?.state == .ready && $0.agents["bob"]?.reason == "Lunch" })
        try await ann.publish(presence("ann", .onCall))
        #expect(await eventually(board) { $0.agents["ann"]?.state == .onCall })
        #expect(await eventually(board) { $0.link == .connected })
        // Leaving cleanly publishes an explicit offline state (not the will).
        await ann.close()
        #expect(await eventually(board) { $0.agents["ann"]?.state == .offline })
        #expect(await board.team.agents["ann"]?.lastWill == nil)
        let latencies = await board.latencies
        #expect(!latencies.isEmpty && latencies.allSatisfy { $0 < 2000 })
        await bob.close()
        await watch.close()
    }

    @Test func aLateSupervisorGetsRetainedStatesAndTenantsAreSeparate() async throws {
        let broker = try MosquittoBroker()
        defer { withExtendedLifetime(broker) { broker.stop() } }
        let ann = try agent(broker, "ann")
        let other = try agent(broker, "zed", tenant: "t2")
        #expect(await ann.waitUntilConnected(timeout: 10))
        #expect(await other.waitUntilConnected(timeout: 10))
        try await ann.publish(presence("ann", .wrapUp))
        try await other.publish(presence("zed", .ready))
        // Both states are on the broker once an early observer of each tenant has seen them.
        let (probe, probeBoard) = try await supervisor(broker)
        let (probe2, probe2Board) = try await supervisor(broker, tenant: "t2")
        #expect(await eventually(probeBoard) { $0.agents["ann"]?.state == .wrapUp })
        #expect(await eventually(probe2Board) { $0.agents["zed"]?.state == .ready })
        await probe.close(); await probe2.close()

        let (watch, board) = try await supervisor(broker)
        #expect(await eventually(board) { $0.agents["ann"]?.state == .wrapUp })
        // A marker published after the retained replay arrives behind it on the same connection: once the board has
        // it, anything the replay brought (zed's state, were tenants mixed) has been applied too.
        try await ann.publish(presence("ann", .ready))
        #expect(await eventually(board) { $0.agents["ann"]?.state == .ready })
        #expect(await board.team.agents["zed"] == nil)
        await ann.close(); await other.close(); await watch.close()
    }

    @Test func anAgentPublishesOnlyItsOwnTopic() async throws {
        let broker = try MosquittoBroker()
        defer { withExtendedLifetime(broker) { broker.stop() } }
        let ann = try agent(broker, "ann")
        await #expect(throws: PresenceError.self) { try await ann.publish(presence("bob", .ready)) }
        await ann.close()
        await #expect(throws: PresenceError.closed) { try await ann.publish(presence("ann", .ready)) }
    }

    @Test func killingAnAgentProcessMarksItOfflineThroughItsLastWill() async throws {
        let binary = try #require(RingsideBinary.path, "build the binary first: swift build --product ringside (or set RINGSIDE_BIN)")
        let broker = try MosquittoBroker()
        defer { withExtendedLifetime(broker) { broker.stop() } }
        let (watch, board) = try await supervisor(broker)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["supervisor", "--broker", broker.url, "--tenant", "t1", "--publish-as", "agent7", "--name", "Agent Seven",
                             "--state", "onCall"]
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ringside-will-\(UUID().uuidString.prefix(8))")
        process.environment = ["XDG_CONFIG_HOME": home.path, "XDG_DATA_HOME": home.path, "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        #expect(await eventually(board, timeout: 20) { $0.agents["agent7"]?.state == .onCall })
        #expect(await board.team.agents["agent7"]?.name == "Agent Seven")

        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(await eventually(board, timeout: 20) { $0.agents["agent7"]?.state == .offline })
        #expect(await board.team.agents["agent7"]?.lastWill == true)
        #expect(await board.team.counts[.offline] == 1)
        await watch.close()
    }

    @Test func afterABrokerRestartClientsReconnectAndTheModelRecovers() async throws {
        let broker = try MosquittoBroker()
        defer { withExtendedLifetime(broker) { broker.stop() } }
        let ann = try agent(broker, "ann"), bob = try agent(broker, "bob")
        let (watch, board) = try await supervisor(broker)
        #expect(await ann.waitUntilConnected(timeout: 10))
        #expect(await bob.waitUntilConnected(timeout: 10))
        try await ann.publish(presence("ann", .onCall))
        try await bob.publish(presence("bob", .ready))
        #expect(await eventually(board) { $0.total == 2 })

        broker.stop()
        #expect(await eventually(board) { if case .disconnected = $0.link { true } else { false } })
        // While the broker is down the supervisor keeps what it knew, and agents keep working.
        #expect(await board.team.total == 2)
        try await bob.publish(presence("bob", .notReady, reason: "Break"))

        // Same port, no persistence: the broker starts empty. Agents re-send their latest state on reconnect,
        // the supervisor re-subscribes and rebuilds from the retained states.
        try broker.start()
        #expect(await eventually(board, timeout: 20) { $0.link == .connected })
        #expect(await eventually(board, timeout: 20) { $0.agents["bob"]?.reason == "Break" && $0.agents["ann"]?.state == .onCall })
        #expect(ann.statistics.connects >= 2)
        #expect(watch.statistics.connects >= 2)

        // A fresh supervisor after the restart sees both from retained state alone.
        let (watch2, board2) = try await supervisor(broker)
        #expect(await eventually(board2) { $0.agents["bob"]?.reason == "Break" && $0.agents["ann"]?.state == .onCall })
        await ann.close(); await bob.close(); await watch.close(); await watch2.close()
    }

    @Test func aSupervisorStartedBeforeTheBrokerConnectsWhenItComes() async throws {
        let broker = try MosquittoBroker()
        defer { withExtendedLifetime(broker) { broker.stop() } }
        broker.stop()
        let (watch, board) = try await supervisor(broker)
        // The first attempt is refused (nothing listens): the board says so before the broker comes.
        #expect(await eventually(board) { if case .disconnected = $0.link { true } else { false } }, "link: \(watch.linkState.label)")
        try broker.start()
        let ann = try agent(broker, "ann")
        #expect(await ann.waitUntilConnected(timeout: 10))
        try await ann.publish(presence("ann", .ready))
        #expect(await eventually(board, timeout: 20) { $0.agents["ann"]?.state == .ready }, "supervisor link: \(watch.linkState.label)")
        await ann.close(); await watch.close()
    }

    @Test func malformedPayloadsAreCountedAndIgnored() async throws {
        let broker = try MosquittoBroker()
        defer { withExtendedLifetime(broker) { broker.stop() } }
        let (watch, board) = try await supervisor(broker)
        #expect(await watch.waitUntilConnected(timeout: 10))
        var settings = try MQTTSettings(url: broker.url, tenant: "t1")
        settings.reconnectDelayMax = 1
        let rogue = try MQTTPresence(settings: settings, role: .observer(name: "rogue"))
        #expect(await rogue.waitUntilConnected(timeout: 10))
        let bad: [(String, Data)] = [
            ("ringside/t1/agents/x1", Data([0xFF, 0x00, 0x13, 0x37])),
            ("ringside/t1/agents/x2", Data("{\"schema\":1}".utf8)),
            ("ringside/t1/agents/x3", Data(#"{"schema":9,"agentId":"x3","name":"X","state":"ready","since":"2024-06-20T15:11:36Z"}"#.utf8)),
            ("ringside/t1/agents/x4", Data(#"{"schema":1,"agentId":"someone-else","name":"X","state":"ready","since":"2024-06-20T15:11:36Z"}"#.utf8)),
            ("ringside/t1/queue/events", Data("not json".utf8)),
        ]
        for (topic, payload) in bad { try rogue.publishRaw(topic: topic, payload: payload, retain: topic.contains("agents")) }
        try await rogue.publish(presence("good", .ready))
        #expect(await eventually(board) { $0.agents["good"] != nil && $0.malformed == 5 })
        #expect(await board.team.total == 1)
        #expect(await board.team.link == .connected)
        // A retained empty payload clears an agent.
        try rogue.publishRaw(topic: "ringside/t1/agents/good", payload: Data(), retain: true)
        #expect(await eventually(board) { $0.total == 0 })
        #expect(watch.statistics.malformed == 5)
        await rogue.close(); await watch.close()
    }

    @Test func settingsAndErrorsSayWhatToDo() throws {
        let plain = try MQTTSettings(url: "mqtt://broker.example.com", tenant: "acme")
        #expect(plain.port == 1883 && !plain.tls && plain.displayURL == "mqtt://broker.example.com:1883")
        let secure = try MQTTSettings(url: "mqtts://u:p@broker.example.com", tenant: "acme")
        #expect(secure.port == 8883 && secure.tls && secure.username == "u" && secure.password == "p")
        #expect(secure.displayURL == "mqtts://broker.example.com:8883")
        #expect(throws: MQTTError.self) { _ = try MQTTSettings(url: "http://x", tenant: "acme") }
        #expect(throws: MQTTError.self) { _ = try MQTTSettings(url: "mqtt://", tenant: "acme") }
        #expect(throws: MQTTError.invalidTopicLevel("a/b")) { _ = try MQTTSettings(url: "mqtt://x", tenant: "a/b") }
        #expect(throws: MQTTError.invalidTopicLevel("a+b")) {
            _ = try MQTTPresence(settings: MQTTSettings(), role: .agent(id: "a+b", name: "x"))
        }
        var tls = MQTTSettings(tls: true)
        tls.caFile = "/nonexistent/ca.pem"
        #expect { _ = try MQTTPresence(settings: tls, role: .observer(name: "x")) } throws: { "\($0)".contains("CA file") }
        #expect(MQTTError.call("mosquitto_connect_async", code: 14).description.contains("check the host, port and firewall"))
        #expect(MQTTError.call("mosquitto_publish", code: 12).description.contains("ACL"))
        #expect(ConnackAdvice.describe(5).contains("ACL"))
    }

    @Test func decodingMapsTopicsAndPayloads() {
        let p = AgentPresence(agentId: "a", name: "A", state: .ready, since: Date(timeIntervalSince1970: 0))
        #expect(MQTTPresence.decode(topic: "ringside/t/agents/a", payload: p.jsonData(), tenant: "t") == .presence(p))
        #expect(MQTTPresence.decode(topic: "ringside/t/agents/a", payload: Data(), tenant: "t") == .removed(agentId: "a"))
        let q = QueueEvent.arrived(callId: "c", at: Date(timeIntervalSince1970: 0))
        #expect(MQTTPresence.decode(topic: "ringside/t/queue/events", payload: q.jsonData(), tenant: "t") == .queue(q))
        if case .malformed = MQTTPresence.decode(topic: "ringside/t/other", payload: Data("{}".utf8), tenant: "t") {} else { Issue.record("expected malformed") }
    }
}

/// Issue 19: a broker URL with a password is shown without it when it is rejected.
@Suite struct MQTTURLRedactionTests {
    @Test func aRejectedBrokerURLHidesItsPassword() {
        #expect { try MQTTSettings(url: "mqtt://agent:Sup3rSecret@broker.example.com:99999", tenant: "acme") } throws: { error in
            !"\(error)".contains("Sup3rSecret") && "\(error)".contains("agent:[REDACTED]@broker.example.com")
        }
    }
}
