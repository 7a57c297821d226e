import Foundation

/// One agent's precomputed sort fields (the name is folded once, when it changes).
struct TeamSortEntry: Hashable, Sendable {
    var rank: Int
    var since: Date
    /// Case- and accent-folded name.
    var key: String
    var agentId: String

    init(_ presence: AgentPresence, key: String) {
        rank = presence.state.rank
        since = presence.since
        self.key = key
        agentId = presence.agentId
    }

    /// The order of `TeamSort` (ties broken by folded name, then id, so the order is total).
    static func less(_ sort: TeamSort, _ a: TeamSortEntry, _ b: TeamSortEntry) -> Bool {
        switch sort {
        case .state:
            if a.rank != b.rank { return a.rank < b.rank }
            if a.since != b.since { return a.since < b.since }
        case .name:
            break
        case .timeInState:
            if a.since != b.since { return a.since < b.since }
        }
        if a.key != b.key { return a.key < b.key }
        return a.agentId < b.agentId
    }
}

/// The team kept sorted in every `TeamSort` order at once: an update removes the agent's old entry and
/// inserts the new one by binary search (O(log n) comparisons plus one array shift), instead of sorting
/// every agent (and folding every name) on every repaint.
struct TeamIndex: Sendable {
    private var byState: [TeamSortEntry] = []
    private var byName: [TeamSortEntry] = []
    private var byTime: [TeamSortEntry] = []

    var count: Int { byState.count }

    func entries(_ sort: TeamSort) -> [TeamSortEntry] {
        switch sort {
        case .state: byState
        case .name: byName
        case .timeInState: byTime
        }
    }

    mutating func insert(_ entry: TeamSortEntry) {
        Self.insert(entry, into: &byState, .state)
        Self.insert(entry, into: &byName, .name)
        Self.insert(entry, into: &byTime, .timeInState)
    }

    mutating func remove(_ entry: TeamSortEntry) {
        Self.remove(entry, from: &byState, .state)
        Self.remove(entry, from: &byName, .name)
        Self.remove(entry, from: &byTime, .timeInState)
    }

    /// First position whose entry is not less than `entry`.
    static func lowerBound(_ entry: TeamSortEntry, in array: [TeamSortEntry], _ sort: TeamSort) -> Int {
        var low = 0, high = array.count
        while low < high {
            let mid = (low + high) / 2
            if TeamSortEntry.less(sort, array[mid], entry) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private static func insert(_ entry: TeamSortEntry, into array: inout [TeamSortEntry], _ sort: TeamSort) {
        array.insert(entry, at: lowerBound(entry, in: array, sort))
    }

    private static func remove(_ entry: TeamSortEntry, from array: inout [TeamSortEntry], _ sort: TeamSort) {
        let i = lowerBound(entry, in: array, sort)
        if i < array.count, array[i] == entry { array.remove(at: i) }
    }
}
