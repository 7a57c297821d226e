import ArgumentParser
import Foundation
import RingsideApp
import RingsideCore
import RingsideStore
import RingsideUI

/// `ringside report`: "how did we do today?" from the local store, without a spreadsheet (issue 17, seed 001).
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Calls per day, agent and direction; talk, hold, AHT; dispositions; service level and abandons per interval.",
        discussion: """
            Reads the local store: this machine's call records and, on a supervisor's machine, the queue events and \
            agent states the wallboard recorded (`ringside supervisor`). Service level = calls answered within the \
            threshold (20 s) ÷ answered; callers who hung up within 5 s are short abandons, outside the abandon rate \
            (seed 002). Without a recorded queue feed the interval rows come from this agent's own inbound calls. \
            On a terminal the tables come with bar charts and a service-level sparkline; --csv prints one section \
            (default: intervals, the shape WFM tools import); --json prints everything.
            """)

    @OptionGroup var common: CommonOptions
    @Option(help: "Start: YYYY-MM-DD (local midnight), an ISO 8601 time, today or yesterday (default: today).") var since: String?
    @Option(help: "End, exclusive: same forms (default: now; a date means its midnight).") var until: String?
    @Option(help: "Interval length in minutes for service level and abandons: 15 or 30.") var interval = 30
    @Flag(help: "Print one section as CSV (see --section).") var csv = false
    @Option(help: "Section for --csv: intervals, days, agents, dispositions.") var section = "intervals"
    @Flag(help: "Print the whole report as JSON.") var json = false
    @Flag(help: "Plain tables even on a terminal (no bars or sparkline).") var plain = false

    func validate() throws {
        guard interval == 15 || interval == 30 else { throw ValidationError("--interval must be 15 or 30 (minutes)") }
        guard CallReport.Section(rawValue: section) != nil else {
            throw ValidationError("--section must be one of \(CallReport.Section.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard !(csv && json) else { throw ValidationError("choose one of --csv and --json") }
    }

    func run() async throws {
        let config = try common.load()
        let now = Date()
        let zone = TimeZone.current
        let start: Date
        let end: Date
        do {
            start = try since.map { try ReportDates.parse($0, now: now, timeZone: zone) } ?? ReportDates.midnight(of: now, timeZone: zone)
            end = try until.map { try ReportDates.parse($0, now: now, timeZone: zone) } ?? now
        } catch let error as ReportDates.Failure {
            throw fail(error.description)
        }
        guard start < end else { throw fail("--since (\(ISO8601.string(start))) must be before --until (\(ISO8601.string(end)))") }
        let report: CallReport
        do {
            let database = try RingsideDatabase(path: config.databasePath)
            let calls = try SQLiteCallStore(database: database).calls(startedFrom: start, until: end)
            let recorded = try TeamLogStore(database: database).entries(since: start, until: end)
            report = CallReport.build(calls: calls, queue: recorded.queue, presence: recorded.presence,
                                      options: CallReportOptions(since: start, until: end, interval: TimeInterval(interval * 60), timeZone: zone,
                                                                 queueSettings: PresenceSetup.queueSettings(config: config),
                                                                 mapping: config.activityMapping, now: now))
        } catch {
            throw fail("can't read the store at \(config.databasePath): \(error)")
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else if csv, let section = CallReport.Section(rawValue: section) {
            FileHandle.standardOutput.write(Data(report.csv(section).utf8))
        } else {
            let charts = !plain && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
            FileHandle.standardOutput.write(Data(CallReportText(timeZone: zone, charts: charts).render(report).utf8))
        }
    }
}

/// `--since`/`--until` values.
enum ReportDates {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func midnight(of date: Date, timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.startOfDay(for: date)
    }

    static func parse(_ text: String, now: Date, timeZone: TimeZone) throws(Failure) -> Date {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch t.lowercased() {
        case "today": return midnight(of: now, timeZone: timeZone)
        case "yesterday": return midnight(of: now.addingTimeInterval(-86_400), timeZone: timeZone)
        case "now": return now
        default: break
        }
        if let date = ISO8601.date(t) { return date }
        let parts = t.split(separator: "-").compactMap { Int($0) }
        if parts.count == 3, t.count == 10 {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            if let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
               calendar.component(.day, from: date) == parts[2] {
                return date
            }
        }
        throw Failure(description: "can't read the date \(text.debugDescription): use YYYY-MM-DD, an ISO 8601 time like 2026-12-06T09:00:00Z, today or yesterday")
    }
}
