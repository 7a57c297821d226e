import Foundation

/// Thresholds and window for the queue figures (seed 002 defaults).
public struct QueueSettings: Hashable, Sendable {
    /// A call answered within this many seconds counts towards the service level (default 20 s; inclusive).
    public var serviceLevelThreshold: TimeInterval
    /// A caller who hangs up within this many seconds is a short abandon (default 5 s; inclusive),
    /// excluded from the abandon rate.
    public var shortAbandonThreshold: TimeInterval
    /// Figures cover outcomes in the last `window` seconds (default 30 minutes).
    public var window: TimeInterval
    /// Service level target in percent: below it the wallboard shows the figure as a warning.
    public var serviceLevelTarget: Double
    /// Maximum acceptable abandon rate in percent: above it the wallboard shows an error.
    public var abandonRateLimit: Double
    /// A call still "waiting" after this long is assumed lost (its end event went missing) and dropped.
    public var staleWait: TimeInterval
    /// When every agent's fork of a call stopped ringing unanswered, the call counts as abandoned only after this
    /// many seconds without an answer for it: agents publish independently, so "agent B's fork was cancelled"
    /// can arrive before "agent A answered" (which is why B's fork was cancelled).
    public var forkSettle: TimeInterval

    public init(serviceLevelThreshold: TimeInterval = 20, shortAbandonThreshold: TimeInterval = 5, window: TimeInterval = 1800,
                serviceLevelTarget: Double = 80, abandonRateLimit: Double = 20, staleWait: TimeInterval = 4 * 3600,
                forkSettle: TimeInterval = 2) {
        self.forkSettle = forkSettle
        self.serviceLevelThreshold = serviceLevelThreshold
        self.shortAbandonThreshold = shortAbandonThreshold
        self.window = window
        self.serviceLevelTarget = serviceLevelTarget
        self.abandonRateLimit = abandonRateLimit
        self.staleWait = staleWait
    }
}

/// The headline queue figures at one moment.
public struct QueueFigures: Hashable, Sendable {
    /// Calls waiting now.
    public var waiting = 0
    /// How long the longest-waiting call has waited (nil when none waits).
    public var longestWait: TimeInterval?
    /// Calls answered in the window.
    public var answered = 0
    /// Of those, answered within the service level threshold.
    public var answeredWithinThreshold = 0
    /// Abandons in the window that were not short abandons.
    public var abandoned = 0
    /// Short abandons in the window (not in the abandon rate).
    public var shortAbandoned = 0
    /// Calls whose handling completed in the window.
    public var completed = 0
    /// Transfers agents reported in the window.
    public var transferred = 0
    /// `answeredWithinThreshold / answered` in percent; nil with no answered calls.
    public var serviceLevel: Double?
    /// `abandoned / (answered + abandoned)` in percent (short abandons excluded); nil when both are 0.
    public var abandonRate: Double?
    /// Mean handle time of completed calls; nil when none completed.
    public var averageHandleTime: TimeInterval?

    public init() {}
}

/// Queue statistics as a pure value: apply `QueueEvent`s, read `figures(at:)`. No clock inside.
///
/// Invariants: a call is counted at most once as answered or abandoned; waits are never negative
/// (an end before its arrival counts as 0 s); events for calls it never saw arrive are counted in
/// `unmatchedEvents` and otherwise ignored (their wait is unknown).
public struct QueueStats: Sendable {
    struct Outcome: Hashable, Sendable {
        var at: Date
        var seconds: TimeInterval
        var callId: String = ""
        /// The de-duplication keys merged into this outcome (agents' `handled` reports: `callId#agentId`).
        var keys: [String] = []
    }

    public var settings: QueueSettings
    /// Arrival time of each waiting call.
    public internal(set) var waiting: [String: Date] = [:]
    /// Answered/abandoned/completed events for calls not waiting (unknown or already ended).
    public internal(set) var unmatchedEvents = 0
    /// Waiting calls dropped because they exceeded `settings.staleWait`.
    public internal(set) var staleDropped = 0
    /// Agent observations received again (an agent's outbox re-sends what it may not have delivered after a
    /// reconnect): recognised by their content — the same event, with its original time — and not applied twice.
    public internal(set) var replayedEvents = 0
    /// Agent observations already applied (see `replayedEvents`), kept for `max(window, staleWait)`.
    var seen = SeenEvents()
    var answeredLog: [Outcome] = []
    var abandonedLog: [Outcome] = []
    var completedLog: [Outcome] = []
    var transferLog: [Outcome] = []
    var completedIds: Set<String> = []
    /// Calls reported by agents, merged by SIP Call-ID (see `QueueStats+Forks.swift`).
    var forks = QueueCallLedger()

    public init(settings: QueueSettings = QueueSettings()) {
        self.settings = settings
    }

    /// Applies one event and forgets outcomes that left the window (relative to the event's time).
    /// An agent observation seen before (a replay) is counted in `replayedEvents` and otherwise ignored.
    public mutating func apply(_ event: QueueEvent) {
        if event.agentId != nil, !seen.insert(event) {
            replayedEvents += 1
            return
        }
        switch event {
        case .arrived(let id, let at):
            if waiting[id] == nil { waiting[id] = at }
        case .answered(let id, let at):
            guard let arrival = waiting.removeValue(forKey: id) else {
                unmatchedEvents += 1
                return
            }
            answeredLog.append(Outcome(at: at, seconds: max(0, at.timeIntervalSince(arrival)), callId: id))
        case .abandoned(let id, let at):
            guard let arrival = waiting.removeValue(forKey: id) else {
                unmatchedEvents += 1
                return
            }
            abandonedLog.append(Outcome(at: at, seconds: max(0, at.timeIntervalSince(arrival)), callId: id))
        case .completed(let id, let at, let seconds):
            guard seconds.isFinite, seconds >= 0, completedIds.insert(id).inserted else {
                unmatchedEvents += 1
                return
            }
            completedLog.append(Outcome(at: at, seconds: seconds, callId: id))
        case .offered, .agentAnswered, .ringEnded, .handled, .transferred, .transferLeg:
            applyObservation(event)
        }
        prune(at: event.at)
    }

    /// Drops outcomes older than the window and waiting calls older than `staleWait`.
    public mutating func prune(at now: Date) {
        let cutoff = now.addingTimeInterval(-settings.window)
        if answeredLog.first.map({ $0.at <= cutoff }) == true { answeredLog.removeAll { $0.at <= cutoff } }
        if abandonedLog.first.map({ $0.at <= cutoff }) == true { abandonedLog.removeAll { $0.at <= cutoff } }
        if completedLog.first.map({ $0.at <= cutoff }) == true {
            for o in completedLog where o.at <= cutoff {
                completedIds.remove(o.callId)
                for key in o.keys { completedIds.remove(key) }
            }
            completedLog.removeAll { $0.at <= cutoff }
        }
        if transferLog.first.map({ $0.at <= cutoff }) == true { transferLog.removeAll { $0.at <= cutoff } }
        let staleCutoff = now.addingTimeInterval(-settings.staleWait)
        let stale = waiting.filter { $0.value < staleCutoff }
        if !stale.isEmpty {
            staleDropped += stale.count
            for id in stale.keys { waiting[id] = nil }
        }
        seen.forget(before: now.addingTimeInterval(-max(settings.window, settings.staleWait)))
        settleForks(at: now)
    }

    /// The figures at `now`: outcomes in (now − window, now], waits measured to `now`.
    public func figures(at now: Date) -> QueueFigures {
        let cutoff = now.addingTimeInterval(-settings.window)
        func inWindow(_ o: Outcome) -> Bool { o.at > cutoff && o.at <= now }
        var f = QueueFigures()
        f.waiting = waiting.count
        f.longestWait = waiting.values.min().map { max(0, now.timeIntervalSince($0)) }
        for o in answeredLog where inWindow(o) {
            f.answered += 1
            if o.seconds <= settings.serviceLevelThreshold { f.answeredWithinThreshold += 1 }
        }
        // Calls whose forks all stopped ringing longer than `forkSettle` ago count as abandoned even before
        // the next event settles them.
        for o in abandonedLog + forks.settled(at: now, after: settings.forkSettle) where inWindow(o) {
            if o.seconds <= settings.shortAbandonThreshold { f.shortAbandoned += 1 } else { f.abandoned += 1 }
        }
        f.transferred = transferLog.filter(inWindow).count
        var handle: TimeInterval = 0
        for o in completedLog where inWindow(o) {
            f.completed += 1
            handle += o.seconds
        }
        if f.answered > 0 { f.serviceLevel = Double(f.answeredWithinThreshold) * 100 / Double(f.answered) }
        if f.answered + f.abandoned > 0 { f.abandonRate = Double(f.abandoned) * 100 / Double(f.answered + f.abandoned) }
        if f.completed > 0 { f.averageHandleTime = handle / Double(f.completed) }
        return f
    }
}

/// The agent observations a `QueueStats` already applied, in arrival order, for recognising replays.
struct SeenEvents: Sendable {
    private var set: Set<QueueEvent> = []
    private var order: [QueueEvent] = []
    private var head = 0

    /// False when `event` was seen before.
    mutating func insert(_ event: QueueEvent) -> Bool {
        guard set.insert(event).inserted else { return false }
        order.append(event)
        return true
    }

    /// Forgets events older than `cutoff` (from the oldest arrival on; a late arrival is kept until those before it go).
    mutating func forget(before cutoff: Date) {
        while head < order.count, order[head].at < cutoff {
            set.remove(order[head])
            head += 1
        }
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
