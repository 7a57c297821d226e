import Foundation
import RingsideApp

/// Latency figures of one lookup method.
public struct BenchLatency: Codable, Hashable, Sendable {
    public var samples: Int
    public var p50Micros: Double
    public var p99Micros: Double
    public var meanMicros: Double
    public var perSecond: Double

    /// From per-lookup durations in nanoseconds and the total wall time.
    init(nanos: [UInt64], totalSeconds: Double) {
        let sorted = nanos.sorted()
        func pct(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return Double(sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]) / 1000
        }
        samples = sorted.count
        p50Micros = pct(0.50)
        p99Micros = pct(0.99)
        meanMicros = sorted.isEmpty ? 0 : Double(sorted.reduce(0, +)) / Double(sorted.count) / 1000
        perSecond = totalSeconds > 0 ? Double(sorted.count) / totalSeconds : 0
    }
}

/// Everything `ringside bench` measured.
public struct BenchResults: Codable, Sendable {
    public struct Lookup: Codable, Sendable {
        public var numbers: Int
        public var records: Int
        public var inMemory: BenchLatency
        public var sqliteIndexed: BenchLatency
        public var sqliteLike: BenchLatency
        public var liveSOSL: BenchLatency
        /// Records in the emulator org the live lookups ran against.
        public var liveOrgRecords: Int
        /// In-memory lookups/s over the other methods'.
        public var speedupVsSQLite: Double
        public var speedupVsLike: Double
        public var speedupVsLive: Double
    }

    public struct Index: Codable, Sendable {
        public var numbers: Int
        public var loadSeconds: Double
        public var memoryBytes: Int
        public var bytesPerNumber: Double
        /// Resident memory growth while loading.
        public var rssGrowthBytes: Int
        /// Time to write the benchmark directory to SQLite (setup, not a product figure).
        public var fillSeconds: Double
    }

    public struct Normalisation: Codable, Sendable {
        public var numbers: Int
        public var swiftSeconds: Double
        public var swiftPerSecond: Double
        public var swiftParsed: Int
        public var pythonAvailable: Bool
        public var pythonVersion: String?
        public var pythonSeconds: Double?
        public var pythonPerSecond: Double?
        public var pythonParsed: Int?
        public var speedupVsPython: Double?
        /// Share of numbers where both give the same E.164 (or both reject it).
        public var agreement: Double?
    }

    public struct Sync: Codable, Sendable {
        public var records: Int
        public var seconds: Double
        public var recordsPerSecond: Double
        /// REST requests the emulator received (counts, pages, sign-in excluded).
        public var requests: Int
        public var pages: Int
        public var indexedRecords: Int
        public var indexedNumbers: Int
        /// VmHWM after the sync (peak reset just before it where the kernel allows).
        public var peakRSSBytes: Int
        public var rssBeforeBytes: Int
        public var peakResetWorked: Bool
        /// The client alone, in child processes: CPU (user + system) around the sync (the median run), that run's wall
        /// time and whole-child CPU (start, sign-in and exit included), the highest peak RSS; every run's CPU.
        public var clientCPUSeconds: Double?
        public var clientCPURuns: [Double]?
        public var clientSeconds: Double?
        public var clientProcessCPUSeconds: Double?
        public var clientPeakRSSBytes: Int?

        /// Goal: ≤ 2 s of client CPU for 100k records (scaled to the records synced).
        public var clientCPUGoalSeconds: Double { 2.0 * Double(records) / 100_000 }
        public var clientCPUMet: Bool? { clientCPUSeconds.map { $0 <= clientCPUGoalSeconds } }
    }

    /// Console figures at one directory size (now, and the SQLite-per-change baseline measured in the same run).
    public struct Console: Codable, Sendable {
        public var numbers: Int
        /// Number-list rows (one per phone).
        public var rows: Int
        public var listBuildSeconds: Double
        public var listMemoryBytes: Int
        public var indexMemoryBytes: Int
        /// Process RSS with the index and the list loaded, and its growth while loading them.
        public var rssBytes: Int
        public var rssGrowthBytes: Int
        public var keyToFrame: BenchLatency
        public var keyToFrameBaseline: BenchLatency
        public var ringToPanel: BenchLatency
        public var ringToPanelBaseline: BenchLatency
        public var filterKeystroke: BenchLatency
        public var filterKeystrokeBaseline: BenchLatency
        /// Loading the phone index at start: from SQLite (before) and from the saved snapshot (now), and its size.
        public var indexFromSQLiteSeconds: Double
        public var indexFromSnapshotSeconds: Double
        public var snapshotBytes: Int
        /// The console's data measured in a child process: started from the snapshot, and rebuilding it from SQLite.
        public var memory: BenchMemory.Figures?
        public var memoryRebuild: BenchMemory.Figures?
        /// Cold start of the real console over this directory.
        public var startup: Startup?

        public var memorySteadyMet: Bool? {
            guard let goal = BenchMemory.goals(numbers: numbers).steadyMiB, let memory else { return nil }
            return Double(memory.rssBytes) <= goal * 1_048_576
        }
        public var memoryPeakMet: Bool? {
            guard let goal = BenchMemory.goals(numbers: numbers).peakMiB, let memory else { return nil }
            return Double(memory.peakBytes) <= goal * 1_048_576
        }

        /// Goals (p99, milliseconds).
        public static let keyGoalMillis = 16.0
        public static let ringGoalMillis = 20.0
        public static let filterGoalMillis = 30.0

        public var keyMet: Bool { keyToFrame.p99Micros <= Self.keyGoalMillis * 1000 }
        public var ringMet: Bool { ringToPanel.p99Micros <= Self.ringGoalMillis * 1000 }
        public var filterMet: Bool { filterKeystroke.p99Micros <= Self.filterGoalMillis * 1000 }
        /// Goal: pops served from the full index within a second of start.
        public static let indexLoadGoalSeconds = 1.0
        public var indexLoadMet: Bool { indexFromSnapshotSeconds <= Self.indexLoadGoalSeconds }
    }

    /// Cold start of `ringside agent` on a pseudo-terminal (median of `starts`), milliseconds since the spawn.
    public struct Startup: Codable, Sendable {
        public var numbers: Int
        public var starts: Int
        public var firstPaintMillis: Double
        /// Pops are served from the full in-memory index from then on (before: an indexed SQLite query).
        public var indexLoadedMillis: Double
        /// The console process's peak RSS (`ru_maxrss`), highest of the starts.
        public var peakRSSBytes: Int

        public static let firstPaintGoalMillis = 150.0
        public static let indexLoadedGoalMillis = 1000.0
        public var firstPaintMet: Bool { firstPaintMillis <= Self.firstPaintGoalMillis }
        public var indexLoadedMet: Bool { indexLoadedMillis <= Self.indexLoadedGoalMillis }
    }

    /// `ringside directory import` of a generated CSV in a child process.
    public struct Import: Codable, Sendable {
        public var rows: Int
        public var fileBytes: Int
        public var seconds: Double
        public var cpuSeconds: Double
        public var peakRSSBytes: Int

        /// Goals at 1M rows: ≤ 60 s and ≤ 300 MiB (scaled to the rows imported).
        public var secondsGoal: Double { 60.0 * Double(rows) / 1_000_000 }
        public static let peakGoalBytes = 300 * 1_048_576
        public var secondsMet: Bool { seconds <= secondsGoal }
        public var peakMet: Bool { peakRSSBytes <= Self.peakGoalBytes }
    }

    /// Decoding one sync page: typed rows (now) vs a single-pass `JSONValue` tree vs `Decodable` (before); best of
    /// several rounds.
    public struct JSONDecode: Codable, Sendable {
        public var records: Int
        public var bytes: Int
        public var typedRowsMillis: Double
        public var singlePassMillis: Double
        public var decoderMillis: Double
    }

    public struct RequestsPerLookup: Codable, Sendable {
        /// Emulator requests for a number in the index.
        public var hit: Int
        /// … for a number only Salesforce knows (one live SOSL search).
        public var miss: Int
        /// … for the same number again (written back to the index on the miss).
        public var missThenHit: Int
        public var missFound: Bool
    }

    public struct Goals: Codable, Sendable {
        public var p99AtMost1ms: Bool
        public var atLeast100xLike: Bool
        public var atLeast20xLive: Bool
        public var normalisationAtLeast1MPerSecond: Bool
        public var normalisationAtLeast10xPython: Bool?
        public var zeroRequestsOnHit: Bool
        public var oneRequestOnMiss: Bool
    }

    /// Wallboard figures at scale (issue 17): frame time and CPU per second of updates, now and the full-sort baseline.
    public struct Wallboard: Codable, Sendable {
        public var agents: Int
        public var updatesPerSecond: Int
        public var width: Int
        public var height: Int
        /// One repaint now (snapshot copy + render of the visible page).
        public var frame: BenchLatency
        /// One repaint with the pre-index full sort and fold of every agent.
        public var frameBaseline: BenchLatency
        /// Core-% per second of updates now (repaints capped at 10/s).
        public var cpuPercent: Double
        /// … with the full-sort frame at the same 10/s cap.
        public var cpuPercentBaselineCapped: Double
        /// … the old loop: a full-sort repaint per update (over 100%: it cannot keep up and falls behind).
        public var cpuPercentBaseline: Double

        /// Goals: ≤ 20 ms per frame (p99) and ≤ 5% of a core.
        public static let frameGoalMillis = 20.0
        public static let cpuGoalPercent = 5.0
        public var frameMet: Bool { frame.p99Micros <= Self.frameGoalMillis * 1000 }
        public var cpuMet: Bool { cpuPercent <= Self.cpuGoalPercent }

        /// The table lines.
        public func lines() -> [String] {
            func f(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }
            func ms(_ micros: Double) -> String { f(micros / 1000, 2) }
            func tick(_ ok: Bool) -> String { ok ? "✔" : "✖" }
            return [
                "Wallboard at \(agents.formatted()) agents, \(updatesPerSecond) state changes/s, \(width)×\(height) "
                    + "(baseline: the full sort and name fold of every agent per repaint, measured in the same run)",
                "  frame p50/p99: \(ms(frame.p50Micros)) / \(ms(frame.p99Micros)) ms (goal p99 ≤ \(f(Self.frameGoalMillis, 0)) ms \(tick(frameMet))); "
                    + "baseline \(ms(frameBaseline.p50Micros)) / \(ms(frameBaseline.p99Micros)) ms",
                "  CPU per second of updates: \(f(cpuPercent))% of a core (goal ≤ \(f(Self.cpuGoalPercent, 0))% \(tick(cpuMet))); "
                    + "baseline capped at 10 repaints/s \(f(cpuPercentBaselineCapped))%; old loop (a repaint per change) \(f(cpuPercentBaseline))%",
            ]
        }
    }

    public var mode: String
    public var build: String
    public var lookup: Lookup
    public var index: Index
    public var normalisation: Normalisation
    public var sync: Sync
    public var requestsPerLookup: RequestsPerLookup
    public var console: [Console] = []
    public var jsonDecode: JSONDecode?
    public var wallboard: Wallboard?
    public var directoryImport: Import?
    public var goals: Goals
    public var totalSeconds: Double

    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// The human-readable table.
    public func table() -> String {
        func f(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }
        func n(_ v: Double) -> String { Int(v.rounded()).formatted() }
        func row(_ name: String, _ l: BenchLatency, _ ratio: String) -> String {
            name.padding(toLength: 34, withPad: " ", startingAt: 0) + f(l.p50Micros, 2).leftPad(11) + f(l.p99Micros, 2).leftPad(11)
                + n(l.perSecond).leftPad(13) + l.samples.formatted().leftPad(10) + ratio.leftPad(11)
        }
        func mb(_ bytes: Int) -> String { f(Double(bytes) / 1_048_576) + " MiB" }
        let l = lookup
        var lines = [
            "ringside bench (\(mode), \(build) build)\(build == "debug" ? " — figures are not meaningful; build with -c release" : "")",
            "",
            "Lookup of \(l.numbers.formatted()) numbers (\(l.records.formatted()) records)",
            "method".padding(toLength: 34, withPad: " ", startingAt: 0) + "p50 µs".leftPad(11) + "p99 µs".leftPad(11)
                + "lookups/s".leftPad(13) + "samples".leftPad(10) + "index ×".leftPad(11),
            row("in-memory index", l.inMemory, "1"),
            row("SQLite indexed query", l.sqliteIndexed, f(l.speedupVsSQLite)),
            row("SQLite LIKE '%digits' scan", l.sqliteLike, f(l.speedupVsLike)),
            row("live SOSL (loopback emulator, \(l.liveOrgRecords.formatted()) rec)", l.liveSOSL, f(l.speedupVsLive)),
            "",
            "Index load at start: \(f(index.loadSeconds, 2)) s for \(index.numbers.formatted()) numbers; "
                + "\(mb(index.memoryBytes)) (\(f(index.bytesPerNumber)) B/number); RSS +\(mb(index.rssGrowthBytes))",
        ]
        let z = normalisation
        var norm = "Normalisation of \(z.numbers.formatted()) mixed-format numbers: Swift \(n(z.swiftPerSecond))/s (\(z.swiftParsed.formatted()) valid)"
        if let py = z.pythonPerSecond, let speedup = z.speedupVsPython {
            norm += "; Python phonenumbers \(z.pythonVersion ?? "") \(n(py))/s (\(z.pythonParsed ?? 0) valid) → \(f(speedup))×; "
                + "same answer for \(f((z.agreement ?? 0) * 100))%"
        } else {
            norm += "; Python phonenumbers not available (pip install phonenumbers)"
        }
        lines.append(norm)
        let s = sync
        lines.append("Full sync of \(s.records.formatted()) records from the emulator: \(f(s.seconds, 2)) s (\(n(s.recordsPerSecond)) records/s), "
                     + "\(s.requests) requests (\(s.pages) pages), \(s.indexedNumbers.formatted()) numbers in \(s.indexedRecords.formatted()) records; "
                     + "peak RSS \(mb(s.peakRSSBytes))\(s.peakResetWorked ? "" : " (process peak: reset unavailable)") from \(mb(s.rssBeforeBytes)) before")
        if let cpu = s.clientCPUSeconds {
            let runs = (s.clientCPURuns ?? [cpu]).sorted().map { f($0, 2) }.joined(separator: ", ")
            lines.append("  client alone (child processes): CPU \(f(cpu, 2)) s, median of \(runs) (goal ≤ \(f(s.clientCPUGoalSeconds, 2)) s "
                         + "\(s.clientCPUMet == true ? "✔" : "✖")) over \(f(s.clientSeconds ?? 0, 2)) s; whole child \(f(s.clientProcessCPUSeconds ?? 0, 2)) s CPU, "
                         + "peak RSS \(mb(s.clientPeakRSSBytes ?? 0))")
        }
        if let j = jsonDecode {
            lines.append("Sync page decode (\(j.records.formatted()) records, \(mb(j.bytes))): typed rows \(f(j.typedRowsMillis, 2)) ms, "
                         + "JSONValue tree (before) \(f(j.singlePassMillis, 2)) ms → \(f(j.singlePassMillis / max(0.001, j.typedRowsMillis)))×, "
                         + "Decodable (first) \(f(j.decoderMillis, 2)) ms → \(f(j.decoderMillis / max(0.001, j.typedRowsMillis)))×")
        }
        let r = requestsPerLookup
        lines.append("Requests per lookup (emulator log): hit \(r.hit), miss \(r.miss), same number again \(r.missThenHit)")
        let g = goals
        func mark(_ ok: Bool?) -> String { ok.map { $0 ? "met" : "NOT met" } ?? "n/a" }
        lines.append("")
        lines.append("Goals: p99 ≤ 1 ms \(mark(g.p99AtMost1ms)); ≥100× LIKE \(mark(g.atLeast100xLike)); ≥20× live \(mark(g.atLeast20xLive)); "
                     + "≥1M numbers/s \(mark(g.normalisationAtLeast1MPerSecond)); ≥10× Python \(mark(g.normalisationAtLeast10xPython)); "
                     + "0 requests on hit \(mark(g.zeroRequestsOnHit)); 1 on miss \(mark(g.oneRequestOnMiss))")
        if !console.isEmpty {
            func ms(_ micros: Double) -> String { f(micros / 1000, 2) }
            func tick(_ ok: Bool) -> String { ok ? "✔" : "✖" }
            lines.append("")
            lines.append("Console (\(BenchConsole.size.width)×\(BenchConsole.size.height) frames; baseline: the SQLite number-list query per change and keystroke, 200 rows)")
            lines.append("numbers".leftPad(10) + "  figure".padding(toLength: 26, withPad: " ", startingAt: 0) + "p50 ms".leftPad(9) + "p99 ms".leftPad(9)
                         + "goal p99".leftPad(10) + "   " + "baseline p50/p99 ms".leftPad(21) + "samples".leftPad(10))
            for c in console {
                func line(_ name: String, _ now: BenchLatency, _ base: BenchLatency, _ goal: Double, _ ok: Bool) -> String {
                    c.numbers.formatted().leftPad(10) + "  " + name.padding(toLength: 24, withPad: " ", startingAt: 0)
                        + ms(now.p50Micros).leftPad(9) + ms(now.p99Micros).leftPad(9) + ("≤ " + f(goal, 0)).leftPad(10) + " " + tick(ok) + " "
                        + (ms(base.p50Micros) + " / " + ms(base.p99Micros)).leftPad(21) + "\(now.samples)/\(base.samples)".leftPad(10)
                }
                lines.append(line("key → frame", c.keyToFrame, c.keyToFrameBaseline, Console.keyGoalMillis, c.keyMet))
                lines.append(line("ring → panel (pop)", c.ringToPanel, c.ringToPanelBaseline, Console.ringGoalMillis, c.ringMet))
                lines.append(line("filter keystroke", c.filterKeystroke, c.filterKeystrokeBaseline, Console.filterGoalMillis, c.filterMet))
                lines.append(c.numbers.formatted().leftPad(10) + "  data: index \(mb(c.indexMemoryBytes)), list \(mb(c.listMemoryBytes)) "
                             + "(\(c.rows.formatted()) rows, ready in \(f(c.listBuildSeconds, 2)) s), mapped from the snapshot file (resident only "
                             + "where touched: see the console process's RSS below); this bench process's RSS \(mb(c.rssBytes)) (+\(mb(c.rssGrowthBytes)) loading)")
                lines.append(c.numbers.formatted().leftPad(10) + "  index at start: snapshot \(f(c.indexFromSnapshotSeconds, 3)) s (goal ≤ "
                             + "\(f(Console.indexLoadGoalSeconds, 0)) s \(tick(c.indexLoadMet))), SQLite \(f(c.indexFromSQLiteSeconds, 3)) s "
                             + "(\(f(c.indexFromSQLiteSeconds / max(c.indexFromSnapshotSeconds, 1e-6), 1))× slower); snapshot file \(mb(c.snapshotBytes))")
                func goal(_ miB: Double?, _ ok: Bool?) -> String {
                    guard let miB, let ok else { return "" }
                    return " (goal ≤ \(f(miB, 0)) MiB \(tick(ok)))"
                }
                if let m = c.memory {
                    let goals = BenchMemory.goals(numbers: c.numbers)
                    lines.append(c.numbers.formatted().leftPad(10) + "  RSS of a console process (child; index from \(m.indexSource)): steady \(mb(m.rssBytes))"
                                 + goal(goals.steadyMiB, c.memorySteadyMet) + ", peak \(mb(m.peakBytes))" + goal(goals.peakMiB, c.memoryPeakMet)
                                 + "; heap \(mb(m.anonBytes)), mapped files \(mb(m.fileBytes))")
                }
                if let m = c.memoryRebuild {
                    lines.append(c.numbers.formatted().leftPad(10) + "  … rebuilding the index and snapshot from SQLite (after a directory change): steady "
                                 + "\(mb(m.rssBytes)), peak \(mb(m.peakBytes))" + goal(BenchMemory.goals(numbers: c.numbers).peakMiB,
                                                                                      BenchMemory.goals(numbers: c.numbers).peakMiB.map { Double(m.peakBytes) <= $0 * 1_048_576 }))
                }
                if let st = c.startup {
                    lines.append(c.numbers.formatted().leftPad(10) + "  cold start of ringside agent (median of \(st.starts)): first paint \(f(st.firstPaintMillis)) ms "
                                 + "(goal ≤ \(f(Startup.firstPaintGoalMillis, 0)) ms \(tick(st.firstPaintMet))), pops from the full index "
                                 + "\(f(st.indexLoadedMillis)) ms after start (goal ≤ \(f(Startup.indexLoadedGoalMillis, 0)) ms \(tick(st.indexLoadedMet))); "
                                 + "peak RSS \(mb(st.peakRSSBytes))")
                }
            }
        }
        if let i = directoryImport {
            func tick(_ ok: Bool) -> String { ok ? "✔" : "✖" }
            lines.append("")
            lines.append("Import of \(i.rows.formatted()) CSV rows (\(mb(i.fileBytes)), ringside directory import in a child): \(f(i.seconds, 1)) s "
                         + "(goal ≤ \(f(i.secondsGoal, 1)) s \(tick(i.secondsMet))), CPU \(f(i.cpuSeconds, 1)) s, peak RSS \(mb(i.peakRSSBytes)) "
                         + "(goal ≤ \(mb(Import.peakGoalBytes)) \(tick(i.peakMet)))")
        }
        if let w = wallboard {
            lines.append("")
            lines.append(contentsOf: w.lines())
        }
        lines.append("Total bench time \(f(totalSeconds)) s")
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPad(_ width: Int) -> String {
        count >= width ? " " + self : String(repeating: " ", count: width - count) + self
    }
}
