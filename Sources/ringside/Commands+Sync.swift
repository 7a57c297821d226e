import ArgumentParser
import Foundation
import RingsideApp
import RingsideSalesforce
import RingsideStore

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Refresh the local phone index from Salesforce, so screen pops need no API request.",
        discussion: """
            The first run reads every phone field of the searched entities (Contact Phone, MobilePhone, HomePhone, \
            OtherPhone, AssistantPhone; Account Phone and Person Account phones; unconverted Lead Phone and MobilePhone), \
            2,000 records a request. Later runs read only records changed since the last one (SystemModstamp) and \
            remove deleted records; when the deletions are older than Salesforce keeps (15 days) a full sync runs instead.
            Every page is saved with its checkpoint: an interrupted run (network, Ctrl-C) continues where it stopped.
            The agent also syncs on its own: see [sync] daily_at and every_minutes in the config.
            """)

    @OptionGroup var common: CommonOptions
    @Flag(help: "Read everything again (and remove records Salesforce no longer has).") var full = false
    @Flag(help: "Show the last run, the index size and what the next run will do, without syncing.") var status = false
    @Flag(help: "With --status: print JSON.") var json = false

    func run() async throws {
        let config = try common.load()
        if status {
            try printStatus(config)
            return
        }
        guard config.crm == "salesforce" else { throw fail(PhoneIndexSyncError.notSalesforce(crm: config.crm).description) }
        // The client and database only (SalesforceAgent would also load the in-memory index, unused here).
        let sync: PhoneIndexSync
        do {
            let settings = try SalesforceAgent.settings(from: config)
            let tokens = FileTokenStore(path: (config.dataDirectory as NSString).appendingPathComponent("salesforce-refresh-token"))
            let client = try SalesforceClient.live(settings: settings, tokenStore: tokens)
            sync = PhoneIndexSync(client: client, store: PhoneIndexStore(database: try RingsideDatabase(path: config.databasePath)))
        } catch {
            throw fail("\(error)")
        }
        let printer = SyncProgressPrinter(tty: isatty(STDOUT_FILENO) == 1)
        do {
            let (report, _) = try await sync.run(full: full) { event in printer.handle(event) }
            printer.finish()
            print(SyncText.summary(report))
        } catch {
            printer.finish()
            throw fail("\(error)")
        }
    }

    func printStatus(_ config: RingsideConfig) throws {
        let store: PhoneIndexStore
        do { store = PhoneIndexStore(database: try RingsideDatabase(path: config.databasePath)) } catch { throw fail("\(error)") }
        do {
            let status = try PhoneIndexStatus.load(from: store)
            let plan = PhoneIndexScheduler.Plan(dailyAt: config.syncDailyAt, everyMinutes: config.syncEveryMinutes, timeZone: config.timeZone)
            if json {
                printJSON(String(decoding: try JSONEncoder.pretty.encode(status), as: UTF8.self))
            } else {
                print(SyncText.status(status, plan: plan, crm: config.crm))
            }
        } catch {
            throw fail("\(error)")
        }
    }
}

extension JSONEncoder {
    static var pretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

/// Prints sync progress: a redrawn bar on a terminal, one line per step otherwise.
final class SyncProgressPrinter: @unchecked Sendable {
    let tty: Bool
    private let lock = NSLock()
    private var barShown = false

    init(tty: Bool) { self.tty = tty }

    func handle(_ event: PhoneIndexSync.Event) {
        lock.withLock {
            switch event {
            case .started(let mode, let resumed, let reason):
                line("\(resumed ? "Continuing" : "Starting") \(mode.rawValue) sync\(reason.map { " (\($0))" } ?? "")")
            case .entity(let name, let total):
                line("\(name): \(total.map { "\($0.formatted()) records to read" } ?? "reading")")
            case .page(let entity, let done, let total):
                if tty {
                    FileHandle.standardOutput.write(Data(("\r\u{1B}[2K" + SyncText.bar(entity: entity, done: done, total: total)).utf8))
                    barShown = true
                } else {
                    print("\(entity): \(done.formatted())\(total.map { " of \($0.formatted())" } ?? "") records")
                }
            case .deletions(let entity, let count):
                line("\(entity): \(count.formatted()) deleted record\(count == 1 ? "" : "s") removed")
            case .swept(let count):
                line("\(count.formatted()) record\(count == 1 ? "" : "s") no longer in Salesforce removed")
            }
        }
    }

    private func line(_ text: String) {
        if barShown { print(""); barShown = false }
        print(text)
    }

    func finish() {
        lock.withLock {
            if barShown { print(""); barShown = false }
        }
    }
}

/// Texts for `ringside sync`.
enum SyncText {
    static func bar(entity: String, done: Int, total: Int?, width: Int = 30) -> String {
        guard let total, total > 0 else { return "\(entity) \(done.formatted()) records" }
        let fraction = min(1, Double(done) / Double(total))
        let filled = Int((fraction * Double(width)).rounded(.down))
        return "\(entity.padding(toLength: 8, withPad: " ", startingAt: 0)) [" + String(repeating: "█", count: filled)
            + String(repeating: "·", count: width - filled) + "] \(done.formatted())/\(total.formatted()) (\(Int(fraction * 100))%)"
    }

    static func summary(_ r: PhoneIndexSyncReport) -> String {
        """
        \(r.mode == .full ? "Full" : "Incremental") sync \(r.resumed ? "(continued) " : "")done in \(String(format: "%.1f", r.seconds)) s: \
        \(r.fetched.formatted()) records read, \(r.upserted.formatted()) written, \(r.removed.formatted()) removed, \
        \(r.requests.formatted()) request\(r.requests == 1 ? "" : "s").
        Index: \(r.numbers.formatted()) numbers in \(r.records.formatted()) records (\(byType(r.byType))).\(r.unparsedNumbers > 0 ? "\n\(r.unparsedNumbers.formatted()) phone values are not valid numbers and cannot match." : "")
        """
    }

    static func byType(_ counts: [String: Int]) -> String {
        counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.formatted())" }.joined(separator: ", ")
    }

    static func status(_ s: PhoneIndexStatus, plan: PhoneIndexScheduler.Plan, crm: String) -> String {
        var lines = ["Phone index: \(s.syncedNumbers.formatted()) numbers in \(s.syncedRecords.formatted()) synced records (\(byType(s.byType))); "
                     + "\(s.directoryRecords.formatted()) directory records in all"]
        if let r = s.lastRun {
            let when = r.finishedAt.formatted(date: .abbreviated, time: .standard)
            if let error = r.error {
                lines.append("Last run: \(r.mode.rawValue), FAILED at \(when) after \(String(format: "%.1f", r.seconds)) s: \(error)")
            } else {
                lines.append("Last run: \(r.mode.rawValue)\(r.resumed ? " (continued)" : "")\(r.fullReason.map { " — \($0)" } ?? ""), "
                             + "finished \(when), \(String(format: "%.1f", r.seconds)) s, \(r.fetched.formatted()) read, "
                             + "\(r.upserted.formatted()) written, \(r.removed.formatted()) removed, \(r.requests.formatted()) requests")
            }
        } else {
            lines.append("Last run: never — run `ringside sync`")
        }
        if let completed = s.lastCompleted { lines.append("Fresh as of: \(completed.formatted(date: .abbreviated, time: .standard))") }
        lines.append("Next run: \(s.nextRun)")
        lines.append("Schedule (in the agent): \(crm == "salesforce" ? plan.description : "none (crm.kind is \(crm))")")
        return lines.joined(separator: "\n")
    }
}
