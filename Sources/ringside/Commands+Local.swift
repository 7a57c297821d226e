import ArgumentParser
import Foundation
import RingsideApp
import RingsideCore
import RingsideStore
import RingsideUI

struct Lookup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Look a phone number up and show the normalised number, the pop decision and every match.")

    @OptionGroup var common: CommonOptions
    @Argument(help: "The number as typed, e.g. \"07814 256404\" or \"+1 (415) 555-2671\".")
    var number: String
    @Flag(help: "Ask Salesforce (one live SOSL request) instead of the local directory.") var salesforce = false

    func run() async throws {
        let config = try common.load()
        let parsed: PhoneNumber
        do {
            parsed = try PhoneNumber.parse(number, defaultRegion: config.region, internalNumberDigits: config.internalNumberDigits)
        } catch {
            throw fail("\(error)")
        }
        print("number:    \(parsed.formatted(relativeTo: config.region))   (\(parsed.e164))\(parsed.extensionDigits.map { "  ext. \($0)" } ?? "")")
        if parsed.isInternal {
            print("internal:  yes (≤ \(config.internalNumberDigits) digits) — never looked up, never associated")
            return
        }
        let result: LookupResult
        do {
            if salesforce {
                let agent = try SalesforceAgent(config: config)
                let started = Date()
                result = try await agent.client.lookup(parsed)
                print("source:    Salesforce, \(agent.client.requestsSent) request(s), \(Int(Date().timeIntervalSince(started) * 1000)) ms")
            } else {
                result = try await LocalAgent(config: config).directory.lookup(parsed)
            }
        } catch {
            throw fail("\(error)")
        }
        let decision = Matcher.decide(result.candidates, settings: config.sessionSettings.match)
        switch decision {
        case .pop(let record): print("decision:  Pop \(Terminal.safe(record.name)) (\(record.type.rawValue))")
        case .search(let records): print("decision:  Search (\(records.count) matches, newest first)")
        case .new(let type): print("decision:  New \(type.rawValue) (no match)")
        }
        for record in decision.candidates {
            let phones = record.phones.filter { $0.e164 == parsed.e164 }.map(\.field).joined(separator: ", ")
            print("  \(record.type.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(record.id)  \(Terminal.safe(record.name))  [\(phones)]  modified \(ISO8601.string(record.lastModified))")
        }
    }
}

struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recent calls: date, time, direction, number, name, duration, disposition and notes.",
        discussion: """
            Newest first. Filters combine: --since/--until take a date (2026-12-01), a date and time \
            (2026-12-01 14:30), `today`, `yesterday`, `now` or a span back from now (15m, 2h, 3d, 1w), in your \
            time zone; a bare date in --until includes that whole day. --number matches any way of writing the \
            number (compared in E.164). --grep searches names, disposition and notes (case-insensitive). \
            Every value from the CRM or the caller is shown with escape sequences and bidi controls removed.
            """)

    @OptionGroup var common: CommonOptions
    @Option(name: .shortAndLong, help: "How many calls to show (after filtering).") var limit = 20
    @Option(help: ArgumentHelp("Calls started at or after this time.", valueName: "time")) var since: String?
    @Option(help: ArgumentHelp("Calls started before this time.", valueName: "time")) var until: String?
    @Option(help: ArgumentHelp("Calls with this number, written any way (07814 256404, +44 7814 256404).", valueName: "number"))
    var number: String?
    @Option(help: ArgumentHelp("Calls whose name, disposition or notes contain this text.", valueName: "text")) var grep: String?
    @Flag(help: "Print JSON (one full record per line, notes complete).") var json = false

    func run() async throws {
        let config = try common.load()
        let zone = TimeZone(identifier: config.timeZone) ?? .current
        let query = try self.query(config: config, zone: zone, now: Date())
        let store = SQLiteCallStore(database: try RingsideDatabase(path: config.databasePath))
        let calls = try store.history(query, limit: limit)
        if calls.isEmpty {
            let filtered = query != HistoryQuery()
            print(filtered ? "No calls match." : "No calls yet. Try `ringside demo` or `ringside simulate --calls 10`.")
            return
        }
        if json {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            // JSON escapes every control character, so the text is safe to print as it is.
            for call in calls { printJSON(String(decoding: try encoder.encode(call), as: UTF8.self)) }
            return
        }
        for line in HistoryTable(zone: zone, width: Terminal.width()).lines(calls) { print(line) }
    }

    func query(config: RingsideConfig, zone: TimeZone, now: Date) throws -> HistoryQuery {
        var query = HistoryQuery()
        do {
            query.since = try since.map { raw throws(HistoryQuery.ParseError) in try HistoryQuery.time(raw, now: now, timeZone: zone) }
            query.until = try until.map { raw throws(HistoryQuery.ParseError) in try HistoryQuery.time(raw, now: now, timeZone: zone, endOfDay: true) }
        } catch {
            throw ValidationError(error.description)
        }
        if let number {
            do {
                query.e164 = try PhoneNumber.parse(number, defaultRegion: config.region, internalNumberDigits: config.internalNumberDigits).e164
            } catch {
                throw ValidationError("--number \(Terminal.safe(number)): \(error)")
            }
        }
        query.text = grep
        if let since = query.since, let until = query.until, until <= since {
            throw ValidationError("--until is not after --since: nothing can match")
        }
        return query
    }
}

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run simulated calls headlessly through the core, store and local directory, and print the records.",
        discussion: "Each call follows a random script (pop, search + pick, new, click-to-dial, internal, …); the saved record's association is checked against what the script did. Exits 1 on any mismatch.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Number of calls.") var calls = 10
    @Option(help: "Random seed (printed so a run can be replayed).") var seed: UInt64?

    func run() async throws {
        let config = try common.load()
        let seed = self.seed ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("simulating \(calls) calls, seed \(seed)")
        let outcomes: [HeadlessSimulation.Outcome]
        do {
            if config.crm == "salesforce" {
                let agent = try SalesforceAgent(config: config)
                let user = await agent.user()
                let delivery = Task { await agent.worker.run() }
                var simulation = HeadlessSimulation(agent: agent.local, seed: seed) { phone, settings in
                    await agent.runtime(phone: phone, user: user, isDemo: false, phoneLabel: "Simulated phone", settings: settings)
                }
                outcomes = try await simulation.run(calls: calls) { print(Terminal.safe($0)) }
                delivery.cancel()
                let summary = await agent.worker.drain()
                let counts = try agent.local.store.outboxCounts()
                print("final drain: delivered \(summary.delivered), \(counts.queued) queued, \(counts.parked) parked")
            } else {
                var simulation = HeadlessSimulation(agent: try LocalAgent(config: config), seed: seed)
                outcomes = try await simulation.run(calls: calls) { print(Terminal.safe($0)) }
            }
        } catch {
            throw fail("simulation stopped: \(error)")
        }
        let mismatches = outcomes.filter { !$0.matches }.count
        print("\(outcomes.count) calls simulated, \(outcomes.count) records saved, \(mismatches) association mismatches")
        if mismatches > 0 { throw ExitCode(1) }
    }
}

struct DirectoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory", abstract: "Manage the local directory.",
        subcommands: [Import.self, Count.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import contacts from a CSV file (header: name and phone columns; optional type, id, account, owner).",
            discussion: """
                All or nothing: a bad line aborts the import and names the line; nothing is half-written. The file is streamed \
                (any size, bounded memory). Importing a file again updates records instead of duplicating them: a row is the \
                record with its id, else the record with the same name and first number.
                """)
        @OptionGroup var common: CommonOptions
        @Argument(help: "CSV file.") var file: String

        func run() async throws {
            let agent = try LocalAgent(config: try common.load())
            do {
                let tty = isatty(STDERR_FILENO) == 1
                let summary = try agent.directory.importCSV(path: file) { rows in
                    if tty { FileHandle.standardError.write(Data("\r\(rows.formatted()) rows read…".utf8)) }
                }
                if tty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                print("imported \(summary.total) records from \(file): \(summary)")
            } catch {
                throw fail("\(error)")
            }
        }
    }

    struct Count: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show how many records the local directory holds.")
        @OptionGroup var common: CommonOptions
        func run() async throws {
            print(try LocalAgent(config: try common.load()).directory.count())
        }
    }
}

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Show the effective configuration (secrets redacted).")
    @OptionGroup var common: CommonOptions
    @Flag(name: .customLong("print"), help: "Print the effective configuration with secrets redacted (the default).")
    var printEffective = false
    @Flag(help: "Print a commented config file documenting every setting and its default.") var example = false

    func run() async throws {
        if example {
            print(RingsideConfig.example(), terminator: "")
            return
        }
        print(try common.load().printable())
    }
}

/// Output helpers for the CLI.
enum Terminal {
    /// Neutralises escape sequences, controls and bidi overrides so outside data can't drive the user's terminal.
    static func safe(_ text: String) -> String { SafeText.line(text) }
}
