import Foundation

/// A table under construction: ordered slots holding values, sub-tables or arrays of tables (`[[name]]`).
final class TOMLTableBuilder {
    enum Slot {
        case value(TOMLValue)
        case table(TOMLTableBuilder)
        case tables([TOMLTableBuilder])
    }

    private(set) var order: [String] = []
    private(set) var slots: [String: Slot] = [:]

    func insert(_ key: String, _ slot: Slot) {
        if slots[key] == nil { order.append(key) }
        slots[key] = slot
    }

    /// The table at `key`, creating missing tables on the way; nil when a value is in the way.
    /// `throughArrays`: an array of tables on the way stands for its last table.
    func nest(_ key: [String], throughArrays: Bool = true) -> TOMLTableBuilder? {
        var table = self
        for part in key {
            switch table.slots[part] {
            case nil:
                let created = TOMLTableBuilder()
                table.insert(part, .table(created))
                table = created
            case .table(let next): table = next
            case .tables(let list):
                guard throughArrays, let last = list.last else { return nil }
                table = last
            case .value: return nil
            }
        }
        return table
    }

    /// `[[key]]`: appends a new table to the array at `key`; false when a value is in the way.
    func appendTable(_ key: [String]) -> Bool {
        guard let parent = nest(Array(key.dropLast())) else { return false }
        let stem = key[key.count - 1]
        switch parent.slots[stem] {
        case nil: parent.insert(stem, .tables([TOMLTableBuilder()]))
        case .tables(let list): parent.insert(stem, .tables(list + [TOMLTableBuilder()]))
        case .table, .value: return false
        }
        return true
    }

    var table: TOMLTable {
        var out = TOMLTable()
        for key in order {
            switch slots[key]! {
            case .value(let value): out[key] = value
            case .table(let table): out[key] = .table(table.table)
            case .tables(let list): out[key] = .array(list.map { .table($0.table) })
            }
        }
        return out
    }
}

/// Which key paths are frozen (inline tables and arrays: complete once written) or explicit (created by a header
/// or dotted keys: cannot be opened again with a `[header]`). The same rules as `tomllib`.
struct TOMLFlags {
    enum Flag: Hashable { case frozen, explicitNest }

    final class Node {
        var flags: Set<Flag> = []
        var recursive: Set<Flag> = []
        var nested: [String: Node] = [:]
    }

    let root = Node()
    var pending: [([String], Flag)] = []

    mutating func addPending(_ key: [String], _ flag: Flag) { pending.append((key, flag)) }

    mutating func finalizePending() {
        for (key, flag) in pending { set(key, flag, recursive: false) }
        pending.removeAll()
    }

    func unsetAll(_ key: [String]) {
        var node = root
        for part in key.dropLast() {
            guard let next = node.nested[part] else { return }
            node = next
        }
        node.nested[key[key.count - 1]] = nil
    }

    func set(_ key: [String], _ flag: Flag, recursive: Bool) {
        var node = root
        for part in key {
            if let next = node.nested[part] { node = next } else {
                let created = Node()
                node.nested[part] = created
                node = created
            }
        }
        if recursive { node.recursive.insert(flag) } else { node.flags.insert(flag) }
    }

    func isSet(_ key: [String], _ flag: Flag) -> Bool {
        guard let stem = key.last else { return false }
        var node = root
        for part in key.dropLast() {
            guard let next = node.nested[part] else { return false }
            if next.recursive.contains(flag) { return true }
            node = next
        }
        guard let last = node.nested[stem] else { return false }
        return last.flags.contains(flag) || last.recursive.contains(flag)
    }
}
