import Foundation
import RingsideCore
import RingsideStore
import RingsideTestSupport
import Testing

/// `ringside history` end to end: records written to a real SQLite file with the store, then the real binary
/// reads them with each filter (issue 18).
@Suite("ringside history", .serialized, .enabled(if: RingsideBinary.path != nil, "build the ringside binary first"))
struct HistoryCommandTests {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("ringside-history-\(UUID().uuidString.prefix(8))")
    let now = Date()

    /// Three calls: Fred 30 min ago (refund), a hostile caller 3 h ago (escape sequences, RLO, huge notes),
    /// a shared number 2 days ago (invoice).
    func seed() throws {
        let data = home.appendingPathComponent("data/ringside")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let store = SQLiteCallStore(database: try RingsideDatabase(path: data.appendingPathComponent("ringside.sqlite").path))
        var fred = ConsoleFixtures.finishedRecord(notes: "Wants a refund\nsecond line only in JSON", line: "A", at: now.addingTimeInterval(-1800))
        fred.callObject = "fred"
        var hostile = ConsoleFixtures.finishedRecord(disposition: "Wrong \u{1B}[2Jnumber", notes: String(repeating: "very long notes ", count: 200),
                                                     line: "B", at: now.addingTimeInterval(-3 * 3600))
        hostile.callObject = "hostile"
        hostile.remoteName = "\u{1B}]0;pwned\u{07}Mallory\u{202E}lanigiro"
        var shared = ConsoleFixtures.finishedRecord(remote: "020 7946 0018", matches: [], disposition: "Follow-up needed",
                                                    notes: "Callback about the invoice", line: "C", at: now.addingTimeInterval(-2 * 86400))
        shared.callObject = "shared"
        for record in [fred, hostile, shared] { try store.complete(record, at: now) }
    }

    func ringside(_ args: String..., columns: Int = 100) async throws -> ProcessRunner.Result {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RINGSIDE_") }
        environment["HOME"] = home.path
        environment["XDG_DATA_HOME"] = home.appendingPathComponent("data").path
        environment["XDG_CONFIG_HOME"] = home.appendingPathComponent("config").path
        environment["COLUMNS"] = "\(columns)"
        return try await ProcessRunner.run(try #require(RingsideBinary.path), ["history"] + args, environment: environment, timeout: 60)
    }

    func ids(_ result: ProcessRunner.Result) -> [String] {
        result.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["callObject"] as? String
        }
    }

    @Test func filtersByTimeNumberAndText() async throws {
        try seed()
        defer { try? FileManager.default.removeItem(at: home) }
        #expect(ids(try await ringside("--json")) == ["fred", "hostile", "shared"])
        #expect(ids(try await ringside("--json", "--since", "2h")) == ["fred"])
        #expect(ids(try await ringside("--json", "--since", "1d", "--until", "1h")) == ["hostile"])
        #expect(ids(try await ringside("--json", "--until", "yesterday")).contains("shared"))
        #expect(ids(try await ringside("--json", "--number", "+44 (0)20-7946-0018")) == ["shared"])
        #expect(ids(try await ringside("--json", "--number", "07814256404")) == ["fred", "hostile"])
        #expect(ids(try await ringside("--json", "--grep", "INVOICE")) == ["shared"])
        #expect(ids(try await ringside("--json", "--grep", "refund", "--number", "020 7946 0018")) == [])
        let full = try await ringside("--json", "--grep", "refund")
        #expect(full.stdout.contains("second line only in JSON"), "JSON has the full notes")
        let none = try await ringside("--grep", "nothing like this")
        #expect(none.status == 0)
        #expect(none.stdout.contains("No calls match."))
    }

    @Test func theTableHasEveryColumnFitsTheWidthAndIsSafe() async throws {
        try seed()
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try await ringside(columns: 80)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("date  time  dir number") == true, "\(lines)")
        #expect(lines.first?.contains("disposition") == true && lines.first?.contains("notes") == true)
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.map(\.count))")
        let fred = try #require(lines.first { $0.contains("Wants a refund") })
        #expect(fred.contains(" in "))
        #expect(fred.contains("+447814256404"))
        #expect(fred.contains("1:35"), "duration: 95 s")
        #expect(!fred.contains("second line"), "only the first line of the notes")
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(!result.stdout.contains("\u{202E}"))
        #expect(!result.stdout.contains("pwned"))
        // Wide terminals get the year and seconds.
        let wide = try await ringside(columns: 160)
        #expect(wide.stdout.hasPrefix("date        time      dir  number"), "\(wide.stdout)")
        #expect(wide.stdout.split(separator: "\n").allSatisfy { $0.count <= 160 })
        #expect(result.stdout.contains("Mallory"))
        #expect(result.stdout.contains("…"), "long notes are cut with an ellipsis")
    }

    @Test func badOptionsAreClearErrors() async throws {
        try seed()
        defer { try? FileManager.default.removeItem(at: home) }
        let time = try await ringside("--since", "last tuesday")
        #expect(time.status != 0)
        #expect(time.stderr.contains("can't read the time last tuesday"))
        #expect(time.stderr.contains("2h"))
        let number = try await ringside("--number", "07814-ABC")
        #expect(number.status != 0)
        #expect(number.stderr.contains("--number 07814-ABC"))
        let range = try await ringside("--since", "1h", "--until", "2h")
        #expect(range.status != 0)
        #expect(range.stderr.contains("--until is not after --since"))
    }
}
