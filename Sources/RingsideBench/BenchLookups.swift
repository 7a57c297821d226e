import Foundation
import RingsideApp
import RingsideCore
import RingsideStore

/// Lookup latency: in-memory index vs SQLite indexed query vs SQLite LIKE scan, over the same directory.
enum BenchLookups {
    static func run(sizes: BenchSizes, folder: String, log: @Sendable (String) -> Void) throws -> (BenchResults.Index, BenchResults.Lookup) {
        let path = folder + "/lookup.sqlite"
        try? FileManager.default.removeItem(atPath: path)
        let database = try RingsideDatabase(path: path)
        let store = PhoneIndexStore(database: database)
        let instance = "https://bench.my.salesforce.com"
        let records = BenchData.indexRecords(numbers: sizes.numbers, instanceURL: instance)
        let fillStart = benchNow()
        var start = 0
        while start < records.count {
            let end = min(records.count, start + 10_000)
            try store.apply(.init(upserts: Array(records[start..<end]), generation: 1))
            start = end
        }
        let fillSeconds = Double(benchNow() - fillStart) / 1e9
        log("lookups: loading the in-memory index…")
        let rssBefore = ProcessMemory.rss
        let loadStart = benchNow()
        let index = try PhoneIndex.load(from: store)
        let loadSeconds = Double(benchNow() - loadStart) / 1e9
        let rssGrowth = max(0, ProcessMemory.rss - rssBefore)
        let indexFigures = BenchResults.Index(numbers: index.numberCount, loadSeconds: loadSeconds, memoryBytes: index.memoryBytes,
                                              bytesPerNumber: Double(index.memoryBytes) / Double(max(1, index.numberCount)),
                                              rssGrowthBytes: rssGrowth, fillSeconds: fillSeconds)
        // The same pseudo-random sample of numbers (all present) for every method.
        var random = SplitMix64(state: 7)
        let all = records.flatMap { $0.phones.compactMap(\.e164) }
        func sample(_ n: Int) -> [String] { (0..<n).map { _ in all[random.index(all.count)] } }

        log("lookups: in-memory index, \(sizes.inMemorySamples.formatted()) lookups…")
        let memory = measure(sample(sizes.inMemorySamples)) { key in index.records(withNumber: key).count }
        log("lookups: SQLite indexed query, \(sizes.sqliteSamples.formatted()) lookups…")
        let directory = LocalDirectory(database: database, region: .GB, user: AgentUser(id: "", name: "", timeZone: "UTC"))
        let indexed = measure(sample(sizes.sqliteSamples)) { key in (try? directory.records(withNumber: key).count) ?? -1 }
        log("lookups: SQLite LIKE scan, \(sizes.likeSamples) lookups…")
        // What a naive adapter does: match the national digits at the end of any stored number (full scan).
        let like = measure(sample(sizes.likeSamples)) { key in (try? store.records(e164Like: "%" + key.dropFirst(3)).count) ?? -1 }
        let lookup = BenchResults.Lookup(
            numbers: index.numberCount, records: index.recordCount, inMemory: memory, sqliteIndexed: indexed, sqliteLike: like,
            liveSOSL: BenchLatency(nanos: [], totalSeconds: 0), liveOrgRecords: 0,
            speedupVsSQLite: ratio(memory, indexed), speedupVsLike: ratio(memory, like), speedupVsLive: 0)
        return (indexFigures, lookup)
    }

    static func ratio(_ a: BenchLatency, _ b: BenchLatency) -> Double {
        b.perSecond > 0 ? a.perSecond / b.perSecond : 0
    }

    /// Times `body` once per key; every key must find at least one record.
    static func measure(_ keys: [String], _ body: (String) -> Int) -> BenchLatency {
        var nanos: [UInt64] = []
        nanos.reserveCapacity(keys.count)
        var misses = 0
        let total = benchNow()
        for key in keys {
            let t = benchNow()
            let found = body(key)
            nanos.append(benchNow() - t)
            if found <= 0 { misses += 1 }
        }
        let seconds = Double(benchNow() - total) / 1e9
        precondition(misses == 0, "benchmark lookups must all hit (\(misses) missed)")
        return BenchLatency(nanos: nanos, totalSeconds: seconds)
    }
}
