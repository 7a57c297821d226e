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

    /// The find text without surrounding spaces (empty: no text filter).
    public var needle: String { text.trimmingCharacters(in: .whitespaces) }
    /// True when every agent passes.
    public var isEmpty: Bool { states.isEmpty && needle.isEmpty }

    public func matches(_ p: AgentPresence) -> Bool {
        if !states.isEmpty && !states.contains(p.state) { return false }
        let needle = self.needle
        if needle.isEmpty { return true }
        let fields = [p.name, p.agentId, p.reason ?? "", p.call?.number ?? "", p.call?.matchedName ?? ""]
        return fields.contains { $0.range(of: needle, options: [.caseInsensitive, .diacriticInsensitive]) != nil }
    }
}

extension TeamModel {
    /// The agents passing `filter`, in `sort` order (reversed when `descending`). Reads the kept-sorted
    /// index: O(n) to copy, no sorting and no name folding. Prefer `page(…)` for what a screen shows.
    public func rows(sort: TeamSort, descending: Bool = false, filter: TeamFilter = TeamFilter()) -> [AgentPresence] {
        let ids = orderedIds(sort: sort, filter: filter)
        let ordered = ids.compactMap { agents[$0] }
        return descending ? ordered.reversed() : ordered
    }

    /// How many agents pass `filter` (O(1) without a filter).
    public func rowCount(filter: TeamFilter = TeamFilter()) -> Int {
        if filter.isEmpty { return agents.count }
        return orderedIds(sort: .name, filter: filter).count
    }

    /// The rows `first ..< first + count` of `rows(sort:descending:filter:)`, reading only those agents
    /// when there is no filter (a 5,000-agent team costs the same as a 20-agent page).
    public func page(sort: TeamSort, descending: Bool = false, filter: TeamFilter = TeamFilter(), first: Int, count: Int) -> [AgentPresence] {
        guard count > 0 else { return [] }
        if filter.isEmpty {
            let entries = index.entries(sort)
            let n = entries.count
            let lower = max(0, min(first, n)), upper = min(n, lower + count)
            return (lower..<upper).compactMap { i in agents[entries[descending ? n - 1 - i : i].agentId] }
        }
        let all = rows(sort: sort, descending: descending, filter: filter)
        let lower = max(0, min(first, all.count)), upper = min(all.count, lower + count)
        return Array(all[lower..<upper])
    }

    private func orderedIds(sort: TeamSort, filter: TeamFilter) -> [String] {
        let entries = index.entries(sort)
        if filter.isEmpty { return entries.map(\.agentId) }
        if filter.needle.isEmpty {
            let ranks = Set(filter.states.map(\.rank))
            return entries.lazy.filter { ranks.contains($0.rank) }.map(\.agentId)
        }
        return entries.compactMap { e in agents[e.agentId].flatMap { filter.matches($0) ? e.agentId : nil } }
    }

    /// The same rows by sorting every agent and folding every name (the pre-index path): the reference the
    /// index is tested against and the baseline `ringside bench` measures it against.
    public func rowsBySorting(sort: TeamSort, descending: Bool = false, filter: TeamFilter = TeamFilter()) -> [AgentPresence] {
        let keyed = agents.values.filter(filter.matches).map { (key: Self.sortKey($0.name), presence: $0) }
        let ordered = keyed.sorted { x, y in
            let a = x.presence, b = y.presence
            switch sort {
            case .state:
                if a.state != b.state { return a.state < b.state }
                if a.since != b.since { return a.since < b.since }
            case .name:
                break
            case .timeInState:
                if a.since != b.since { return a.since < b.since }
            }
            if x.key != y.key { return x.key < y.key }
            return a.agentId < b.agentId
        }.map(\.presence)
        return descending ? ordered.reversed() : ordered
    }

    /// Case- and accent-insensitive sort key of a name.
    static func sortKey(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
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
