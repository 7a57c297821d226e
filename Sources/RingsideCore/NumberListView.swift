/// The console's number list as a filtered view over in-memory `NumberListData`: the entries matching the
/// filter, counted exactly and reachable by index (the screen materialises only the rows it shows).
///
/// Filtering scans the precomputed search keys of every row once; a filter that only grows (another
/// character typed) narrows the previous result instead. New data with the same rows keeps the result.
public struct NumberListView: Hashable, Sendable {
    public private(set) var data: NumberListData
    public private(set) var filter: NumberListFilter
    /// Indexes into `data.head` that match.
    private var headMatches: [Int]
    /// Rows that match; nil: every row.
    private var rowMatches: [Int32]?

    public init(_ data: NumberListData = .empty, filter: String = "") {
        self.data = data
        self.filter = NumberListFilter(filter)
        headMatches = []
        rowMatches = nil
        refilter(narrowing: false)
    }

    /// Entries matching the filter.
    public var count: Int { headMatches.count + (rowMatches?.count ?? data.rows.count) }
    /// Entries without a filter.
    public var totalCount: Int { data.head.count + data.rows.count }

    /// The `index`-th matching entry (0 ..< count).
    public func entry(at index: Int) -> NumberListEntry {
        if index < headMatches.count { return data.head[headMatches[index]] }
        let position = index - headMatches.count
        return data.rows.entry(at: rowMatches.map { Int($0[position]) } ?? position)
    }

    /// The entry at `index`, or nil when out of range.
    public func entryIfPresent(at index: Int) -> NumberListEntry? {
        index >= 0 && index < count ? entry(at: index) : nil
    }

    /// Changes the filter (name words and digits as typed).
    public mutating func setFilter(_ text: String) {
        let new = NumberListFilter(text)
        guard new != filter else { return }
        let narrowing = new.narrows(filter)
        filter = new
        refilter(narrowing: narrowing)
    }

    /// Replaces the data; the row result is kept when the rows are the same.
    public mutating func setData(_ new: NumberListData) {
        let sameRows = new.rows === data.rows
        data = new
        if sameRows {
            headMatches = Self.matchHead(data.head, filter)
        } else {
            refilter(narrowing: false)
        }
    }

    private mutating func refilter(narrowing: Bool) {
        headMatches = Self.matchHead(data.head, filter)
        if filter.isEmpty {
            if rowMatches != nil { data.rows.filterCleared() }
            rowMatches = nil
        } else {
            rowMatches = data.rows.matching(filter, among: narrowing ? rowMatches : nil)
        }
    }

    /// Favourites first, then at most `recentShown` recent calls.
    static func matchHead(_ head: [NumberListEntry], _ filter: NumberListFilter) -> [Int] {
        guard !head.isEmpty else { return [] }
        let keys = NumberListEntries(head).searchKeys
        let matching = filter.isEmpty ? Array(head.indices) : keys.matching(filter, among: nil).map(Int.init)
        var recent = 0
        return matching.filter { index in
            switch head[index].kind {
            case .favourite, .directory: return true
            case .recent:
                recent += 1
                return recent <= NumberListData.recentShown
            }
        }
    }

    public static func == (a: NumberListView, b: NumberListView) -> Bool {
        a.data === b.data && a.filter == b.filter && a.count == b.count
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(data))
        hasher.combine(filter)
        hasher.combine(count)
    }
}
