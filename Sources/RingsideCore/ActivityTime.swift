import Foundation

/// Time per activity category across a team, accumulated from presence changes. Pure: times are passed in.
///
/// Each agent's open interval starts at the later of its presence's `since` and `trackingStart`
/// (so a retained state from yesterday does not count yesterday), and is closed by its next presence.
public struct ActivityTime: Sendable {
    public var mapping: ActivityCategoryMapping
    /// Time before which nothing is counted.
    public let trackingStart: Date
    private var closed: [ActivityCategory: TimeInterval] = [:]
    private var open: [String: (categories: Set<ActivityCategory>, from: Date)] = [:]

    public init(mapping: ActivityCategoryMapping = ActivityCategoryMapping(), trackingStart: Date) {
        self.mapping = mapping
        self.trackingStart = trackingStart
    }

    /// Records an agent's new state; `now` is when it was observed (closes the previous interval).
    public mutating func apply(_ presence: AgentPresence, at now: Date) {
        close(agentId: presence.agentId, at: now)
        let categories = mapping.categories(state: presence.state, reason: presence.reason)
        guard !categories.isEmpty else { return }
        let from = max(trackingStart, min(presence.since, now))
        open[presence.agentId] = (categories, from)
    }

    /// Stops counting for an agent (removed from the team).
    public mutating func remove(agentId: String, at now: Date) {
        close(agentId: agentId, at: now)
    }

    /// Total seconds per category up to `now` (every category present, 0 when unused).
    public func totals(at now: Date) -> [ActivityCategory: TimeInterval] {
        var totals = closed
        for (categories, from) in open.values {
            let seconds = max(0, now.timeIntervalSince(from))
            for category in categories { totals[category, default: 0] += seconds }
        }
        for category in ActivityCategory.allCases where totals[category] == nil { totals[category] = 0 }
        return totals
    }

    private mutating func close(agentId: String, at now: Date) {
        guard let interval = open.removeValue(forKey: agentId) else { return }
        let seconds = max(0, now.timeIntervalSince(interval.from))
        for category in interval.categories { closed[category, default: 0] += seconds }
    }
}
