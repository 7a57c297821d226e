import Foundation
import RingsideTestSupport
import Testing

/// Issue 19: every line the CLI prints from outside data is sanitised (record ids and names in `lookup`, bad CSV
/// values in import errors, JSON kept lossless with escapes).
@Suite(.serialized, .enabled(if: RequiredComponent.runs(FileManager.default.isExecutableFile(atPath: CommandLineTests.binary)), "needs the built ringside binary"))
struct SafeOutputTests {
    let home = NSTemporaryDirectory() + "ringside-safe-\(UUID().uuidString)"
    static let hostile = "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{202E}\u{9B}31m"

    func ringside(_ args: String...) async throws -> ProcessRunner.Result {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RINGSIDE_") }
        environment["HOME"] = home
        environment["XDG_DATA_HOME"] = home + "/data"
        environment["XDG_CONFIG_HOME"] = home + "/config"
        return try await ProcessRunner.run(CommandLineTests.binary, args, environment: environment, timeout: 240)
    }

    func isSafe(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E || (0x80...0x9F).contains($0.value) }
    }

    @Test func lookupShowsHostileIdsAndNamesSafely() async throws {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let csv = home + "/hostile.csv"
        try "id,name,phone\n\"003X\(Self.hostile)\",\"Mallory\(Self.hostile) Evil\",+442079460111\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try await ringside("directory", "import", csv)
        #expect(imported.status == 0, "\(imported.stderr)")
        let lookup = try await ringside("lookup", "+442079460111")
        #expect(lookup.status == 0, "\(lookup.stderr)")
        #expect(lookup.stdout.contains("Mallory") && lookup.stdout.contains("003X"))
        #expect(isSafe(lookup.stdout), "\(lookup.stdout.debugDescription)")
    }

    @Test func aBadCSVValueInAnImportErrorIsShownSafely() async throws {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let csv = home + "/bad.csv"
        try "name,phone,type\nAnn,+442079460112,\"Widget\(Self.hostile)\"\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try await ringside("directory", "import", csv)
        #expect(imported.status != 0)
        #expect(imported.stderr.contains("unknown type \"Widget"))
        #expect(isSafe(imported.stderr), "\(imported.stderr.debugDescription)")
    }

    /// A zero-byte database (a truncated file of calls, perhaps) is refused by start-up and by `doctor`, and kept.
    @Test func aZeroByteDatabaseIsRefusedAndKept() async throws {
        let folder = home + "/data/ringside"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: folder + "/ringside.sqlite", contents: Data())
        let history = try await ringside("history")
        #expect(history.status != 0 && history.stderr.contains("empty file (0 bytes)"), "\(history.stderr)")
        let doctor = try await ringside("doctor")
        #expect(doctor.status != 0 && doctor.stdout.contains("✖ database") && doctor.stdout.contains("empty file"), "\(doctor.stdout)")
        let size = try FileManager.default.attributesOfItem(atPath: folder + "/ringside.sqlite")[.size] as? NSNumber
        #expect(size?.intValue == 0)
    }
}
