import Foundation
import RingsideApp
import RingsideCore
import RingsideUI

/// Wallboard figures for `ringside bench` (issue 17): a team of `agents` changing state `updatesPerSecond` times a
/// second, rendered at 160×50.
///
/// - frame: one repaint (a copy of the model as the wallboard's snapshot, then the render of the visible page) —
///   now, and with the pre-index path (every agent sorted and every name folded per repaint) as the baseline;
/// - CPU per second of updates: the updates applied plus the repaints, in core-seconds per second (100% = one
///   core). Now: repaints capped at 10/s. Baseline: the old loop, which repainted after every change it saw
///   (one full-sort frame per update), and the same baseline with the 10/s cap to show what the index alone saves.
enum BenchWallboard {
    static let size = TermSize(width: 160, height: 50)
    static let repaintsPerSecond = 10

    static func run(agents: Int, updatesPerSecond: Int, seconds: Int, frameSamples: Int, baselineFrameSamples: Int,
                    log: @Sendable (String) -> Void) -> BenchResults.Wallboard {
        log("wallboard: \(agents.formatted()) agents, \(updatesPerSecond) updates/s…")
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var random = SplitMix64(state: 17)
        var model = TeamModel(trackingStart: start.addingTimeInterval(-3600))
        model.apply(.link(.connected), at: start)
        for i in 0..<agents { model.apply(.presence(presence(i, &random, at: start)), at: start) }
        let renderer = WallboardRenderer(timeZone: TimeZone(identifier: "UTC")!)
        let state = WallboardState()
        var clock = start
        var checksum = 0

        /// One update: a random agent changes state.
        func update() {
            clock = clock.addingTimeInterval(1 / Double(updatesPerSecond))
            model.apply(.presence(presence(random.index(agents), &random, at: clock)), at: clock)
        }
        /// One repaint as the wallboard loop does it; `baseline` adds the pre-index sort of every agent.
        func frame(baseline: Bool) {
            let snapshot = TeamSnapshot(team: model, tenant: "bench", source: "bench", hasQueueFeed: true)
            if baseline {
                checksum &+= snapshot.team.rowsBySorting(sort: state.sort, descending: state.descending, filter: state.filter).count
            }
            checksum &+= renderer.render(snapshot, state, size: size, now: clock).regions.count
        }
        func frames(_ count: Int, baseline: Bool) -> BenchLatency {
            var nanos: [UInt64] = []
            let total = benchNow()
            for _ in 0..<count {
                update()   // the model changed since the last snapshot: the copy-on-write copy is part of the frame
                let t = benchNow()
                frame(baseline: baseline)
                nanos.append(benchNow() - t)
            }
            return BenchLatency(nanos: nanos, totalSeconds: Double(benchNow() - total) / 1e9)
        }
        /// Core-seconds spent per second of updates: `updatesPerSecond` updates with a repaint every `every` of them.
        func cpuPerSecond(repaintEvery every: Int, baseline: Bool, seconds: Int) -> Double {
            let before = ProcessCPU.seconds()
            for _ in 0..<seconds {
                for u in 1...updatesPerSecond {
                    update()
                    if u % every == 0 { frame(baseline: baseline) }
                }
            }
            return (ProcessCPU.seconds() - before) / Double(seconds)
        }

        let now = frames(frameSamples, baseline: false)
        let old = frames(baselineFrameSamples, baseline: true)
        let capEvery = max(1, updatesPerSecond / repaintsPerSecond)
        let cpuNow = cpuPerSecond(repaintEvery: capEvery, baseline: false, seconds: seconds)
        let cpuOldCapped = cpuPerSecond(repaintEvery: capEvery, baseline: true, seconds: max(1, seconds / 2))
        let cpuOld = cpuPerSecond(repaintEvery: 1, baseline: true, seconds: 1)
        if checksum == 42 { log("") }   // keeps the work observable
        return BenchResults.Wallboard(agents: agents, updatesPerSecond: updatesPerSecond, width: size.width, height: size.height,
                                      frame: now, frameBaseline: old, cpuPercent: cpuNow * 100,
                                      cpuPercentBaselineCapped: cpuOldCapped * 100, cpuPercentBaseline: cpuOld * 100)
    }

    /// Agent `i` in a random state (about a third on calls), with a name that needs folding.
    static func presence(_ i: Int, _ random: inout SplitMix64, at now: Date) -> AgentPresence {
        let states: [PresenceState] = [.onCall, .onCall, .wrapUp, .ready, .ready, .notReady, .offline]
        let state = states[random.index(states.count)]
        let since = now.addingTimeInterval(-Double(random.index(3000)))
        let call = state == .onCall || state == .wrapUp
            ? PresenceCall(direction: i % 2 == 0 ? .inbound : .outbound, number: "07700 9\(String(format: "%05d", i % 100_000))",
                           matchedName: i % 3 == 0 ? "Customer \(i)" : nil, startedAt: since, answeredAt: since) : nil
        let first = ["Zoë", "Émile", "Ann", "Bartholomew", "Chloé", "Kwame", "Priya", "山田"][i % 8]
        return AgentPresence(agentId: String(format: "agent-%05d", i), name: "\(first) Agent \(i)", state: state,
                             reason: state == .notReady ? "Break" : nil, since: since, call: call)
    }
}

/// CPU time of this process (user + system), in seconds.
enum ProcessCPU {
    static func seconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }
}
