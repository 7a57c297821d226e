/// The columns a typed query keeps of each record, by field path as in the select list (`Name`, `Account.Name`).
///
/// Issue 16: a 100k-record sync spent a quarter of its CPU building and freeing a `JSONValue` tree per record only to
/// read a dozen fields from it. A page decoded against its columns keeps just those values, as text.
public struct QueryColumns: Hashable, Sendable {
    /// The paths, in column order.
    public let paths: [String]
    /// The paths as a tree of field names (a relationship's fields under its name).
    let root: Node

    /// Names at one level of the tree; each either a column or a relationship with its own fields.
    struct Node: Hashable, Sendable {
        var names: [[UInt8]] = []
        var slots: [Slot] = []

        enum Slot: Hashable, Sendable {
            case column(Int)
            indirect case relationship(Node)
        }

        /// The slot named by the bytes `key`.
        func slot(_ key: UnsafeBufferPointer<UInt8>) -> Slot? {
            for (i, name) in names.enumerated() where name.count == key.count && name.withUnsafeBufferPointer({ $0.elementsEqual(key) }) {
                return slots[i]
            }
            return nil
        }

        mutating func add(_ path: ArraySlice<Substring>, column: Int) {
            let name = Array(path.first!.utf8)
            let index = names.firstIndex(of: name)
            if path.count == 1 {
                // A path listed twice is read into its first column only.
                if index == nil { names.append(name); slots.append(.column(column)) }
                return
            }
            var child = Node()
            if let index {
                guard case .relationship(let existing) = slots[index] else { return }  // `Account` and `Account.Name` both: the column wins
                child = existing
            }
            child.add(path.dropFirst(), column: column)
            if let index { slots[index] = .relationship(child) } else { names.append(name); slots.append(.relationship(child)) }
        }
    }

    public init(_ paths: [String]) {
        self.paths = paths
        var root = Node()
        for (column, path) in paths.enumerated() {
            let parts = path.split(separator: ".", omittingEmptySubsequences: false)
            guard !parts.contains(where: \.isEmpty) else { continue }
            root.add(parts[...], column: column)
        }
        self.root = root
    }

    /// The column of `path`, if listed.
    public func index(of path: String) -> Int? { paths.firstIndex(of: path) }
}

/// Records of a SOQL query (every page followed) decoded against `QueryColumns`: each value is the field's text
/// (strings as sent, `true`/`false`, numbers as written), nil when null, absent or not a scalar.
public struct QueryRows: Sendable {
    public let columns: QueryColumns
    /// `totalSize` as reported by Salesforce.
    public var totalSize: Int
    /// Row-major values, `columns.paths.count` per record.
    var values: [String?]
    /// Requests it took (1 + pages followed).
    public var pages: Int

    init(columns: QueryColumns, totalSize: Int, values: [String?], pages: Int) {
        self.columns = columns
        self.totalSize = totalSize
        self.values = values
        self.pages = pages
    }

    /// Records read.
    public var count: Int { columns.paths.isEmpty ? 0 : values.count / columns.paths.count }

    /// The value of `column` in record `row`.
    public subscript(row: Int, column: Int) -> String? { values[row * columns.paths.count + column] }
}
