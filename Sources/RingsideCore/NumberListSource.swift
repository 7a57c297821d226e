/// The bulk rows of the number list (directory records, possibly a million), immutable once built:
/// entries are materialised only for the rows on screen; filtering uses precomputed `NumberListSearchKeys`.
public protocol NumberListSource: AnyObject, Sendable {
    /// Rows, in display order.
    var count: Int { get }
    /// The entry shown at `row` (0 ..< count).
    func entry(at row: Int) -> NumberListEntry
    /// Rows (ascending) matching `filter`, among `candidates` (ascending rows; all rows when nil).
    func matching(_ filter: NumberListFilter, among candidates: [Int32]?) -> [Int32]
    /// The list is shown unfiltered again: memory kept only for filtering (pages of mapped search keys) may be
    /// given back until the next filter.
    func filterCleared()
}

extension NumberListSource {
    public func filterCleared() {}
}

/// A `NumberListSource` over an array of entries (small lists, tests, fallbacks).
public final class NumberListEntries: NumberListSource {
    public let entries: [NumberListEntry]
    public let searchKeys: NumberListSearchKeys

    public init(_ entries: [NumberListEntry]) {
        self.entries = entries
        var keys = NumberListSearchKeys.Builder()
        for entry in entries { keys.append(name: entry.name, e164: entry.e164, raw: entry.raw) }
        searchKeys = keys.build()
    }

    public var count: Int { entries.count }
    public func entry(at row: Int) -> NumberListEntry { entries[row] }
    public func matching(_ filter: NumberListFilter, among candidates: [Int32]?) -> [Int32] {
        searchKeys.matching(filter, among: candidates)
    }
}

/// Everything the number list can show: a short head (favourites, then recent calls) and the bulk rows.
/// Identity-compared: a new value is made whenever anything changes.
public final class NumberListData: Hashable, Sendable {
    /// Favourites and recent calls, filtered by brute force (a few dozen entries).
    public let head: [NumberListEntry]
    /// Directory rows.
    public let rows: any NumberListSource
    /// Recent calls shown at most (after filtering).
    public static let recentShown = 5

    public init(head: [NumberListEntry], rows: any NumberListSource) {
        self.head = head
        self.rows = rows
    }

    /// A list of `entries` as they come: favourites and recent calls to the head, the rest as rows.
    public convenience init(entries: [NumberListEntry]) {
        self.init(head: entries.filter { $0.kind != .directory }, rows: NumberListEntries(entries.filter { $0.kind == .directory }))
    }

    /// An empty list.
    public static let empty = NumberListData(head: [], rows: NumberListEntries([]))

    public static func == (a: NumberListData, b: NumberListData) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
