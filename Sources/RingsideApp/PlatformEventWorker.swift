import Foundation
import RingsideCore
import RingsideSalesforce
import RingsideStore

/// Publishes agent-state platform events (`[presence] salesforce_event`, e.g. `Agent_State__e`) through the event
/// outbox: `submit` saves the event (one short SQLite write) and returns; `run` sends queued events oldest first,
/// retries transient failures with backoff (order kept: a failing head waits, the rest wait behind it) and parks
/// permanent refusals with the error. The console never waits on the network.
///
/// A platform event has no external id to deduplicate by: an attempt whose answer was lost is sent again
/// (at-least-once; a subscriber sees the same state twice at worst).
public actor PlatformEventWorker {
    /// Sends one event; throws `SalesforceError` (or anything else: treated as transient).
    public typealias Publish = @Sendable (_ sobject: String, _ fields: [String: String?]) async throws -> Void

    /// Counts of one drain.
    public struct Summary: Hashable, Sendable {
        public var delivered = 0
        public var retried = 0
        public var parked = 0
    }

    nonisolated let store: SQLiteCallStore
    nonisolated let sobject: String
    private let publish: Publish
    private let clock: @Sendable () -> Date
    private let backoff: [TimeInterval]
    /// Waits for the next due event, ended early by `wake()`.
    private let waits: WakeableSleep
    private var notice: (@Sendable (Banner.Level, String) -> Void)?

    public init(store: SQLiteCallStore, sobject: String, publish: @escaping Publish, clock: @escaping @Sendable () -> Date = { Date() },
                backoff: [TimeInterval] = [2, 5, 15, 60, 300], sleeper: any Sleeper = LiveSleeper()) {
        self.store = store
        self.sobject = sobject
        self.publish = publish
        self.clock = clock
        self.backoff = backoff.isEmpty ? [5] : backoff
        self.waits = WakeableSleep(sleeper: sleeper)
    }

    /// The live publisher: `SalesforceClient.publishEvent`.
    public init(store: SQLiteCallStore, sobject: String, client: SalesforceClient, clock: @escaping @Sendable () -> Date = { Date() },
                backoff: [TimeInterval] = [2, 5, 15, 60, 300]) {
        self.init(store: store, sobject: sobject, publish: { sobject, fields in _ = try await client.publishEvent(sobject, fields: fields) },
                  clock: clock, backoff: backoff)
    }

    public func setNotice(_ body: @escaping @Sendable (Banner.Level, String) -> Void) { notice = body }

    /// Saves the event to the outbox (before any attempt) and wakes the sender. Returns the saved row's id.
    @discardableResult
    public nonisolated func submit(_ event: AgentStateEvent, at now: Date) throws -> Int64 {
        let object = event.fields.mapValues { $0.map { $0 as Any } ?? NSNull() }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let id = try store.enqueueEvent(sobject: sobject, payload: String(decoding: data, as: UTF8.self), at: now)
        Task { await self.wake() }
        return id
    }

    /// Sends until stopped (cancel the task).
    public func run() async {
        while !Task.isCancelled {
            _ = await drain()
            let next = (try? store.queuedEvents(limit: 1).first?.nextAttemptAt).flatMap { $0 }
            let wait = next.map { max(0.05, $0.timeIntervalSince(clock())) } ?? 3600
            await sleep(seconds: wait)
        }
    }

    /// Sends every due event now, oldest first; stops at the first transient failure (it is rescheduled).
    public func drain() async -> Summary {
        var summary = Summary()
        while !Task.isCancelled {
            guard let batch = try? store.queuedEvents(limit: 50), !batch.isEmpty else { break }
            for event in batch {
                let now = clock()
                guard event.nextAttemptAt <= now else { return summary }
                let fields = Self.fields(event.payload)
                do {
                    try await publish(event.sobject, fields)
                    try? store.markEventDelivered(event.id, at: clock())
                    summary.delivered += 1
                } catch let error as SalesforceError where error.isPermanent {
                    try? store.markEventParked(event.id, error: error.description)
                    summary.parked += 1
                    notice?(.error, "\(event.sobject) event not accepted by Salesforce (kept locally): \(error)")
                } catch {
                    let step = backoff[min(event.attempts, backoff.count - 1)]
                    let suggested = (error as? SalesforceError)?.suggestedBackoff.map { Double($0.components.seconds) } ?? 0
                    try? store.markEventRetry(event.id, error: "\(error)", next: clock().addingTimeInterval(max(step, suggested)))
                    summary.retried += 1
                    return summary
                }
            }
        }
        return summary
    }

    /// Wakes the sender (a new event, or a test).
    public func wake() {
        waits.wake()
    }

    private func sleep(seconds: TimeInterval) async {
        await waits.sleep(seconds: min(seconds, 3600))
    }

    static func fields(_ payload: String) -> [String: String?] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any] else { return [:] }
        return object.mapValues { $0 as? String }
    }
}
