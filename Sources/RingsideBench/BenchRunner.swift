import Foundation
import RingsideApp
import RingsideCore
import RingsideSalesforce
import RingsideStore

/// A Salesforce org the benchmark can fill and count requests on (the `ringside` command provides the
/// in-process emulator; RingsideApp does not depend on it).
public protocol BenchOrg: Sendable {
    /// Settings that reach the org (password flow on loopback).
    var settings: SalesforceSettings { get }
    /// Adds records (field → text; "true"/"false" become booleans) of `type`.
    func add(_ records: [[String: String]], type: String) async throws
    /// REST data requests (`/services/data/…`) received so far.
    func dataRequestCount() async -> Int
    func stop() async
}

/// Runs every benchmark of `ringside bench` in one process, baselines included.
public struct BenchRunner: Sendable {
    public let sizes: BenchSizes
    public let scratch: String?
    public let startOrg: @Sendable () async throws -> any BenchOrg
    public let log: @Sendable (String) -> Void

    public init(sizes: BenchSizes, scratch: String?, startOrg: @escaping @Sendable () async throws -> any BenchOrg,
                log: @escaping @Sendable (String) -> Void) {
        self.sizes = sizes
        self.scratch = scratch
        self.startOrg = startOrg
        self.log = log
    }

    public func run() async throws -> BenchResults {
        let started = ContinuousClock.now
        let folder = scratch ?? NSTemporaryDirectory() + "ringside-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if scratch == nil { try? FileManager.default.removeItem(atPath: folder) } }

        // Sync first: its peak RSS should not include the 1M-number index built later.
        log("sync: \(sizes.syncRecords.formatted()) records from the emulator…")
        let (sync, requests) = try await BenchSync.run(records: sizes.syncRecords, folder: folder, startOrg: startOrg)
        log("live SOSL round trips: \(sizes.liveSamples) against an org of \(sizes.liveOrgRecords.formatted()) records…")
        let live = try await BenchSync.liveRoundTrips(samples: sizes.liveSamples, orgRecords: sizes.liveOrgRecords, startOrg: startOrg)
        log("normalisation: \(sizes.normalisationNumbers.formatted()) numbers, Swift and Python…")
        let normalisation = BenchNormalisation.run(count: sizes.normalisationNumbers, folder: folder)
        log("lookups: filling SQLite with \(sizes.numbers.formatted()) numbers…")
        let (index, lookups) = try BenchLookups.run(sizes: sizes, folder: folder, log: log)

        log("JSON: decoding a sync page…")
        let json = BenchJSON.run(rounds: sizes.name == "quick" ? 2 : 10)
        var console: [BenchResults.Console] = []
        for numbers in sizes.consoleNumbers {
            var figures = try await BenchConsole.run(numbers: numbers, samples: sizes.consoleSamples,
                                                     baselineSamples: sizes.consoleBaselineSamples, folder: folder, log: log)
            log("console: \(numbers.formatted()) numbers: memory of a console process (child)…")
            figures.memory = try BenchMemory.measure(numbers: numbers, scratch: folder, rebuild: false)
            figures.memoryRebuild = try BenchMemory.measure(numbers: numbers, scratch: folder, rebuild: true)
            log("console: \(numbers.formatted()) numbers: cold starts of ringside agent…")
            figures.startup = try BenchStartup.run(numbers: numbers, scratch: folder, starts: sizes.consoleStarts)
            console.append(figures)
        }
        let directoryImport = try BenchImport.run(rows: sizes.importRows, scratch: folder, log: log)
        let wallboard = wallboardFigures()
        var lookup = lookups
        lookup.liveSOSL = live
        lookup.liveOrgRecords = sizes.liveOrgRecords
        lookup.speedupVsLive = live.perSecond > 0 ? lookup.inMemory.perSecond / live.perSecond : 0
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        let goals = BenchResults.Goals(
            p99AtMost1ms: lookup.inMemory.p99Micros <= 1000, atLeast100xLike: lookup.speedupVsLike >= 100,
            atLeast20xLive: lookup.speedupVsLive >= 20, normalisationAtLeast1MPerSecond: normalisation.swiftPerSecond >= 1_000_000,
            normalisationAtLeast10xPython: normalisation.speedupVsPython.map { $0 >= 10 },
            zeroRequestsOnHit: requests.hit == 0 && requests.missThenHit == 0, oneRequestOnMiss: requests.miss == 1)
        return BenchResults(mode: sizes.name, build: build, lookup: lookup, index: index, normalisation: normalisation, sync: sync,
                            requestsPerLookup: requests, console: console, jsonDecode: json, wallboard: wallboard, directoryImport: directoryImport, goals: goals, totalSeconds: (ContinuousClock.now - started).inSeconds)
    }
}

extension BenchRunner {
    /// Only the wallboard figures (`ringside bench --wallboard`).
    public func wallboardFigures() -> BenchResults.Wallboard {
        BenchWallboard.run(agents: sizes.wallboardAgents, updatesPerSecond: sizes.wallboardUpdatesPerSecond, seconds: sizes.wallboardSeconds,
                           frameSamples: sizes.wallboardFrameSamples, baselineFrameSamples: sizes.wallboardBaselineFrameSamples, log: log)
    }
}

/// Process memory from `/proc/self/status` (Linux; zero elsewhere).
enum ProcessMemory {
    static func status(_ field: String, pid: pid_t? = nil) -> Int {
        // /proc files report size 0, so Foundation's readers return nothing: read(2) until the end.
        let fd = open(pid.map { "/proc/\($0)/status" } ?? "/proc/self/status", O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let kb = line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) } ?? 0
            return kb * 1024
        }
        return 0
    }

    static var rss: Int { status("VmRSS") }
    static var peak: Int { status("VmHWM") }

    /// Resets VmHWM to the current RSS (`echo 5 > /proc/self/clear_refs`); false when not allowed.
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }
}

/// Monotonic nanoseconds.
@inline(__always)
func benchNow() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

extension Duration {
    /// The duration in seconds as a `Double`.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
