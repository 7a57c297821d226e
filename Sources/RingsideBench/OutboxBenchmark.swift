import Foundation
import RingsideApp
import RingsideCore
import RingsideSalesforce
import RingsideStore

/// Outbox throughput: N queued call records drained to Salesforce (the emulator on loopback in `ringside bench`
/// and the tests) through the real worker, client and libcurl; counts REST requests and records per second.
public enum OutboxBenchmark {
    public struct Result: Sendable, Hashable, CustomStringConvertible {
        public var records: Int
        public var delivered: Int
        /// REST requests the drain used (the login before it is not counted).
        public var requests: Int
        public var batches: Int
        public var seconds: Double
        public var recordsPerSecond: Double { seconds > 0 ? Double(delivered) / seconds : 0 }

        public var description: String {
            String(format: "outbox drain: %d of %d records delivered in %d requests (%d batches, goal ≤ %d) in %.2f s = %.0f records/s",
                   delivered, records, requests, batches, (records + SalesforceClient.collectionLimit - 1) / SalesforceClient.collectionLimit,
                   seconds, recordsPerSecond)
        }
    }

    /// Queues `records` call records (no association, no owner: valid in any org) in a fresh database under
    /// `directory` (a temporary one by default, removed afterwards), signs in, then drains them once with
    /// `drain(allQueued:)` and measures the drain alone.
    public static func run(settings: SalesforceSettings, records: Int = 10_000, batchSize: Int = SalesforceClient.collectionLimit,
                           directory: String? = nil) async throws -> Result {
        let folder = directory ?? (NSTemporaryDirectory() + "ringside-outbox-bench-\(UUID().uuidString.prefix(8))")
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let store = SQLiteCallStore(database: try RingsideDatabase(path: folder + "/bench.sqlite"))
        let client = try SalesforceClient.live(settings: settings, tokenStore: InMemoryTokenStore())
        _ = try await client.auth.login()
        _ = try await client.orgSchema()  // describe once, like the login: not part of the drain
        let start = Date()
        let time = formatter("HH:mm:ss"), day = formatter("yyyy-MM-dd")
        try store.queue((0..<records).map { record(index: $0, at: start, time: time, day: day) }, at: start)
        let sink = SalesforceRecordSink(client: client)
        // Whether the org has the call-id field is asked once per process (one describe), like the login: not counted.
        _ = await sink.resendIsSafe()
        let worker = OutboxWorker(store: store, sink: sink, batchSize: batchSize)
        let before = client.requestsSent
        let clock = ContinuousClock()
        let began = clock.now
        let summary = await worker.drain(allQueued: true)
        let elapsed = began.duration(to: clock.now)
        return Result(records: records, delivered: summary.delivered, requests: client.requestsSent - before, batches: summary.batches,
                      seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// A plausible completed inbound call, `index` minutes before `date`.
    static func record(index: Int, at date: Date, time: DateFormatter, day: DateFormatter) -> CallRecord {
        let ended = date.addingTimeInterval(-Double(index) * 60)
        let started = ended.addingTimeInterval(-95)
        let number = String(format: "+44 20 7946 %04d", index % 10_000)
        let subject = "Inbound Call at \(time.string(from: started)) UTC from \(number)"
        return CallRecord(callObject: String(format: "bench-%08d-%@", index, UUID().uuidString.lowercased()), callType: .inbound,
                          direction: .inbound, remote: number, e164: number.filter { $0 != " " }, remoteName: nil, startedAt: started,
                          answeredAt: started.addingTimeInterval(5), endedAt: ended, durationSeconds: 90, holdSeconds: 0,
                          endReason: "remote hangup", subject: subject, description: "Benchmark call \(index)\n\n\(subject)",
                          activityDate: day.string(from: started), ownerId: nil, disposition: "Resolved",
                          notes: "Benchmark call \(index)", who: nil, what: nil, associationRule: .noMatch, associationNote: nil,
                          timeZone: "UTC", delivery: .queued)
    }

    private static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }
}
