import Foundation
import RingsideApp
import RingsideCore
import RingsideCurl
import RingsideSalesforce
import RingsideStore

/// Sync, requests-per-lookup and live round-trip benchmarks against an emulator org.
public enum BenchSync {
    /// A client reaching `org` through libcurl.
    static func client(_ org: any BenchOrg) throws -> SalesforceClient {
        try SalesforceClient.live(settings: org.settings, tokenStore: InMemoryTokenStore())
    }

    /// Adds `records` bench records to `org` (also `ringside bench --sync-serve N`, an org to run the sync probe against by hand).
    public static func fill(_ org: any BenchOrg, records: Int, offset: Int = 0) async throws {
        for (type, list) in BenchData.orgRecords(records, offset: offset) where !list.isEmpty {
            try await org.add(list, type: type)
        }
    }

    /// A full sync of `records` records into a fresh database, then requests per lookup through `IndexedCRM`.
    static func run(records: Int, folder: String, startOrg: @Sendable () async throws -> any BenchOrg)
        async throws -> (BenchResults.Sync, BenchResults.RequestsPerLookup) {
        let org = try await startOrg()
        do {
            let result = try await measure(org, records: records, folder: folder)
            await org.stop()
            return result
        } catch {
            await org.stop()
            throw error
        }
    }

    private static func measure(_ org: any BenchOrg, records: Int, folder: String) async throws -> (BenchResults.Sync, BenchResults.RequestsPerLookup) {
        try await fill(org, records: records)
        let path = folder + "/sync.sqlite"
        try? FileManager.default.removeItem(atPath: path)
        let store = PhoneIndexStore(database: try RingsideDatabase(path: path))
        let client = try client(org)
        _ = try await client.auth.currentSession()  // sign in outside the measurement
        let sync = PhoneIndexSync(client: client, store: store)
        let rssBefore = ProcessMemory.rss
        let reset = ProcessMemory.resetPeak()
        let requestsBefore = await org.dataRequestCount()
        let start = benchNow()
        let (report, _) = try await sync.run()
        let seconds = Double(benchNow() - start) / 1e9
        let requests = await org.dataRequestCount() - requestsBefore
        var figures = BenchResults.Sync(records: records, seconds: seconds, recordsPerSecond: Double(records) / seconds, requests: requests,
                                        pages: report.pages, indexedRecords: report.records, indexedNumbers: report.numbers,
                                        peakRSSBytes: ProcessMemory.peak, rssBeforeBytes: rssBefore, peakResetWorked: reset)
        // The same sync again from child processes: the client's CPU alone. CPU time on a shared (virtual) machine
        // varies by ±25% from run to run, so the figure is the median of `clientRuns` runs, all of them reported.
        var probes: [(ClientProbe, BenchChild.Run)] = []
        for _ in 0..<clientRuns {
            let (probe, run) = try clientInChild(org, folder: folder)
            precondition(probe.records == report.records, "the child's sync must see the same records")
            probes.append((probe, run))
        }
        let (clientProbe, clientRun) = probes.sorted { $0.0.cpuSeconds < $1.0.cpuSeconds }[probes.count / 2]
        figures.clientCPUSeconds = clientProbe.cpuSeconds
        figures.clientCPURuns = probes.map(\.0.cpuSeconds)
        figures.clientSeconds = clientProbe.seconds
        figures.clientProcessCPUSeconds = clientRun.cpuSeconds
        figures.clientPeakRSSBytes = probes.map(\.1.maxRSSBytes).max()

        // Requests per lookup, counted by the emulator.
        let crm = IndexedCRM(base: client, store: store)
        try crm.reload()
        let known = BenchData.orgRecords(1)["Contact"]![0]["Phone"]!
        let knownNumber = try PhoneNumber.parse(known, defaultRegion: .GB)
        var before = await org.dataRequestCount()
        let hit = try await crm.lookup(knownNumber)
        let hitRequests = await org.dataRequestCount() - before
        precondition(!hit.candidates.isEmpty, "a synced number must be in the index")
        // A record created in Salesforce after the sync: only a live search finds it.
        let fresh = BenchData.orgRecords(1, offset: 90_000_000)["Contact"]![0]
        try await org.add([fresh], type: "Contact")
        let freshNumber = try PhoneNumber.parse(fresh["Phone"]!, defaultRegion: .GB)
        before = await org.dataRequestCount()
        let miss = try await crm.lookup(freshNumber)
        let missRequests = await org.dataRequestCount() - before
        before = await org.dataRequestCount()
        let again = try await crm.lookup(freshNumber)
        let againRequests = await org.dataRequestCount() - before
        let perLookup = BenchResults.RequestsPerLookup(hit: hitRequests, miss: missRequests, missThenHit: againRequests,
                                                       missFound: !miss.candidates.isEmpty && !again.candidates.isEmpty)
        return (figures, perLookup)
    }

    /// Child runs of the client alone (the median is the figure).
    static let clientRuns = 3

    /// The client side of a full sync, measured in a child process (`ringside bench --sync-probe URL`) so the
    /// emulator serving it (in this process) is not counted: CPU is the child's own (`getrusage`) around the sync.
    public struct ClientProbe: Codable, Sendable {
        public var records: Int
        public var numbers: Int
        public var seconds: Double
        public var cpuSeconds: Double
    }

    /// The child's side: a full sync from the org at `settings` into a fresh database under `folder`.
    public static func probe(settings: SalesforceSettings, folder: String) async throws -> ClientProbe {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/sync-client-\(getpid()).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        let store = PhoneIndexStore(database: try RingsideDatabase(path: path))
        let client = try SalesforceClient.live(settings: settings, tokenStore: InMemoryTokenStore())
        _ = try await client.auth.currentSession()  // sign in outside the measurement
        let sync = PhoneIndexSync(client: client, store: store)
        let cpu = ProcessCPU.seconds()
        let start = benchNow()
        let (report, _) = try await sync.run()
        let seconds = Double(benchNow() - start) / 1e9
        return ClientProbe(records: report.records, numbers: report.numbers, seconds: seconds, cpuSeconds: ProcessCPU.seconds() - cpu)
    }

    /// The parent's side: runs the probe against `org`.
    static func clientInChild(_ org: any BenchOrg, folder: String) throws -> (ClientProbe, BenchChild.Run) {
        let arguments = ["bench", "--sync-probe", org.settings.loginURL, "--scratch", folder]
        let run = try BenchChild.run(BenchChild.executable, arguments) { _ in BenchChild.environment([:]) }
        guard run.exitStatus == 0, let probe = try? JSONDecoder().decode(ClientProbe.self, from: run.output) else {
            throw BenchChild.Failure(description: "the sync probe failed with status \(run.exitStatus): \(String(decoding: run.output.prefix(500), as: UTF8.self))")
        }
        return (probe, run)
    }

    /// Live SOSL lookups (`SalesforceClient.lookup`, one request each) against a small org.
    static func liveRoundTrips(samples: Int, orgRecords: Int, startOrg: @Sendable () async throws -> any BenchOrg) async throws -> BenchLatency {
        let org = try await startOrg()
        do {
            try await fill(org, records: orgRecords)
            let client = try client(org)
            _ = try await client.auth.currentSession()
            let contacts = BenchData.orgRecords(orgRecords)["Contact"]!
            let numbers = try contacts.map { try PhoneNumber.parse($0["Phone"]!, defaultRegion: .GB) }
            _ = try await client.lookupTyped(numbers[0])  // warm the connection
            var nanos: [UInt64] = []
            let total = benchNow()
            for i in 0..<samples {
                let t = benchNow()
                let result = try await client.lookupTyped(numbers[i % numbers.count])
                nanos.append(benchNow() - t)
                precondition(!result.candidates.isEmpty, "live lookups must find the org's numbers")
            }
            let latency = BenchLatency(nanos: nanos, totalSeconds: Double(benchNow() - total) / 1e9)
            await org.stop()
            return latency
        } catch {
            await org.stop()
            throw error
        }
    }
}
