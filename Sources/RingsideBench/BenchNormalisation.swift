import Foundation
import RingsideApp
import RingsideCore

/// Phone normalisation throughput: `PhoneNumber.parse` vs Python `phonenumbers`
/// (`format_number(parse(n, "GB"), E164)`) run as a subprocess on the same numbers.
enum BenchNormalisation {
    static let python = """
        import sys, time, json
        try:
            import phonenumbers
        except ImportError:
            print(json.dumps({"available": False})); sys.exit(0)
        numbers = open(sys.argv[1], encoding="utf-8").read().split("\\n")
        E164 = phonenumbers.PhoneNumberFormat.E164
        def run():
            out = []
            for n in numbers:
                try:
                    out.append(phonenumbers.format_number(phonenumbers.parse(n, "GB"), E164))
                except phonenumbers.NumberParseException:
                    out.append("")
            return out
        best, out = None, None
        for _ in range(2):
            t = time.perf_counter(); out = run(); s = time.perf_counter() - t
            best = s if best is None or s < best else best
        open(sys.argv[2], "w", encoding="utf-8").write("\\n".join(out))
        print(json.dumps({"available": True, "seconds": best, "parsed": sum(1 for o in out if o), "version": phonenumbers.__version__}))
        """

    static func run(count: Int, folder: String) -> BenchResults.Normalisation {
        let numbers = BenchData.mixedNumbers(count)
        // Best of three passes (the first warms caches).
        var best = Double.infinity
        var results: [String] = []
        for _ in 0..<3 {
            var out: [String] = []
            out.reserveCapacity(numbers.count)
            let start = benchNow()
            for raw in numbers {
                out.append((try? PhoneNumber.parse(raw, defaultRegion: .GB))?.e164 ?? "")
            }
            best = min(best, Double(benchNow() - start) / 1e9)
            results = out
        }
        let parsed = results.filter { !$0.isEmpty }.count
        var figures = BenchResults.Normalisation(numbers: count, swiftSeconds: best, swiftPerSecond: Double(count) / best, swiftParsed: parsed,
                                                 pythonAvailable: false)
        guard let py = runPython(numbers, folder: folder) else { return figures }
        figures.pythonAvailable = true
        figures.pythonVersion = py.version
        figures.pythonSeconds = py.seconds
        figures.pythonPerSecond = Double(count) / py.seconds
        figures.pythonParsed = py.results.filter { !$0.isEmpty }.count
        figures.speedupVsPython = py.seconds / best
        if py.results.count == results.count {
            figures.agreement = Double(zip(py.results, results).filter { $0 == $1 }.count) / Double(max(1, count))
        }
        return figures
    }

    static func runPython(_ numbers: [String], folder: String) -> (seconds: Double, version: String, results: [String])? {
        let input = folder + "/numbers.txt", output = folder + "/numbers-e164.txt", script = folder + "/normalise.py"
        do {
            try numbers.joined(separator: "\n").write(toFile: input, atomically: true, encoding: .utf8)
            try python.write(toFile: script, atomically: true, encoding: .utf8)
        } catch {
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, input, output]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["available"] as? Bool == true, let seconds = object["seconds"] as? Double, seconds > 0,
              let text = try? String(contentsOfFile: output, encoding: .utf8) else { return nil }
        return (seconds, object["version"] as? String ?? "?", text.components(separatedBy: "\n"))
    }
}
