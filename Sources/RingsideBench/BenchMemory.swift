import Foundation
import RingsideApp
import RingsideCore
import RingsideStore
import RingsideUI

/// Resident memory of the console's data at one directory size, measured in a child process (the bench
/// re-executes itself: `ringside bench --rss-probe N --scratch DIR`) so the bench's own allocations don't count.
///
/// The child does what the console does with the directory in `DIR/console-N/`: loads the phone index (from
/// the snapshot, or `--rss-probe-rebuild`: from SQLite, writing a new snapshot), builds the number list with
/// the favourites in its head, paints the first page, answers 1,000 lookups and types a filter over the whole
/// list character by character, then clears it. It then reports `/proc/self/status` as JSON on stdout.
public enum BenchMemory {
    /// What the child reports.
    public struct Figures: Codable, Sendable {
        /// VmRSS and VmHWM (peak) after the work, and the resident set split into heap (RssAnon) and mapped files (RssFile).
        public var rssBytes: Int
        public var peakBytes: Int
        public var anonBytes: Int
        public var fileBytes: Int
        /// Where the index came from ("snapshot", or "database" and why).
        public var indexSource: String
        public var rows: Int
    }

    /// The child's side.
    public static func probe(numbers: Int, scratch: String, rebuild: Bool) async throws -> Figures {
        let folder = BenchConsole.folder(scratch: scratch, numbers: numbers)
        let database = try RingsideDatabase(path: folder + "/ringside.sqlite")
        let store = PhoneIndexStore(database: database)
        let user = AgentUser(id: "005000000000001AAA", name: "Ada Agent", timeZone: "Europe/London")
        let directory = LocalDirectory(database: database, region: .GB, user: user)
        let snapshotPath = rebuild ? folder + "/rebuild-\(getpid()).index" : database.path + ".index"
        defer { if rebuild { unlink(snapshotPath) } }
        let indexed = IndexedCRM(base: directory, store: store, writesBack: false, snapshotPath: snapshotPath)
        try indexed.reload()
        let favourites = (try? directory.favourites()) ?? []
        let rows = indexed.numberList(excluding: Set(favourites.compactMap(\.entity?.id)))
        let data = NumberListData(head: favourites, rows: rows)

        let reducer = ConsoleReducer()
        let renderer = ConsoleRenderer()
        let session = AgentSession(settings: SessionSettings(), user: user)
        let snapshot = ConsoleSnapshot(session: session, history: [], isDemo: false, crmLabel: "Local directory", phoneLabel: "Simulated phone")
        var state = ConsoleState()
        var checksum = 0
        func frame() { checksum &+= renderer.render(snapshot, state, size: BenchConsole.size, now: Date()).regions.count }
        _ = reducer.reduce(.numbers(data), state: &state, snapshot: snapshot, now: Date())
        frame()
        // Lookups of numbers on the list (spread over the whole directory).
        var random = SplitMix64(state: 99)
        for _ in 0..<1_000 {
            let entry = rows.entry(at: random.index(max(1, rows.count)))
            if let number = try? PhoneNumber.parse(entry.raw, defaultRegion: .GB), let found = try? await indexed.lookup(number) {
                checksum &+= found.candidates.count
            }
        }
        // A filter typed over the whole list, then cleared.
        _ = reducer.reduce(.key(.char("/")), state: &state, snapshot: snapshot, now: Date())
        for character in "person 12 345" {
            _ = reducer.reduce(.key(.char(character)), state: &state, snapshot: snapshot, now: Date())
            frame()
        }
        _ = reducer.reduce(.key(.ctrl("u")), state: &state, snapshot: snapshot, now: Date())
        frame()
        precondition(checksum != 0)
        let source: String
        switch indexed.loadSource {
        case .snapshot?: source = "snapshot"
        case .database(let rejected)?: source = "database (\(rejected))"
        case nil: source = "database"
        }
        return Figures(rssBytes: ProcessMemory.status("VmRSS"), peakBytes: ProcessMemory.status("VmHWM"),
                       anonBytes: ProcessMemory.status("RssAnon"), fileBytes: ProcessMemory.status("RssFile"), indexSource: source, rows: rows.count)
    }

    /// The parent's side: runs the probe in a child of this executable.
    static func measure(numbers: Int, scratch: String, rebuild: Bool) throws -> Figures {
        let arguments = ["bench", "--rss-probe", String(numbers), "--scratch", scratch] + (rebuild ? ["--rss-probe-rebuild"] : [])
        let run = try BenchChild.run(BenchChild.executable, arguments) { _ in BenchChild.environment([:]) }
        guard run.exitStatus == 0, let figures = try? JSONDecoder().decode(Figures.self, from: run.output) else {
            throw BenchChild.Failure(description: "the memory probe (ringside \(arguments.joined(separator: " "))) failed with status "
                                     + "\(run.exitStatus): \(String(decoding: run.output.prefix(500), as: UTF8.self))")
        }
        return figures
    }

    /// Goals (issue 16): at 1M numbers ≤ 120 MiB steady and ≤ 150 MiB peak; at 100k ≤ 45 MiB. None below 100k.
    public static func goals(numbers: Int) -> (steadyMiB: Double?, peakMiB: Double?) {
        if numbers >= 1_000_000 { return (120, 150) }
        if numbers >= 100_000 { return (45, nil) }
        return (nil, nil)
    }
}
