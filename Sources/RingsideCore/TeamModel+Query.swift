import Foundation

/// Wallboard sort orders.
public enum TeamSort: String, Hashable, Sendable, CaseIterable {
    /// By state (on call, wrap-up, ready, not ready, offline), then longest in state, then name.
    case state
    /// By name (case- and accent-insensitive), then agent id.
    case name
    /// Longest in state first, then name.
    case timeInState

    public var label: String {
        switch self {
        case .state: "state"
        case .name: "name"
        case .timeInState: "time in state"
        }
    }

    /// The next order in the cycle (the wallboard's sort key).
    public var next: TeamSort {
        switch self {
        case .state: .name
        case .name: .timeInState
        case .timeInState: .state
        }
    }
}

/// Which agents the wallboard lists.
public struct TeamFilter: Hashable, Sendable {
    /// Only these states (empty: every state).
    public var states: Set<PresenceState>
    /// Case-insensitive text matched against name, id, reason, call number and matched name (empty: all).
    public var text: String

    public init(states: Set<PresenceState> = [], text: String = "") {
        self.states = states
        self.text = text
    }

    public func matches(_ p: AgentPresence) -> Bool {
        if !states.isEmpty && !states.contains(p.state) { return false }
        let needle = text.trimmingCharacters(in: .whitespaces)
        if needle.isEmpty { return true }
        let fields = [p.name, p.agentId, p.reason ?? "", p.call?.number ?? "", p.call?.matchedName ?? ""]
        return fields.contains { $0.range(of: needle, options: [.caseInsensitive, .diacriticInsensitive]) != nil }
    }
}

extension TeamModel {
    /// The agents passing `filter`, in `sort` order (reversed when `descending`).
    public func rows(sort: TeamSort, descending: Bool = false, filter: TeamFilter = TeamFilter()) -> [AgentPresence] {
        let selected = agents.values.filter(filter.matches)
        let ordered = selected.sorted { a, b in
            switch sort {
            case .state:
                if a.state != b.state { return a.state < b.state }
                if a.since != b.since { return a.since < b.since }
                return Self.nameOrder(a, b)
            case .name:
                return Self.nameOrder(a, b)
            case .timeInState:
                if a.since != b.since { return a.since < b.since }
                return Self.nameOrder(a, b)
            }
        }
        return descending ? ordered.reversed() : ordered
    }

    static func nameOrder(_ a: AgentPresence, _ b: AgentPresence) -> Bool {
        switch a.name.compare(b.name, options: [.caseInsensitive, .diacriticInsensitive]) {
        case .orderedAscending: return true
        case .orderedDescending: return false
        case .orderedSame: return a.agentId < b.agentId
        }
    }
}

/// What the wallboard shows: the team model plus where it comes from.
public struct TeamSnapshot: Sendable {
    public var team: TeamModel
    /// Tenant name shown in the title.
    public var tenant: String
    /// Where presence comes from (`in-memory demo bus`, `mqtt://host:1883`).
    public var source: String
    /// Whether queue figures are fed (false: the wallboard says there is no queue feed yet).
    public var hasQueueFeed: Bool

    public init(team: TeamModel, tenant: String, source: String, hasQueueFeed: Bool) {
        self.team = team
        self.tenant = tenant
        self.source = source
        self.hasQueueFeed = hasQueueFeed
    }
}

/// Port: a live team model the wallboard reads.
public protocol TeamSource: Sendable {
    func snapshot() async -> TeamSnapshot
    /// Fires after the model changed (coalesced; the wallboard re-reads `snapshot()`).
    func changes() -> AsyncStream<Void>
}
