import Foundation
import RingsideCore
import RingsideStore

/// Records what a supervisor's wallboard receives — queue events and agent presence — into the local SQLite store
/// (`TeamLogStore`) so `ringside report` can compute service level per interval and time per category later.
///
/// Writes in batches (at most `batchSize` observations or `flushInterval` seconds apart, and when the stream ends),
/// so a busy 5,000-agent bus costs one transaction a second. Malformed and link updates are not recorded.
public enum TeamRecorder {
    public static let batchSize = 200
    public static let flushInterval: TimeInterval = 1

    /// Consumes `updates` until the stream ends; returns how many observations were written. A failed write is
    /// reported through `onError` and the batch dropped (the wallboard keeps running).
    @discardableResult
    public static func record(_ updates: AsyncStream<PresenceUpdate>, into store: TeamLogStore,
                              clock: @escaping @Sendable () -> Date = { Date() },
                              onError: @escaping @Sendable (String) -> Void = { _ in }) async -> Int {
        var buffer: [TeamLogStore.Entry] = []
        var lastFlush = clock()
        var written = 0
        func flush() {
            guard !buffer.isEmpty else { return }
            do {
                try store.append(buffer)
                written += buffer.count
            } catch {
                onError("could not record \(buffer.count) wallboard observations: \(error)")
            }
            buffer.removeAll(keepingCapacity: true)
            lastFlush = clock()
        }
        for await update in updates {
            let now = clock()
            switch update {
            case .presence(let presence): buffer.append(.presence(presence, observedAt: now))
            case .queue(let event): buffer.append(.queue(event, observedAt: now))
            case .removed, .malformed, .link: break
            }
            if buffer.count >= batchSize || now.timeIntervalSince(lastFlush) >= flushInterval { flush() }
        }
        flush()
        return written
    }
}
