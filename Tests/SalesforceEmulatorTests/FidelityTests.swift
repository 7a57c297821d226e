import Foundation
import Testing
@testable import SalesforceEmulator

/// Runs fidelity/check_simple_salesforce.py (PyPI simple-salesforce) against an in-process
/// emulator seeded with Resources/emulator-seed.json. Fails (never skips) when the package is
/// missing: CI installs it with `pip install simple-salesforce`.
@Suite struct FidelityTests {
    @Test func simpleSalesforceAgreesWithTheEmulator() async throws {
        let script = repoRoot.appendingPathComponent("Tests/SalesforceEmulatorTests/fidelity/check_simple_salesforce.py")
        let emu = try await SalesforceEmulator.start(
            seed: EmulatorSeed.load(contentsOf: repoRoot.appendingPathComponent("Resources/emulator-seed.json")), port: 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, emu.baseURL.absoluteString]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = await Task.detached { output.fileHandleForReading.readDataToEndOfFile() }.value
        process.waitUntilExit()
        await emu.stop()
        let text = String(decoding: data, as: UTF8.self)
        if process.terminationStatus == 3 {
            Issue.record("simple-salesforce is not installed for python3 — run `pip install simple-salesforce`.\n\(text)")
        }
        #expect(process.terminationStatus == 0, "fidelity check failed:\n\(text)")
    }
}
