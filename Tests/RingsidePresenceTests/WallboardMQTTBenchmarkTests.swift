import Foundation
import RingsideCore
import RingsideTestSupport
import RingsidePresence
import RingsideUI
import Testing

/// 1,000 simulated agents publish through a real mosquitto and every one reaches the supervisor's wallboard
/// model (asserted); the timing figures are printed, never asserted (`ringside bench --wallboard` owns the goals). Prints event → model latency p50/p99 (goal p99 < 50 ms),
/// the test process's CPU while it runs (simulator + supervisor), and the full wallboard render time.
@Suite(.serialized) struct WallboardMQTTBenchmarkTests {
    @Test(.timeLimit(.minutes(3))) func thousandAgentsThroughMosquitto() async throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let tenant = "bench"
        let supervisor = try MQTTPresence(settings: try MQTTSettings(url: broker.url, tenant: tenant), role: .observer(name: "wallboard"))
        let gateway = try MQTTPresence(settings: try MQTTSettings(url: broker.url, tenant: tenant), role: .observer(name: "simulator"))
        let board = TeamBoard(tenant: tenant, source: broker.url, hasQueueFeed: true)
        await board.attach(supervisor.team())
        // Ten times real time: each agent takes about two calls a minute, so the broker carries a few hundred
        // state changes a minute on top of the 1,000 initial retained states.
        let simulation = TeamSimulation(settings: TeamSimulator.Settings(agents: 1000, tenant: tenant), presence: gateway, speed: 10)
        let cpuBefore = Self.cpuSeconds()
        let started = Date()
        await simulation.start()
        // Until every agent has reached the supervisor's model (a poll with a deadline, not a fixed wait).
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            if await board.team.agents.count >= 1000, await board.latencies.count >= 1000 { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        await simulation.stop()
        let wall = Date().timeIntervalSince(started)
        let cpu = Self.cpuSeconds() - cpuBefore
        let snapshot = await board.snapshot()
        let latencies = await board.latencies.sorted()
        let agents = await board.team.agents.count
        #expect(agents == 1000, "every simulated agent reached the supervisor's model")
        #expect(latencies.count >= 1000)
        let renderer = WallboardRenderer(timeZone: TimeZone(identifier: "UTC")!)
        let renderStart = Date()
        for _ in 0..<20 { _ = renderer.render(snapshot, WallboardState(), size: TermSize(width: 160, height: 50), now: Date()) }
        let render = Date().timeIntervalSince(renderStart) / 20 * 1000
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        print(String(format: "BENCH wallboard-mqtt: agents=%d events=%d p50=%.2f ms p99=%.2f ms cpu=%.1f%% of one core over %.1f s render(160x50)=%.1f ms",
                     agents, latencies.count, percentile(0.5), percentile(0.99), cpu / wall * 100, wall, render))
        await supervisor.close()
        await gateway.close()
        await board.stop()
    }

    /// utime + stime of this process from /proc/self/stat, in seconds.
    static func cpuSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
