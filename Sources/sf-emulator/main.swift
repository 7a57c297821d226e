import Foundation
import SalesforceEmulator

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let usage = """
    USAGE: sf-emulator [--port N] [--seed FILE] [--api-versions LIST]

    A Salesforce REST emulator listening on 127.0.0.1 (for tests and `ringside demo`).

    OPTIONS:
      --port N              TCP port; 0 (default) picks a free port.
      --seed FILE           JSON seed: users, credentials, records, dailyApiLimit.
      --api-versions LIST   Supported versions: "51.0-62.0" (default) or "59.0,60.0".
      --call-id-field       Org option: Task has Ringside_Call_Id__c (Text(64), External ID, Unique).
      -h, --help            Show this help.

    On start it prints one line: sf-emulator listening on http://127.0.0.1:PORT
    Test controls live under /__emulator/ (faults, requests, reset, expire-tokens, records/{Type}).
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("sf-emulator: \(message)\n\n\(usage)\n".utf8))
    exit(2)
}

func parseVersions(_ text: String) -> [String] {
    if let dash = text.firstIndex(of: "-"), let lo = Double(text[..<dash]), let hi = Double(text[text.index(after: dash)...]) {
        return stride(from: Int(lo), through: Int(hi), by: 1).map { "\($0).0" }
    }
    return text.split(separator: ",").map { v in
        let s = v.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "v"))
        return s.contains(".") ? s : s + ".0"
    }
}

var port: UInt16 = 0
var seed = EmulatorSeed()
var versions = SalesforceEmulator.defaultAPIVersions
var callIdField = false
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let arg = args.removeFirst()
    func value() -> String {
        guard !args.isEmpty else { fail("missing value for \(arg)") }
        return args.removeFirst()
    }
    switch arg {
    case "-h", "--help":
        print(usage)
        exit(0)
    case "--port":
        guard let p = UInt16(value()) else { fail("--port needs a number 0-65535") }
        port = p
    case "--seed":
        let path = value()
        do {
            seed = try EmulatorSeed.load(contentsOf: URL(fileURLWithPath: path))
        } catch {
            fail("cannot load seed \(path): \(error)")
        }
    case "--call-id-field":
        callIdField = true
    case "--api-versions":
        versions = parseVersions(value())
        if versions.isEmpty { fail("--api-versions is empty") }
    default:
        fail("unknown argument \(arg)")
    }
}

if callIdField { seed.org.callIdField = true }
signal(SIGPIPE, SIG_IGN)
let emulator: SalesforceEmulator
do {
    emulator = try await SalesforceEmulator.start(seed: seed, port: port, apiVersions: versions)
} catch {
    FileHandle.standardError.write(Data("sf-emulator: cannot start: \(error)\n".utf8))
    exit(1)
}
FileHandle.standardOutput.write(Data("sf-emulator listening on \(emulator.baseURL.absoluteString)\n".utf8))
fflush(nil)

for sig in [SIGINT, SIGTERM] {
    signal(sig) { _ in exit(0) }
}
await emulator.wait()
