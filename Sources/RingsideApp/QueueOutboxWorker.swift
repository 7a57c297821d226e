import Foundation
import RingsideCore
import RingsideStore

/// Publishes an agent's queue observations through the queue outbox, so a link outage loses none: `submit`
/// saves the event (one short SQLite write, on the caller's thread) and returns; `run` publishes waiting events
/// strictly oldest first, each with its original time, and removes one only once the broker acknowledged it.
/// A failed attempt (not connected, no acknowledgement) keeps the event at the head and is retried every
/// `retry` seconds, so after a reconnect everything goes out in order.
///
/// At-least-once: an event whose acknowledgement was lost is sent again; the supervisor recognises the replay
/// (`QueueStats.replayedEvents`) and applies it once.
public actor QueueOutboxWorker {
    /// Publishes one event and returns once the bus acknowledged it; throws otherwise.
    public typealias Publish = @Sendable (QueueEvent) async throws -> Void

    nonisolated let store: SQLiteCallStore
    nonisolated let agentId: String
    private let publish: Publish
    private let retry: TimeInterval
    private var waiter: CheckedContinuation<Void, Never>?
    private var pendingWake = false

    public init(store: SQLiteCallStore, agentId: String, publish: @escaping Publish, retry: TimeInterval = 1) {
        self.store = store
        self.agentId = agentId
        self.publish = publish
        self.retry = max(0.05, retry)
    }

    /// Saves the event to the queue outbox and wakes the publisher. Returns the saved row's id.
    @discardableResult
    public nonisolated func submit(_ event: QueueEvent, at now: Date) throws -> Int64 {
        let id = try store.enqueueQueueEvent(agentId: agentId, payload: String(decoding: event.jsonData(), as: UTF8.self), at: now)
        Task { await self.wake() }
        return id
    }

    /// Publishes until cancelled.
    public func run() async {
        while !Task.isCancelled {
            let waiting = await drain()
            await sleep(seconds: waiting ? retry : 3600)
        }
    }

    /// Publishes every waiting event, oldest first; stops at the first failure. Returns true when events still wait.
    @discardableResult
    public func drain() async -> Bool {
        while !Task.isCancelled {
            guard let batch = try? store.pendingQueueEvents(agentId: agentId, limit: 50) else { return true }
            if batch.isEmpty { return false }
            for stored in batch {
                guard let event = try? QueueEvent.decode(Data(stored.payload.utf8)) else {
                    // Unreadable (written by a newer version, or damaged): it can never be sent, so it must not block the rest.
                    try? store.markQueueEventSent(stored.id)
                    continue
                }
                do {
                    try await publish(event)
                    try? store.markQueueEventSent(stored.id)
                } catch {
                    try? store.markQueueEventFailed(stored.id, error: "\(error)")
                    return true
                }
            }
        }
        return true
    }

    /// Wakes the publisher (a new event, or a test).
    public func wake() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            pendingWake = true
        }
    }

    private func sleep(seconds: TimeInterval) async {
        if pendingWake {
            pendingWake = false
            return
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64(min(seconds, 3600) * 1_000_000_000))
            await self?.wake()
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in waiter = continuation }
        } onCancel: {
            timer.cancel()
            Task { await self.wake() }
        }
        timer.cancel()
    }
}
