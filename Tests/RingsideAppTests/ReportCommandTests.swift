import Foundation
import RingsideApp
import RingsideCore
import RingsidePresence
import RingsideStore
import RingsideTestSupport
import Testing

private typealias F = ReportFixtures

private enum ReportBinary {
    static var path: String {
        if let bin = ProcessInfo.processInfo.environment["RINGSIDE_BIN"], !bin.isEmpty { return bin }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.appendingPathComponent(".build/debug/ringside").path
    }
    static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }
}

/// `ringside report` end to end on a real SQLite file, and the supervisor's recording that feeds it (issue 17).
@Suite("ringside report with a real store", .serialized)
struct ReportCommandTests {
    let root = NSTemporaryDirectory() + "ringside-report-\(UUID().uuidString.prefix(8))"
    var dataDirectory: String { root + "/data/ringside" }
    var databasePath: String { dataDirectory + "/ringside.sqlite" }

    private func environment() -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["XDG_CONFIG_HOME"] = root + "/config"
        env["XDG_DATA_HOME"] = root + "/data"
        env["XDG_STATE_HOME"] = root + "/state"
        env["TZ"] = "UTC"
        return env
    }

    /// The seeded history in the store the command reads: call records, plus agent 005A's states and a queue
    /// feed as a supervisor's wallboard recorded them.
    private func seed() throws -> RingsideDatabase {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let database = try RingsideDatabase(path: databasePath)
        let calls = SQLiteCallStore(database: database)
        for record in F.calls { try calls.save(record) }
        try TeamLogStore(database: database).append(F.presence.map { .presence($0.presence, observedAt: $0.at) })
        return database
    }

    @Test func theSupervisorsRecordingRoundTripsThroughSQLite() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let database = try seed()
        let log = TeamLogStore(database: database)
        // A wallboard's stream on the in-memory bus: presence and queue events recorded, malformed ones not.
        let (stream, continuation) = AsyncStream.makeStream(of: PresenceUpdate.self)
        let clock = Clock()
        let recording = Task { await TeamRecorder.record(stream, into: log, clock: { clock.now }) }
        clock.now = F.at(10)
        continuation.yield(.queue(.arrived(callId: "q1", at: F.at(10))))
        continuation.yield(.malformed(topic: "t", reason: "bad"))
        clock.now = F.at(10, 0, 20)
        continuation.yield(.queue(.answered(callId: "q1", at: F.at(10, 0, 20))))
        continuation.yield(.presence(AgentPresence(agentId: "005B", name: "Bob", state: .ready, since: F.at(10, 0, 20))))
        continuation.finish()
        #expect(await recording.value == 3)
        let read = try log.entries(since: F.day, until: F.at(0, day: 2))
        #expect(read.queue == [.arrived(callId: "q1", at: F.at(10)), .answered(callId: "q1", at: F.at(10, 0, 20))])
        // 005A's state from the day before (held across the start) comes with the range.
        #expect(read.presence.first?.at == F.at(23, day: -1) && read.presence.first?.presence.agentId == "005A")
        #expect(read.presence.count == F.presence.count + 1)
        #expect(try log.count() == F.presence.count + 3)
    }

    @Test(.enabled(if: RequiredComponent.runs(ReportBinary.available), "needs the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
    func theCommandReportsTheSeededDay() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = try seed()
        let range = ["--since", "2024-06-20", "--until", "2024-06-22"]
        let json = try await ProcessRunner.run(ReportBinary.path, ["report"] + range + ["--json"], environment: environment(), timeout: 60)
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "stdout is JSON")
        #expect(object["calls"] as? Int == 6 && object["answered"] as? Int == 4)
        #expect(object["talkSeconds"] as? Int == 690 && object["holdSeconds"] as? Int == 90)
        // AHT = (talk 690 + hold 90 + wrap-up 60 + 40 + 20) / 4 answered.
        #expect(object["wrapUpSeconds"] as? Int == 120 && object["averageHandleSeconds"] as? Double == 225)
        #expect(object["intervalSource"] as? String == "calls")
        let agents = try #require(object["agents"] as? [[String: Any]])
        let ann = try #require(agents.first { $0["agent"] as? String == "005A" })
        let activity = try #require(ann["activitySeconds"] as? [String: Int])
        #expect(activity["Not ready"] == 3600 && activity["Talk"] == 240 && activity["Hold"] == 60 && activity["Wrap-up"] == 60)

        let csv = try await ProcessRunner.run(ReportBinary.path, ["report"] + range + ["--csv"], environment: environment(), timeout: 60)
        #expect(csv.status == 0)
        let lines = csv.stdout.components(separatedBy: "\r\n")
        #expect(lines.first?.hasPrefix("interval_start,interval_minutes,offered,answered,answered_within_20s") == true)
        #expect(lines.dropFirst().first == "2024-06-20T09:00:00Z,30,3,2,1,0,1,50.0,0.0,20")
        let days = try await ProcessRunner.run(ReportBinary.path, ["report"] + range + ["--csv", "--section", "days", "--interval", "15"],
                                               environment: environment(), timeout: 60)
        #expect(days.stdout.contains("2024-06-20,005B,Outbound,1,1,270,30,40,340\r\n"))

        // Not a terminal: plain tables, no bars or sparkline.
        let plain = try await ProcessRunner.run(ReportBinary.path, ["report"] + range, environment: environment(), timeout: 60)
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("Per day, agent and direction") && plain.stdout.contains("Service level and abandons per 30 min"))
        // AHT per row: (6m + 1m + 1m wrap-up) / 2 answered = 4:00.
        #expect(plain.stdout.contains("  2024-06-20  005A   Inbound        2         2  6m 00s  1m 00s   1m 00s  4:00"))
        #expect(plain.stdout.contains("wrap-up 2m 00s · AHT (talk + hold + wrap-up) 3:45"))
        #expect(plain.stdout.contains("1 answered call(s) saved before wrap-up time was recorded"))
        #expect(!plain.stdout.contains("█") && !plain.stdout.contains("\u{1B}"))

        let bad = try await ProcessRunner.run(ReportBinary.path, ["report", "--interval", "20"], environment: environment(), timeout: 60)
        #expect(bad.status != 0 && bad.stderr.contains("15 or 30"))
        let badDate = try await ProcessRunner.run(ReportBinary.path, ["report", "--since", "June"], environment: environment(), timeout: 60)
        #expect(badDate.status != 0 && badDate.stderr.contains("YYYY-MM-DD"))
    }
}

/// A settable clock for the recorder.
private final class Clock: @unchecked Sendable {
    private let lock = NSLock()
    private var value = Date(timeIntervalSince1970: 0)
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
