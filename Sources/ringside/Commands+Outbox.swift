import ArgumentParser
import Foundation
import RingsideApp
import RingsideCore
import RingsideStore

struct Outbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Call records waiting for delivery or parked after a permanent error.",
        subcommands: [List.self, Retry.self, Export.self, Drain.self], defaultSubcommand: List.self)

    static func store(_ common: CommonOptions) throws -> SQLiteCallStore {
        let config = try common.load()
        do { return SQLiteCallStore(database: try RingsideDatabase(path: config.databasePath)) } catch { throw fail("\(error)") }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List pending and parked records, platform events (agent state) and queue events (MQTT).")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let store = try Outbox.store(common)
            let items = try store.outboxListing()
            let formatter = ISO8601DateFormatter()
            if items.isEmpty { print("The outbox is empty: every completed call record has been delivered.") }
            for (item, record) in items {
                let state = item.parked ? "PARKED " : (item.uncertain ? "CHECK  " : "pending")
                print("\(state) \(record.callObject)  attempts \(item.attempts)  \(item.parked ? "" : "next \(formatter.string(from: item.nextAttemptAt))")")
                print("        \(Terminal.safe(record.subject))")
                if let error = item.lastError { print("        \(item.lastErrorCode ?? "error"): \(Terminal.safe(error))") }
            }
            // The event outboxes (issue 17): counts and ages, then each parked event with its error.
            let status = try OutboxStatus.read(store)
            let now = Date()
            print(Terminal.safe(status.eventsLine(now: now)))
            for event in try store.events(in: .parked) {
                print("PARKED  event-\(event.id)  \(Terminal.safe(event.sobject))  saved \(formatter.string(from: event.createdAt))  attempts \(event.attempts)")
                if let error = event.lastError { print("        \(Terminal.safe(error))") }
            }
            if status.needsAttention { print("        → fix the cause, then `ringside outbox retry --events` (or name event-N ids)") }
            print(Terminal.safe(status.queueLine(now: now)))
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue parked records (or parked platform events) again (after fixing the cause).")
        @OptionGroup var common: CommonOptions
        @Argument(help: "Call ids to retry, or event-N for a parked platform event (as `outbox list` names them).") var ids: [String] = []
        @Flag(help: "Retry every parked record and every parked platform event.") var all = false
        @Flag(help: "Retry every parked platform event.") var events = false

        func validate() throws {
            if ids.isEmpty && !all && !events { throw ValidationError("name call ids or event-N ids to retry, or --all, or --events") }
            for id in ids where id.hasPrefix("event-") && Int64(id.dropFirst("event-".count)) == nil {
                throw ValidationError("\(id) is not an event id: use event-N as `ringside outbox list` shows it")
            }
        }

        func run() async throws {
            let store = try Outbox.store(common)
            let eventIds = ids.filter { $0.hasPrefix("event-") }.compactMap { Int64($0.dropFirst("event-".count)) }
            let callIds = ids.filter { !$0.hasPrefix("event-") }
            if all || !callIds.isEmpty {
                let count = try store.retryParked(all ? nil : callIds, now: Date())
                print("\(count) record(s) queued again; they are sent by the running agent or `ringside outbox drain`.")
            }
            if all || events || !eventIds.isEmpty {
                let count = try store.retryParkedEvents(all || events ? nil : eventIds, now: Date())
                print("\(count) platform event(s) queued again; the running agent sends them.")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export call records (all, or only undelivered) as CSV.")
        @OptionGroup var common: CommonOptions
        @Flag(help: "CSV output (the only format).") var csv = false
        @Flag(help: "Include delivered records too.") var all = false

        func run() async throws {
            let store = try Outbox.store(common)
            let states: [DeliveryState] = all ? DeliveryState.allCases : [.queued, .parked, .local, .wrapUp]
            print(CSVExport.header)
            for record in try store.calls(in: states) { print(CSVExport.row(record)) }
        }
    }

    struct Drain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deliver everything queued now (Salesforce), then exit.")
        @OptionGroup var common: CommonOptions
        @Flag(help: "Also send records not yet due (ignore backoff).") var all = false

        func run() async throws {
            let config = try common.load()
            guard config.crm == "salesforce" else { throw fail("crm.kind is \"\(config.crm)\": there is nowhere to deliver to") }
            let agent: SalesforceAgent
            do { agent = try SalesforceAgent(config: config, notifier: try MailNotifier(config: config)) } catch { throw fail("\(error)") }
            _ = try agent.local.store.queueLocalRecords(now: Date())
            let summary = await agent.worker.drain(allQueued: all)
            if summary.busy { print("another Ringside process is delivering right now; try again in a moment") }
            let counts = try agent.local.store.outboxCounts()
            print("delivered \(summary.delivered), already there \(summary.deduplicated), retry later \(summary.retried), parked \(summary.parked), association dropped \(summary.associationsDropped), waiting before a check \(summary.waiting); \(counts.queued) queued, \(counts.parked) parked")
        }
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The append-only audit log of delivery attempts (never holds secrets).")
    @OptionGroup var common: CommonOptions
    @Option(help: "Only entries at or after this ISO-8601 time or a number of hours ago (e.g. 24h).") var since: String?
    @Option(name: .shortAndLong, help: "How many entries.") var limit = 50

    func run() async throws {
        var start: Date?
        if let since {
            if since.hasSuffix("h"), let hours = Double(since.dropLast()) {
                start = Date().addingTimeInterval(-hours * 3600)
            } else if let date = ISO8601.date(since) {
                start = date
            } else {
                throw ValidationError("--since takes an ISO-8601 time (2026-11-30T09:00:00Z) or hours (24h)")
            }
        }
        let entries = try Outbox.store(common).audit(since: start, limit: limit)
        let formatter = ISO8601DateFormatter()
        for entry in entries.reversed() {
            let parts = [formatter.string(from: entry.at), entry.action, entry.callObject ?? "-", entry.endpoint ?? "-",
                         entry.httpStatus.map(String.init) ?? "-", entry.errorCode ?? "-", entry.attempt.map { "attempt \($0)" } ?? "-",
                         entry.detail.map(Terminal.safe) ?? ""]
            print(parts.joined(separator: "  "))
        }
    }
}

/// CSV export of call records (RFC 4180 quoting).
enum CSVExport {
    static let header = "CallObject,CallType,Started,DurationSeconds,Number,Name,Subject,Disposition,WhoId,WhatId,Rule,Delivery,CrmId,Error"

    static func row(_ r: CallRecord) -> String {
        let fields: [String] = [r.callObject, r.callType.rawValue, ISO8601.string(r.startedAt), String(r.durationSeconds),
                                r.e164 ?? r.remote, r.remoteName ?? "", r.subject, r.disposition ?? "", r.who?.id ?? "", r.what?.id ?? "",
                                String(r.associationRule.rawValue), r.delivery.rawValue, r.crmId ?? "", r.lastError ?? ""]
        return fields.map(quote).joined(separator: ",")
    }

    static func quote(_ field: String) -> String {
        let safe = Terminal.safe(field)
        // Leading = + - @ would be formulas in spreadsheets: prefix with a quote.
        let defused = ["=", "+", "-", "@"].contains(where: safe.hasPrefix) && Double(safe) == nil ? "'" + safe : safe
        return defused.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) || defused != safe
            ? "\"" + defused.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : defused
    }
}
