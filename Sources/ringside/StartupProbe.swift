import Foundation
import RingsideApp
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `RINGSIDE_BENCH_EXIT_AFTER_FIRST_PAINT=<CLOCK_MONOTONIC ns at spawn>` (set by `ringside bench`): the console
/// quits right after its first paint, waits for the phone index's background load, and prints on stdout how many
/// milliseconds after the spawn each happened: `ringside-startup first-paint-ms=… index-loaded-ms=…`.
final class StartupProbe: Sendable {
    static let variable = "RINGSIDE_BENCH_EXIT_AFTER_FIRST_PAINT"
    let spawnedAt: UInt64
    private let firstPaint = Mutex<UInt64?>(nil)
    private let indexLoaded = Mutex<Task<UInt64?, Never>?>(nil)

    init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let value = environment[Self.variable], let spawned = UInt64(value) else { return nil }
        spawnedAt = spawned
    }

    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// The console's `afterFirstPaint`: records the time and ends the console.
    func painted() -> Bool {
        let at = Self.now()
        firstPaint.withLock { if $0 == nil { $0 = at } }
        return true
    }

    /// Starts watching `crm`'s background index load (when it is an `IndexedCRM`).
    func watch(crm: Any) {
        guard let indexed = crm as? IndexedCRM else { return }
        let task = Task.detached { () -> UInt64? in
            await indexed.waitUntilLoaded()
            return indexed.isLoaded ? StartupProbe.now() : nil
        }
        indexLoaded.withLock { $0 = task }
    }

    /// Waits for the index load and prints both times.
    func report() async {
        let loadedAt = await indexLoaded.withLock { $0 }?.value ?? nil
        func ms(_ at: UInt64?) -> String { at.map { String(format: "%.2f", Double($0 &- spawnedAt) / 1e6) } ?? "-" }
        print("ringside-startup first-paint-ms=\(ms(firstPaint.withLock { $0 })) index-loaded-ms=\(ms(loadedAt))")
    }
}
