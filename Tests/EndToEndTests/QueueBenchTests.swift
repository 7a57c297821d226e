import Foundation
import RingsideCore
import RingsidePresence
import RingsideTestSupport
import Testing

/// The queue bench: a real Kamailio (registrar + ring-all proxy) on loopback, three headless baresip agents registered on
/// one AOR (`sip:queue@127.0.0.1`), each driven by a real `ringside agent` in tmux publishing to a real mosquitto, and
/// callers with a known pattern: a baresip caller for the answered calls, SIPp for the abandons. A supervisor's `TeamBoard` (the wallboard's model) aggregates the
/// queue feed; its figures must equal the ground truth the test computes from what it did and measured.
///
/// Times are scaled down (service level 12 s, short abandon 2 s instead of 20 s / 5 s) so the bench stays short; the quick
/// answer has 12 s to get through tmux (8.3 s was seen on a machine running three builds besides).
@Suite(.serialized, .enabled(if: RequiredComponent.runs(Tmux.available && BaresipHarness.available && KamailioProxy.available
                                                       && MosquittoBroker.binary != nil && SIPpCaller.available),
                             "needs tmux, baresip (baresip-core), kamailio, sipp (sip-tester), mosquitto and the ringside binary"))
struct QueueBenchTests {
    static let serviceLevel: TimeInterval = 12
    static let shortAbandon: TimeInterval = 2

    /// What the test did with one call and what it measured (seconds from the caller's dial).
    struct Placed {
        enum Outcome { case answered, abandoned }
        var outcome: Outcome
        /// Earliest and latest the wait can have been (the answer key was sent at `low`; the caller saw the answer /
        /// the end at `high`).
        var low: TimeInterval
        var high: TimeInterval
    }

    @Test func wallboardFiguresEqualTheCallPattern() async throws {
        let broker = try MosquittoBroker()
        defer { withExtendedLifetime(broker) { broker.stop() } }
        let proxy = try KamailioProxy()
        defer { proxy.stop() }
        let tenant = "bench\(UUID().uuidString.prefix(6).lowercased())"

        // The supervisor side: the wallboard's model on the real broker, with the bench's thresholds.
        let watch = try MQTTPresence(settings: try MQTTSettings(url: broker.url, tenant: tenant), role: .observer(name: "bench"))
        let board = TeamBoard(tenant: tenant, source: broker.url, hasQueueFeed: true,
                              queueSettings: QueueSettings(serviceLevelThreshold: Self.serviceLevel, shortAbandonThreshold: Self.shortAbandon))
        await board.attach(watch.team())

        // The real wallboard too, with the thresholds from its configuration ([presence] keys as environment variables).
        let wallboard = try Tmux("queue-wallboard", width: 150, height: 30, args: ["supervisor"], environment: [
            "RINGSIDE_PRESENCE_BROKER": broker.url, "RINGSIDE_PRESENCE_TENANT": tenant,
            "RINGSIDE_PRESENCE_SERVICE_LEVEL_SECONDS": "\(Int(Self.serviceLevel))",
            "RINGSIDE_PRESENCE_SHORT_ABANDON_SECONDS": "\(Int(Self.shortAbandon))",
        ])
        defer { wallboard.kill() }

        // Three agents: baresip registered on the queue AOR through the proxy, and Ringside on each.
        let sip = try BaresipHarness()
        var phones: [BaresipHarness.Instance] = []
        var consoles: [Tmux] = []
        defer {
            consoles.forEach { $0.kill() }
            sip.killAll()
        }
        for n in 1...3 {
            let account = "\"Agent \(n)\" <sip:queue@127.0.0.1>;outbound=\"sip:127.0.0.1:\(proxy.port)\";regint=60;answermode=manual"
            let phone = try await sip.launch("agent\(n)", user: "queue", account: account)
            phones.append(phone)
            try await phone.waitForOutput("200 OK")
            consoles.append(try Tmux("queue-agent\(n)", width: 120, height: 32, args: ["agent", "--phone", phone.linkURL], environment: [
                "RINGSIDE_PRESENCE_BROKER": broker.url, "RINGSIDE_PRESENCE_TENANT": tenant, "RINGSIDE_AGENT_NAME": "Agent \(n)",
                "RINGSIDE_WRAPUP_SECONDS": "1",
            ]))
        }
        for (n, t) in consoles.enumerated() { try t.waitFor("Phone: \(phones[n].linkURL) (connected)", timeout: 20) }
        try await waitFor("three agents ready on the wallboard", board) { team, _ in
            team.agents.values.filter { $0.state == .ready }.count == 3
        }

        let caller = try await sip.launch("caller", user: "+447700900123")
        let control = try RawBaresipClient(port: caller.ctrlPort)
        defer { control.close() }
        let queue = proxy.uri("queue")

        var placed: [Placed] = []
        // 1. Answered quickly by agent 1 (the proxy cancels agents 2 and 3: answered elsewhere, not abandoned).
        placed.append(try await answered(by: consoles[0], after: 0, queue: queue, control: control))
        try await waitForIdle(board)
        // 2. Answered late by agent 2, past the service level threshold.
        placed.append(try await answered(by: consoles[1], after: Self.serviceLevel + 1.5, queue: queue, control: control))
        try await waitForIdle(board)
        // 3. SIPp hangs up (CANCEL) 0.3 s after the phones started ringing: a short abandon.
        placed.append(try abandoned(after: 0.3, port: proxy.port))
        try await waitForIdle(board)
        // 4. SIPp hangs up after the phones rang past the short-abandon threshold.
        placed.append(try abandoned(after: Self.shortAbandon + 1.5, port: proxy.port))

        // Ground truth from the pattern as measured; each call must be clear of its threshold to be classified.
        var expected = QueueFigures()
        for call in placed {
            switch call.outcome {
            case .answered:
                expected.answered += 1
                let within = call.high <= Self.serviceLevel
                #expect(within || call.low > Self.serviceLevel, "answer at \(call.low)…\(call.high) s straddles the threshold")
                if within { expected.answeredWithinThreshold += 1 }
            case .abandoned:
                let short = call.high <= Self.shortAbandon
                #expect(short || call.low > Self.shortAbandon, "abandon at \(call.low)…\(call.high) s straddles the threshold")
                if short { expected.shortAbandoned += 1 } else { expected.abandoned += 1 }
            }
        }
        #expect(expected.answered == 2 && expected.answeredWithinThreshold == 1 && expected.shortAbandoned == 1 && expected.abandoned == 1,
                "the bench could not keep its pattern: \(placed)")

        let figures = try await waitFor("the wallboard's figures to settle", board, timeout: 20) { team, now in
            let f = team.queueFigures(at: now)
            return f.completed == 2 && f.answered + f.abandoned + f.shortAbandoned == 4 && f.waiting == 0
        }
        #expect(figures.answered == expected.answered)
        #expect(figures.answeredWithinThreshold == expected.answeredWithinThreshold)
        #expect(figures.serviceLevel == 50)
        #expect(figures.abandoned == expected.abandoned)
        #expect(figures.shortAbandoned == expected.shortAbandoned)
        #expect(figures.abandonRate.map { abs($0 - 100.0 / 3) < 0.01 } == true, "abandon rate \(String(describing: figures.abandonRate))")
        #expect(figures.waiting == 0)
        #expect(figures.completed == 2)
        #expect(figures.averageHandleTime.map { $0 > 1 && $0 < 30 } == true, "AHT \(String(describing: figures.averageHandleTime))")
        #expect(await board.team.queue.unmatchedEvents == 0)
        // The wallboard process shows the same: service level 50 % (12 s from its config, not the default 20 s) and
        // an abandon rate of 33 %.
        let screen = try wallboard.waitUntil("the wallboard's queue figures", timeout: 10) { $0.contains("50%") && $0.contains("33%") }
        #expect(screen.contains("Agent 1") && screen.contains("Agent 3"))
        try wallboard.keys("q")
        try wallboard.waitFor("EXIT=0")

        for t in consoles {
            try t.keys("q")
            try t.waitFor("EXIT=0", timeout: 15)
        }
        await board.stop()
        await watch.close()
        let kamailio = proxy.processIDs
        #expect(kamailio.count > 1, "Kamailio runs with its workers")
        proxy.stop()
        #expect(KamailioProxy.running(kamailio).isEmpty, "no Kamailio process left behind")
    }

    /// Dials the queue; the agent on `console` answers `after` seconds after the dial (at once when 0, as soon as its
    /// console rings); the caller hangs up after 1 s of talk.
    private func answered(by console: Tmux, after delay: TimeInterval, queue: String, control: RawBaresipClient) async throws -> Placed {
        let mark = control.received
        let start = Date()
        try await control.command("dial", queue)
        let ringing = try await control.waitForEvent("CALL_RINGING", after: mark)
        let id = try #require(ringing.callID)
        try console.waitFor("Ringing")
        let wait = delay - Date().timeIntervalSince(start)
        if wait > 0 { usleep(useconds_t(wait * 1_000_000)) }
        let low = Date().timeIntervalSince(start)
        try console.keys("a")
        try await control.waitForEvent("CALL_ESTABLISHED", id: id, after: mark, timeout: .seconds(10))
        let high = Date().timeIntervalSince(start)
        usleep(1_000_000)
        try await control.command("hangup")
        try await control.waitForEvent("CALL_CLOSED", id: id, after: mark)
        return Placed(outcome: .answered, low: low, high: high)
    }

    /// SIPp calls the queue and hangs up (a CANCEL to every fork) `after` seconds after the last fork started ringing:
    /// the wait is at least `after` and at most SIPp's whole run.
    private func abandoned(after delay: TimeInterval, port: Int) throws -> Placed {
        let ran = try SIPpCaller.abandon(service: "queue", proxyPort: port, caller: "+447700900456", after: delay)
        return Placed(outcome: .abandoned, low: delay, high: ran)
    }

    /// Waits until every agent is ready again (forks ended, wrap-ups saved) and no call waits.
    private func waitForIdle(_ board: TeamBoard) async throws {
        try await waitFor("every agent ready, nothing waiting", board) { team, now in
            team.agents.values.filter { $0.state == .ready }.count == 3 && team.queueFigures(at: now).waiting == 0
        }
    }

    @discardableResult
    private func waitFor(_ what: String, _ board: TeamBoard, timeout: TimeInterval = 15,
                         _ condition: (TeamModel, Date) -> Bool) async throws -> QueueFigures {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let team = await board.snapshot().team
            let now = Date()
            if condition(team, now) { return team.queueFigures(at: now) }
            if now > deadline {
                throw BaresipHarnessError.timedOut("\(what): \(team.agents.values.map { "\($0.agentId)=\($0.state)" }) \(team.queueFigures(at: now))")
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
    }
}
