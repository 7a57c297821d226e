import Foundation
import RingsideApp
import RingsideBench
import RingsideSalesforce
import SalesforceEmulator
import Testing

/// 10,000 queued records drained to the in-process emulator over libcurl: requests used and records/s
/// (printed; only the request count, which is deterministic, is checked).
@Suite("Outbox benchmark", .serialized)
struct OutboxBenchmarkTests {
    @Test func tenThousandQueuedRecords() async throws {
        let emulator = try await SalesforceEmulator.start(seed: OutboxFaultBench.seed(), port: 0)
        do {
            let records = Int(ProcessInfo.processInfo.environment["OUTBOX_BENCH_RECORDS"] ?? "") ?? 10_000
            let result = try await OutboxBenchmark.run(settings: OutboxFaultBench.settings(base: emulator.baseURL.absoluteString,
                                                                                          timeout: .seconds(60)),
                                                       records: records)
            print(result)
            #expect(result.delivered == records)
            #expect(result.requests <= (records + 199) / 200)
            #expect(await emulator.records(of: "Task").count == records)
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
    }
}
