import Foundation
import RingsideApp

/// Cold start of the real console: `ringside agent` (local directory, simulated phone) spawned on a pseudo-terminal
/// over the bench's directory of N numbers, with `RINGSIDE_BENCH_EXIT_AFTER_FIRST_PAINT`: it quits after its first
/// paint and reports when that was and when pops were served from the full index, in milliseconds since the spawn.
/// The median of several starts (the snapshot's pages are in the page cache, as on any restart).
enum BenchStartup {
    static func run(numbers: Int, scratch: String, starts: Int) throws -> BenchResults.Startup {
        let folder = BenchConsole.folder(scratch: scratch, numbers: numbers)
        var paints: [Double] = [], loads: [Double] = [], peaks: [Int] = []
        for _ in 0..<max(1, starts) {
            let run = try BenchChild.run(BenchChild.executable, ["agent", "--no-mouse"], terminal: (120, 40)) { spawned in
                BenchChild.environment([
                    "TERM": "xterm-256color", "RINGSIDE_CONFIG": folder + "/no-config.toml", "RINGSIDE_DATA_DIR": folder,
                    "RINGSIDE_CRM_KIND": "local", "RINGSIDE_PHONE_LINK": "simulated", "XDG_STATE_HOME": folder + "/state",
                    "RINGSIDE_BENCH_EXIT_AFTER_FIRST_PAINT": String(spawned),
                ])
            }
            let text = String(decoding: run.output, as: UTF8.self)
            guard run.exitStatus == 0, let line = text.split(whereSeparator: \.isNewline).last(where: { $0.contains("ringside-startup ") }),
                  let paint = value(line, "first-paint-ms"), let loaded = value(line, "index-loaded-ms") else {
                throw BenchChild.Failure(description: "the console start (ringside agent) failed with status \(run.exitStatus): "
                                         + String(text.suffix(600)))
            }
            paints.append(paint)
            loads.append(loaded)
            peaks.append(run.maxRSSBytes)
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        return BenchResults.Startup(numbers: numbers, starts: paints.count, firstPaintMillis: median(paints), indexLoadedMillis: median(loads),
                                    peakRSSBytes: peaks.max() ?? 0)
    }

    /// `name=value` in the probe's line.
    static func value(_ line: Substring, _ name: String) -> Double? {
        for field in line.split(separator: " ") where field.hasPrefix(name + "=") {
            return Double(field.dropFirst(name.count + 1).filter { $0 != "\r" })
        }
        return nil
    }
}

/// `ringside directory import` of a generated CSV file of N rows in a child process: wall time and peak RSS
/// (`ru_maxrss` from `wait4`), into a fresh database.
enum BenchImport {
    static func run(rows: Int, scratch: String, log: @Sendable (String) -> Void) throws -> BenchResults.Import {
        let folder = scratch + "/import-\(rows)"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let csv = folder + "/directory.csv"
        log("import: writing \(rows.formatted()) CSV rows…")
        try write(rows: rows, to: csv)
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0
        log("import: ringside directory import…")
        let run = try BenchChild.run(BenchChild.executable, ["directory", "import", csv]) { _ in
            BenchChild.environment(["RINGSIDE_CONFIG": folder + "/no-config.toml", "RINGSIDE_DATA_DIR": folder + "/data",
                                    "RINGSIDE_CRM_KIND": "local", "XDG_STATE_HOME": folder + "/state"])
        }
        guard run.exitStatus == 0 else {
            throw BenchChild.Failure(description: "ringside directory import failed with status \(run.exitStatus): "
                                     + String(decoding: run.output.suffix(600), as: UTF8.self))
        }
        try? FileManager.default.removeItem(atPath: csv)
        return BenchResults.Import(rows: rows, fileBytes: fileBytes, seconds: run.wallSeconds, cpuSeconds: run.cpuSeconds,
                                   peakRSSBytes: run.maxRSSBytes)
    }

    /// name, phone, type, account, owner — mixed number formats, like an export from another system.
    static func write(rows: Int, to path: String) throws {
        guard let out = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() else { throw BenchChild.Failure(description: "cannot write \(path)") }
        defer { try? out.close() }
        var chunk = "name,phone,type,account,owner\n"
        for i in 0..<rows {
            let type = i % 10 < 6 ? "Contact" : (i % 10 < 8 ? "Account" : "Lead")
            chunk += "Import Person \(i),\(BenchData.formatted(national: BenchData.ukMobile(i + 20_000_000), style: i)),\(type),"
                + "Company \(i / 5),Alex Agent\n"
            if chunk.utf8.count > 1 << 20 {
                try out.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        try out.write(contentsOf: Data(chunk.utf8))
    }
}
