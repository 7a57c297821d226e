import Foundation
import RingsideCore

/// The supervisor's live team: consumes presence updates into a `TeamModel` and tells the wallboard
/// when to repaint. Implements `TeamSource`.
public actor TeamBoard: TeamSource {
    private var model: TeamModel
    private let tenant: String
    private let source: String
    private let hasQueueFeed: Bool
    private let clock: @Sendable () -> Date
    private let changeFeed = ChangeFeed()
    private var sawQueueEvent = false
    private var consumers: [Task<Void, Never>] = []
    /// Publish → model latency of recent presence updates, in milliseconds (newest last, at most 100,000).
    public private(set) var latencies: [Double] = []

    /// `hasQueueFeed`: show queue figures from the start (otherwise from the first queue event on).
    public init(tenant: String, source: String, hasQueueFeed: Bool, mapping: ActivityCategoryMapping = ActivityCategoryMapping(),
                queueSettings: QueueSettings = QueueSettings(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.tenant = tenant
        self.source = source
        self.hasQueueFeed = hasQueueFeed
        self.clock = clock
        self.model = TeamModel(trackingStart: clock(), mapping: mapping, queueSettings: queueSettings)
    }

    /// Starts consuming a presence stream (e.g. `presence.team()`); returns at once.
    public func attach(_ updates: AsyncStream<PresenceUpdate>) {
        consumers.append(Task { [weak self] in
            for await update in updates {
                guard let self else { return }
                await self.apply(update)
            }
        })
    }

    /// Applies one update now.
    public func apply(_ update: PresenceUpdate) {
        let now = clock()
        if case .presence(let p) = update, let sent = p.sentAt {
            if latencies.count >= 100_000 { latencies.removeFirst(50_000) }
            latencies.append(max(0, now.timeIntervalSince(sent) * 1000))
        }
        if case .queue = update { sawQueueEvent = true }
        if model.apply(update, at: now) { changeFeed.signal() }
    }

    /// Stops consuming and ends every change stream.
    public func stop() {
        consumers.forEach { $0.cancel() }
        consumers.removeAll()
        changeFeed.finish()
    }

    public func snapshot() -> TeamSnapshot {
        TeamSnapshot(team: model, tenant: tenant, source: source, hasQueueFeed: hasQueueFeed || sawQueueEvent)
    }

    public nonisolated func changes() -> AsyncStream<Void> { changeFeed.stream() }

    /// The model now (tests).
    public var team: TeamModel { model }
}

/// Coalescing change notifications: each stream holds at most one pending signal.
final class ChangeFeed: @unchecked Sendable {
    private let lock = NSLock()
    private var continuations: [UUID: AsyncStream<Void>.Continuation] = [:]
    private var finished = false

    func stream() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        continuation.onTermination = { [weak self] _ in self?.lock.withLock { _ = self?.continuations.removeValue(forKey: id) } }
        let done = lock.withLock { () -> Bool in
            if !finished { continuations[id] = continuation }
            return finished
        }
        if done { continuation.finish() }
        return stream
    }

    func signal() {
        for c in lock.withLock({ Array(continuations.values) }) { c.yield() }
    }

    func finish() {
        let all = lock.withLock { () -> [AsyncStream<Void>.Continuation] in
            finished = true
            defer { continuations.removeAll() }
            return Array(continuations.values)
        }
        for c in all { c.finish() }
    }
}
