import Foundation

/// A supervisor's live model of the team, built from `PresenceUpdate`s. Pure value: times are passed in.
///
/// - Agents are keyed by id; a newer payload replaces an older one. A payload whose `sentAt` is older
///   than the one held is ignored (counted in `staleIgnored`), so a late retained copy can't roll state back.
/// - A last-will payload (`lastWill == true`) marks the agent offline from the moment it is observed
///   (the will was written at connect time, so its own `since` is meaningless); an agent already
///   offline keeps its earlier `since`.
/// - Malformed payloads are counted (`malformed`) with the latest reason, and otherwise ignored.
/// - `counts` always holds every state (0 when none) and is kept in step with `agents`.
/// - Queue events feed `queue`; every state change feeds `activity`.
/// - Dates are clamped: a `since`, `sentAt` or call time more than `maximumClockSkew` after the moment observed
///   becomes that moment (a wrong or hostile clock cannot make later payloads look stale); a queue
///   event more than `maximumClockSkew` in the future is counted as malformed (it would empty the window).
/// - `index` keeps the agents sorted in every order (see `TeamIndex`), updated per change.
public struct TeamModel: Sendable {
    /// How far in the future a queue event's time may be before it is refused.
    public static let maximumClockSkew: TimeInterval = 300
    public private(set) var agents: [String: AgentPresence] = [:]
    public private(set) var counts: [PresenceState: Int] = Dictionary(uniqueKeysWithValues: PresenceState.allCases.map { ($0, 0) })
    public private(set) var malformed = 0
    public private(set) var lastMalformed: String?
    public private(set) var staleIgnored = 0
    public private(set) var link: PresenceLink = .connecting
    public private(set) var queue: QueueStats
    public private(set) var activity: ActivityTime
    /// Talk, hold and wrap-up time.
    public private(set) var callActivity: CallActivityTime
    /// Service level and abandons per 15-minute interval of the day.
    public private(set) var intervals: QueueIntervals
    /// Updates applied (presence, removal, queue), for the status line and benchmarks.
    public private(set) var updatesApplied = 0
    /// The agents in every sort order.
    private(set) var index = TeamIndex()
    /// Each agent's folded name (the sort key), computed when the name changes.
    private var nameKeys: [String: String] = [:]

    public init(trackingStart: Date, mapping: ActivityCategoryMapping = ActivityCategoryMapping(),
                queueSettings: QueueSettings = QueueSettings(), timeZone: TimeZone = .current) {
        queue = QueueStats(settings: queueSettings)
        activity = ActivityTime(mapping: mapping, trackingStart: trackingStart)
        callActivity = CallActivityTime(trackingStart: trackingStart)
        intervals = QueueIntervals(settings: queueSettings, length: 900, timeZone: timeZone)
    }

    /// Agents per state (summed over `counts`).
    public var total: Int { agents.count }

    /// Applies one update observed at `now`. Returns whether anything visible changed.
    @discardableResult
    public mutating func apply(_ update: PresenceUpdate, at now: Date) -> Bool {
        switch update {
        case .presence(let incoming):
            return apply(presence: incoming, at: now)
        case .removed(let agentId):
            guard let old = agents.removeValue(forKey: agentId) else { return false }
            if let key = nameKeys.removeValue(forKey: agentId) { index.remove(TeamSortEntry(old, key: key)) }
            counts[old.state, default: 0] -= 1
            activity.remove(agentId: agentId, at: now)
            callActivity.remove(agentId: agentId, at: now)
            updatesApplied += 1
            return true
        case .malformed(_, let reason):
            malformed += 1
            lastMalformed = reason
            return true
        case .queue(let event):
            guard event.at.timeIntervalSince(now) <= Self.maximumClockSkew else {
                malformed += 1
                lastMalformed = "queue event dated \(PresenceDate.format(event.at)), in the future"
                return true
            }
            if let why = event.outOfRange {
                malformed += 1
                lastMalformed = "queue event: \(why)"
                return true
            }
            queue.apply(event)
            intervals.apply(event)
            updatesApplied += 1
            return true
        case .link(let state):
            guard state != link else { return false }
            link = state
            return true
        }
    }

    /// Queue figures at `now`.
    public func queueFigures(at now: Date) -> QueueFigures { queue.figures(at: now) }

    /// Time per activity category at `now`.
    public func activityTotals(at now: Date) -> [ActivityCategory: TimeInterval] { activity.totals(at: now) }

    /// Talk, hold and wrap-up time at `now`.
    public func callActivityTotals(at now: Date) -> [CallActivity: TimeInterval] { callActivity.totals(at: now) }

    private mutating func apply(presence incoming: AgentPresence, at now: Date) -> Bool {
        var presence = Self.clamped(incoming, at: now)
        let old = agents[presence.agentId]
        if let old, let oldSent = old.sentAt, let newSent = presence.sentAt, newSent < oldSent {
            staleIgnored += 1
            return false
        }
        if presence.lastWill == true {
            presence.call = nil
            if let old, old.state == .offline {
                presence.since = old.since
            } else {
                presence.since = now
            }
        }
        if let old, old == presence { return false }
        if let old { counts[old.state, default: 0] -= 1 }
        counts[presence.state, default: 0] += 1
        agents[presence.agentId] = presence
        let oldKey = nameKeys[presence.agentId]
        let key = old?.name == presence.name ? oldKey ?? Self.sortKey(presence.name) : Self.sortKey(presence.name)
        if let old, let oldKey { index.remove(TeamSortEntry(old, key: oldKey)) }
        index.insert(TeamSortEntry(presence, key: key))
        nameKeys[presence.agentId] = key
        if old?.state != presence.state || old?.reason != presence.reason || old?.since != presence.since {
            activity.apply(presence, at: now)
        }
        callActivity.apply(presence, at: now)
        updatesApplied += 1
        return true
    }

    /// `presence` with every date more than `maximumClockSkew` ahead of `now` set to `now` (a small skew is kept,
    /// so the same payload observed twice stays the same).
    static func clamped(_ presence: AgentPresence, at now: Date) -> AgentPresence {
        func clamp(_ date: Date) -> Date { date.timeIntervalSince(now) > maximumClockSkew ? now : date }
        var p = presence
        p.since = clamp(p.since)
        p.sentAt = p.sentAt.map(clamp)
        if var call = p.call {
            call.startedAt = clamp(call.startedAt)
            call.answeredAt = call.answeredAt.map(clamp)
            call.heldSince = call.heldSince.map(clamp)
            p.call = call
        }
        return p
    }
}
