import Foundation
import RingsideApp
import RingsideCore
import RingsideStore
import RingsideUI

/// Console figures for `ringside bench`: key → frame, ring → call panel with the pop decision, a filter keystroke
/// over the whole number list, and memory, for directories of several sizes. Each path is measured twice in the
/// same run: as the console does it now (in-memory number list) and as it did before (the SQLite number-list
/// query after every change and keystroke, limited to 200 rows) — the baseline.
enum BenchConsole {
    static let size = TermSize(width: 120, height: 40)

    /// The folder of the directory of `numbers` numbers (`ringside.sqlite` and its index snapshot), where the
    /// memory probe and the cold start find it too.
    static func folder(scratch: String, numbers: Int) -> String { scratch + "/console-\(numbers)" }

    /// Fills a directory of `numbers` numbers in SQLite, loads the phone index and measures.
    static func run(numbers: Int, samples: Int, baselineSamples: Int, folder: String, log: @Sendable (String) -> Void) async throws -> BenchResults.Console {
        let directoryFolder = Self.folder(scratch: folder, numbers: numbers)
        try? FileManager.default.removeItem(atPath: directoryFolder)
        try FileManager.default.createDirectory(atPath: directoryFolder, withIntermediateDirectories: true)
        let path = directoryFolder + "/ringside.sqlite"
        let database = try RingsideDatabase(path: path)
        let store = PhoneIndexStore(database: database)
        let records = BenchData.indexRecords(numbers: numbers, instanceURL: "https://bench.my.salesforce.com")
        var start = 0
        while start < records.count {
            let end = min(records.count, start + 10_000)
            try store.apply(.init(upserts: Array(records[start..<end]), generation: 1))
            start = end
        }
        log("console: \(numbers.formatted()) numbers…")
        return try await measure(database: database, store: store, samples: samples, baselineSamples: baselineSamples)
    }

    static func measure(database: RingsideDatabase, store: PhoneIndexStore, samples: Int, baselineSamples: Int) async throws -> BenchResults.Console {
        let user = AgentUser(id: "005000000000001AAA", name: "Ada Agent", timeZone: "Europe/London")
        let directory = LocalDirectory(database: database, region: .GB, user: user)
        let calls = SQLiteCallStore(database: database)
        // Loading the index at start: from SQLite (the baseline) and from the snapshot a previous start saved.
        let snapshotPath = database.path + ".index"
        try? FileManager.default.removeItem(atPath: snapshotPath)
        _ = try PhoneIndexSnapshot.load(store: store, path: snapshotPath)  // builds and saves the snapshot
        var t = benchNow()
        _ = try PhoneIndex.load(from: store)
        let fromSQLite = Double(benchNow() - t) / 1e9
        t = benchNow()
        let fromSnapshot = try PhoneIndexSnapshot.load(store: store, path: snapshotPath)
        let fromSnapshotSeconds = Double(benchNow() - t) / 1e9
        precondition(fromSnapshot.source == .snapshot, "the bench's snapshot must be used: \(fromSnapshot.source)")
        let snapshotBytes = (try? FileManager.default.attributesOfItem(atPath: snapshotPath)[.size] as? Int) ?? 0
        let rssBefore = ProcessMemory.rss
        // As the console does: the index and list served from the snapshot file.
        let indexed = IndexedCRM(base: directory, store: store, writesBack: false, snapshotPath: snapshotPath)
        try indexed.reload()
        let listStart = benchNow()
        let rows = indexed.numberList(excluding: [])
        let listSeconds = Double(benchNow() - listStart) / 1e9
        let rss = ProcessMemory.rss
        let numbers = indexed.figures.numbers

        let renderer = ConsoleRenderer()
        let reducer = ConsoleReducer()
        var session = AgentSession(settings: SessionSettings(), user: user)
        var counter = 0
        func newID() -> CallObjectID { counter += 1; return "bench-\(counter)" }
        func snapshot() -> ConsoleSnapshot {
            ConsoleSnapshot(session: session, history: (try? calls.recentCalls(limit: 100)) ?? [], isDemo: false,
                            crmLabel: "Local directory", phoneLabel: "Simulated phone")
        }
        func recent() -> [NumberListEntry] {
            ((try? calls.recentCalls(limit: 20)) ?? []).map {
                NumberListEntry(kind: .recent, name: $0.remoteName ?? "", raw: $0.remote, e164: $0.e164, entity: $0.who ?? $0.what)
            }
        }
        /// What the console does after a change: fresh data (now: shared rows; baseline: the SQLite query).
        func refresh(_ state: inout ConsoleState, _ snap: ConsoleSnapshot, baseline: Bool) {
            let data: NumberListData
            if baseline {
                data = NumberListData(entries: (try? directory.numberList(filter: state.filterText, limit: 200)) ?? [])
            } else {
                data = NumberListData(head: recent(), rows: rows)
            }
            _ = reducer.reduce(.numbers(data), state: &state, snapshot: snap, now: Date())
        }
        var checksum = 0
        func frame(_ state: ConsoleState, _ snap: ConsoleSnapshot) {
            checksum &+= renderer.render(snap, state, size: size, now: Date()).regions.count
        }

        // Key → frame: a key that changes the agent's state (Ready/Not ready), the change, the list refresh, the frame.
        func keyToFrame(baseline: Bool, count: Int) -> BenchLatency {
            var state = ConsoleState()
            refresh(&state, snapshot(), baseline: baseline)
            var nanos: [UInt64] = []
            let total = benchNow()
            for i in 0..<count {
                let t = benchNow()
                var snap = snapshot()
                let key: Key = i % 3 == 0 ? .char("r") : (i % 3 == 1 ? .down : .pageDown)
                for request in reducer.reduce(.key(key), state: &state, snapshot: snap, now: Date()) {
                    if case .agent(let command) = request { _ = session.handle(.agent(command), at: Date(), newID: newID()) }
                }
                snap = snapshot()
                refresh(&state, snap, baseline: baseline)
                frame(state, snap)
                nanos.append(benchNow() - t)
                if state.modal != nil { state.modal = nil }
            }
            return BenchLatency(nanos: nanos, totalSeconds: Double(benchNow() - total) / 1e9)
        }

        // Ring → call panel with the pop decision: the incoming call, the in-memory lookup, the list refresh, the frame.
        let phones = rows.count
        var random = SplitMix64(state: 16)
        func ringToPanel(baseline: Bool, count: Int) async -> BenchLatency {
            var state = ConsoleState()
            refresh(&state, snapshot(), baseline: baseline)
            var nanos: [UInt64] = []
            let total = benchNow()
            for i in 0..<count {
                let caller = rows.entry(at: random.index(phones))
                let t = benchNow()
                let line = "L\(i)"
                let effects = session.handle(.phone(.incoming(line, remote: caller.raw)), at: Date(), newID: newID())
                for case .lookup(let id, let number) in effects {
                    if let result = try? await indexed.lookup(number) {
                        _ = session.handle(.lookupFinished(id, result), at: Date(), newID: newID())
                    }
                }
                let snap = snapshot()
                _ = reducer.reduce(.changed, state: &state, snapshot: snap, now: Date())
                refresh(&state, snap, baseline: baseline)
                reducer.reconcile(&state, snap)
                frame(state, snap)
                nanos.append(benchNow() - t)
                if case .finished(.pop, _)? = session.focusedCall?.match { checksum &+= 1 }
                session = AgentSession(settings: SessionSettings(), user: user)
            }
            return BenchLatency(nanos: nanos, totalSeconds: Double(benchNow() - total) / 1e9)
        }

        // Filter keystroke: typing a name word and digits into the filter, one character at a time, then clearing it.
        func filterKeystroke(baseline: Bool, count: Int) -> BenchLatency {
            var state = ConsoleState()
            refresh(&state, snapshot(), baseline: baseline)
            _ = reducer.reduce(.key(.char("/")), state: &state, snapshot: snapshot(), now: Date())
            var nanos: [UInt64] = []
            let total = benchNow()
            while nanos.count < count {
                let target = rows.entry(at: random.index(phones))
                let digits = String(target.raw.filter(\.isNumber).suffix(5))
                let text = "person \(target.name.split(separator: " ").last ?? "") \(digits)"
                for c in text where nanos.count < count {
                    let snap = snapshot()
                    let t = benchNow()
                    _ = reducer.reduce(.key(.char(c)), state: &state, snapshot: snap, now: Date())
                    if baseline { refresh(&state, snap, baseline: true) }
                    frame(state, snap)
                    nanos.append(benchNow() - t)
                }
                _ = reducer.reduce(.key(.ctrl("u")), state: &state, snapshot: snapshot(), now: Date())
                if baseline { refresh(&state, snapshot(), baseline: true) }
            }
            return BenchLatency(nanos: nanos, totalSeconds: Double(benchNow() - total) / 1e9)
        }

        let ring = await ringToPanel(baseline: false, count: samples)
        let ringBaseline = await ringToPanel(baseline: true, count: baselineSamples)
        let key = keyToFrame(baseline: false, count: samples)
        let keyBaseline = keyToFrame(baseline: true, count: baselineSamples)
        let filter = filterKeystroke(baseline: false, count: samples)
        let filterBaseline = filterKeystroke(baseline: true, count: baselineSamples)
        precondition(checksum != 0)
        return BenchResults.Console(numbers: numbers, rows: rows.count, listBuildSeconds: listSeconds,
                                    listMemoryBytes: rows.memoryBytes, indexMemoryBytes: indexed.figures.memoryBytes,
                                    rssBytes: rss, rssGrowthBytes: max(0, rss - rssBefore),
                                    keyToFrame: key, keyToFrameBaseline: keyBaseline, ringToPanel: ring, ringToPanelBaseline: ringBaseline,
                                    filterKeystroke: filter, filterKeystrokeBaseline: filterBaseline,
                                    indexFromSQLiteSeconds: fromSQLite, indexFromSnapshotSeconds: fromSnapshotSeconds,
                                    snapshotBytes: snapshotBytes)
    }
}
