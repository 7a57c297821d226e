import ArgumentParser
import Foundation
import RingsideApp
import RingsideBench
import RingsideSalesforce
import SalesforceEmulator

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure lookups, number normalisation, sync and index loading; prints a table and JSON.",
        discussion: """
            All baselines run in the same process and run: lookups of 1M numbers from the in-memory index, an indexed \
            SQLite query, a SQLite LIKE '%digits' scan and a live SOSL round trip to a loopback emulator; normalising \
            100k mixed-format numbers against Python's phonenumbers (when installed); a full sync of 100k records from \
            the emulator (time, requests, peak RSS); index load time; requests per lookup (hit, miss). Build with \
            -c release for meaningful figures. --quick uses small sizes (a CI smoke run; figures are not meaningful).
            """)

    @Flag(help: "Small sizes (20k numbers, 2k records): seconds, for CI.") var quick = false
    @Flag(help: "Print only the JSON.") var json = false
    @Flag(help: "Only the wallboard figures (5,000 agents: frame time and CPU per second of updates against the full-sort baseline).")
    var wallboard = false
    @Option(help: "Folder for the benchmark's scratch databases (default: a temporary folder, removed afterwards).") var scratch: String?
    // Child processes the bench runs (its own executable), so their figures are theirs alone.
    @Option(help: .hidden) var rssProbe: Int?
    @Flag(help: .hidden) var rssProbeRebuild = false
    @Option(help: .hidden) var syncProbe: String?
    /// An emulator org of N bench records that stays up, printing its URL: profile `--sync-probe URL` alone with it.
    @Option(help: .hidden) var syncServe: Int?

    func run() async throws {
        HeapPolicy.apply()  // the console's (Agent, Demo): its latency and memory figures are measured under it
        if let rssProbe, let scratch {
            let figures = try await BenchMemory.probe(numbers: rssProbe, scratch: scratch, rebuild: rssProbeRebuild)
            print(String(decoding: try JSONEncoder().encode(figures), as: UTF8.self))
            return
        }
        if let syncProbe, let scratch {
            let settings = EmulatorBenchOrg.settings(loginURL: syncProbe)
            let figures = try await BenchSync.probe(settings: settings, folder: scratch)
            print(String(decoding: try JSONEncoder().encode(figures), as: UTF8.self))
            return
        }
        if let syncServe {
            let org = try await EmulatorBenchOrg.start()
            try await BenchSync.fill(org, records: syncServe)
            FileHandle.standardOutput.write(Data((org.settings.loginURL + "\n").utf8))
            while true { try await Task.sleep(for: .seconds(3600)) }
        }
        let sizes = quick ? BenchSizes.quick : BenchSizes.full
        let log: @Sendable (String) -> Void = { text in
            if !json { FileHandle.standardError.write(Data((text + "\n").utf8)) }
        }
        if wallboard {
            let runner = BenchRunner(sizes: sizes, scratch: scratch, startOrg: { try await EmulatorBenchOrg.start() }, log: log)
            let figures = runner.wallboardFigures()
            if !json { print(figures.lines().joined(separator: "\n")) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: (try? encoder.encode(figures)) ?? Data(), as: UTF8.self))
            return
        }
        let results: BenchResults
        do {
            results = try await BenchRunner(sizes: sizes, scratch: scratch, startOrg: { try await EmulatorBenchOrg.start() }, log: log).run()
        } catch {
            throw fail("benchmark failed: \(error)")
        }
        if !json { print(results.table()) }
        print(results.jsonText())
    }
}

/// The in-process Salesforce emulator as the benchmark's org.
struct EmulatorBenchOrg: BenchOrg {
    let emulator: SalesforceEmulator
    let settings: SalesforceSettings

    static let credentials = EmulatorSeed.Credentials(clientId: "bench-client", clientSecret: "bench-secret", username: EmulatorSeed.defaultUser.Username,
                                                      password: "bench-password", securityToken: "BENCH")

    static func start() async throws -> EmulatorBenchOrg {
        let emulator = try await SalesforceEmulator.start(seed: EmulatorSeed(credentials: credentials, dailyApiLimit: 10_000_000))
        return EmulatorBenchOrg(emulator: emulator, settings: settings(loginURL: emulator.baseURL.absoluteString))
    }

    /// Settings reaching the bench's emulator at `loginURL` (also from the sync probe's child process).
    static func settings(loginURL: String) -> SalesforceSettings {
        var settings = SalesforceSettings(loginURL: loginURL, authKind: .password, clientId: credentials.clientId,
                                          clientSecret: credentials.clientSecret, username: credentials.username, password: credentials.password,
                                          securityToken: credentials.securityToken, defaultRegion: .GB, allowInsecureLoopback: true)
        settings.requestTimeouts = .init(connect: .seconds(5), total: .seconds(120))
        return settings
    }

    func add(_ records: [[String: String]], type: String) async throws {
        let converted: [EmulatorRecord] = records.map { record in
            record.mapValues { value -> EmulatorJSON in
                switch value {
                case "true": .bool(true)
                case "false": .bool(false)
                default: .string(value)
                }
            }
        }
        try await emulator.addRecords(converted, of: type)
    }

    func dataRequestCount() async -> Int {
        await emulator.requestLog.filter { $0.path.hasPrefix("/services/data/") }.count
    }

    func stop() async { await emulator.stop() }
}
